// Command-line parsing with pflag's (cobra's) rules, on top of cxxopts.
//
// cxxopts stores and types the values; this file decides what is a flag, what is a value and what
// is a positional argument exactly as pflag does, and words errors the way kubectl does:
//   unknown flag: --foo
//   unknown shorthand flag: 'x' in -x
//   flag needs an argument: --context          (short: flag needs an argument: 'n' in -n)
//   invalid argument "abc" for "-v, --v" flag: strconv.ParseInt: parsing "abc": invalid syntax
//   unknown command "foo" for "kubectl upgrade"
// Flags may come before or after the command name; `--` ends the flags.
#pragma once

#include <cxxopts.hpp>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "cmd/kubectl-upgrade/command.h"

namespace cli {

// One flag as pflag sees it.
struct FlagDef {
  std::string name;        // long name ("namespace"); for a short-only cxxopts option, the letter
  std::string short_name;  // "n", or empty
  std::string kind;        // "string", "bool", "int", "strings"
  std::string help;
  std::string default_value;
  bool global = false;  // one of the standard connection flags (or --help)

  bool takes_value() const { return kind != "bool"; }
  // How pflag names it in errors: "-v, --v" or "--context".
  std::string display() const;
};
std::vector<FlagDef> flag_defs(const cxxopts::Options& options);

struct UsageError {
  std::string message;       // without "error: "
  std::string command_path;  // "kubectl upgrade plan": for the "See '... --help'" line
  bool unknown_command = false;
};

// The first pass: which command is it? Skips flags and their values (any flag of any command).
// Returns nullptr for the bare root (`kubectl upgrade`, `kubectl upgrade --help`).
std::expected<const CommandSpec*, UsageError> find_invoked_command(
    const std::vector<std::string>& args);

// One occurrence of a flag on the command line.
struct FlagValue {
  const FlagDef* def;
  std::string value;  // bools normalised to "true"/"false"
};

struct Tokens {
  std::vector<FlagValue> flags;
  std::vector<std::string> positional;
};

// The second pass: split `args` for a command whose flags are `defs`. Lenient (for shell
// completion of a half-typed line): unknown flags and bad values are skipped, never an error.
std::expected<Tokens, UsageError> tokenize(const std::vector<std::string>& args,
                                           const std::vector<FlagDef>& defs,
                                           const std::string& command_path, bool lenient = false);

// The cxxopts::Options of a command: its own flags plus the connection flags and --help.
cxxopts::Options command_options(const CommandSpec* command);

struct Invocation {
  const CommandSpec* command = nullptr;       // nullptr = root
  std::string command_path;                   // "kubectl upgrade plan"
  std::shared_ptr<cxxopts::Options> options;  // kept alive: `result` refers to it
  std::vector<FlagDef> defs;                  // `tokens` points into it
  Tokens tokens;
  cxxopts::ParseResult result;
  bool help = false;
};

// The options and flag table of a command, ready for tokens.
Invocation prepare(const CommandSpec* command);
// Runs cxxopts over inv.tokens into inv.result (and sets inv.help).
std::expected<void, UsageError> bind_flags(Invocation& inv);

// Both passes plus cxxopts: everything main needs to run a command, or the usage error.
std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args);

// "Did you mean this?" candidates for an unknown command (cobra: distance <= 2 or prefix).
std::vector<std::string> suggest_commands(const std::string& typed);

}  // namespace cli
