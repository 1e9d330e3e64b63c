// How many workers are drained at once. The requested --max-unavailable stands unless draining
// that many together would add problems that one at a time does not have: pods that fit on no
// remaining node, or a PodDisruptionBudget held at zero by the batch. Then the largest batch size
// without them is used, and a warning says why.
#include <fmt/format.h>

#include <algorithm>

#include "pkg/plan/internal.h"

namespace plan::internal {
namespace {

// Pods with nowhere to go (a blocker, or, when every schedulable node is in the batch, pods left
// Pending until it is uncordoned) and PDBs held at zero.
bool caused_by_batching(const Finding& f) {
  return f.code == "InsufficientCapacity" ||
         (f.severity == Severity::kBlocker && f.code == "PdbBlocksDrain");
}

int batching_problems(const std::vector<Finding>& findings) {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), caused_by_batching));
}

WorkerSequence simulate(const cluster::Inventory& inv, const FirstControlPlane& first,
                        int max_unavailable, const std::optional<kver::HopPath>& path,
                        const DrainFlags& flags) {
  WorkerSequence s;
  s.max_unavailable = max_unavailable;
  s.nodes = order_nodes(inv, first, max_unavailable, path);
  simulate_drains(inv, flags, s.nodes, s.findings);
  return s;
}

}  // namespace

WorkerSequence sequence_workers(const cluster::Inventory& inv, const FirstControlPlane& first,
                                const BatchRequest& request,
                                const std::optional<kver::HopPath>& path, const DrainFlags& flags) {
  WorkerSequence asked = simulate(inv, first, request.resolved, path, flags);
  if (request.resolved <= 1) return asked;
  WorkerSequence one = simulate(inv, first, 1, path, flags);
  const int baseline = batching_problems(one.findings);
  if (batching_problems(asked.findings) <= baseline) return asked;

  // More at once never removes such a blocker, so the largest size that adds none is found by
  // bisection: `good` adds none, `bad` does.
  int good = 1, bad = request.resolved;
  WorkerSequence best = std::move(one);
  while (bad - good > 1) {
    int mid = good + (bad - good) / 2;
    WorkerSequence s = simulate(inv, first, mid, path, flags);
    if (batching_problems(s.findings) <= baseline) {
      good = mid;
      best = std::move(s);
    } else {
      bad = mid;
    }
  }
  auto why = std::find_if(asked.findings.begin(), asked.findings.end(), caused_by_batching);
  std::string asked_text = request.text == std::to_string(request.resolved)
                               ? request.text
                               : fmt::format("{} ({} nodes)", request.text, request.resolved);
  add(best.findings, Severity::kWarning, "MaxUnavailableReduced", "cluster",
      fmt::format("--max-unavailable {} is too many workers at once: {}; workers go "
                  "{} at a time",
                  asked_text, why->message, good),
      "");
  return best;
}

}  // namespace plan::internal
