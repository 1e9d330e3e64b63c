// The cluster side of what happens on nodes. The emulated tools run inside a node's sandbox and
// cannot touch the API server's store, so they ask for effects through request files (CONTRACT.md
// "Requests"); process_requests() answers them using a ClusterEffects the API side implements.
//
// The API side calls process_requests() once per controller tick (every ~100 ms is fine). It:
//  - answers each new DIR/requests/<node>/<seq>.json with DIR/requests/<node>/<seq>.done.json,
//    calling the effects below (a kubeadm-apply answer waits until the API outage it started is
//    over, so kubeadm returns only once the API server is back, as the real one does);
//  - advances every node's kubelet: a kubelet.json "restarting" whose restart delay has passed
//    becomes "running" at the installed kubelet version, or "failed" (fault, or a kubelet newer
//    than the newest API server).
// It never throws; problems are reported in the .done answer or returned.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sim::node {

// What the emulated kubeadm needs to apply its version policy (kubernetes-facts.md section 1).
struct ClusterVersions {
  std::string
      kubernetes_version;  // kubeadm-config ClusterConfiguration.kubernetesVersion, "v1.35.2"
  // node -> version from its kube-apiserver mirror pod's image tag, "v1.35.2"
  std::map<std::string, std::string> api_server_versions;
  // node -> status.nodeInfo.kubeletVersion, "v1.35.2"
  std::map<std::string, std::string> kubelet_versions;
  // kube-system/kube-proxy DaemonSet and kube-system/coredns Deployment image tags
  std::string kube_proxy_version;  // "v1.35.2"
  std::string coredns_version;     // "v1.12.1"
  // Optional: component -> node -> version from each CP's mirror pods ("kube-scheduler" ->
  // {"cp1": "v1.35.2"}; etcd as its image tag "3.6.5-0"). Empty: kubeadm plan falls back to
  // api_server_versions for every component.
  std::map<std::string, std::map<std::string, std::string>> component_versions;
  // Optional: control-plane nodes whose Ready condition is not True (kubeadm's health preflight
  // ControlPlaneNodesReady refuses plan/apply while any is listed).
  std::vector<std::string> not_ready_control_planes;
};

struct AddonImages {
  std::string kube_proxy;  // "registry.k8s.io/kube-proxy:v1.36.2"
  std::string coredns;     // "registry.k8s.io/coredns/coredns:v1.13.1"
};

class ClusterEffects {
 public:
  virtual ~ClusterEffects() = default;

  // Current versions, read from the store (mirror pods, Nodes, kubeadm-config, addons).
  virtual std::expected<ClusterVersions, std::string> read_cluster() = 0;

  // The API server restarts: refuse connections, then answer 5xx, for `duration` (already scaled
  // by timeScale). Returns immediately; the outage runs on the API side's clock.
  virtual void api_outage(std::chrono::milliseconds duration) = 0;

  // ConfigMap kube-system/kubeadm-config: ClusterConfiguration.kubernetesVersion = version
  // ("v1.36.2").
  virtual std::expected<void, std::string> set_kubeadm_config_version(
      const std::string& version) = 0;

  // ConfigMap kube-system/kubelet-config: data["kubelet"] = config_yaml (the KubeletConfiguration
  // kubeadm writes for `version`).
  virtual std::expected<void, std::string> set_kubelet_config(const std::string& version,
                                                              const std::string& config_yaml) = 0;

  // DaemonSet kube-system/kube-proxy and Deployment kube-system/coredns get these images.
  virtual std::expected<void, std::string> set_addon_images(const AddonImages& images) = 0;
};

struct TickReport {
  int requests_answered = 0;
  std::vector<std::string> kubelets_changed;  // node names whose kubelet.json changed state
  std::vector<std::string> problems;          // unreadable files etc., for the sim's log
};

// See the header comment. `state_dir` is kube-sim's --state-dir (holding nodes/ and requests/).
TickReport process_requests(
    const std::filesystem::path& state_dir, ClusterEffects& effects,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace sim::node
