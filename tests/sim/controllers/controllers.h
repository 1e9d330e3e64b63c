// The control loop of kube-sim (issue 5 "Controllers"): scheduler, Deployment -> ReplicaSet ->
// Pods, DaemonSets, garbage collection, PDB status, kubelets (pod lifecycle, node-shell pods,
// node Ready/Lease from kubelet.json, mirror pods from the static pod manifests), and the node
// side's request processing. One thread ticks every sim.tickSeconds; delays are scaled by
// sim.timeScale. It also implements ClusterOps, what the node side may ask of the cluster.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "tests/sim/controllers/node_side.h"
#include "tests/sim/model/cluster.h"
#include "tests/sim/model/objects.h"

namespace sim {

class Controllers : public ClusterOps {
 public:
  Controllers(Cluster& cluster, NodeSide& node_side);
  ~Controllers() override;
  Controllers(const Controllers&) = delete;
  Controllers& operator=(const Controllers&) = delete;

  // Runs every controller without delays until nothing changes: the scenario's pods exist,
  // are scheduled and Running, with timestamps at `as_of` (the workloads' age).
  void settle(WallTime as_of);
  void start();
  void stop();
  // One pass of every controller; returns the number of writes.
  int tick();

  // ClusterOps
  std::expected<Versions, std::string> read_cluster() override;
  void api_outage(std::chrono::milliseconds duration) override;
  std::expected<void, std::string> set_kubeadm_config_version(const std::string& version) override;
  std::expected<void, std::string> set_kubelet_config(const std::string& version,
                                                      const std::string& yaml) override;
  std::expected<void, std::string> set_addon_images(const std::string& kube_proxy_image,
                                                    const std::string& coredns_image) override;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct PodTrack {
    enum class Stage { kCreating, kRunning, kTerminating } stage = Stage::kCreating;
    SteadyTime since;
  };
  struct ShellRun;
  struct KubeletSeen {
    std::string version;
    std::string state;
  };

  // workloads.cpp
  int sync_deployments();
  int sync_replicasets();
  int sync_daemonsets();
  int collect_garbage();
  int sync_pdbs();
  // scheduler.cpp
  int schedule();
  // kubelet.cpp
  int sync_nodes();
  int sync_mirror_pods();
  int run_kubelets();
  int run_pod(const nlohmann::json& pod);
  int finish_shell_pods();
  bool kubelet_running(const std::string& node) const;
  std::string next_pod_ip(const nlohmann::json& node);

  bool due(SteadyTime since, double scenario_seconds) const;
  WallTime now() const;

  Cluster& c_;
  NodeSide& node_side_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex tick_mu_;
  bool instant_ = false;
  WallTime as_of_;
  std::map<std::string, PodTrack> pods_;                     // by pod uid
  std::map<std::string, std::unique_ptr<ShellRun>> shells_;  // by pod uid
  std::map<std::string, KubeletSeen> kubelets_;              // by node
  std::map<std::string, SteadyTime> leases_;                 // last renewal, by node
  std::map<std::string, SteadyTime> status_beats_;           // last node status report, by node
  std::map<std::string, std::string> unschedulable_;  // pod uid -> last FailedScheduling message
  std::map<std::string, SteadyTime> unschedulable_at_;
  std::map<std::string, int> pod_ips_;  // node -> last host part
  struct ManifestCache {
    std::filesystem::file_time_type mtime;
    nlohmann::json pod;
    std::string hash;
  };
  std::map<std::string, ManifestCache> manifests_;  // by path
};

}  // namespace sim
