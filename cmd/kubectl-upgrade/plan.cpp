// `kubectl upgrade plan`: reads the cluster (GET/LIST only) and prints what an upgrade would do.
// Never changes the cluster. The work is in pkg/cluster (reading) and pkg/plan (deciding and
// rendering); this file binds flags, maps errors to exit codes and writes the result to stdout.
#include "pkg/plan/plan.h"

#include <set>

#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/drain_flags.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"
#include "cmd/kubectl-upgrade/plan_facts.h"
#include "pkg/cluster/reader.h"
#include "pkg/plan/render.h"
#include "pkg/upgrade/lease.h"

namespace cli {
namespace {

struct PlanOptions {
  plan::Options plan;
  std::string output = "table";  // table|wide|json|yaml
  bool no_headers = false;
  bool inspect_nodes = false;  // gather node facts through read-only node-shell pods
  nodeshell::ShellOptions shell;

  void complete(const cxxopts::ParseResult& r) {
    plan.to = flags::given_string(r, "to");
    plan.allow_prerelease = r["allow-prerelease"].as<bool>();
    plan.max_unavailable = r["max-unavailable"].as<std::string>();
    plan.drain.ignore_daemonsets = r["ignore-daemonsets"].as<bool>();
    plan.drain.delete_emptydir_data = r["delete-emptydir-data"].as<bool>();
    plan.drain.force = r["force"].as<bool>();
    plan.drain.disable_eviction = r["disable-eviction"].as<bool>();
    plan.drain.skip_wait_for_delete_timeout = r["skip-wait-for-delete-timeout"].as<int>();
    output = r["output"].as<std::string>();
    no_headers = r["no-headers"].as<bool>();
    inspect_nodes = r["inspect-nodes"].as<bool>();
    shell.ns = r["shell-namespace"].as<std::string>();
    shell.image = r["shell-image"].as<std::string>();
  }

  std::optional<std::string> validate() const {
    static const std::set<std::string> kOutputs = {"table", "wide", "json", "yaml"};
    if (!kOutputs.contains(output))
      return "unable to match a printer suitable for the output format \"" + output +
             "\", allowed formats are: json,table,wide,yaml";
    if (plan.drain.skip_wait_for_delete_timeout < 0)
      return "--skip-wait-for-delete-timeout must be 0 or more seconds";
    return std::nullopt;
  }

  int run(Context& ctx) {
    if (auto problem = validate()) return ctx.fail(*problem);
    auto client = ctx.client();
    if (!client) return ctx.fail(client.error());
    auto inventory = cluster::read_inventory(**client);
    if (!inventory) return ctx.fail(inventory.error());
    inventory->lock.holder_process_gone = upgrade::holder_process_gone(inventory->lock.holder);
    if (inspect_nodes)
      inventory->node_facts = gather_node_facts(
          **client, *inventory, shell,
          [&](std::string_view node) { ctx.err() << "inspecting node " << node << "...\n"; },
          [&] { return ctx.cancelled(); });
    if (ctx.cancelled()) return ctx.fail("interrupted; nothing was changed");
    auto result = plan::make_plan(*inventory, plan);
    if (!result) return ctx.fail(result.error().message);
    if (output == "json") {
      ctx.out() << plan::render_json(*result);
    } else if (output == "yaml") {
      ctx.out() << plan::render_yaml(*result);
    } else {
      ctx.out() << plan::render_table(
          *result,
          {.wide = output == "wide", .colour = ctx.term().out_colour(), .no_headers = no_headers});
    }
    ctx.out().flush();
    return result->ready() ? kExitOk : kExitBlockers;
  }
};

}  // namespace

CommandSpec plan_command() {
  CommandSpec c;
  c.name = "plan";
  c.short_help = "Show what an upgrade would do; change nothing";
  c.long_help =
      "Show what an upgrade would do; change nothing.\n\n"
      " Reads the cluster (GET and LIST only), checks the version-skew policy and the support\n"
      " window, resolves the target and the hop path (one minor per hop), orders the nodes\n"
      " (first control plane, other control planes, workers in batches), previews every drain\n"
      " (pods evicted, pods that block, PodDisruptionBudgets, room left on the other nodes) and\n"
      " runs the pre-flight checks. Every blocker comes with its fix.\n\n"
      " Exit code 0: ready; 2: blockers found; 1: error.";
  c.examples =
      "  # Plan the upgrade to the newest patch of the next minor\n"
      "  kubectl upgrade plan\n\n"
      "  # Plan the upgrade to a given version, as JSON\n"
      "  kubectl upgrade plan --to v1.36.2 -o json\n\n"
      "  # Preview drains that delete emptyDir data, two workers at a time\n"
      "  kubectl upgrade plan --delete-emptydir-data --max-unavailable 2\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "to",
                      "Target Kubernetes version (vX.Y.Z). Default: the newest patch of the next "
                      "minor.");
    flags::add_bool(o, "allow-prerelease",
                    "Allow a pre-release target (--to v1.38.0-rc.1); never chosen by default.");
    flags::add_string(o, "o,output", "Output format. One of: (table, wide, json, yaml).", "table");
    flags::add_bool(o, "no-headers", "When using the table output, don't print column headers.");
    flags::add_string(o, "max-unavailable",
                      "Number (N) or percentage (N%) of worker nodes upgraded at the same time.",
                      "1");
    flags::add_bool(o, "inspect-nodes",
                    "Gather node facts (OS, package repository, held packages) through read-only "
                    "pods on every node (privileged, in --shell-namespace; deleted afterwards).");
    add_node_shell_flags(o);
    flags::add_bool(o, "ignore-daemonsets", "Ignore DaemonSet-managed pods.", true);
    flags::add_bool(o, "delete-emptydir-data",
                    "Preview drains that delete pods using emptyDir (local data).");
    flags::add_bool(o, "force",
                    "Preview drains that delete pods that do not declare a controller.");
    flags::add_bool(o, "disable-eviction",
                    "Preview drains that delete instead of evicting (bypasses "
                    "PodDisruptionBudgets).");
    flags::add_int(o, "skip-wait-for-delete-timeout",
                   "If pod DeletionTimestamp older than N seconds, skip waiting for the pod. "
                   "Seconds must be greater than 0 to skip.");
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
