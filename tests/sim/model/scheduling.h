// The scheduler's predicates: a node is a fit for a pod when it is Ready, its taints are
// tolerated (node.kubernetes.io/unschedulable included, which cordon adds), the nodeSelector
// matches, and the requests fit what the pods already there request. The reasons a pod fits
// nowhere are worded like kube-scheduler's FailedScheduling message.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sim {

struct NodeUsage {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
  int pods = 0;
};

bool tolerates(const nlohmann::json& tolerations, const nlohmann::json& taint);
// The node's taints plus the ones the node lifecycle controller would add
// (unschedulable -> node.kubernetes.io/unschedulable:NoSchedule, NotReady -> not-ready).
nlohmann::json effective_taints(const nlohmann::json& node);
bool node_ready(const nlohmann::json& node);

// "" when the pod fits; otherwise the reason as kube-scheduler counts it ("Insufficient cpu",
// "node(s) had untolerated taint {k: v}", "node(s) were unschedulable", ...).
std::string unfit_reason(const nlohmann::json& pod, const nlohmann::json& node,
                         const NodeUsage& usage);
NodeUsage pod_requests(const nlohmann::json& pod);

// Picks a node (the least requested fit, ties by name) or returns the FailedScheduling message:
// "0/8 nodes are available: 3 node(s) had untolerated taint {...}, 5 Insufficient cpu.
// preemption: 0/8 nodes are available: ...".
struct Placement {
  std::optional<std::string> node;
  std::string message;
};
Placement place_pod(const nlohmann::json& pod, const std::vector<nlohmann::json>& nodes,
                    const std::map<std::string, NodeUsage>& usage);

}  // namespace sim
