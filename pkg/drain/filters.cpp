#include "pkg/drain/filters.h"

#include <map>

namespace drain {
namespace {

// kubectl's sentences, verbatim, so people who know `kubectl drain` recognise them.
constexpr const char* kDaemonSetFatal =
    "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
constexpr const char* kDaemonSetWarning = "ignoring DaemonSet-managed Pods";
constexpr const char* kLocalStorageFatal =
    "cannot delete Pods with local storage (use --delete-emptydir-data to override)";
constexpr const char* kLocalStorageWarning = "deleting Pods with local storage";
constexpr const char* kUnmanagedFatal =
    "cannot delete Pods that declare no controller (use --force to override)";
constexpr const char* kUnmanagedWarning = "deleting Pods that declare no controller";

PodVerdict evict() {
  return {};
}
PodVerdict evict_warning(std::string m) {
  return {Verdict::kEvict, std::move(m), true};
}
PodVerdict skip(std::string m = {}) {
  return {Verdict::kSkip, std::move(m), false};
}
PodVerdict skip_warning(std::string m) {
  return {Verdict::kSkip, std::move(m), true};
}
PodVerdict refuse(std::string m) {
  return {Verdict::kRefuse, std::move(m), false};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

PodVerdict skip_own_pods(const json& pod, const FilterContext&) {
  return is_ours(pod) ? skip() : evict();
}

PodVerdict skip_deleted(const json& pod, const FilterContext& ctx) {
  auto limit = ctx.options.skip_wait_for_delete_timeout.count();
  auto deleted_at = deletion_timestamp(pod);
  if (limit > 0 && deleted_at && ctx.now_unix - *deleted_at > limit) return skip();
  return evict();
}

PodVerdict daemonset_pods(const json& pod, const FilterContext& ctx) {
  auto owner = controller_of(pod);
  if (!owner || owner->kind != "DaemonSet") return evict();
  if (is_finished(pod)) return evict();
  auto ref = pod_ref(pod);
  auto exists =
      ctx.daemonset_exists ? ctx.daemonset_exists(ref.ns, owner->name) : kube::Result<bool>(true);
  if (!exists) return refuse(exists.error().message);
  if (!*exists) {
    std::string gone = "daemonsets.apps \"" + owner->name + "\" not found";
    return ctx.options.force ? evict_warning(gone) : refuse(gone);
  }
  if (!ctx.options.ignore_daemonsets) return refuse(kDaemonSetFatal);
  return skip_warning(kDaemonSetWarning);
}

PodVerdict mirror_pods(const json& pod, const FilterContext&) {
  return is_mirror(pod) ? skip() : evict();
}

PodVerdict local_storage(const json& pod, const FilterContext& ctx) {
  if (!has_emptydir(pod) || is_finished(pod)) return evict();
  if (!ctx.options.delete_emptydir_data) return refuse(kLocalStorageFatal);
  return evict_warning(kLocalStorageWarning);
}

PodVerdict unreplicated(const json& pod, const FilterContext& ctx) {
  if (is_finished(pod) || controller_of(pod)) return evict();
  if (ctx.options.force) return evict_warning(kUnmanagedWarning);
  return refuse(kUnmanagedFatal);
}

const std::vector<NamedFilter>& filters() {
  static const std::vector<NamedFilter> list = {
      {"own node-shell pods", skip_own_pods}, {"terminating", skip_deleted},
      {"DaemonSet", daemonset_pods},          {"mirror", mirror_pods},
      {"local storage", local_storage},       {"unreplicated", unreplicated},
  };
  return list;
}

PodDecision decide(const json& pod, const FilterContext& ctx) {
  PodDecision d{pod_ref(pod), Verdict::kEvict, {}, {}};
  for (const auto& f : filters()) {
    PodVerdict v = f.filter(pod, ctx);
    if (v.warning) d.warnings.push_back(v.message);
    if (v.verdict == Verdict::kEvict) continue;
    d.verdict = v.verdict;
    if (!v.warning) d.reason = v.message;
    break;
  }
  return d;
}

DrainPreview preview(const std::vector<json>& pods, const FilterContext& ctx) {
  DrainPreview p;
  for (const json& pod : pods) p.decisions.push_back(decide(pod, ctx));
  return p;
}

std::vector<PodRef> DrainPreview::to_evict() const {
  std::vector<PodRef> out;
  for (const auto& d : decisions)
    if (d.verdict == Verdict::kEvict) out.push_back(d.pod);
  return out;
}

std::vector<std::string> DrainPreview::errors() const {
  std::map<std::string, std::vector<std::string>> grouped;
  for (const auto& d : decisions)
    if (d.verdict == Verdict::kRefuse) grouped[d.reason].push_back(d.pod.key());
  std::vector<std::string> out;
  for (const auto& [msg, pods] : grouped) out.push_back(msg + ": " + join(pods));
  return out;
}

std::vector<std::string> DrainPreview::warnings() const {
  std::map<std::string, std::vector<std::string>> grouped;
  for (const auto& d : decisions)
    if (d.verdict != Verdict::kRefuse)
      for (const auto& w : d.warnings) grouped[w].push_back(d.pod.key());
  std::vector<std::string> out;
  for (const auto& [msg, pods] : grouped) out.push_back(msg + ": " + join(pods));
  return out;
}

}  // namespace drain
