#include <fmt/format.h>

#include <algorithm>

#include "pkg/plan/internal.h"

namespace plan::internal {
namespace {

std::vector<const cluster::NodeInfo*> control_planes(const cluster::Inventory& inv) {
  std::vector<const cluster::NodeInfo*> out;
  for (const auto& n : inv.nodes)
    if (n.control_plane) out.push_back(&n);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

std::string endpoint_host(std::string endpoint) {
  if (endpoint.starts_with('[')) return endpoint.substr(1, endpoint.find(']') - 1);  // [v6]:port
  auto colon = endpoint.find(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

std::vector<std::string> steps_for(Role role, const std::string& target) {
  std::string t = target.empty() ? "vT" : target;
  std::vector<std::string> steps = {"switch package repo to the target minor",
                                    "install kubeadm " + t};
  steps.push_back(role == Role::kFirstControlPlane ? "kubeadm upgrade apply " + t + " --yes"
                                                   : "kubeadm upgrade node");
  steps.insert(steps.end(),
               {"drain", "install kubelet and kubectl " + t, "restart kubelet", "uncordon"});
  return steps;
}

}  // namespace

FirstControlPlane pick_first_control_plane(const cluster::Inventory& inv) {
  auto cps = control_planes(inv);
  if (cps.empty())
    return {"", true,
            "no control-plane node (label " + std::string(cluster::kControlPlaneLabel) + ")"};
  for (const auto* n : cps)
    if (auto f = inv.node_facts.find(n->name);
        f != inv.node_facts.end() && f->second.has_admin_conf)
      return {n->name, false, "it has /etc/kubernetes/admin.conf (node facts)"};
  std::string facts = inv.node_facts.empty()
                          ? "; run with --inspect-nodes to confirm /etc/kubernetes/admin.conf"
                          : "; no node facts showed /etc/kubernetes/admin.conf";
  if (cps.size() == 1) return {cps[0]->name, true, "the only control-plane node" + facts};
  std::string host = endpoint_host(inv.kubeadm_config.control_plane_endpoint);
  for (const auto* n : cps)
    if (!host.empty() && (n->name == host || std::find(n->addresses.begin(), n->addresses.end(),
                                                       host) != n->addresses.end()))
      return {n->name, true,
              "kubeadm-config's controlPlaneEndpoint (" +
                  inv.kubeadm_config.control_plane_endpoint + ") is this node" + facts};
  auto oldest = std::min_element(cps.begin(), cps.end(), [](auto* a, auto* b) {
    return a->created < b->created;  // RFC 3339 UTC sorts as text
  });
  bool differ = std::any_of(cps.begin(), cps.end(),
                            [&](auto* n) { return n->created != (*oldest)->created; });
  if (!(*oldest)->created.empty() && differ)
    return {(*oldest)->name, true,
            "the oldest control-plane node (created " + (*oldest)->created +
                "), normally the one kubeadm init ran on" + facts};
  return {cps[0]->name, true, "the first control-plane node by name" + facts};
}

std::vector<NodePlan> order_nodes(const cluster::Inventory& inv, const FirstControlPlane& first,
                                  int max_unavailable, const std::optional<kver::HopPath>& path) {
  std::string target = path ? path->hops.front().to.to_string() : "";
  std::vector<const cluster::NodeInfo*> order;
  auto cps = control_planes(inv);
  for (const auto* n : cps)
    if (n->name == first.name) order.push_back(n);
  for (const auto* n : cps)
    if (n->name != first.name) order.push_back(n);
  std::vector<const cluster::NodeInfo*> workers;
  for (const auto& n : inv.nodes)
    if (!n.control_plane) workers.push_back(&n);
  std::sort(workers.begin(), workers.end(), [](auto* a, auto* b) { return a->name < b->name; });
  std::vector<NodePlan> out;
  int batch = 0;
  for (const auto* n : order) {
    Role role = n->name == first.name ? Role::kFirstControlPlane : Role::kControlPlane;
    out.push_back({static_cast<int>(out.size()) + 1,
                   ++batch,
                   n->name,
                   role,
                   n->kubelet_version_text,
                   n->ready,
                   n->unschedulable,
                   n->os_image,
                   n->runtime,
                   steps_for(role, target),
                   {}});
  }
  for (std::size_t i = 0; i < workers.size(); ++i) {
    if (i % static_cast<std::size_t>(max_unavailable) == 0) ++batch;
    const auto* n = workers[i];
    out.push_back({static_cast<int>(out.size()) + 1,
                   batch,
                   n->name,
                   Role::kWorker,
                   n->kubelet_version_text,
                   n->ready,
                   n->unschedulable,
                   n->os_image,
                   n->runtime,
                   steps_for(Role::kWorker, target),
                   {}});
  }
  return out;
}

}  // namespace plan::internal
