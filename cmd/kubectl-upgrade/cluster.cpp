// `kubectl upgrade cluster`: every node in the right order, hop by hop, workers in batches.
// The order, hops and batches come from the plan (pkg/plan, the same code as `plan`); each node
// is pkg/upgrade's NodeUpgrade. One Lease for the whole run; stops at the first failure.
#include <mutex>
#include <thread>

#include "cmd/kubectl-upgrade/batch_progress.h"
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/drain_flags.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"
#include "pkg/cluster/reader.h"
#include "pkg/plan/plan.h"
#include "pkg/plan/render.h"
#include "pkg/ui/table.h"
#include "pkg/upgrade/cluster_run.h"
#include "pkg/upgrade/lease.h"
#include "pkg/upgrade/run_config.h"
#include "pkg/upgrade/timefmt.h"

namespace cli {

// From node.cpp.
upgrade::RunConfig read_run_config(const cxxopts::ParseResult& r);
std::optional<int> confirm(Context& ctx, bool yes, const std::string& question);
kube::Result<std::unique_ptr<kube::Client>> uncancelled_client(Context& ctx);

namespace {

// "upgrade cluster --to v1.36.7 --max-unavailable 2 --force": the run as the lock records it,
// and, with "kubectl " before and " --yes" after, the command that resumes it.
std::string cluster_command_line(const upgrade::RunConfig& c, const std::string& target) {
  return "upgrade cluster --to " + target + upgrade::repeated_flags(c);
}

struct ClusterOptions {
  upgrade::RunConfig config;

  void complete(const cxxopts::ParseResult& r) {
    config = read_run_config(r);
    config.max_unavailable = r["max-unavailable"].as<std::string>();
  }

  // The plan from the cluster as it is now. `own_lock`: the identity of the lock this run holds,
  // which is then not a blocker (the plan made again before each hop).
  kube::Result<plan::Plan> make_plan(kube::Client& api, const std::string& own_lock = "") {
    auto inventory = cluster::read_inventory(api);
    if (!inventory) return std::unexpected(inventory.error());
    if (!own_lock.empty() && inventory->lock.holder == own_lock) inventory->lock = {};
    inventory->lock.holder_process_gone = upgrade::holder_process_gone(inventory->lock.holder);
    plan::Options po;
    po.to = config.to;
    po.max_unavailable = config.max_unavailable;
    po.drain.delete_emptydir_data = config.delete_emptydir_data;
    po.drain.force = config.force;
    po.drain.disable_eviction = config.disable_eviction;
    po.drain.skip_wait_for_delete_timeout = config.skip_wait_for_delete_timeout;
    auto p = plan::make_plan(*inventory, po);
    if (!p) return std::unexpected(kube::Error::config(p.error().message));
    return *p;
  }

  int run(Context& ctx) {
    auto valid = upgrade::validate(config);
    if (!valid) return ctx.fail(valid.error().message);
    // Our own client, not cut by Ctrl-C: after a stop we still delete our pod, write the record
    // and release the lock. The stop reaches the work through a stop_token instead.
    auto client = uncancelled_client(ctx);
    if (!client) return ctx.fail(client.error());
    kube::Client& api = **client;
    auto p = make_plan(api);
    if (!p) return ctx.fail(p.error());
    if (p->target.version.empty())
      return ctx.fail("no target: " + (p->target.refusal.empty() ? std::string("nothing to upgrade")
                                                                 : p->target.refusal));
    std::ostream& shown = config.dry_run ? ctx.out() : ctx.err();
    shown << plan::render_table(*p, {.colour = false});
    if (!p->ready()) {
      ctx.err() << "error: the plan has blockers (above); fix them first, nothing was changed\n";
      return kExitBlockers;
    }
    if (config.dry_run) return dry_run(ctx, *p);
    if (auto stop = confirm(ctx, config.yes,
                            "Upgrade the cluster to " + p->target.version + " (" +
                                std::to_string(p->target.hops.size()) + " hop(s), " +
                                std::to_string(p->nodes.size()) + " nodes)?"))
      return *stop;
    return execute(ctx, api, *valid, *p);
  }

  int dry_run(Context& ctx, const plan::Plan& p) {
    auto& out = ctx.out();
    const auto batches = upgrade::batches_of(p);
    out << "\n# kubectl upgrade cluster --dry-run: nothing is changed. The run would be:\n";
    for (const auto& hop : p.target.hops) {
      out << "# hop to " << hop.to.to_string() << "\n";
      int i = 0;
      for (const auto& b : batches) {
        out << "#   batch " << ++i << (b.control_plane ? " (control plane):" : " (workers):");
        for (const auto& n : b.nodes) out << " " << n;
        out << "  -> kubectl upgrade node NAME --to " << hop.to.to_string() << "\n";
      }
    }
    if (p.target.hops.size() > 1)
      out << "# before each hop after the first, the plan is made again from the cluster as it "
             "is then: its batches may differ, and a blocker stops the run before that hop\n";
    out << "# each node runs the steps and scripts of `kubectl upgrade node NAME --dry-run`\n";
    return kExitOk;
  }

