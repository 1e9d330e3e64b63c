// A Terminal for tests: captures stdout and stderr, answers read_line() from a script, and lets the
// test choose what is a TTY and whether colour is on.
#pragma once

#include <deque>
#include <sstream>

#include "pkg/ui/terminal.h"

namespace ui::testing {

class FakeTerminal final : public Terminal {
 public:
  std::ostream& out() override { return out_; }
  std::ostream& err() override { return err_; }
  bool out_is_tty() const override { return out_tty; }
  bool err_is_tty() const override { return err_tty; }
  bool in_is_tty() const override { return in_tty; }
  bool out_colour() const override { return colour; }
  bool err_colour() const override { return colour; }
  int width() const override { return columns; }
  std::optional<std::string> read_line() override {
    if (input.empty()) return std::nullopt;
    std::string line = input.front();
    input.pop_front();
    return line;
  }

  std::string stdout_text() const { return out_.str(); }
  std::string stderr_text() const { return err_.str(); }

  bool out_tty = false;
  bool err_tty = false;
  bool in_tty = false;
  bool colour = false;
  int columns = 0;
  std::deque<std::string> input;  // lines returned by read_line(), in order

 private:
  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace ui::testing
