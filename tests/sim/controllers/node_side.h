// The seam to the node side (tests/sim/node, CONTRACT.md): laying out node roots, running
// node-shell pods, answering the nodes' request files. make_node_side() returns the real one when
// kube-sim is built with ku_simnode, else a stand-in that writes only what the cluster side reads
// (manifests, kubelet.json) and fails node-shell pods honestly.
#pragma once

#include <atomic>
#include <chrono>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tests/sim/scenario/scenario.h"

namespace sim {

// What the node side may ask of the cluster (implemented by the controllers on the store).
class ClusterOps {
 public:
  virtual ~ClusterOps() = default;
  struct Versions {
    std::string kubernetes_version;
    std::map<std::string, std::string> api_server_versions;  // CP node -> kube-apiserver tag
    std::map<std::string, std::string> kubelet_versions;     // node -> kubeletVersion
    std::string kube_proxy_version;
    std::string coredns_version;
    std::map<std::string, std::map<std::string, std::string>> component_versions;
  };
  virtual std::expected<Versions, std::string> read_cluster() = 0;
  virtual void api_outage(std::chrono::milliseconds duration) = 0;
  virtual std::expected<void, std::string> set_kubeadm_config_version(
      const std::string& version) = 0;
  virtual std::expected<void, std::string> set_kubelet_config(const std::string& version,
                                                              const std::string& yaml) = 0;
  virtual std::expected<void, std::string> set_addon_images(const std::string& kube_proxy_image,
                                                            const std::string& coredns_image) = 0;
};

struct ShellOutcome {
  int exit_code = 0;
  std::string reason;   // Completed | Error | DeadlineExceeded
  std::string message;  // terminated.message (log tail on failure)
  bool cancelled = false;
};

class NodeSide {
 public:
  virtual ~NodeSide() = default;
  // Lays out DIR/repo and DIR/nodes/<n>/root for every node of the scenario.
  virtual std::expected<void, std::string> lay_out(const Scenario& scenario) = 0;
  virtual bool is_node_shell_pod(const nlohmann::json& pod) const = 0;
  // Blocks; call from a thread of its own.
  virtual ShellOutcome run_pod(const std::string& node, const nlohmann::json& pod,
                               const std::function<void(std::string_view)>& sink,
                               const std::atomic<bool>& cancel) = 0;
  // Answers request files and finishes kubelet restarts; once per controller tick.
  virtual void tick(ClusterOps& ops) = 0;
  // Replaces the node-level faults (the scenario's `faults: nodes:` form) at run time. Validates
  // all of them before changing any node.
  virtual std::expected<void, std::string> set_faults(const Scenario& scenario,
                                                      const nlohmann::json& node_faults) = 0;
  virtual bool real() const = 0;  // false for the stand-in
};

std::unique_ptr<NodeSide> make_node_side(const std::filesystem::path& state_dir);

// The package universe kube-sim offers (DIR/repo/versions.json): every patch of v1.29..v1.37 as
// of 2026-11-26, and v1.38's pre-releases.
std::map<std::string, std::vector<std::string>> package_universe();

// Paths the cluster side reads in a node root (CONTRACT.md).
std::filesystem::path node_root(const std::filesystem::path& state_dir, const std::string& node);

}  // namespace sim
