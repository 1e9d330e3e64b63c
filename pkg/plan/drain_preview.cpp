// kubectl drain's pod filters (kubectl pkg/drain/filters.go), in kubectl's order. A pod goes
// through the filters until one says "do not delete"; a pod every filter lets through is evicted
// (or deleted, for finished pods and with --disable-eviction). Our own node-shell pods are left
// alone first (DESIGN.md: drain first, then run shell pods; skip ours in a drain).
#include <fmt/format.h>

#include "pkg/plan/internal.h"

namespace plan::internal {

PodVerdict judge_pod(const cluster::PodSummary& pod, const DrainFlags& flags) {
  PodVerdict v{pod.key(), PodAction::kEvict, "", "", ""};
  auto finished_or = [&](PodAction a, std::string reason) {
    v.action = pod.finished() ? PodAction::kDelete : a;
    v.reason = pod.finished() ? "finished (" + pod.phase + ")" : std::move(reason);
  };
  if (pod.ours) return {pod.key(), PodAction::kSkipOwn, "kubectl-upgrade's own pod", "", ""};
  // 1. terminating pods
  if (pod.terminating && flags.skip_wait_for_delete_timeout > 0)
    return {pod.key(), PodAction::kSkipTerminating,
            fmt::format("terminating: skipped once it has been deleting for {}s",
                        flags.skip_wait_for_delete_timeout),
            "", ""};
  // 2. DaemonSet pods
  if (pod.owner_kind == "DaemonSet") {
    if (pod.finished()) return {pod.key(), PodAction::kDelete, "finished DaemonSet pod", "", ""};
    if (pod.owner_missing)
      return flags.force
                 ? PodVerdict{pod.key(), PodAction::kDelete,
                              "its DaemonSet " + pod.owner_name + " is gone (--force)", "", ""}
                 : PodVerdict{pod.key(), PodAction::kBlock,
                              "its DaemonSet " + pod.owner_name + " is gone", "--force", ""};
    if (flags.ignore_daemonsets)
      return {pod.key(), PodAction::kIgnoreDaemonSet, "DaemonSet-managed", "", ""};
    return {pod.key(), PodAction::kBlock, "DaemonSet-managed", "--ignore-daemonsets", ""};
  }
  // 3. mirror pods
  if (pod.mirror) return {pod.key(), PodAction::kSkipMirror, "mirror pod (static)", "", ""};
  // 4. emptyDir
  if (pod.emptydir && !pod.finished() && !flags.delete_emptydir_data)
    return {pod.key(), PodAction::kBlock, "uses emptyDir (local storage)", "--delete-emptydir-data",
            ""};
  // 5. pods without a controller
  if (pod.owner_kind.empty() && !pod.finished()) {
    if (!flags.force)
      return {pod.key(), PodAction::kBlock, "bare pod, no controller", "--force", ""};
    finished_or(PodAction::kDelete, "bare pod, deleted for good (--force)");
  } else if (pod.finished()) {
    finished_or(PodAction::kDelete, "");
  } else {
    v.reason = pod.emptydir ? "emptyDir data is lost (--delete-emptydir-data)"
                            : "managed by " + pod.owner_kind;
  }
  if (flags.disable_eviction && v.action == PodAction::kEvict) {
    v.action = PodAction::kDelete;
    v.reason += " (deleted: --disable-eviction bypasses PDBs)";
  }
  if (pod.terminating) v.reason += ", already terminating";
  return v;
}

}  // namespace plan::internal
