#include "cmd/kubectl-upgrade/app.h"

#include <ostream>

#include "cmd/kubectl-upgrade/completion.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"
#include "cmd/kubectl-upgrade/help.h"
#include "cmd/kubectl-upgrade/parse.h"

namespace cli {
namespace {

std::string basename(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

int usage_error(ui::Terminal& term, const UsageError& e) {
  term.err() << "error: " << e.message << "\n";
  if (e.unknown_command) {
    term.err() << "Run '" << e.command_path << " --help' for usage.\n";
  } else {
    term.err() << "See '" << e.command_path << " --help' for usage.\n";
  }
  return kExitError;
}

}  // namespace

int run_app(const std::vector<std::string>& argv, AppDeps deps) {
  std::vector<std::string> args(argv.begin() + (argv.empty() ? 0 : 1), argv.end());
  Context ctx(deps.terminal, std::move(deps.env), deps.cancel_flag, std::move(deps.client_factory));
  if (!argv.empty()) ctx.argv0 = argv[0];

  // kubectl (1.26+) runs `kubectl_complete-upgrade <args> <word>` for `kubectl upgrade <TAB>`.
  if (!argv.empty() && basename(argv[0]) == kKubectlCompletionName) {
    return run_complete(ctx, args, /*descriptions=*/true);
  }
  if (!args.empty() && (args[0] == "__complete" || args[0] == "__completeNoDesc")) {
    const bool descriptions = args[0] == "__complete";
    return run_complete(ctx, {args.begin() + 1, args.end()}, descriptions);
  }

  auto inv = parse_command_line(args);
  if (!inv) return usage_error(ctx.term(), inv.error());
  ctx.flags = flags::config_flags(inv->result);
  ctx.args = inv->tokens.positional;
  ctx.command = inv->command;

  if (!inv->command) {
    if (!ctx.args.empty()) {
      return usage_error(ctx.term(),
                         {"unknown command \"" + ctx.args[0] + "\" for \"kubectl upgrade\"",
                          "kubectl upgrade", true});
    }
    ctx.out() << root_help();
    return kExitOk;
  }
  if (inv->help) {
    ctx.out() << command_help(*inv->command);
    return kExitOk;
  }
  return inv->command->run(ctx, inv->result);
}

}  // namespace cli
