// The cluster as pkg/plan needs it: plain structs, filled by reader.h from the API, or by tests
// with builders. This header and inventory.cpp do no I/O (library ku_cluster_model), so pkg/plan
// can include them and stay pure.
//
// Sizes: a PodSummary keeps only what drain previews, PDB arithmetic and capacity checks need
// (no labels: the PDBs covering the pod are resolved while reading), so 150,000 pods fit in a few
// tens of MB.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pkg/version/version.h"

namespace cluster {

// Where the project records its own state. Everything under this domain belongs to kubectl-upgrade
// (DESIGN.md section 3: never *.k8s.io / *.kubernetes.io).
inline constexpr std::string_view kDomain = "upgrade.kubectl-upgrade.dev";
inline constexpr std::string_view kAnnotationPrefix = "upgrade.kubectl-upgrade.dev/";
// Set on a node this tool cordoned; uncordon only then.
inline constexpr std::string_view kCordonedByUsAnnotation = "upgrade.kubectl-upgrade.dev/cordoned";
// The cluster-wide upgrade lock: a coordination.k8s.io/v1 Lease.
inline constexpr std::string_view kLockNamespace = "kube-system";
inline constexpr std::string_view kLockName = "kubectl-upgrade";
// Label on our own pods (node shell); drain previews skip them.
inline constexpr std::string_view kOwnPodLabel = "app.kubernetes.io/managed-by";
inline constexpr std::string_view kOwnPodLabelValue = "kubectl-upgrade";

inline constexpr std::string_view kControlPlaneLabel = "node-role.kubernetes.io/control-plane";
inline constexpr std::string_view kMirrorAnnotation = "kubernetes.io/config.mirror";

// CPU in millicores, memory in bytes.
struct Resources {
  std::int64_t cpu_millis = 0;
  std::int64_t memory_bytes = 0;

  Resources& operator+=(const Resources& o);
  Resources& operator-=(const Resources& o);
  bool fits_in(const Resources& free) const;
};
// A resource.Quantity ("100m", "1.5", "128Mi", "2G", "1e3") in base units; nullopt if malformed.
std::optional<double> parse_quantity(std::string_view text);

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute
};

struct Toleration {
  std::string key;           // empty with operator Exists = everything
  std::string op = "Equal";  // Equal, Exists
  std::string value;
  std::string effect;  // empty = every effect

  bool tolerates(const Taint& taint) const;
};
// Every NoSchedule/NoExecute taint tolerated (PreferNoSchedule never prevents scheduling).
bool tolerates_all(const std::vector<Toleration>& tolerations, const std::vector<Taint>& taints);

struct NodeInfo {
  std::string name;
  std::string created;                   // metadata.creationTimestamp (RFC 3339)
  std::string kubelet_version_text;      // status.nodeInfo.kubeletVersion as reported
  std::optional<kver::Version> kubelet;  // parsed; nullopt if unparseable
  bool control_plane = false;            // label node-role.kubernetes.io/control-plane
  bool ready = false;                    // condition Ready == True
  std::string ready_reason;              // the Ready condition's reason when not ready
  bool unschedulable = false;            // spec.unschedulable (cordoned)
  std::string os_image, kernel, runtime, architecture;
  std::vector<Taint> taints;
  Resources allocatable;
  std::map<std::string, std::string> labels;
  std::vector<std::string> addresses;       // InternalIP, Hostname, ... values
  std::map<std::string, std::string> ours;  // annotations under kAnnotationPrefix

  bool cordoned_by_us() const { return ours.contains(std::string(kCordonedByUsAnnotation)); }
};

// A control-plane static pod's mirror (kube-system, tier=control-plane, component=<name>).
struct ControlPlanePod {
  std::string component;  // kube-apiserver, kube-controller-manager, kube-scheduler, etcd
  std::string node;
  std::string pod;
  std::string image;
  std::optional<kver::Version> version;  // from the image tag (etcd: nullopt, it has its own)
  std::string phase;
  bool ready = false;
};

struct Addon {
  std::string name;  // kube-proxy, coredns
  bool found = false;
  std::string image;
  std::optional<kver::Version> version;  // Kubernetes version (kube-proxy only)
  std::string tag;                       // raw tag (CoreDNS has its own versions)
};

