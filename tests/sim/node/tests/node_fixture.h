// Test support: a state dir in /tmp with laid-out nodes, the emulated tools run as processes
// against a node root (no sandbox needed), and a fake cluster answering their requests through the
// real process_requests().
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/sim/node/cluster_effects.h"
#include "tests/sim/node/spec.h"

namespace sim::node::testing {

namespace fs = std::filesystem;

// Records every effect; read_cluster answers from `versions`, which the effects keep current.
class FakeCluster : public ClusterEffects {
 public:
  std::expected<ClusterVersions, std::string> read_cluster() override;
  void api_outage(std::chrono::milliseconds duration) override;
  std::expected<void, std::string> set_kubeadm_config_version(const std::string& version) override;
  std::expected<void, std::string> set_kubelet_config(const std::string& version,
                                                      const std::string& yaml) override;
  std::expected<void, std::string> set_addon_images(const AddonImages& images) override;

  ClusterVersions snapshot();
  void set_versions(const ClusterVersions& v);

  std::mutex mu;
  ClusterVersions versions;
  std::vector<std::chrono::milliseconds> outages;
  std::vector<std::string> kubeadm_config_versions;
  std::vector<std::string> kubelet_config_versions;
  std::vector<AddonImages> addon_images;
};

struct ToolRun {
  int exit_code = -1;
  std::string out, err;
};

// A cluster picture: nodes laid out in a fresh state dir, a universe v1.34..v1.37 with patches
// 0..3.
class NodeFixture {
 public:
  NodeFixture();
  ~NodeFixture();

  // Lays out a node; defaults: v1.35.2 everywhere, held, apt, time scale 0.01.
  NodeSpec& add(NodeSpec spec);
  NodeSpec control_plane(const std::string& name, bool first = false) const;
  NodeSpec worker(const std::string& name) const;

  // Runs `tool args...` as that node's tool (env vars point it at the node's files).
  ToolRun run(const std::string& node, const std::vector<std::string>& argv,
              const std::string& stdin_text = "");
  // Runs a shell snippet with the tools first on PATH, outside any sandbox.
  fs::path root(const std::string& node) const;
  std::string read(const std::string& node, const std::string& path) const;

  // A thread calling process_requests() every 5 ms, as the API side's controllers would.
  void start_cluster();
  void stop_cluster();
  // The fake's versions from the laid-out nodes (api servers, kubelets, kubeadm-config).
  void sync_versions_from_specs(const std::string& kubernetes_version);

  fs::path dir;
  fs::path tools_dir;
  FakeCluster cluster;
  std::map<std::string, NodeSpec> specs;

 private:
  std::atomic<bool> stop_{false};
  std::thread responder_;
};

}  // namespace sim::node::testing
