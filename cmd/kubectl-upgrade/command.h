// The command interface: every subcommand of `kubectl upgrade` is one CommandSpec, built by a
// function in its own file (plan.cpp: plan_command()) and listed in the table in commands.cpp.
// main.cpp only dispatches through that table. See README.md in this folder.
#pragma once

#include <cxxopts.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cmd/kubectl-upgrade/context.h"

namespace cli {

// --- Completion (the cobra protocol, reference/ecosystem.md section 2) ---

// cobra's ShellCompDirective bits.
enum Directive : int {
  kDirectiveDefault = 0,        // files may be offered
  kDirectiveError = 1,          // something went wrong: offer nothing
  kDirectiveNoSpace = 2,        // no space after the candidate
  kDirectiveNoFileComp = 4,     // never fall back to files
  kDirectiveFilterFileExt = 8,  // candidates are file extensions
  kDirectiveFilterDirs = 16,    // directories only
  kDirectiveKeepOrder = 32,     // keep the order given (e.g. control planes first)
};

struct Candidate {
  std::string value;
  std::string description;  // optional; shown after a TAB unless descriptions are off
};

struct Completions {
  std::vector<Candidate> candidates;
  int directive = kDirectiveNoFileComp;
};

// What a completer is asked: the words so far (already parsed into ctx.flags and ctx.args) and
// the prefix being completed. Completers filter by prefix themselves.
struct CompletionQuery {
  Context& ctx;
  const std::string& to_complete;
};
using Completer = std::function<Completions(const CompletionQuery&)>;

// --- The command ---

struct CommandSpec {
  std::string name;        // "plan"
  std::string args_usage;  // "NAME" for "kubectl upgrade node NAME [options]"; empty = no args
  std::string short_help;  // one line for the command list
  std::string long_help;   // paragraphs for --help; empty = short_help
  std::string examples;    // kubectl style: "  # comment\n  kubectl upgrade plan\n"
  bool hidden = false;     // not listed in help nor completed (__complete)

  // Declares the command's own flags. The standard connection flags and -h/--help are added by
  // the framework. Use the helpers in flags.h so help text shows the right types and defaults.
  std::function<void(cxxopts::Options&)> add_flags;
  // Runs the command; returns the exit code (exit_codes.h). Flags are in `result`; the
  // connection flags are already in ctx.flags and the positional arguments in ctx.args.
  std::function<int(Context&, const cxxopts::ParseResult&)> run;

  // Completes the positional arguments (e.g. node names). Unset = nothing, :4.
  Completer complete_args;
  // Completes a flag's value, by the flag's long name. Flags without an entry use the defaults
  // of the framework (connection flags, --to, files) or offer nothing.
  std::map<std::string, Completer> complete_flag;
};

// The table of every command, in the order help lists them.
const std::vector<CommandSpec>& commands();
const CommandSpec* find_command(std::string_view name);

// The command builders, one per file.
CommandSpec plan_command();
CommandSpec node_command();
CommandSpec cluster_command();
CommandSpec status_command();
CommandSpec completion_command();
CommandSpec version_command();
CommandSpec options_command();

// A completer offering fixed values (e.g. -o table|wide|json|yaml).
Completer fixed_values(std::vector<std::string> values);

}  // namespace cli
