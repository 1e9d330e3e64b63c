// `kubectl upgrade node NAME`: the kubeadm procedure on one node, every step verified.
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/drain_flags.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

struct NodeOptions {
  std::string node;
  std::optional<std::string> to;  // nullopt = the plan's target
  bool dry_run = false;
  bool yes = false;

  void complete(Context& ctx, const cxxopts::ParseResult& r) {
    if (!ctx.args.empty()) node = ctx.args[0];
    to = flags::given_string(r, "to");
    dry_run = r["dry-run"].as<bool>();
    yes = r["yes"].as<bool>();
  }
  int run(Context& ctx) { return ctx.fail("\"kubectl upgrade node\" is not implemented yet"); }
};

}  // namespace

CommandSpec node_command() {
  CommandSpec c;
  c.name = "node";
  c.args_usage = "NAME";
  c.short_help = "Upgrade one node through kubeadm, every step verified (not implemented yet)";
  c.examples =
      "  # Upgrade the first control-plane node to v1.36.2\n"
      "  kubectl upgrade node cp1 --to v1.36.2\n\n"
      "  # Show every step and script without changing anything\n"
      "  kubectl upgrade node w1 --dry-run\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "to", "Target Kubernetes version (vX.Y.Z). Default: the plan's target.");
    flags::add_bool(o, "dry-run", "Print every step and script; change nothing.");
    flags::add_bool(o, "y,yes", "Do not ask for confirmation.");
    flags::add_string(o, "timeout", "The longest time the whole node may take (e.g. 30m).", "1h");
    add_drain_flags(o);
    add_node_shell_flags(o);
  };
  c.run = [](Context& ctx, const cxxopts::ParseResult& r) {
    NodeOptions opts;
    opts.complete(ctx, r);
    return opts.run(ctx);
  };
  return c;
}

}  // namespace cli
