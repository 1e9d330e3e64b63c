// The confirmation before a change, like kubeadm's: "<question> [y/N]: " on stderr, "y" or "yes"
// (any case) confirms, anything else (or end of input) declines. With --yes nothing is asked.
// Without a terminal on stdin and without --yes it fails at once instead of waiting for input
// that will never come.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "pkg/ui/terminal.h"

namespace ui {

enum class Answer { kYes, kNo };

// Error: the message to show (no TTY and no --yes), ending with what to do next.
std::expected<Answer, std::string> confirm(Terminal& term, std::string_view question,
                                           bool assume_yes);

}  // namespace ui
