// The cluster-wide upgrade lock: a coordination.k8s.io/v1 Lease kube-system/kubectl-upgrade, held
// while anything changes and renewed in a background thread. A second upgrader is refused with the
// holder's identity and since when. A holder that stopped renewing for leaseDurationSeconds (120 s:
// longer than the API server's restart during `kubeadm upgrade apply`, when renewals cannot get
// through) has expired and may be taken over.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/drain/clock.h"
#include "pkg/kube/client.h"

namespace upgrade {

inline constexpr const char* kLockNamespace = "kube-system";
inline constexpr const char* kLockName = "kubectl-upgrade";
inline constexpr const char* kLockCommandKey = "upgrade.kubectl-upgrade.dev/command";
// Written at release, so `status` can tell how the last run ended after the lock is free.
inline constexpr const char* kLockOutcomeKey = "upgrade.kubectl-upgrade.dev/outcome";
inline constexpr const char* kLockLastHolderKey = "upgrade.kubectl-upgrade.dev/last-holder";

struct LockOptions {
  std::string ns = kLockNamespace;
  std::string name = kLockName;
  std::string identity;                // "" = default_identity()
  std::chrono::seconds duration{120};  // leaseDurationSeconds
  std::chrono::milliseconds renew_every{20000};
};

// "alice@laptop pid 4242"
std::string default_identity();

// `holder` names a process of the same host as `ours` that no longer runs (killed, crashed): it
// cannot renew, and waiting out its lease would only delay the re-run that resumes its work.
bool holder_process_gone(const std::string& holder, const std::string& ours = default_identity());

struct LockHolder {
  std::string identity;
  std::string acquired;  // acquireTime
  std::string renewed;   // renewTime
  std::string command;   // what it is doing (annotation)
  bool expired = false;
  bool process_gone = false;  // a process of this host that no longer runs (a killed run)
};

// The run that held the lock last and released it: what it ran and how it ended.
struct LastRun {
  std::string identity;
  std::string command;
  std::string outcome;  // "finished", "stopped at node w2, step 5-drain: ..."
  std::string ended;    // renewTime at release
};

class ClusterLock {
 public:
  ClusterLock(kube::Client& client, ku::Clock& clock, LockOptions options = {});
  ~ClusterLock();  // stops renewing; does not release (call release())

  // Takes the lease, or refuses (Error kind kApi 409-like, with the holder in the message).
  kube::Result<void> acquire(const std::string& command);
  kube::Result<void> renew();
  // Frees the lease; `outcome` (how the run ended) stays on it for `status`.
  kube::Result<void> release(const std::string& outcome = "");
  void start_renewing();  // background thread, every renew_every (real time)
  void stop_renewing();
  bool lost() const { return lost_; }  // someone else holds it now
  const std::string& identity() const { return options_.identity; }

 private:
  kube::json lease_body(const std::string& command, const std::string& acquire_time,
                        int transitions) const;
  kube::Client& client_;
  ku::Clock& clock_;
  LockOptions options_;
  std::atomic<bool> lost_{false};
  std::atomic<bool> held_{false};
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::jthread renewer_;
};

// Reads the lease: nullopt when there is none or nobody holds it.
kube::Result<std::optional<LockHolder>> read_lock(kube::Client& client, ku::Clock& clock,
                                                  const LockOptions& options = {});

// The lease as `status` shows it: who holds it, else how the last run ended.
struct LockState {
  std::optional<LockHolder> holder;
  std::optional<LastRun> last_run;  // only when nobody holds it
};
kube::Result<LockState> read_lock_state(kube::Client& client, ku::Clock& clock,
                                        const LockOptions& options = {});

}  // namespace upgrade
