#include "pkg/ui/colour.h"

namespace ui {

std::string paint(std::string_view text, Colour colour, bool enabled) {
  if (!enabled) return std::string(text);
  const char* code = "";
  switch (colour) {
    case Colour::kRed:
      code = "\x1b[31m";
      break;
    case Colour::kGreen:
      code = "\x1b[32m";
      break;
    case Colour::kYellow:
      code = "\x1b[33m";
      break;
    case Colour::kBold:
      code = "\x1b[1m";
      break;
    case Colour::kFaint:
      code = "\x1b[2m";
      break;
  }
  return code + std::string(text) + "\x1b[0m";
}

}  // namespace ui
