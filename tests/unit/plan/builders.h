// Fixtures for pkg/plan tests: builders of nodes, pods and whole inventories, so a test says what
// matters ("PodBuilder("web-1").on("w1").replicaset().cpu(500)") instead of spelling structs.
#pragma once

#include <string>

#include "pkg/cluster/inventory.h"
#include "pkg/version/releases.h"

namespace plan::testing {

inline kver::Version v(const std::string& text) {
  return *kver::parse(text);
}

// The newest patch of a minor in the built-in table, so tests survive a table refresh.
inline std::string newest(int minor) {
  return kver::newest_patch({1, minor}, kver::builtin_releases().versions)->to_string();
}

class NodeBuilder {
 public:
  explicit NodeBuilder(std::string name) {
    n_.name = std::move(name);
    n_.ready = true;
    n_.allocatable = {4000, 8LL << 30};
    n_.os_image = "Debian GNU/Linux 12 (bookworm)";
    n_.runtime = "containerd://1.7.20";
    n_.created = "2026-01-01T00:00:00Z";
  }
  NodeBuilder& control_plane() {
    n_.control_plane = true;
    n_.labels[std::string(cluster::kControlPlaneLabel)] = "";
    n_.taints.push_back({std::string(cluster::kControlPlaneLabel), "", "NoSchedule"});
    return *this;
  }
  NodeBuilder& kubelet(const std::string& ver) {
    n_.kubelet_version_text = ver;
    n_.kubelet = v(ver);
    return *this;
  }
  NodeBuilder& not_ready(std::string reason = "KubeletNotReady") {
    n_.ready = false;
    n_.ready_reason = std::move(reason);
    return *this;
  }
  NodeBuilder& cordoned() {
    n_.unschedulable = true;
    return *this;
  }
  NodeBuilder& cordoned_by_us() {
    n_.unschedulable = true;
    n_.ours[std::string(cluster::kCordonedByUsAnnotation)] = "true";
    return *this;
  }
  NodeBuilder& cpu(std::int64_t millis) {
    n_.allocatable.cpu_millis = millis;
    return *this;
  }
  NodeBuilder& label(std::string k, std::string val) {
    n_.labels[std::move(k)] = std::move(val);
    return *this;
  }
  NodeBuilder& taint(std::string k, std::string effect) {
    n_.taints.push_back({std::move(k), "", std::move(effect)});
    return *this;
  }
  NodeBuilder& created(std::string ts) {
    n_.created = std::move(ts);
    return *this;
  }
  NodeBuilder& address(std::string a) {
    n_.addresses.push_back(std::move(a));
    return *this;
  }
  cluster::NodeInfo build() const { return n_; }

 private:
  cluster::NodeInfo n_;
};

class PodBuilder {
 public:
  explicit PodBuilder(std::string name, std::string ns = "default") {
    p_.name = std::move(name);
    p_.ns = std::move(ns);
    p_.phase = "Running";
    p_.ready = true;
    p_.requests = {100, 128LL << 20};
  }
  PodBuilder& on(std::string node) {
    p_.node = std::move(node);
    return *this;
  }
  PodBuilder& owned(std::string kind, std::string name = "owner") {
    p_.owner_kind = std::move(kind);
    p_.owner_name = std::move(name);
    return *this;
  }
  PodBuilder& replicaset(std::string name = "rs") { return owned("ReplicaSet", std::move(name)); }
  PodBuilder& statefulset(std::string name = "sts") {
    return owned("StatefulSet", std::move(name));
  }
  PodBuilder& daemonset(std::string name = "ds") { return owned("DaemonSet", std::move(name)); }
  PodBuilder& daemonset_gone(std::string name = "ds") {
    owned("DaemonSet", std::move(name));
    p_.owner_missing = true;
    return *this;
  }
  PodBuilder& bare() { return owned("", ""); }
  PodBuilder& mirror() {
    p_.mirror = true;
    p_.owner_kind = "Node";
    return *this;
  }
  PodBuilder& emptydir() {
    p_.emptydir = true;
    return *this;
  }
  PodBuilder& phase(std::string ph) {
    p_.phase = std::move(ph);
    return *this;
  }
  PodBuilder& not_ready() {
    p_.ready = false;
    return *this;
  }
  PodBuilder& terminating() {
    p_.terminating = true;
    return *this;
  }
  PodBuilder& ours() {
    p_.ours = true;
    return *this;
  }
  PodBuilder& cpu(std::int64_t millis) {
    p_.requests.cpu_millis = millis;
    return *this;
  }
  PodBuilder& tolerate(std::string key, std::string effect = "") {
    p_.tolerations.push_back({std::move(key), "Exists", "", std::move(effect)});
    return *this;
  }
  PodBuilder& select(std::string k, std::string val) {
    p_.node_selector[std::move(k)] = std::move(val);
    return *this;
  }
  PodBuilder& pdb(int index) {
    p_.pdbs.push_back(index);
    return *this;
  }
  cluster::PodSummary build() const { return p_; }

