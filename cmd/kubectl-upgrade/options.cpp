// `kubectl upgrade options`: the connection flags every command accepts, like `kubectl options`.
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/help.h"

namespace cli {

CommandSpec options_command() {
  CommandSpec c;
  c.name = "options";
  c.short_help = "Print the list of flags inherited by all commands";
  c.examples = "  # Print flags inherited by all commands\n  kubectl upgrade options\n";
  c.run = [](Context& ctx, const cxxopts::ParseResult&) {
    ctx.out() << global_options_help();
    return kExitOk;
  };
  return c;
}

}  // namespace cli
