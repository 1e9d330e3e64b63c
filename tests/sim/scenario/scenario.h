// A scenario: one picture of a kubeadm cluster, loaded from YAML (format: scenarios/README.md).
//
// Loading checks types and required fields and refuses a malformed file with
// "FILE:LINE:COLUMN: reason" (yaml-cpp marks give the line). Defaults are filled here, so the
// rest of the sim reads plain values.
#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sim {

struct ClusterSpec {
  std::string name = "kube-sim";
  std::string api_server_version = "v1.35.2";  // /version gitVersion
  std::string kubernetes_version;              // kubeadm-config; default api_server_version
  std::string kube_proxy_version;              // kube-proxy image tag; default kubernetes_version
  std::string coredns_version;                 // default: kubeadm's CoreDNS for the minor
  std::string etcd_version;                    // default: kubeadm's etcd for the minor
  std::string image_repository = "registry.k8s.io";
  std::string pod_subnet = "10.244.0.0/16";
  std::string service_subnet = "10.96.0.0/12";
};

struct SimSettings {
  double time_scale = 1.0;        // every delay below is multiplied by this
  double tick_seconds = 0.2;      // controller loop period (real seconds, not scaled)
  double pod_start_seconds = 2;   // Pending(bound) -> Running
  double pod_stop_seconds = 1;    // SIGTERM -> exit, capped by the grace period
  double heartbeat_seconds = 10;  // node Ready condition / Lease renewal
  double kubelet_restart_seconds = 5;
  bool controllers = true;  // false: objects stay as loaded (scale benchmarks)
  bool node_roots = true;   // lay out DIR/nodes/<n>/root
};

struct FaultSpec {
  // API outage: connection refused for `refused_seconds`, then 503 for `unavailable_seconds`.
  double outage_refused_seconds = 0;
  double outage_unavailable_seconds = 0;
  bool outage_on_kubeadm_apply = true;        // the node side triggers it; false = never
  std::vector<std::string> eviction_errors;   // "ns/pod" or "pdb:ns/name": eviction answers 500
  std::vector<std::string> pdb_never_allows;  // "ns/name": disruptionsAllowed stays 0
  nlohmann::json node_faults = nlohmann::json::object();  // passed through to the node side
};

struct NodeSpec {
  std::string name;
  bool control_plane = false;
  bool first_control_plane = false;
  std::string kubelet_version;  // default cluster.kubernetes_version
  std::string os_image = "Ubuntu 24.04.1 LTS";
  std::string kernel_version = "6.8.0-48-generic";
  std::string container_runtime = "containerd://1.7.24";
  std::string package_manager = "apt";          // apt | dnf | yum
  std::string repo_minor;                       // "v1.35"; default the kubelet's minor
  bool legacy_repo = false;                     // apt.kubernetes.io / yum.kubernetes.io
  std::map<std::string, std::string> packages;  // installed versions ("1.35.2-1.1")
  std::vector<std::string> holds;
  std::string cpu = "4";
  std::string memory = "8Gi";
  int max_pods = 110;
  nlohmann::json taints = nlohmann::json::array();
  std::map<std::string, std::string> labels;
  bool unschedulable = false;
  bool ready = true;
  std::string internal_ip;
};

struct NamespaceSpec {
  std::string name;
  std::map<std::string, std::string> labels;
};

struct PdbSpec {
  std::string name;
  std::string ns = "default";
  std::map<std::string, std::string> selector;
  std::optional<std::string> min_available;    // "2" or "50%"
  std::optional<std::string> max_unavailable;  // "1" or "25%"
};

struct WorkloadSpec {
  std::string kind;  // Deployment | DaemonSet | Pod
  std::string name;
  std::string ns = "default";
  int replicas = 1;
  std::string image = "registry.k8s.io/pause:3.10";
  std::string cpu_request;
  std::string memory_request;
  std::map<std::string, std::string> labels;  // default app=<name>
  std::map<std::string, std::string> node_selector;
  nlohmann::json tolerations = nlohmann::json::array();
  bool empty_dir = false;
  std::string node;  // bare pods: spec.nodeName
  int termination_grace_seconds = 30;
  std::vector<std::string> logs;  // lines the container prints at start
  std::optional<PdbSpec> pdb;
  std::string phase;  // bare pods: "Succeeded"/"Failed" to load them finished
};

struct ScaleSpec {
  int nodes = 0;
  int pods = 0;
  int namespaces = 20;
  int control_planes = 3;
};

struct Scenario {
  std::filesystem::path file;
  ClusterSpec cluster;
  SimSettings sim;
  FaultSpec faults;
  std::vector<NodeSpec> nodes;
  std::vector<NamespaceSpec> namespaces;
  std::vector<WorkloadSpec> workloads;
  std::vector<PdbSpec> pdbs;
  ScaleSpec scale;

  const NodeSpec* first_control_plane() const;
};

// "FILE:LINE:COLUMN: reason" on failure.
std::expected<Scenario, std::string> load_scenario(const std::filesystem::path& file);
std::expected<Scenario, std::string> parse_scenario(const std::string& yaml_text,
                                                    const std::filesystem::path& file_for_errors);

// "v1.35.2" -> "v1.35"; "" when not a version.
std::string minor_of(const std::string& version);
// The package version string a repo uses for a Kubernetes version: apt "1.35.2-1.1",
// dnf/yum "1.35.2-150500.1.1", legacy apt "1.35.2-00".
std::string package_version(const std::string& version, const std::string& package_manager,
                            bool legacy);

}  // namespace sim
