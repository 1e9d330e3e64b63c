// The command table: the order here is the order of `kubectl upgrade --help`.
#include "cmd/kubectl-upgrade/command.h"

namespace cli {

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> table = {
      plan_command(),       node_command(),    cluster_command(), status_command(),
      completion_command(), version_command(), options_command(),
  };
  return table;
}

const CommandSpec* find_command(std::string_view name) {
  for (const auto& c : commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Completer fixed_values(std::vector<std::string> values) {
  return [values = std::move(values)](const CompletionQuery& q) {
    Completions out;
    for (const auto& v : values) {
      if (v.starts_with(q.to_complete)) out.candidates.push_back({v, ""});
    }
    return out;
  };
}

}  // namespace cli
