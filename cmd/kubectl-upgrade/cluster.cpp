// `kubectl upgrade cluster`: every node in the right order, hop by hop, workers in batches.
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/drain_flags.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

struct ClusterOptions {
  std::optional<std::string> to;      // nullopt = the plan's target
  std::string max_unavailable = "1";  // N or N%
  bool dry_run = false;
  bool yes = false;

  void complete(const cxxopts::ParseResult& r) {
    to = flags::given_string(r, "to");
    max_unavailable = r["max-unavailable"].as<std::string>();
    dry_run = r["dry-run"].as<bool>();
    yes = r["yes"].as<bool>();
  }
  int run(Context& ctx) { return ctx.fail("\"kubectl upgrade cluster\" is not implemented yet"); }
};

}  // namespace

CommandSpec cluster_command() {
  CommandSpec c;
  c.name = "cluster";
  c.short_help = "Upgrade every node in order, hop by hop (not implemented yet)";
  c.examples =
      "  # Upgrade the whole cluster, two workers at a time\n"
      "  kubectl upgrade cluster --to v1.36.2 --max-unavailable 2\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "to", "Target Kubernetes version (vX.Y.Z). Default: the plan's target.");
    flags::add_string(o, "max-unavailable",
                      "Number (N) or percentage (N%) of worker nodes upgraded at the same time.",
                      "1");
    flags::add_bool(o, "dry-run", "Print every step and script; change nothing.");
    flags::add_bool(o, "y,yes", "Do not ask for confirmation.");
    flags::add_string(o, "timeout", "The longest time one node may take (e.g. 30m).", "1h");
    add_drain_flags(o);
    add_node_shell_flags(o);
  };
  c.run = [](Context& ctx, const cxxopts::ParseResult& r) {
    ClusterOptions opts;
    opts.complete(r);
    return opts.run(ctx);
  };
  return c;
}

}  // namespace cli
