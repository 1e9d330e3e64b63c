// API objects (JSON) to the plain structs of inventory.h. Tolerant of missing fields (an absent
// field is its zero value); never throws. Used by reader.cpp while streaming lists, and by tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/cluster/inventory.h"

namespace cluster {

using json = nlohmann::json;

NodeInfo decode_node(const json& node);
// The labels are needed only to resolve which PDBs select the pod; they are not kept.
PodSummary decode_pod(const json& pod, const std::vector<PdbInfo>& pdbs);
std::map<std::string, std::string> pod_labels(const json& pod);
PdbInfo decode_pdb(const json& pdb);
LabelSelector decode_selector(const json& selector);
// A mirror pod of a control-plane component, or nullopt when the pod is not one.
std::optional<ControlPlanePod> decode_control_plane_pod(const json& pod);
Lease decode_lease(const json& lease);
// ConfigMap kube-system/kubeadm-config: ClusterConfiguration (YAML) -> kubernetesVersion.
KubeadmConfig decode_kubeadm_config(const json& config_map);
// The image of the container named `container` (else the first one) of a workload's template.
std::string workload_image(const json& workload, std::string_view container);

}  // namespace cluster