struct PodSummary {
  std::string ns;
  std::string name;
  std::string node;
  std::string phase;       // Pending, Running, Succeeded, Failed, Unknown
  std::string owner_kind;  // controller ownerReference kind; empty = no controller
  std::string owner_name;
  bool owner_missing = false;  // DaemonSet owner that no longer exists
  bool mirror = false;         // annotation kubernetes.io/config.mirror
  bool emptydir = false;       // has an emptyDir volume
  bool terminating = false;    // metadata.deletionTimestamp set
  bool ready = false;          // condition Ready == True
  bool ours = false;           // one of kubectl-upgrade's own pods
  Resources requests;          // max(sum of containers, any init container)
  std::vector<Toleration> tolerations;
  std::map<std::string, std::string> node_selector;
  std::vector<int> pdbs;  // indices into Inventory::pdbs that select this pod

  bool finished() const { return phase == "Succeeded" || phase == "Failed"; }
  std::string key() const { return ns + "/" + name; }
};

struct LabelRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};
// metav1.LabelSelector. A null selector matches nothing; an empty one matches everything.
struct LabelSelector {
  bool null = true;
  std::map<std::string, std::string> match_labels;
  std::vector<LabelRequirement> match_expressions;

  bool matches(const std::map<std::string, std::string>& labels) const;
};

struct PdbInfo {
  std::string ns;
  std::string name;
  LabelSelector selector;
  std::string min_available;  // as written: "2", "50%", "" when unset
  std::string max_unavailable;
  int disruptions_allowed = 0;  // status.disruptionsAllowed
  int current_healthy = 0;
  int desired_healthy = 0;
  int expected_pods = 0;
  bool observed = true;  // status.observedGeneration >= metadata.generation

  std::string key() const { return ns + "/" + name; }
};

struct Lease {
  bool found = false;
  std::string holder;        // spec.holderIdentity
  std::string renew_time;    // spec.renewTime (RFC 3339 micro)
  int duration_seconds = 0;  // spec.leaseDurationSeconds
  // The holder is a process of this very host that no longer runs (a killed run): filled in by
  // the commands (pkg/upgrade knows the identity format), not by the reader.
  bool holder_process_gone = false;
};

struct KubeadmConfig {
  bool found = false;
  std::string kubernetes_version_text;
  std::optional<kver::Version> kubernetes_version;
  std::string control_plane_endpoint;  // host[:port]
  std::string error;                   // why it could not be read, if so
};

// A group/version that a newer minor stops serving, as this cluster serves it today.
struct ServedRemovedApi {
  std::string group_version;  // "flowcontrol.apiserver.k8s.io/v1beta3"
  kver::Minor removed_in;
  bool served = false;                 // discovery lists it
  std::map<std::string, int> objects;  // resource -> objects stored
  int applied_with_it = 0;             // objects whose last-applied apiVersion is it
};

// Facts gathered on a node by a read-only node-shell script (--inspect-nodes).
struct NodeFacts {
  std::string node;
  bool gathered = false;
  std::string error;                      // why gathering failed
  std::string os_id;                      // ID from /etc/os-release
  std::string os_version;                 // VERSION_ID
  std::string package_manager;            // apt, dnf, yum
  std::string repo_file;                  // /etc/apt/sources.list.d/kubernetes.list, ...
  std::string repo_url;                   // https://pkgs.k8s.io/core:/stable:/v1.30/deb/
  std::optional<kver::Minor> repo_minor;  // the minor in the repo URL
  bool legacy_repo = false;  // apt.kubernetes.io / yum.kubernetes.io / packages.cloud.google.com
  std::vector<std::string> held;                 // held packages among kubeadm, kubelet, kubectl
  std::map<std::string, std::string> installed;  // package -> version ("1.30.2-1.1")
  std::vector<std::string> offered;              // kubeadm versions the configured repo offers
  bool has_admin_conf = false;                   // /etc/kubernetes/admin.conf exists
};

struct Inventory {
  std::string observed_at;  // when it was read (RFC 3339, UTC): the plan's "now"
  std::string server_git_version;
  std::optional<kver::Version> server_version;
  std::vector<NodeInfo> nodes;
  std::vector<ControlPlanePod> control_plane_pods;
  Addon kube_proxy{"kube-proxy"};
  Addon coredns{"coredns"};
  KubeadmConfig kubeadm_config;
  // Every pod bound to a node. A deque: 150,000 summaries grow without a reallocation's copy.
  std::deque<PodSummary> pods;
  std::vector<PdbInfo> pdbs;
  Lease lock;
  std::vector<ServedRemovedApi> removed_apis;
  std::map<std::string, NodeFacts> node_facts;  // by node; empty without --inspect-nodes

  const NodeInfo* node(std::string_view name) const;
};

}  // namespace cluster
