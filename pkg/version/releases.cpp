#include "pkg/version/releases.h"

#include <fmt/format.h>

#include <algorithm>

namespace kver {
namespace {

ReleaseTable load_table() {
  ReleaseTable t;
  auto add = [&t](std::string text) {
    auto v = parse(text);
    if (v) t.versions.push_back(*v);  // the table is ours and tested: every entry parses
  };
#define KU_AS_OF(date) t.as_of = date;
#define KU_MINOR(minor, newest) \
  for (int p = 0; p <= (newest); ++p) add(fmt::format("v1.{}.{}", (minor), p));
#define KU_PRERELEASE(minor, pre) add(fmt::format("v1.{}.0-{}", (minor), (pre)));
#include "pkg/version/releases.inc"
#undef KU_AS_OF
#undef KU_MINOR
#undef KU_PRERELEASE
  std::sort(t.versions.begin(), t.versions.end());
  return t;
}

// From the Deprecated API Migration Guide (kubernetes/website
// content/en/docs/reference/using-api/deprecation-guide.md), "Removed APIs by release". The guide
// lists no removals after v1.32 as of the table's date.
const std::vector<RemovedApi>& removed_table() {
  static const std::vector<RemovedApi> table = {
      {{1, 25}, "batch", "v1beta1", {"cronjobs"}, "CronJob", "batch/v1"},
      {{1, 25},
       "discovery.k8s.io",
       "v1beta1",
       {"endpointslices"},
       "EndpointSlice",
       "discovery.k8s.io/v1"},
      {{1, 25}, "events.k8s.io", "v1beta1", {"events"}, "Event", "events.k8s.io/v1"},
      {{1, 25},
       "autoscaling",
       "v2beta1",
       {"horizontalpodautoscalers"},
       "HorizontalPodAutoscaler",
       "autoscaling/v2"},
      {{1, 25},
       "policy",
       "v1beta1",
       {"poddisruptionbudgets", "podsecuritypolicies"},
       "PodDisruptionBudget, PodSecurityPolicy",
       "policy/v1 (PodSecurityPolicy: none)"},
      {{1, 25}, "node.k8s.io", "v1beta1", {"runtimeclasses"}, "RuntimeClass", "node.k8s.io/v1"},
      {{1, 26},
       "flowcontrol.apiserver.k8s.io",
       "v1beta1",
       {"flowschemas", "prioritylevelconfigurations"},
       "FlowSchema, PriorityLevelConfiguration",
       "flowcontrol.apiserver.k8s.io/v1"},
      {{1, 26},
       "autoscaling",
       "v2beta2",
       {"horizontalpodautoscalers"},
       "HorizontalPodAutoscaler",
       "autoscaling/v2"},
      {{1, 27},
       "storage.k8s.io",
       "v1beta1",
       {"csistoragecapacities"},
       "CSIStorageCapacity",
       "storage.k8s.io/v1"},
      {{1, 29},
       "flowcontrol.apiserver.k8s.io",
       "v1beta2",
       {"flowschemas", "prioritylevelconfigurations"},
       "FlowSchema, PriorityLevelConfiguration",
       "flowcontrol.apiserver.k8s.io/v1"},
      {{1, 32},
       "flowcontrol.apiserver.k8s.io",
       "v1beta3",
       {"flowschemas", "prioritylevelconfigurations"},
       "FlowSchema, PriorityLevelConfiguration",
       "flowcontrol.apiserver.k8s.io/v1"},
  };
  return table;
}

}  // namespace

const ReleaseTable& builtin_releases() {
  static const ReleaseTable table = load_table();
  return table;
}

std::optional<Version> newest_patch(Minor minor, const std::vector<Version>& available,
                                    bool include_prerelease) {
  std::optional<Version> best;
  for (const auto& v : available) {
    if (v.minor_line() != minor || (v.is_prerelease() && !include_prerelease)) continue;
    if (!best || *best < v) best = v;
  }
  return best;
}

std::optional<Minor> newest_released_minor(const std::vector<Version>& available) {
  std::optional<Minor> best;
  for (const auto& v : available)
    if (!v.is_prerelease() && (!best || *best < v.minor_line())) best = v.minor_line();
  return best;
}

std::string SupportWindow::to_string() const {
  Minor m = oldest();
  return fmt::format("{}, {}, {}", m.to_string(), m.next().to_string(), newest.to_string());
}

SupportWindow support_window(Minor newest_known) {
  return SupportWindow{newest_known};
}

std::vector<std::string> target_candidates(const std::optional<Version>& current,
                                           const std::vector<Version>& available,
                                           bool include_prerelease) {
  std::vector<Minor> minors;
  for (const auto& v : available)
    if (std::find(minors.begin(), minors.end(), v.minor_line()) == minors.end())
      minors.push_back(v.minor_line());
  std::sort(minors.rbegin(), minors.rend());
  std::vector<std::string> out;
  for (Minor m : minors) {
    if (current && m <= current->minor_line()) break;
    if (auto v = newest_patch(m, available, include_prerelease)) out.push_back(v->to_string());
  }
  if (!current) return out;
  std::vector<Version> patches;
  for (const auto& v : available)
    if (v.minor_line() == current->minor_line() && *current < v &&
        (include_prerelease || !v.is_prerelease()))
      patches.push_back(v);
  std::sort(patches.rbegin(), patches.rend());
  for (const auto& v : patches) out.push_back(v.to_string());
  return out;
}

std::span<const RemovedApi> removed_apis() {
  return removed_table();
}

std::vector<RemovedApi> removed_between(Minor from, Minor to) {
  std::vector<RemovedApi> out;
  for (const auto& api : removed_table())
    if (from < api.removed_in && api.removed_in <= to) out.push_back(api);
  return out;
}

}  // namespace kver
