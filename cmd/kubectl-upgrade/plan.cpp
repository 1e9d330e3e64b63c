// `kubectl upgrade plan`: reads the cluster and prints what an upgrade would do. Never changes it.
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

struct PlanOptions {
  std::optional<std::string> to;      // target version; nullopt = next minor's newest patch
  std::string output = "table";       // table|wide|json|yaml
  std::string max_unavailable = "1";  // N or N%: workers drained at once
  bool inspect_nodes = false;         // gather node facts through node-shell pods

  void complete(const cxxopts::ParseResult& r) {
    to = flags::given_string(r, "to");
    output = r["output"].as<std::string>();
    max_unavailable = r["max-unavailable"].as<std::string>();
    inspect_nodes = r["inspect-nodes"].as<bool>();
  }
  int run(Context& ctx) { return ctx.fail("\"kubectl upgrade plan\" is not implemented yet"); }
};

}  // namespace

CommandSpec plan_command() {
  CommandSpec c;
  c.name = "plan";
  c.short_help = "Show what an upgrade would do; change nothing (not implemented yet)";
  c.long_help =
      "Show what an upgrade would do; change nothing (not implemented yet).\n\n"
      " Reads the cluster, checks the version-skew policy and the support window, resolves the\n"
      " target and the hop path (one minor per hop), orders the nodes, previews every drain and\n"
      " runs the pre-flight checks. Exit code 0: ready; 2: blockers found; 1: error.";
  c.examples =
      "  # Plan the upgrade to the newest patch of the next minor\n"
      "  kubectl upgrade plan\n\n"
      "  # Plan the upgrade to a given version, as JSON\n"
      "  kubectl upgrade plan --to v1.36.2 -o json\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "to",
                      "Target Kubernetes version (vX.Y.Z). Default: the newest patch of the next "
                      "minor.");
    flags::add_string(o, "o,output", "Output format. One of: (table, wide, json, yaml).", "table");
    flags::add_string(o, "max-unavailable",
                      "Number (N) or percentage (N%) of worker nodes upgraded at the same time.",
                      "1");
    flags::add_bool(o, "inspect-nodes",
                    "Gather node facts (OS, package repository, held packages) through read-only "
                    "pods on every node.");
  };
  c.run = [](Context& ctx, const cxxopts::ParseResult& r) {
    PlanOptions opts;
    opts.complete(r);
    return opts.run(ctx);
  };
  c.complete_flag["output"] = fixed_values({"table", "wide", "json", "yaml"});
  return c;
}

}  // namespace cli
