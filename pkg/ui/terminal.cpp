#include "pkg/ui/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace ui {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace

bool colour_enabled(const ColourInputs& in) {
  if (!in.is_tty) return false;
  if (in.no_color.has_value()) return false;
  if (in.term.has_value() && *in.term == "dumb") return false;
  return true;
}

StdTerminal::StdTerminal()
    : out_tty_(isatty(STDOUT_FILENO) == 1),
      err_tty_(isatty(STDERR_FILENO) == 1),
      in_tty_(isatty(STDIN_FILENO) == 1) {
  const auto term = env("TERM");
  const auto no_color = env("NO_COLOR");
  out_colour_ = colour_enabled({out_tty_, term, no_color});
  err_colour_ = colour_enabled({err_tty_, term, no_color});
}

std::ostream& StdTerminal::out() {
  return std::cout;
}
std::ostream& StdTerminal::err() {
  return std::cerr;
}

int StdTerminal::width() const {
  if (!err_tty_) return 0;
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

std::optional<std::string> StdTerminal::read_line() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  return line;
}

}  // namespace ui
