// `kubectl upgrade completion bash|zsh|fish|powershell`.
#include "cmd/kubectl-upgrade/completion.h"

#include "cmd/kubectl-upgrade/exit_codes.h"

namespace cli {

CommandSpec completion_command() {
  CommandSpec c;
  c.name = "completion";
  c.args_usage = "SHELL";
  c.short_help =
      "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)";
  c.run = [](Context& ctx, const cxxopts::ParseResult&) {
    return ctx.fail("\"kubectl upgrade completion\" is not implemented yet");
  };
  c.complete_args = fixed_values({"bash", "zsh", "fish", "powershell"});
  return c;
}

}  // namespace cli