  int execute(Context& ctx, kube::Client& api, const upgrade::ValidConfig& valid,
              const plan::Plan& p) {
    upgrade::ClusterLock lock(api, ku::system_clock());
    if (auto taken = lock.acquire(cluster_command_line(config, p.target.version)); !taken)
      return ctx.fail(taken.error());
    lock.start_renewing();
    std::stop_source stop;
    std::jthread watch([&](std::stop_token own) {
      while (!own.stop_requested() && !stop.stop_requested()) {
        if (ctx.cancelled() || lock.lost()) stop.request_stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    std::mutex print_mu;
    BatchProgress progress(ctx.term(), print_mu);
    upgrade::EventRecorder events(api, ku::system_clock());
    nodeshell::PodScriptRunner runner(api, ku::system_clock(), valid.shell);
    upgrade::ClusterRunDeps deps;
    deps.replan = [&] { return make_plan(api, lock.identity()); };
    deps.upgrade_node = [&](const std::string& node, const kver::Version& target,
                            std::stop_token node_stop) {
      upgrade::NodeUpgrade u(api, runner, ku::system_clock(), events,
                             upgrade::node_options(valid, node, target), progress.sink());
      return u.run(node_stop);
    };
    deps.note = [&](const std::string& line) { progress.note(line); };
    deps.begin_batch = [&](const std::vector<std::string>& nodes) { progress.begin_batch(nodes); };
    deps.finished = [&](const upgrade::NodeResult& r) { progress.finish(r); };
    auto started = std::chrono::steady_clock::now();
    upgrade::ClusterRunResult run = upgrade::run_cluster(p, deps, stop.get_token());
    watch.request_stop();
    if (auto released = lock.release(run.outcome()); !released)
      ctx.err() << "warning: " << released.error().message << "\n";
    summary(ctx, run.results, std::chrono::steady_clock::now() - started);
    if (run.ok()) {
      ctx.err() << "cluster upgraded to " << p.target.version << "\n";
      return kExitOk;
    }
    const std::string resume =
        "kubectl " + cluster_command_line(config, p.target.version) + " --yes";
    if (run.stopped_before) {
      const upgrade::HopStop& s = *run.stopped_before;
      ctx.err() << "error: the cluster upgrade stopped before the hop to " << s.hop << ": "
                << s.reason << "\n"
                << s.details << s.hint << "\n"
                << "No node of that hop was touched. To resume: " << resume << "\n";
      return s.blockers() ? kExitBlockers : kExitError;
    }
    const upgrade::NodeResult& failed = *run.failed;
    ctx.err() << "error: the cluster upgrade stopped at node " << failed.node << ", step "
              << upgrade::step_label(failed.step) << ": "
              << (failed.outcome == upgrade::NodeOutcome::kCancelled && failed.error.empty()
                      ? "interrupted; our pods were deleted and the records left on the Nodes"
                      : failed.error)
              << "\n";
    if (!failed.hint.empty()) ctx.err() << failed.hint << "\n";
    ctx.err() << "Nodes not started yet are untouched. To resume: " << resume << "\n";
    return failed.outcome == upgrade::NodeOutcome::kRefused ? kExitBlockers : kExitError;
  }

  void summary(Context& ctx, const std::vector<upgrade::NodeResult>& results,
               std::chrono::steady_clock::duration total) {
    ui::Table table({{"node"}, {"from"}, {"to"}, {"result"}, {"duration"}, {"evicted"}});
    for (const auto& r : results)
      table.add_row({r.node, r.from, r.to, upgrade::to_string(r.outcome),
                     upgrade::human_duration(r.duration), std::to_string(r.pods_evicted)});
    ctx.err() << "\n";
    table.print(ctx.err());
    ctx.err() << "total time: "
              << upgrade::human_duration(
                     std::chrono::duration_cast<std::chrono::milliseconds>(total))
              << "\n";
  }
};

}  // namespace

CommandSpec cluster_command() {
  CommandSpec c;
  c.name = "cluster";
  c.short_help = "Upgrade every node in order, hop by hop";
  c.long_help =
      "Upgrade every node in order, hop by hop: the plan (same as `kubectl upgrade plan`), one "
      "confirmation, then for each minor on the way the first control-plane node, the other "
      "control planes one at a time, and the workers in batches of at most --max-unavailable "
      "(reduced by the plan where a PDB or the remaining capacity needs it). Stops at the first "
      "failure with the command to resume; a re-run resumes from the records on the Nodes. One "
      "Lease (kube-system/kubectl-upgrade) for the whole run.";
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
    add_kubelet_timeout_flag(o);
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
