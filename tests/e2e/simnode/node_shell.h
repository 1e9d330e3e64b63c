// A node shell for e2e stories: a privileged hostPID pod pinned to a node that runs
// `nsenter --target 1 --mount --uts --ipc --net --pid -- sh -c SCRIPT`, created with the real
// `kubectl apply -f`, read back from containerStatuses[0].state.terminated and `kubectl logs`.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/harness/sim_cluster.h"

namespace e2e::simnode {

struct ShellResult {
  int exit_code = -1;   // containerStatuses[0].state.terminated.exitCode; -1 = never terminated
  std::string reason;   // terminated.reason
  std::string message;  // terminated.message (log tail on failure)
  std::string log;      // kubectl logs
  std::string error;    // what went wrong driving kubectl, for assertion messages
  std::string describe() const;
};

struct ShellOptions {
  bool privileged = true;
  bool host_pid = true;
  std::chrono::seconds timeout{90};
};

// Runs SCRIPT on NODE and deletes the pod afterwards. Rides out API outages (kubeadm apply).
ShellResult node_shell(const SimCluster& c, const std::string& node, const std::string& script,
                       ShellOptions options = {});

// The pod manifest node_shell applies (YAML), for tests that look at it.
std::string shell_pod_yaml(const std::string& name, const std::string& node,
                           const std::string& script, const ShellOptions& options);

// kubectl with retries while the API server restarts (connection refused / 5xx).
RunResult kubectl_retrying(const SimCluster& c, const std::vector<std::string>& args,
                           std::chrono::seconds timeout = std::chrono::seconds(30));

// Node facts through `kubectl get node -o json`.
std::string kubelet_version(const SimCluster& c, const std::string& node);
bool node_ready(const SimCluster& c, const std::string& node);
// The image of kube-system/<component>-<node> (a mirror pod), "" when absent.
std::string mirror_pod_image(const SimCluster& c, const std::string& component,
                             const std::string& node);

}  // namespace e2e::simnode