 private:
  cluster::PodSummary p_;
};

// A healthy kubeadm cluster at `version`: control planes cp1..cpN (mirror pods of every
// component), workers w1..wM, kube-proxy on every node, CoreDNS on the first control plane,
// kubeadm-config agreeing with everything.
class ClusterBuilder {
 public:
  ClusterBuilder(std::string version, int control_planes, int workers) : version_(version) {
    inv_.observed_at = "2026-11-26T10:00:00Z";
    inv_.server_git_version = version;
    inv_.server_version = v(version);
    inv_.kubeadm_config = {true, version, v(version), "", ""};
    inv_.kube_proxy = {"kube-proxy", true, "registry.k8s.io/kube-proxy:" + version, v(version),
                       version};
    inv_.coredns = {"coredns", true, "registry.k8s.io/coredns/coredns:v1.11.3", std::nullopt,
                    "v1.11.3"};
    for (int i = 1; i <= control_planes; ++i)
      node(NodeBuilder("cp" + std::to_string(i)).control_plane().kubelet(version));
    for (int i = 1; i <= workers; ++i) node(NodeBuilder("w" + std::to_string(i)).kubelet(version));
    if (control_planes > 0)
      pod(PodBuilder("coredns-1", "kube-system")
              .on("cp1")
              .replicaset("coredns-5d")
              .tolerate(std::string(cluster::kControlPlaneLabel), "NoSchedule"));
  }

  ClusterBuilder& node(const NodeBuilder& b) {
    auto n = b.build();
    if (n.control_plane)
      for (std::string c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"})
        mirror(c, n.name, c == "etcd" ? "3.5.15-0" : version_);
    pod(PodBuilder("kube-proxy-" + n.name, "kube-system")
            .on(n.name)
            .daemonset("kube-proxy")
            .cpu(0));
    inv_.nodes.push_back(std::move(n));
    return *this;
  }
  ClusterBuilder& pod(const PodBuilder& b) {
    inv_.pods.push_back(b.build());
    return *this;
  }
  ClusterBuilder& mirror(const std::string& component, const std::string& node,
                         const std::string& tag) {
    cluster::ControlPlanePod c{component,
                               node,
                               component + "-" + node,
                               "registry.k8s.io/" + component + ":" + tag,
                               std::nullopt,
                               "Running",
                               true};
    if (component != "etcd") c.version = v(tag);
    for (auto& existing : inv_.control_plane_pods)
      if (existing.pod == c.pod) {
        existing = c;
        return *this;
      }
    inv_.control_plane_pods.push_back(c);
    pod(PodBuilder(c.pod, "kube-system").on(node).mirror().cpu(250));
    return *this;
  }
  // A PDB in `ns`; returns its index for PodBuilder::pdb().
  int pdb(std::string name, int allowed, int healthy, int desired, int expected,
          std::string ns = "default") {
    cluster::PdbInfo p;
    p.ns = std::move(ns);
    p.name = std::move(name);
    p.selector.null = false;
    p.min_available = std::to_string(desired);
    p.disruptions_allowed = allowed;
    p.current_healthy = healthy;
    p.desired_healthy = desired;
    p.expected_pods = expected;
    inv_.pdbs.push_back(p);
    return static_cast<int>(inv_.pdbs.size()) - 1;
  }
  cluster::Inventory& inventory() { return inv_; }
  cluster::NodeInfo& node_named(const std::string& name) {
    for (auto& n : inv_.nodes)
      if (n.name == name) return n;
    throw std::logic_error("no node " + name);  // a broken test fixture, not a runtime error
  }
  const cluster::Inventory& build() const { return inv_; }

 private:
  std::string version_;
  cluster::Inventory inv_;
};

}  // namespace plan::testing
