// Running a node-shell pod's script on its node (CONTRACT.md "Running a node-shell pod").
//
// The pod must be privileged with hostPID and run
//   nsenter --target 1 --mount --uts --ipc --net --pid -- sh -c SCRIPT
// (short options and `--target=1` forms are accepted). SCRIPT then runs with the real /bin/sh in a
// bubblewrap sandbox whose "/" is the node's root folder (writable), with the host's /usr
// read-only, a private /proc and minimal /dev, the package universe read-only, the emulated tools
// first on PATH, all namespaces unshared and all capabilities dropped. Nothing else of the host is
// visible. Without privileges the outcome is what the real nsenter prints (exit 1).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sim::node {

struct NodeEnv {
  std::filesystem::path state_dir;  // kube-sim --state-dir
  std::string node;                 // the pod's spec.nodeName
  // Folder holding kube-sim-nodetool and its symlinks; empty = "kube-sim-node-tools" next to the
  // running executable (where the build puts it).
  std::filesystem::path tools_dir;
  std::filesystem::path bwrap = "/usr/bin/bwrap";
};

// Receives the merged stdout+stderr of the script as it comes (the pod's log).
using OutputSink = std::function<void(std::string_view chunk)>;

struct PodOutcome {
  int exit_code = 0;    // 137 when killed (cancel, deadline, fault)
  std::string reason;   // "Completed" or "Error", as containerStatuses[0].state.terminated.reason
  std::string message;  // log tail (2048 bytes / 80 lines) on failure with FallbackToLogsOnError
  bool deadline_exceeded =
      false;               // activeDeadlineSeconds passed: the pod's own reason is DeadlineExceeded
  bool cancelled = false;  // `cancel` was set (pod deleted)
};

// Blocks until the script ends, is cancelled (`cancel` set) or exceeds the pod's
// activeDeadlineSeconds (real seconds, not scaled). Call it from a thread of its own.
PodOutcome run_pod(const NodeEnv& env, const nlohmann::json& pod, const OutputSink& sink,
                   const std::atomic<bool>& cancel);

// True when the pod's first container runs nsenter (the kubelet should hand it to run_pod).
bool is_node_shell_pod(const nlohmann::json& pod);

}  // namespace sim::node
