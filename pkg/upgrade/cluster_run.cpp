#include "pkg/upgrade/cluster_run.h"

#include <map>
#include <thread>

namespace upgrade {

std::vector<Batch> batches_of(const plan::Plan& p) {
  std::vector<Batch> out;
  std::map<int, size_t> worker_batch;
  for (const auto& n : p.nodes) {
    if (n.role != plan::Role::kWorker) {
      out.push_back({true, {n.name}});
      continue;
    }
    auto it = worker_batch.find(n.batch);
    if (it == worker_batch.end()) {
      worker_batch[n.batch] = out.size();
      out.push_back({false, {n.name}});
    } else {
      out[it->second].nodes.push_back(n.name);
    }
  }
  return out;
}

std::string describe_batches(const std::vector<Batch>& batches) {
  std::string out;
  for (const auto& b : batches) {
    if (!out.empty()) out += " | ";
    for (size_t i = 0; i < b.nodes.size(); ++i) out += (i ? " " : "") + b.nodes[i];
  }
  return out;
}

std::string ClusterRunResult::outcome() const {
  if (failed)
    return "stopped at node " + failed->node + ", step " + step_label(failed->step) +
           (failed->error.empty() ? "" : ": " + failed->error.substr(0, failed->error.find('\n')));
  if (stopped_before)
    return "stopped before the hop to " + stopped_before->hop + ": " + stopped_before->reason;
  return "finished";
}

namespace {

// The plan made again before `hop`, or why the hop must not start.
std::expected<std::vector<Batch>, HopStop> replan_for(const kver::Version& hop,
                                                      const ClusterRunDeps& deps) {
  const std::string name = hop.to_string();
  auto again = deps.replan();
  if (!again)
    return std::unexpected(
        HopStop{.hop = name,
                .reason = "reading the cluster again failed: " + again.error().message,
                .hint = "check the API server (kubectl get nodes), then re-run"});
  if (!again->ready()) {
    HopStop stop{
        .hop = name,
        .reason = "the plan made again from the cluster as it is now has " +
                  std::to_string(again->count(plan::Severity::kBlocker)) + " blocker(s): ",
        .hint = "fix them (kubectl upgrade plan --to " + name + " shows them), then resume"};
    bool first = true;
    for (const auto& f : again->findings) {
      if (f.severity != plan::Severity::kBlocker) continue;
      stop.reason += (first ? "" : ", ") + f.code + " " + f.subject;
      stop.details += "  " + f.code + " " + f.subject + ": " + f.message + "\n";
      if (!f.fix.empty()) stop.details += "      fix: " + f.fix + "\n";
      first = false;
    }
    return std::unexpected(stop);
  }
  if (again->target.hops.empty() || !(again->target.hops.front().to == hop))
    return std::unexpected(
        HopStop{.hop = name,
                .reason = "the plan made again no longer starts with this hop (it says " +
                          (again->target.hops.empty() ? std::string("nothing to do")
                                                      : again->target.hops.front().to.to_string()) +
                          "): the cluster changed under the run",
                .hint = "see kubectl upgrade plan, then re-run"});
  return batches_of(*again);
}

// The nodes of one batch at the same time; their results in the batch's order.
std::vector<NodeResult> run_batch(const Batch& b, const kver::Version& target,
                                  const ClusterRunDeps& deps, std::stop_token stop) {
  std::vector<NodeResult> got(b.nodes.size());
  std::vector<std::jthread> threads;
  for (size_t i = 0; i < b.nodes.size(); ++i)
    threads.emplace_back([&, i] {
      got[i] = deps.upgrade_node(b.nodes[i], target, stop);
      deps.finished(got[i]);
    });
  threads.clear();  // joins
  return got;
}

}  // namespace

ClusterRunResult run_cluster(const plan::Plan& first, const ClusterRunDeps& deps,
                             std::stop_token stop) {
  ClusterRunResult run;
  std::vector<Batch> batches = batches_of(first);
  for (size_t h = 0; h < first.target.hops.size(); ++h) {
    const kver::Version& target = first.target.hops[h].to;
    deps.note("== hop to " + target.to_string());
    if (h > 0) {
      auto again = replan_for(target, deps);
      if (!again) {
        run.stopped_before = again.error();
        return run;
      }
      batches = std::move(*again);
      deps.note("   batches, planned again from the cluster as it is now: " +
                describe_batches(batches));
    }
    for (const auto& b : batches) {
      deps.begin_batch(b.nodes);
      for (auto& r : run_batch(b, target, deps, stop)) {
        if (!r.ok() && !run.failed) run.failed = r;
        run.results.push_back(std::move(r));
      }
      if (run.failed) return run;
    }
  }
  return run;
}

}  // namespace upgrade
