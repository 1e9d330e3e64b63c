// What a drain may do, with kubectl drain's semantics (kubernetes-facts.md section 5).
// Defaults are the ones `kubectl upgrade` uses; comments give units and sentinel values.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace drain {

enum class OnTimeout {
  kRestore,       // uncordon again, but only if this drain cordoned the node
  kKeepCordoned,  // leave the node cordoned (the record says who cordoned it)
};

// The label that marks our own node-shell pods: a drain never evicts them.
inline constexpr const char* kManagedByLabel = "app.kubernetes.io/managed-by";
inline constexpr const char* kManagedByValue = "kubectl-upgrade";

struct Options {
  // DaemonSet pods stay (they would come back at once); kubeadm's docs drain with this flag.
  bool ignore_daemonsets = true;
  bool delete_emptydir_data = false;  // evict pods with emptyDir volumes (their data is lost)
  bool force = false;                 // also delete pods that declare no controller
  int grace_period_seconds = -1;      // negative = each pod's own terminationGracePeriodSeconds
  // Whole drain, evictions and waiting included; 0 = no limit. 15 minutes by default: enough for a
  // few PDB-gated replacements (image pull + readiness) in a row, short enough that a PDB that
  // never allows is reported the same morning instead of blocking forever as `kubectl drain` does.
  std::chrono::seconds timeout{15 * 60};
  bool disable_eviction = false;  // DELETE instead of the eviction API: bypasses PDBs
  std::string pod_selector;       // label selector; only matching pods are drained
  // Pods terminating for longer than this are skipped and not waited for; 0 = never skip.
  std::chrono::seconds skip_wait_for_delete_timeout{0};
  OnTimeout on_timeout = OnTimeout::kRestore;

  // Pacing: kubectl retries a refused eviction every 5 s and polls deletion every 1 s.
  std::chrono::milliseconds eviction_retry_interval{5000};
  std::chrono::milliseconds delete_poll_interval{1000};
  int parallelism = 16;  // concurrent evictions (threads); kubectl uses one goroutine per pod

  // Written in the same PATCH as the cordon (uncordon removes them), so the record that we
  // cordoned the node can never disagree with the node.
  std::map<std::string, std::string> cordon_annotations;
};

}  // namespace drain
