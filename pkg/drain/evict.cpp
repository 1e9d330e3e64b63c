#include "pkg/drain/evict.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "pkg/drain/pdb.h"
#include "pkg/kube/paths.h"

namespace drain {
namespace {

bool has_cause(const kube::Status& s, const std::string& reason) {
  return std::ranges::any_of(s.causes, [&](const auto& c) { return c.reason == reason; });
}

// Retryable without judgement: the API server is restarting or overloaded (not eviction's 500).
bool transient(const kube::Error& e) {
  if (e.kind == kube::ErrorKind::kTransport) return true;
  int c = e.code();
  return c == 502 || c == 503 || c == 504;
}

class Evictor {
 public:
  Evictor(kube::Client& client, ku::Clock& clock, const Options& options,
          std::optional<ku::Steady::time_point> deadline, std::stop_token stop,
          const EvictionProgress& progress)
      : client_(client),
        clock_(clock),
        options_(options),
        deadline_(deadline),
        stop_(stop),
        progress_(progress) {}

  EvictionRun run(std::vector<json> pods) {
    for (auto& p : pods) run_.pods.push_back(PodEviction{p, pod_ref(p)});
    size_t n = run_.pods.size();
    size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(1, options_.parallelism)));
    {
      std::vector<std::jthread> workers;
      for (size_t t = 0; t < threads; ++t)
        workers.emplace_back([this, n] {
          for (size_t i = next_++; i < n; i = next_++) evict_and_wait(i);
        });
    }
    return run_;
  }

 private:
  bool expired() const { return deadline_ && clock_.now() >= *deadline_; }

  void set(size_t i, PodOutcome outcome, std::string why) {
    std::lock_guard lock(mu_);
    run_.pods[i].outcome = outcome;
    run_.pods[i].why = std::move(why);
    if (progress_) progress_(run_);
  }

  // false when the pod's fate is settled (gone, failed, stopped) and there is nothing to wait for.
  bool stopped_or_expired(size_t i) {
    if (stop_.stop_requested()) return set(i, PodOutcome::kCancelled, "stopped"), true;
    if (!expired()) return false;
    std::lock_guard lock(mu_);
    run_.pods[i].outcome = PodOutcome::kTimedOut;
    if (progress_) progress_(run_);
    return true;
  }

  kube::Result<kube::json> request(const PodEviction& p) {
    kube::json opts = kube::json::object();
    if (options_.grace_period_seconds >= 0)
      opts["gracePeriodSeconds"] = options_.grace_period_seconds;
    if (options_.disable_eviction) {
      opts["apiVersion"] = "v1";
      opts["kind"] = "DeleteOptions";
      return client_.remove(kube::paths::pod(p.ref.ns, p.ref.name), opts);
    }
    kube::json body = {{"apiVersion", "policy/v1"},
                       {"kind", "Eviction"},
                       {"metadata", {{"name", p.ref.name}, {"namespace", p.ref.ns}}}};
    if (!opts.empty()) body["deleteOptions"] = opts;
    return client_.create(kube::paths::eviction(p.ref.ns, p.ref.name), body);
  }

  // Returns true when the pod is gone already (404), false to go on waiting; sets the outcome
  // itself when the eviction fails for good.
  enum class Evicted { kAccepted, kGone, kSettled };
  Evicted evict(size_t i) {
    const PodEviction& p = run_.pods[i];
    const std::string what = "pods/\"" + p.ref.name + "\" -n \"" + p.ref.ns + "\"";
    set(i, PodOutcome::kPending, options_.disable_eviction ? "deleting" : "evicting");
    for (;;) {
      if (stopped_or_expired(i)) return Evicted::kSettled;
      auto r = request(p);
      if (r) return Evicted::kAccepted;
      const kube::Error& e = r.error();
      const kube::Status& s = e.status;
      if (e.not_found()) return Evicted::kGone;
      if (e.is_api(429)) {
        auto pdb = pdb_name_from_status(s);
        std::string why = "eviction refused (429 TooManyRequests)";
        if (pdb) why = "eviction refused by PodDisruptionBudget " + p.ref.ns + "/" + *pdb;
        if (!s.causes.empty() && !s.causes[0].message.empty()) why += ": " + s.causes[0].message;
        {
          std::lock_guard lock(mu_);
          run_.pods[i].pdb = pdb;
          run_.pods[i].last = s;
        }
        set(i, PodOutcome::kPending, why + " (retrying every " + interval() + ")");
      } else if (e.is_api(403) && has_cause(s, "NamespaceTerminating")) {
        if (deletion_timestamp(p.pod)) return Evicted::kAccepted;  // it goes with the namespace
        set(i, PodOutcome::kPending,
            "namespace " + p.ref.ns + " is terminating (retrying every " + interval() + ")");
      } else if (transient(e)) {
        set(i, PodOutcome::kPending, "API unavailable (" + e.message + "), retrying");
      } else {
        fail(i, e, what);
        return Evicted::kSettled;
      }
      clock_.sleep_for(options_.eviction_retry_interval, stop_);
    }
  }

