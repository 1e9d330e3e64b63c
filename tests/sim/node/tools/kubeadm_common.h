// Pieces shared by the emulated `kubeadm` subcommands (kubeadm.cpp, kubeadm_apply.cpp).
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "tests/sim/node/tools/tool_env.h"

namespace sim::node::tools::kubeadm {

inline constexpr const char* kStackTraceHint =
    "To see the stack trace of this error execute with --v=5 or higher\n";

struct Cluster {
  Semver version;                                  // kubeadm-config kubernetesVersion
  std::map<std::string, std::string> api_servers;  // node -> version
  std::map<std::string, std::string> kubelets;     // node -> version
  std::map<std::string, std::map<std::string, std::string>>
      components;  // component -> node -> version
  std::string kube_proxy, coredns;
  std::vector<std::string> not_ready_control_planes;
};

struct Flags {
  std::vector<std::string> positional;
  bool yes = false, force = false, dry_run = false;
  std::string output;                                // -o
  std::vector<std::string> ignore_preflight_errors;  // --ignore-preflight-errors=a,b
};
// kubeadm's health preflight (ControlPlaneNodesReady); the exit code when it fails.
std::optional<int> check_control_planes_ready(const ToolEnv& env, const Cluster& cluster,
                                              const Flags& flags);
Flags parse_flags(const std::vector<std::string>& args);

// Prints the error the way kubeadm does and returns its exit code (1; preflight errors were 2
// before 1.34).
int fail(const std::string& message, int code = 1);
int preflight_exit_code(const ToolEnv& env);

std::expected<Semver, std::string> kubeadm_version(const ToolEnv& env);
// Needs /etc/kubernetes/admin.conf (plan, apply) or kubelet.conf (node), like the real client.
std::expected<Cluster, std::string> read_cluster(const ToolEnv& env, const std::string& kubeconfig);
bool is_control_plane(const ToolEnv& env);

// Rewrites this node's static pod manifests for `version`, with backups, printing kubeadm's log.
// `crash_after_apiserver`: the node fault that kills kubeadm half way.
std::expected<void, std::string> upgrade_static_pods(const ToolEnv& env, const Semver& version,
                                                     bool crash_after_apiserver);
std::expected<void, std::string> write_kubelet_config(const ToolEnv& env);

int plan(ToolEnv& env, const Flags& flags);
int apply(ToolEnv& env, const Flags& flags);
int node(ToolEnv& env, const Flags& flags);

}  // namespace sim::node::tools::kubeadm
