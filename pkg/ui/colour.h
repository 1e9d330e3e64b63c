// ANSI colour for people-facing text, applied only when the Terminal says colour is on.
#pragma once

#include <string>
#include <string_view>

namespace ui {

enum class Colour { kRed, kGreen, kYellow, kBold, kFaint };

// `text` wrapped in the colour's escape sequence when `enabled`, unchanged otherwise.
std::string paint(std::string_view text, Colour colour, bool enabled);

}  // namespace ui
