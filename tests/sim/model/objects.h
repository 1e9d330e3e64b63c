// Builders for the objects a kubeadm cluster holds, shaped like the real ones (fields kubectl
// and the plugin read are all present: node conditions/nodeInfo/addresses, pod conditions and
// container statuses, owner references).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/scenario/scenario.h"
#include "tests/sim/store/clock.h"

namespace sim {

nlohmann::json make_namespace(const std::string& name,
                              const std::map<std::string, std::string>& labels);
// `index` picks the pod CIDR 10.244.<index>.0/24.
nlohmann::json make_node(const NodeSpec& spec, int index, WallTime created);
// A Ready condition of the given status, as the kubelet writes it.
nlohmann::json node_ready_condition(bool ready, WallTime heartbeat, WallTime transition,
                                    const std::string& reason, const std::string& message);

// A pod template (Deployment/DaemonSet spec.template, or a bare pod's body) for a workload.
nlohmann::json make_pod_template(const WorkloadSpec& w);
// A pod from a template: name, namespace, owner (controller) reference; no node yet.
nlohmann::json make_pod(const nlohmann::json& pod_template, const std::string& ns,
                        const std::string& name, const nlohmann::json& owner);
nlohmann::json owner_reference(const nlohmann::json& owner, bool controller = true);
// The DaemonSet controller's tolerations (not-ready, unreachable, pressures, unschedulable).
nlohmann::json daemonset_tolerations();

// Pod status transitions, as the scheduler and the kubelet write them.
void set_pod_unschedulable(nlohmann::json& pod, const std::string& message, WallTime now);
void set_pod_bound(nlohmann::json& pod, const std::string& node, WallTime now);
void set_pod_creating(nlohmann::json& pod, const std::string& host_ip, WallTime now);
void set_pod_running(nlohmann::json& pod, const std::string& pod_ip, WallTime now);
// Every container terminated with `exit_code`; phase Succeeded (0) or Failed.
void set_pod_terminated(nlohmann::json& pod, int exit_code, const std::string& reason,
                        const std::string& message, WallTime now);
// The pod's containers got SIGTERM: Ready false, containers still running.
void set_pod_terminating(nlohmann::json& pod, WallTime now);

bool pod_ready(const nlohmann::json& pod);
bool pod_finished(const nlohmann::json& pod);  // Succeeded or Failed
bool pod_deleting(const nlohmann::json& pod);
std::string pod_phase(const nlohmann::json& pod);
// The controller ownerReference's kind, or "".
std::string controller_kind(const nlohmann::json& obj);
std::string controller_uid(const nlohmann::json& obj);

// A pod template's hash as the controllers label pods with it (pod-template-hash).
std::string template_hash(const nlohmann::json& pod_template);

// A 64-hex container ID or image digest that is stable for a seed.
std::string fake_digest(const std::string& seed);

}  // namespace sim
