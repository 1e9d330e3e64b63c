// What the node procedure reads from the cluster, and only that: /version, the Nodes, the
// control-plane mirror pods and kubeadm-config (kubernetes-facts.md section 2). Reuses
// pkg/cluster's decoders so the plan and the upgrade read versions the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/cluster/decode.h"
#include "pkg/cluster/inventory.h"
#include "pkg/kube/client.h"

namespace upgrade {

struct ClusterView {
  std::optional<kver::Version> api_server;       // GET /version (whichever instance answered)
  std::optional<kver::Version> cluster_version;  // kubeadm-config kubernetesVersion
  std::vector<cluster::NodeInfo> nodes;
  std::vector<cluster::ControlPlanePod> control_plane_pods;

  const cluster::NodeInfo* node(const std::string& name) const;
  // The kube-apiserver mirror pods' versions, one per control-plane node that has one.
  std::vector<std::pair<std::string, kver::Version>> api_servers() const;
  // This node's mirror pods of kube-apiserver, kube-controller-manager and kube-scheduler, and
  // whether each runs `v`.
  std::vector<std::string> components_not_at(const std::string& node, const kver::Version& v) const;
};

kube::Result<ClusterView> read_view(kube::Client& client);
kube::Result<std::vector<cluster::ControlPlanePod>> read_control_plane_pods(kube::Client& client);
kube::Result<std::optional<kver::Version>> read_cluster_version(kube::Client& client);
kube::Result<std::optional<kver::Version>> read_api_server_version(kube::Client& client);

}  // namespace upgrade
