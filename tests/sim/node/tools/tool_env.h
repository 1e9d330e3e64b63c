// What every emulated tool sees: the node root ("/" inside the sandbox), the node's spec and faults
// (read-only), the package universe and the request folder. Outside a sandbox (unit tests) the
// environment variables KUBE_SIM_NODE_ROOT, KUBE_SIM_NODE_JSON, KUBE_SIM_REPO and KUBE_SIM_REQUESTS
// point elsewhere.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/node/node_files.h"
#include "tests/sim/node/semver.h"
#include "tests/sim/node/spec.h"

namespace sim::node::tools {

struct ToolEnv {
  fs::path root = "/";
  fs::path node_json = "/run/kube-sim/node.json";
  fs::path repo = "/run/kube-sim/repo";
  fs::path requests = "/run/kube-sim/requests";
  NodeSpec spec;

  static ToolEnv from_environment();

  // Scenario seconds -> real time.
  std::chrono::milliseconds scaled(double seconds) const;
  // Installed version of a package as a semver ("kubeadm" -> 1.36.2), if installed.
  std::optional<Semver> installed(const std::string& package) const;
  // Ask the cluster side (CONTRACT.md Requests); the node name is added.
  std::expected<nlohmann::json, std::string> ask(nlohmann::json request) const;
  // Versions a package repo minor offers, without revision ("1.36.2"); empty when unknown.
  std::vector<std::string> offered(const std::string& minor) const;
};

using ToolMain = int (*)(ToolEnv& env, const std::vector<std::string>& args);

int apt_get_main(ToolEnv&, const std::vector<std::string>&);
int apt_main(ToolEnv&, const std::vector<std::string>&);
int apt_mark_main(ToolEnv&, const std::vector<std::string>&);
int apt_cache_main(ToolEnv&, const std::vector<std::string>&);
int dnf_main(ToolEnv&, const std::vector<std::string>&);
int yum_main(ToolEnv&, const std::vector<std::string>&);
int kubeadm_main(ToolEnv&, const std::vector<std::string>&);
int kubelet_main(ToolEnv&, const std::vector<std::string>&);
int kubectl_main(ToolEnv&, const std::vector<std::string>&);
int systemctl_main(ToolEnv&, const std::vector<std::string>&);

// Shared by the package tools.
bool fnmatch_version(const std::string& pattern, const std::string& version);
std::string today_rfc3339();

}  // namespace sim::node::tools
