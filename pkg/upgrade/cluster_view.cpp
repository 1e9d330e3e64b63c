#include "pkg/upgrade/cluster_view.h"

#include "pkg/kube/paths.h"

namespace upgrade {

const cluster::NodeInfo* ClusterView::node(const std::string& name) const {
  for (const auto& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

std::vector<std::pair<std::string, kver::Version>> ClusterView::api_servers() const {
  std::vector<std::pair<std::string, kver::Version>> out;
  for (const auto& p : control_plane_pods)
    if (p.component == "kube-apiserver" && p.version) out.emplace_back(p.node, *p.version);
  return out;
}

std::vector<std::string> ClusterView::components_not_at(const std::string& node,
                                                        const kver::Version& v) const {
  std::vector<std::string> out;
  for (const char* c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
    const cluster::ControlPlanePod* found = nullptr;
    for (const auto& p : control_plane_pods)
      if (p.node == node && p.component == c) found = &p;
    if (!found)
      out.push_back(std::string(c) + " (no mirror pod)");
    else if (!found->version || *found->version != v)
      out.push_back(std::string(c) + " runs " + found->image);
  }
  return out;
}

kube::Result<std::optional<kver::Version>> read_api_server_version(kube::Client& client) {
  auto v = client.get(kube::paths::version());
  if (!v) return std::unexpected(v.error().wrap("reading the API server's /version"));
  auto parsed = kver::parse(v->value("gitVersion", ""));
  if (!parsed) return std::optional<kver::Version>{};
  return std::optional<kver::Version>{*parsed};
}

kube::Result<std::optional<kver::Version>> read_cluster_version(kube::Client& client) {
  auto cm = client.get(kube::paths::config_map("kube-system", "kubeadm-config"));
  if (!cm && cm.error().not_found()) return std::optional<kver::Version>{};
  if (!cm) return std::unexpected(cm.error().wrap("reading ConfigMap kube-system/kubeadm-config"));
  return cluster::decode_kubeadm_config(*cm).kubernetes_version;
}

kube::Result<std::vector<cluster::ControlPlanePod>> read_control_plane_pods(kube::Client& client) {
  std::vector<cluster::ControlPlanePod> out;
  auto listed = client.list(kube::paths::pods("kube-system"),
                            {.label_selector = "tier=control-plane"}, [&](const kube::json& pod) {
                              if (auto cp = cluster::decode_control_plane_pod(pod))
                                out.push_back(*cp);
                              return true;
                            });
  if (!listed) return std::unexpected(listed.error().wrap("listing control-plane pods"));
  return out;
}

kube::Result<ClusterView> read_view(kube::Client& client) {
  ClusterView v;
  auto api = read_api_server_version(client);
  if (!api) return std::unexpected(api.error());
  v.api_server = *api;
  auto cfg = read_cluster_version(client);
  if (!cfg) return std::unexpected(cfg.error());
  v.cluster_version = *cfg;
  auto listed = client.list(kube::paths::nodes(), {}, [&](const kube::json& n) {
    v.nodes.push_back(cluster::decode_node(n));
    return true;
  });
  if (!listed) return std::unexpected(listed.error().wrap("listing nodes"));
  auto cps = read_control_plane_pods(client);
  if (!cps) return std::unexpected(cps.error());
  v.control_plane_pods = std::move(*cps);
  return v;
}

}  // namespace upgrade
