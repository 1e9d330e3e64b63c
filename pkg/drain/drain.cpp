#include "pkg/drain/drain.h"

#include <mutex>

#include "pkg/drain/cordon.h"
#include "pkg/drain/evict.h"
#include "pkg/kube/paths.h"

namespace drain {
namespace {

Progress to_progress(const std::string& node, const EvictionRun& run) {
  Progress p{node, run.gone(), static_cast<int>(run.pods.size()), {}};
  for (const auto& pod : run.pods)
    if (pod.outcome != PodOutcome::kGone) p.pending.push_back({pod.ref, pod.why});
  return p;
}

std::vector<std::string> keys_of(const std::map<std::string, std::string>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

}  // namespace

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kDrained:
      return "drained";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kTimedOut:
      return "timed out";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kCancelled:
      return "cancelled";
  }
  return "?";
}

Drainer::Drainer(kube::Client& client, ku::Clock& clock, Options options, Observer* observer)
    : client_(client),
      clock_(clock),
      options_(std::move(options)),
      observer_(observer ? observer : &null_observer_) {}

kube::Result<std::vector<json>> Drainer::list_pods(const std::string& node) {
  std::vector<json> pods;
  kube::ListOptions lo{.label_selector = options_.pod_selector,
                       .field_selector = "spec.nodeName=" + node};
  auto listed = client_.list(kube::paths::all_pods(), lo, [&](const json& pod) {
    pods.push_back(pod);
    return true;
  });
  if (!listed) return std::unexpected(listed.error().wrap("listing pods on node " + node));
  return pods;
}

FilterContext Drainer::filter_context() {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch());
  return FilterContext{
      options_, now.count(),
      [this](const std::string& ns, const std::string& name) -> kube::Result<bool> {
        auto got = client_.get(kube::paths::daemon_set(ns, name));
        if (got) return true;
        if (got.error().not_found()) return false;
        return std::unexpected(got.error());
      }};
}

kube::Result<DrainPreview> Drainer::preview(const std::string& node) {
  auto pods = list_pods(node);
  if (!pods) return std::unexpected(pods.error());
  return drain::preview(*pods, filter_context());
}

void Drainer::finish_failed(DrainReport& report) {
  if (!report.cordoned_by_us || options_.on_timeout == OnTimeout::kKeepCordoned) return;
  auto undone = uncordon(client_, report.node, keys_of(options_.cordon_annotations));
  if (undone) {
    report.restored = true;
    observer_->on_uncordon(report.node);
  } else {
    report.errors.push_back("could not put node " + report.node +
                            " back: " + undone.error().message + " (run: kubectl uncordon " +
                            report.node + ")");
  }
}

kube::Result<DrainReport> Drainer::drain(const DrainRequest& request, std::stop_token stop) {
  DrainReport report{.node = request.node, .cordoned_by_us = request.cordoned_by_us};
  std::optional<ku::Steady::time_point> deadline;
  if (options_.timeout.count() > 0) deadline = clock_.now() + options_.timeout;

  // Decide first: a refusal must not leave a cordoned node behind.
  auto first = preview(request.node);
  if (!first) return std::unexpected(first.error());
  if (first->refused()) {
    report.outcome = Outcome::kRefused;
    report.errors = first->errors();
    report.warnings = first->warnings();
    observer_->on_preview(request.node, *first);
    finish_failed(report);
    return report;
  }

  auto cordoned = cordon(client_, request.node, options_.cordon_annotations);
  if (!cordoned) return std::unexpected(cordoned.error());
  report.cordoned_by_us = report.cordoned_by_us || cordoned->changed;
  observer_->on_cordon(request.node, cordoned->changed);

  // Pods scheduled between the first look and the cordon are caught here.
  auto pods = list_pods(request.node);
  if (!pods) return std::unexpected(pods.error());
  DrainPreview decided = drain::preview(*pods, filter_context());
  observer_->on_preview(request.node, decided);
  report.warnings = decided.warnings();
  if (decided.refused()) {
    report.outcome = Outcome::kRefused;
    report.errors = decided.errors();
    finish_failed(report);
    return report;
  }

  std::vector<json> to_evict;
  for (size_t i = 0; i < pods->size(); ++i)
    if (decided.decisions[i].verdict == Verdict::kEvict) to_evict.push_back((*pods)[i]);

  std::mutex observer_mu;
  EvictionRun run = evict_all(client_, clock_, options_, std::move(to_evict), deadline, stop,
                              [&](const EvictionRun& r) {
                                std::lock_guard lock(observer_mu);
                                observer_->on_progress(to_progress(request.node, r));
                              });
  report.total = static_cast<int>(run.pods.size());
  report.evicted = run.gone();

  bool failed = false, timed_out = false, cancelled = false;
  for (const auto& p : run.pods) {
    if (p.outcome == PodOutcome::kGone) continue;
    failed |= p.outcome == PodOutcome::kFailed;
    timed_out |= p.outcome == PodOutcome::kTimedOut;
    cancelled |= p.outcome == PodOutcome::kCancelled;
    Blocker b{p.ref, p.why, {}, {}};
    if (p.outcome == PodOutcome::kFailed) report.errors.push_back(p.why);
    if (p.pdb || (p.last && (p.last->code == 429 || p.last->code == 500))) {
      if (auto pdbs = pdbs_for(client_, p.pod)) b.pdbs = *pdbs;
      for (const auto& pdb : b.pdbs)
        b.unblock += (b.unblock.empty() ? "" : "; ") + unblock_hint(pdb);
    } else if (p.evicted) {
      b.unblock =
          "the pod is terminating; it goes once its grace period ends (or its finalizers "
          "are removed)";
    }
    report.blockers.push_back(std::move(b));
  }
  if (cancelled) {
    report.outcome = Outcome::kCancelled;  // the node stays cordoned; the record says so
    return report;
  }
  if (failed || timed_out) {
    report.outcome = failed ? Outcome::kFailed : Outcome::kTimedOut;
    finish_failed(report);
  }
  return report;
}

}  // namespace drain
