// The terminal a command talks to: stdout for data, stderr for people, stdin for answers.
//
// Everything that prints goes through a Terminal so tests can capture it (FakeTerminal in
// pkg/ui/testing). Whether colour is used is decided once, from the stream being a TTY, TERM and
// NO_COLOR (cli-runtime pkg/printers/terminal.go: NO_COLOR present, even empty, means no colour).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace ui {

// The environment facts the colour decision needs; pure so it can be tested.
struct ColourInputs {
  bool is_tty = false;
  std::optional<std::string> term;      // $TERM, unset = nullopt
  std::optional<std::string> no_color;  // $NO_COLOR, unset = nullopt (empty string counts as set)
};
bool colour_enabled(const ColourInputs& in);

class Terminal {
 public:
  virtual ~Terminal() = default;

  virtual std::ostream& out() = 0;  // data: tables, json, yaml
  virtual std::ostream& err() = 0;  // progress, warnings, prompts, errors

  virtual bool out_is_tty() const = 0;
  virtual bool err_is_tty() const = 0;
  virtual bool in_is_tty() const = 0;
  // Colour for what is written to out() / err(): only on a TTY, TERM != dumb, NO_COLOR unset.
  virtual bool out_colour() const = 0;
  virtual bool err_colour() const = 0;
  // Columns of the stderr terminal, 0 when unknown (not a TTY).
  virtual int width() const = 0;

  // One line from stdin without its newline; nullopt at end of input.
  virtual std::optional<std::string> read_line() = 0;
};

// The process's own stdin/stdout/stderr. Reads TERM and NO_COLOR from the environment once.
class StdTerminal final : public Terminal {
 public:
  StdTerminal();
  std::ostream& out() override;
  std::ostream& err() override;
  bool out_is_tty() const override { return out_tty_; }
  bool err_is_tty() const override { return err_tty_; }
  bool in_is_tty() const override { return in_tty_; }
  bool out_colour() const override { return out_colour_; }
  bool err_colour() const override { return err_colour_; }
  int width() const override;
  std::optional<std::string> read_line() override;

 private:
  bool out_tty_ = false;
  bool err_tty_ = false;
  bool in_tty_ = false;
  bool out_colour_ = false;
  bool err_colour_ = false;
};

}  // namespace ui
