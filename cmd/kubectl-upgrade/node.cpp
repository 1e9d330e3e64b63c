// `kubectl upgrade node NAME`: the kubeadm procedure on one node, every step verified.
// The work is pkg/upgrade's NodeUpgrade; this file binds flags, asks, holds the lock, prints.
#include <mutex>
#include <thread>

#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/drain_flags.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"
#include "pkg/upgrade/lease.h"
#include "pkg/upgrade/progress_text.h"
#include "pkg/upgrade/run_config.h"
#include "pkg/upgrade/timefmt.h"
#include "pkg/version/releases.h"

namespace cli {

// Shared with cluster.cpp (declared there): the flags of a mutating run, a [y/N] question, the
// progress printer and the bridge from Ctrl-C and --timeout to a stop request.
upgrade::RunConfig read_run_config(const cxxopts::ParseResult& r);
std::optional<int> confirm(Context& ctx, bool yes, const std::string& question);
upgrade::ProgressSink progress_printer(Context& ctx, std::mutex& mu);
kube::Result<std::unique_ptr<kube::Client>> uncancelled_client(Context& ctx);

kube::Result<std::unique_ptr<kube::Client>> uncancelled_client(Context& ctx) {
  return make_real_client(
      ClientRequest{ctx.flags, ctx.env(), std::nullopt, nullptr, ctx.term().in_is_tty()});
}

class StopBridge {
 public:
  StopBridge(Context& ctx, std::optional<std::chrono::seconds> limit)
      : thread_([&ctx, limit, this](std::stop_token own) {
          auto until =
              std::chrono::steady_clock::now() + limit.value_or(std::chrono::hours(24 * 365));
          while (!own.stop_requested()) {
            if (ctx.cancelled()) return source_.request_stop(), void();
            if (std::chrono::steady_clock::now() >= until) {
              timed_out_ = true;
              return source_.request_stop(), void();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
        }) {}
  std::stop_token token() const { return source_.get_token(); }
  bool timed_out() const { return timed_out_; }

 private:
  std::stop_source source_;
  std::atomic<bool> timed_out_{false};
  std::jthread thread_;
};

upgrade::RunConfig read_run_config(const cxxopts::ParseResult& r) {
  upgrade::RunConfig c;
  c.to = flags::given_string(r, "to");
  c.dry_run = r["dry-run"].as<bool>();
  c.yes = r["yes"].as<bool>();
  c.timeout = r["timeout"].as<std::string>();
  c.ignore_daemonsets = r["ignore-daemonsets"].as<bool>();
  c.delete_emptydir_data = r["delete-emptydir-data"].as<bool>();
  c.force = r["force"].as<bool>();
  c.grace_period = r["grace-period"].as<int>();
  c.disable_eviction = r["disable-eviction"].as<bool>();
  c.pod_selector = r["pod-selector"].as<std::string>();
  c.skip_wait_for_delete_timeout = r["skip-wait-for-delete-timeout"].as<int>();
  c.drain_timeout = r["drain-timeout"].as<std::string>();
  c.on_drain_timeout = r["on-drain-timeout"].as<std::string>();
  c.shell_namespace = r["shell-namespace"].as<std::string>();
  c.shell_image = r["shell-image"].as<std::string>();
  c.kubelet_timeout = r["kubelet-timeout"].as<std::string>();
  return c;
}

std::optional<int> confirm(Context& ctx, bool yes, const std::string& question) {
  if (yes) return std::nullopt;
  if (!ctx.term().in_is_tty())
    return ctx.fail(
        "refusing to change the cluster without a confirmation: stdin is not a "
        "terminal to ask on; pass --yes to proceed (or --dry-run to look first)");
  ctx.err() << question << " [y/N] " << std::flush;
  auto answer = ctx.term().read_line();
  if (answer && (*answer == "y" || *answer == "Y" || *answer == "yes")) return std::nullopt;
  ctx.err() << "nothing changed\n";
  return kExitError;
}

upgrade::ProgressSink progress_printer(Context& ctx, std::mutex& mu) {
  bool tty = ctx.term().err_is_tty();
  return [&ctx, &mu, tty](const upgrade::StepUpdate& u) {
    std::string ts = tty ? "" : upgrade::rfc3339(std::chrono::system_clock::now());
    std::lock_guard lock(mu);
    ctx.err() << upgrade::progress_line(u, ts) << "\n" << std::flush;
  };
}

namespace {

int print_dry_run(Context& ctx, const upgrade::NodeUpgradeOptions& o,
                  const upgrade::PreflightVerdict& verdict,
                  const std::vector<upgrade::PlannedStep>& steps) {
  auto& out = ctx.out();
  out << "# kubectl upgrade node " << o.node << " --to " << o.target.to_string()
      << " --dry-run: nothing is changed\n";
  out << "# role: " << upgrade::role_name(verdict.role) << "\n";
  for (const auto& n : verdict.notes) out << "# note: " << n << "\n";
  for (const auto& r : verdict.refusals) out << "# REFUSED: " << r << "\n";
  for (const auto& s : steps) {
    out << "\n## step " << upgrade::step_label(s.step) << ": " << s.action << "\n";
    if (!s.script.empty()) out << s.script;
  }
  out.flush();
  return verdict.ok() ? kExitOk : kExitBlockers;
}

// The next node to upgrade toward `target`, for the closing line.
std::string next_hint(kube::Client& client, const kver::Version& target) {
  auto view = upgrade::read_view(client);
  if (!view) return "";
  for (bool cp : {true, false})
    for (const auto& n : view->nodes)
      if (n.control_plane == cp && n.kubelet && *n.kubelet < target)
        return "next: kubectl upgrade node " + n.name + " --to " + target.to_string();
  return "every node is at " + target.to_string() + " (kubectl get nodes)";
}

struct NodeOptions {
  std::string node;
  upgrade::RunConfig config;

  void complete(Context& ctx, const cxxopts::ParseResult& r) {
    if (!ctx.args.empty()) node = ctx.args[0];
    config = read_run_config(r);
  }

  int run(Context& ctx) {
    if (node.empty()) return ctx.fail("a node name is required: kubectl upgrade node NAME");
    if (ctx.args.size() > 1) return ctx.fail("exactly one node name is expected");
    auto valid = upgrade::validate(config);
    if (!valid) return ctx.fail(valid.error().message);
    // Our own client, not cut by Ctrl-C: after a stop we still delete our pod, write the record
    // and release the lock. The stop reaches the work through a stop_token instead.
    auto client = uncancelled_client(ctx);
    if (!client) return ctx.fail(client.error());
    kube::Client& api = **client;

    auto target = resolve_target(ctx, api, *valid);
    if (!target) return kExitError;
    upgrade::NodeUpgradeOptions o = upgrade::node_options(*valid, node, *target);
    upgrade::EventRecorder events(api, ku::system_clock());
    nodeshell::PodScriptRunner runner(api, ku::system_clock(), valid->shell);
    std::mutex mu;
    upgrade::NodeUpgrade u(api, runner, ku::system_clock(), events, o, progress_printer(ctx, mu));

    auto plan = u.dry_run();
    if (!plan) return ctx.fail(plan.error());
    if (config.dry_run) return print_dry_run(ctx, o, plan->first, plan->second);
    if (!plan->first.ok()) {
      for (const auto& r : plan->first.refusals)
        ctx.err() << "error: cannot upgrade node " << node << " to " << target->to_string() << ": "
                  << r << "\n";
      if (auto hop = next_hop(api); hop && *hop != *target)
        ctx.err() << "the next hop: kubectl upgrade node " << node << " --to " << hop->to_string()
                  << "\n";
      return kExitBlockers;
    }
    if (plan->first.already_done) {
      ctx.err() << "node " << node << " is already at " << target->to_string() << "\n";
      return kExitOk;
    }
    ctx.err() << "kubectl upgrade will upgrade " << upgrade::role_name(plan->first.role) << " node "
              << node << " to " << target->to_string() << ": package repository, kubeadm, "
              << (plan->first.role == upgrade::Role::kFirstControlPlane
                      ? "kubeadm upgrade apply (the API server restarts)"
                      : "kubeadm upgrade node")
              << ", drain, kubelet and kubectl, kubelet restart, uncordon.\n";
    for (const auto& n : plan->first.notes) ctx.err() << "note: " << n << "\n";
    if (auto stop = confirm(ctx, config.yes, "Upgrade node " + node + "?")) return *stop;

    upgrade::ClusterLock lock(api, ku::system_clock());
    if (auto taken = lock.acquire("upgrade node " + node + " --to " + target->to_string()); !taken)
      return ctx.fail(taken.error());
    lock.start_renewing();
    StopBridge bridge(ctx, valid->node_timeout);
    upgrade::NodeResult result = u.run(bridge.token());
    if (auto released = lock.release(); !released)
      ctx.err() << "warning: " << released.error().message
                << " (it expires by itself in 2 minutes)\n";
    if (bridge.timed_out())
      result.error = "node " + node + " did not finish within --timeout " + config.timeout;
    ctx.err() << upgrade::node_summary(result) << "\n";
    if (result.ok()) {
      if (auto next = next_hint(api, *target); !next.empty()) ctx.err() << next << "\n";
      return kExitOk;
    }
    return result.outcome == upgrade::NodeOutcome::kRefused ? kExitBlockers : kExitError;
  }

  // The plan's next hop for this node (built-in release table, as `kubectl upgrade plan` without
  // --inspect-nodes), never more than one minor; the error says why there is none.
  kube::Result<std::expected<kver::Version, std::string>> next_hop_or_why(kube::Client& api) {
    auto view = upgrade::read_view(api);
    if (!view) return std::unexpected(view.error());
    auto got = api.get("/api/v1/nodes/" + node);
    if (!got) return std::unexpected(got.error());
    return upgrade::default_target(*view, node, upgrade::read_record(*got),
                                   kver::builtin_releases().versions);
  }

  std::optional<kver::Version> next_hop(kube::Client& api) {
    auto hop = next_hop_or_why(api);
    if (!hop || !*hop) return std::nullopt;
    return **hop;
  }

  std::optional<kver::Version> resolve_target(Context& ctx, kube::Client& api,
                                              const upgrade::ValidConfig& v) {
    if (v.to) return v.to;
    auto read = next_hop_or_why(api);
    if (!read) return ctx.fail(read.error()), std::nullopt;
    auto& t = *read;
    if (t) {
      ctx.err() << "no --to given: node " << node << " goes to " << t->to_string() << "\n";
      return *t;
    }
    ctx.fail("no target version for node " + node + ": " + t.error());
    return std::nullopt;
  }
};

}  // namespace

CommandSpec node_command() {
  CommandSpec c;
  c.name = "node";
  c.args_usage = "NAME";
  c.short_help = "Upgrade one node through kubeadm, every step verified";
  c.long_help =
      "Upgrade one node through kubeadm, every step verified.\n\n"
      "Steps: pre-flight (lock, order, skew), node facts, package repository, kubeadm, kubeadm "
      "upgrade apply (first control plane) or node, drain, kubelet and kubectl, kubelet restart, "
      "uncordon. Each step is checked first and skipped when done; progress is recorded on the "
      "Node (annotations upgrade.kubectl-upgrade.dev/*) and as Events, so running the same command "
      "again resumes where it stopped. Exit code 0 only when the node is verified at the target "
      "and Ready (and uncordoned, unless it was cordoned before).";
  c.examples =
      "  # Upgrade the first control-plane node to v1.36.2\n"
      "  kubectl upgrade node cp1 --to v1.36.2\n\n"
      "  # Show every step and script without changing anything\n"
      "  kubectl upgrade node w1 --to v1.36.2 --dry-run\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "to",
                      "Target Kubernetes version (vX.Y.Z). Default: the record's target, the "
                      "control plane's version for a node behind it, else the plan's next hop "
                      "(one minor at a time).");
    flags::add_bool(o, "dry-run", "Print every step and script; change nothing.");
    flags::add_bool(o, "y,yes", "Do not ask for confirmation.");
    flags::add_string(o, "timeout", "The longest time the whole node may take (e.g. 30m).", "1h");
    add_kubelet_timeout_flag(o);
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