  void fail(size_t i, const kube::Error& e, const std::string& what) {
    std::string why = "error when evicting " + what + ": " + e.message;
    if (e.is_api(500) && !options_.disable_eviction)
      why +=
          " (the pod is covered by more than one PodDisruptionBudget; the eviction API refuses "
          "such pods: make the PDBs' selectors disjoint, or use --disable-eviction)";
    else if (e.is_api(403))
      why += " (you need RBAC permission to create pods/eviction in namespace " +
             run_.pods[i].ref.ns + ")";
    std::lock_guard lock(mu_);
    run_.pods[i].last = e.status;
    run_.pods[i].outcome = PodOutcome::kFailed;
    run_.pods[i].why = why;
    if (progress_) progress_(run_);
  }

  void wait_gone(size_t i) {
    const PodEviction& p = run_.pods[i];
    set(i, PodOutcome::kPending, "evicted, waiting until it is gone");
    for (;;) {
      auto got = client_.get(kube::paths::pod(p.ref.ns, p.ref.name));
      if (!got && got.error().not_found()) return set(i, PodOutcome::kGone, "gone");
      if (got && got->value("/metadata/uid"_json_pointer, std::string()) != p.ref.uid)
        return set(i, PodOutcome::kGone, "gone (replaced by a new pod of the same name)");
      if (got && skip_wait(*got))
        return set(i, PodOutcome::kGone, "still terminating, not waited for");
      if (stopped_or_expired(i)) return;
      clock_.sleep_for(options_.delete_poll_interval, stop_);
    }
  }

  bool skip_wait(const json& pod) const {
    auto limit = options_.skip_wait_for_delete_timeout.count();
    auto at = deletion_timestamp(pod);
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count();
    return limit > 0 && at && now - *at > limit;
  }

  void evict_and_wait(size_t i) {
    switch (evict(i)) {
      case Evicted::kGone:
        return set(i, PodOutcome::kGone, "gone");
      case Evicted::kSettled:
        return;
      case Evicted::kAccepted: {
        std::lock_guard lock(mu_);
        run_.pods[i].evicted = true;
      }
        return wait_gone(i);
    }
  }

  std::string interval() const {
    return std::to_string(options_.eviction_retry_interval.count() / 1000) + "s";
  }

  kube::Client& client_;
  ku::Clock& clock_;
  const Options& options_;
  std::optional<ku::Steady::time_point> deadline_;
  std::stop_token stop_;
  const EvictionProgress& progress_;
  std::mutex mu_;
  std::atomic<size_t> next_{0};
  EvictionRun run_;
};

}  // namespace

int EvictionRun::gone() const {
  return static_cast<int>(
      std::ranges::count_if(pods, [](const auto& p) { return p.outcome == PodOutcome::kGone; }));
}

EvictionRun evict_all(kube::Client& client, ku::Clock& clock, const Options& options,
                      std::vector<json> pods, std::optional<ku::Steady::time_point> deadline,
                      std::stop_token stop, const EvictionProgress& progress) {
  return Evictor(client, clock, options, deadline, stop, progress).run(std::move(pods));
}

}  // namespace drain
