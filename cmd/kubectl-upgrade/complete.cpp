// The cobra `__complete` protocol (reference/ecosystem.md section 2): the words after the program
// name, the last one being completed; one candidate per line ("value" or "value<TAB>description"),
// then ":<directive>". Always exit 0: kubectl ignores the output of a failed plugin.
#include <ostream>

#include "cmd/kubectl-upgrade/completers.h"
#include "cmd/kubectl-upgrade/completion.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"
#include "cmd/kubectl-upgrade/parse.h"

namespace cli {
namespace {

// strconv.ParseBool's false spellings; cobra's <PROGRAM>_COMPLETION_DESCRIPTIONS then
// COBRA_COMPLETION_DESCRIPTIONS (an empty value counts as unset).
bool descriptions_wanted(const Context& ctx) {
  for (const char* name :
       {"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "COBRA_COMPLETION_DESCRIPTIONS"}) {
    const auto v = ctx.getenv(name);
    if (!v || v->empty()) continue;
    for (const char* no : {"0", "f", "F", "false", "FALSE", "False"}) {
      if (*v == no) return false;
    }
    return true;
  }
  return true;
}

const FlagDef* find_def(const std::vector<FlagDef>& defs, std::string_view name, bool is_short) {
  for (const auto& d : defs) {
    if (is_short ? d.short_name == name : d.name == name) return &d;
  }
  return nullptr;
}

// Is `word` a flag that still waits for its value in the next word?
const FlagDef* flag_waiting_for_value(const std::vector<FlagDef>& defs, const std::string& word) {
  if (word.size() < 2 || word[0] != '-' || word.find('=') != std::string::npos) return nullptr;
  if (word[1] == '-') {
    const FlagDef* d = find_def(defs, word.substr(2), false);
    return d && d->takes_value() ? d : nullptr;
  }
  // A shorthand group waits when its last letter takes a value and nothing precedes it that does.
  for (size_t j = 1; j < word.size(); ++j) {
    const FlagDef* d = find_def(defs, word.substr(j, 1), true);
    if (!d) return nullptr;
    if (d->takes_value()) return j + 1 == word.size() ? d : nullptr;
  }
  return nullptr;
}

Completions flag_names(const Invocation& inv, const std::string& prefix) {
  Completions out;
  for (const auto& d : inv.defs) {
    if (d.name == "help") continue;
    const bool given = inv.result.count(d.name) > 0;
    if (given && d.kind != "strings") continue;  // cobra offers repeatable flags again
    if (("--" + d.name).starts_with(prefix)) out.candidates.push_back({"--" + d.name, d.help});
    if (!d.short_name.empty() && ("-" + d.short_name).starts_with(prefix)) {
      out.candidates.push_back({"-" + d.short_name, d.help});
    }
  }
  return out;
}

Completions flag_value(Context& ctx, const Invocation& inv, const FlagDef& def,
                       const std::string& prefix) {
  CompletionQuery q{ctx, prefix};
  if (inv.command) {
    const auto it = inv.command->complete_flag.find(def.name);
    if (it != inv.command->complete_flag.end()) return it->second(q);
  }
  if (Completer c = default_flag_completer(def.name)) return c(q);
  return Completions{};
}

Completions subcommands(const std::string& prefix) {
  Completions out;
  for (const auto& c : commands()) {
    if (!c.hidden && c.name.starts_with(prefix)) out.candidates.push_back({c.name, c.short_help});
  }
  return out;
}

Completions compute(Context& ctx, const std::vector<std::string>& args) {
  const std::string to_complete = args.empty() ? "" : args.back();
  const std::vector<std::string> before(args.begin(), args.end() - (args.empty() ? 0 : 1));

  auto found = find_invoked_command(before);
  if (!found) return Completions{{}, kDirectiveError};
  Invocation inv = prepare(*found);
  auto tokens = tokenize(before, inv.defs, inv.command_path, /*lenient=*/true);
  if (tokens) inv.tokens = std::move(*tokens);
  if (inv.command && !inv.tokens.positional.empty()) {
    inv.tokens.positional.erase(inv.tokens.positional.begin());
  }
  (void)bind_flags(inv);  // a half-typed line may not bind; then no connection flags apply
  ctx.flags = flags::config_flags(inv.result);
  ctx.args = inv.tokens.positional;
  ctx.command = inv.command;

  if (!before.empty()) {
    if (const FlagDef* d = flag_waiting_for_value(inv.defs, before.back())) {
      return flag_value(ctx, inv, *d, to_complete);
    }
  }
  if (to_complete.starts_with("-")) {
    const auto eq = to_complete.find('=');
    if (eq != std::string::npos && to_complete.starts_with("--")) {
      const FlagDef* d = find_def(inv.defs, to_complete.substr(2, eq - 2), false);
      if (!d) return Completions{};
      Completions values = flag_value(ctx, inv, *d, to_complete.substr(eq + 1));
      for (auto& c : values.candidates) c.value = to_complete.substr(0, eq + 1) + c.value;
      return values;
    }
    return flag_names(inv, to_complete);
  }
  if (!inv.command) return subcommands(to_complete);
  Completer complete_args = inv.command->complete_args;
  if (!complete_args) complete_args = default_args_completer(inv.command->name);
  if (!complete_args) return Completions{};
  return complete_args(CompletionQuery{ctx, to_complete});
}

// One line per candidate; a description is cut at its first newline, like cobra does.
void print(std::ostream& out, const Completions& c, bool descriptions) {
  for (const auto& cand : c.candidates) {
    out << cand.value;
    if (descriptions && !cand.description.empty()) {
      out << '\t' << cand.description.substr(0, cand.description.find('\n'));
    }
    out << '\n';
  }
  out << ':' << c.directive << '\n';
}

}  // namespace

int run_complete(Context& ctx, const std::vector<std::string>& args, bool descriptions) {
  const Completions c = compute(ctx, args);
  print(ctx.out(), c, descriptions && descriptions_wanted(ctx));
  return kExitOk;
}

}  // namespace cli
