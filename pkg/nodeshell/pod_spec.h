// The node-shell pod (DESIGN.md section 3, kubernetes-facts.md section 6): pinned by nodeName, host
// PID/network/IPC, privileged, `nsenter --target 1 --mount --uts --ipc --net --pid -- sh -c
// SCRIPT`, restartPolicy Never, FallbackToLogsOnError, tolerating every taint,
// activeDeadlineSeconds, labelled as ours (drain never evicts it) with a per-run id to find it
// again after an outage.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace nodeshell {

using json = nlohmann::json;

inline constexpr const char* kComponentLabel = "app.kubernetes.io/component";
inline constexpr const char* kComponentValue = "node-shell";
inline constexpr const char* kRunLabel = "upgrade.kubectl-upgrade.dev/run";
inline constexpr const char* kPurposeLabel = "upgrade.kubectl-upgrade.dev/purpose";
inline constexpr const char* kContainerName = "shell";

struct ShellOptions {
  std::string ns = "kube-system";  // kubeadm leaves it privileged under Pod Security admission
  // Small, pinned, and its busybox has nsenter (as kvaps/node-shell uses alpine).
  std::string image = "docker.io/library/alpine:3.20";
  // Default activeDeadlineSeconds of a script: `kubeadm upgrade apply` alone may wait 5 minutes
  // per control-plane component (and roll back); 20 minutes covers it with room for image pulls.
  std::chrono::seconds script_timeout{20 * 60};
  // Extra time we wait beyond the deadline for the pod to be scheduled, pulled and reported.
  std::chrono::seconds start_slack{120};
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds max_backoff{10000};  // API outage: 0.5 s doubling up to this
};

// `purpose` is a short label value ("gather-facts"); `run_id` labels this one pod.
json shell_pod(const std::string& node, const std::string& script, const std::string& purpose,
               const std::string& run_id, const std::string& ns, const std::string& image,
               std::chrono::seconds active_deadline);

}  // namespace nodeshell
