// Fills a fresh store from the scenario: namespaces, nodes and their Leases, kubeadm's ConfigMaps
// and Services, the kube-proxy DaemonSet and CoreDNS Deployment, the scenario's workloads and
// PDBs. Pods of Deployments and DaemonSets are left to the controllers (Controllers::settle),
// except in the generated scale mode, where pods are written directly (already Running) for speed.
#pragma once

#include <expected>
#include <string>

#include "tests/sim/model/cluster.h"

namespace sim {

// `now` is the sim's start; objects get ages before it (nodes ~45 days, workloads ~10 days).
std::expected<void, std::string> populate(Cluster& cluster, WallTime now);

// The image of a kubeadm component for a version: "registry.k8s.io/kube-proxy:v1.35.2".
std::string kubeadm_image(const ClusterSpec& cluster, const std::string& component,
                          const std::string& tag);
// ClusterConfiguration YAML for kubeadm-config.
std::string cluster_configuration_yaml(const ClusterSpec& cluster, const std::string& version);
// KubeletConfiguration YAML for kubelet-config.
std::string kubelet_configuration_yaml();

}  // namespace sim
