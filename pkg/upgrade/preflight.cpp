#include "pkg/upgrade/preflight.h"

#include "pkg/version/path.h"
#include "pkg/version/releases.h"
#include "pkg/version/skew.h"

namespace upgrade {
namespace {

std::string ver(const std::optional<kver::Version>& v) {
  return v ? v->to_string() : "unknown";
}

Role decide_role(const ClusterView& view, const cluster::NodeInfo& n, const kver::Version& target,
                 const NodeRecord& record) {
  if (record.target == target.to_string() && record.role) return *record.role;
  if (!n.control_plane) return Role::kWorker;
  // kubeadm-config still below the target: nobody ran `kubeadm upgrade apply` yet; this is it.
  if (!view.cluster_version || *view.cluster_version < target) return Role::kFirstControlPlane;
  return Role::kControlPlane;
}

void check_first_control_plane(const ClusterView& view, const kver::Version& target,
                               PreflightVerdict& v) {
  if (view.cluster_version) {
    const auto& cur = *view.cluster_version;
    if (target.minor > cur.minor + 1)
      v.refusals.push_back("the cluster is at " + cur.to_string() +
                           " and kubeadm upgrades one minor "
                           "at a time: go to the latest v1." +
                           std::to_string(cur.minor + 1) +
                           ".x first (kubectl upgrade plan shows the hops)");
    if (target < cur)
      v.refusals.push_back("the cluster is at " + cur.to_string() + ": " + target.to_string() +
                           " would be a downgrade, which kubectl upgrade does not do");
  } else {
    v.notes.push_back("kubeadm-config has no kubernetesVersion; kubeadm will check the version");
  }
  for (const auto& n : view.nodes)
    if (n.kubelet && kver::kubelet_blocks_target(*n.kubelet, target))
      v.refusals.push_back("the kubelet on " + n.name + " (" + n.kubelet->to_string() +
                           ") would be too far behind a " + target.to_string() +
                           " control plane: upgrade it first (kubectl upgrade node " + n.name +
                           ")");
}

void check_other_control_plane(const ClusterView& view, const kver::Version& target,
                               PreflightVerdict& v) {
  if (!view.cluster_version || *view.cluster_version != target) {
    v.refusals.push_back(
        "the first control-plane node must be upgraded first (kubeadm-config is at " +
        ver(view.cluster_version) + ")");
  }
}

void check_worker(const ClusterView& view, const kver::Version& target, PreflightVerdict& v) {
  auto servers = view.api_servers();
  if (servers.empty())
    v.refusals.push_back(
        "no kube-apiserver mirror pod found: cannot check that the control plane "
        "is at " +
        target.to_string() + " before a worker");
  for (const auto& [node, version] : servers)
    if (version < target)
      v.refusals.push_back("control planes first: kube-apiserver on " + node + " is at " +
                           version.to_string() +
                           ", and a kubelet may never be newer than the API "
                           "server (kubectl upgrade node " +
                           node + ")");
}

}  // namespace

PreflightVerdict preflight(const ClusterView& view, const std::string& node,
                           const kver::Version& target, const NodeRecord& record) {
  PreflightVerdict v;
  const cluster::NodeInfo* n = view.node(node);
  if (!n) {
    v.refusals.push_back("node " + node + " not found (kubectl get nodes lists them)");
    return v;
  }
  v.role = decide_role(view, *n, target, record);
  bool resuming = record.target == target.to_string() && !record.finished() && record.step;
  if (n->kubelet) {
    const auto& k = *n->kubelet;
    if (k == target && record.finished() && record.target == target.to_string()) {
      v.already_done = true;
      return v;
    }
    if (target < k)
      v.refusals.push_back("the kubelet on " + node + " is at " + k.to_string() + ", newer than " +
                           target.to_string() + ": kubectl upgrade does not downgrade");
    if (target.minor > k.minor + 1)
      v.refusals.push_back("the kubelet on " + node + " is at " + k.to_string() +
                           " and nodes move one minor at a time: go to v1." +
                           std::to_string(k.minor + 1) + ".x first");
  }
  if (!n->ready && !(resuming && *record.step >= StepId::kKubeletRestart))
    v.refusals.push_back("node " + node + " is not Ready (" +
                         (n->ready_reason.empty() ? "no reason given" : n->ready_reason) +
                         "): fix it before upgrading it");
  switch (v.role) {
    case Role::kFirstControlPlane:
      if (!resuming || *record.step <= StepId::kKubeadmUpgrade)
        check_first_control_plane(view, target, v);
      break;
    case Role::kControlPlane:
      check_other_control_plane(view, target, v);
      break;
    case Role::kWorker:
      check_worker(view, target, v);
      break;
  }
  if (resuming)
    v.notes.push_back("resuming at step " +
                      step_label(static_cast<StepId>(record.resume_from(target.to_string()))) +
                      " (record from " + record.updated + ")");
  return v;
}

std::expected<kver::Version, std::string> default_target(
    const ClusterView& view, const std::string& node, const NodeRecord& record,
    const std::vector<kver::Version>& available) {
  if (!record.target.empty() && !record.finished())
    if (auto t = kver::parse(record.target)) return *t;
  const cluster::NodeInfo* n = view.node(node);
  if (!n) return std::unexpected("node " + node + " not found (kubectl get nodes lists them)");
  if (!n->kubelet)
    return std::unexpected("the kubelet version of node " + node + " is unknown: pass --to vX.Y.Z");
  const kver::Version& kubelet = *n->kubelet;
  if (view.cluster_version && kubelet < *view.cluster_version) {
    const kver::Version& cluster = *view.cluster_version;
    if (cluster.minor <= kubelet.minor + 1) return cluster;
    if (auto next = kver::newest_patch(kubelet.minor_line().next(), available)) return *next;
    return std::unexpected("no release of " + kubelet.minor_line().next().to_string() +
                           " is known, and node " + node + " must go through it: pass --to");
  }
  // The cluster's version as the plan sees it: its oldest kube-apiserver.
  std::optional<kver::Version> current;
  for (const auto& [cp, v] : view.api_servers())
    if (!current || v < *current) current = v;
  if (!current) current = view.api_server ? view.api_server : view.cluster_version;
  if (!current) current = kubelet;
  auto next = kver::default_target(*current, available);
  if (!next) return std::unexpected(next.error().to_string());
  return *next;
}

}  // namespace upgrade
