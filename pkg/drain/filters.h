// The pod filters of kubectl drain (kubectl pkg/drain/filters.go), as an ordered list of small
// functions that each return a verdict. A pod goes through them in order; the first verdict that
// is not "evict" decides; a pod that passes all of them is evicted. Warnings of earlier filters
// are kept (kubectl drops them). Our own node-shell pods are skipped before anything else.
//
// Pure: the only thing a filter may need from the cluster (does this DaemonSet still exist?) is
// a function in the context, so previews and tests need no client.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pkg/drain/options.h"
#include "pkg/drain/pod.h"
#include "pkg/kube/error.h"

namespace drain {

enum class Verdict {
  kEvict,   // evict (or delete) the pod
  kSkip,    // leave it on the node and do not wait for it
  kRefuse,  // the drain may not go on: kubectl's "cannot delete ..." errors
};

struct PodVerdict {
  Verdict verdict = Verdict::kEvict;
  // For kSkip/kRefuse, or a warning on kEvict: kubectl's sentence, e.g.
  // "cannot delete Pods that declare no controller (use --force to override)".
  std::string message;
  bool warning = false;  // message is a warning, not the reason for a skip/refusal
};

struct FilterContext {
  const Options& options;
  long long now_unix = 0;  // wall clock, seconds, for the skip-wait-for-delete age
  // Does DaemonSet ns/name exist? Error for anything but a clean yes/no.
  std::function<kube::Result<bool>(const std::string& ns, const std::string& name)>
      daemonset_exists;
};

using PodFilter = PodVerdict (*)(const json& pod, const FilterContext& ctx);

struct NamedFilter {
  const char* name;
  PodFilter filter;
};

// In kubectl's order, our own-pod filter first.
const std::vector<NamedFilter>& filters();

PodVerdict skip_own_pods(const json& pod, const FilterContext& ctx);
PodVerdict skip_deleted(const json& pod, const FilterContext& ctx);
PodVerdict daemonset_pods(const json& pod, const FilterContext& ctx);
PodVerdict mirror_pods(const json& pod, const FilterContext& ctx);
PodVerdict local_storage(const json& pod, const FilterContext& ctx);
PodVerdict unreplicated(const json& pod, const FilterContext& ctx);

struct PodDecision {
  PodRef pod;
  Verdict verdict = Verdict::kEvict;
  std::vector<std::string> warnings;
  std::string reason;  // why skipped or refused
};

// The decision for every pod of a node, before anything changes (dry-run renders this).
struct DrainPreview {
  std::vector<PodDecision> decisions;
  std::vector<PodRef> to_evict() const;
  // kubectl's grouped sentences: "<message>: ns/a, ns/b".
  std::vector<std::string> errors() const;
  std::vector<std::string> warnings() const;
  bool refused() const { return !errors().empty(); }
};

PodDecision decide(const json& pod, const FilterContext& ctx);
DrainPreview preview(const std::vector<json>& pods, const FilterContext& ctx);

}  // namespace drain
