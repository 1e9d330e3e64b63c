#include "tests/sim/node/cluster_effects.h"

#include <fmt/format.h>

#include "tests/sim/node/kubelet_restart.h"
#include "tests/sim/node/layout.h"
#include "tests/sim/node/manifests.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/requests.h"
#include "tests/sim/node/semver.h"

namespace sim::node {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr double kDefaultApiOutageSeconds = 3.0;

json failure(const std::string& message) {
  return {{"ok", false}, {"message", message}};
}

json versions_json(const ClusterVersions& v) {
  return {{"ok", true},
          {"kubernetesVersion", v.kubernetes_version},
          {"apiServerVersions", v.api_server_versions},
          {"kubeletVersions", v.kubelet_versions},
          {"kubeProxyVersion", v.kube_proxy_version},
          {"corednsVersion", v.coredns_version},
          {"componentVersions", v.component_versions},
          {"notReadyControlPlanes", v.not_ready_control_planes}};
}

// Addons move once every kube-apiserver runs the target (kubeadm >= 1.28). The requesting node's
// own API server counts as upgraded: kubeadm waited for its new static pod before this point.
json upgrade_addons_if_ready(ClusterEffects& effects, const std::string& node,
                             const std::string& version) {
  auto cluster = effects.read_cluster();
  if (!cluster) return failure("reading the cluster for the addons: " + cluster.error());
  auto target = parse_semver(version);
  std::vector<std::string> behind;
  for (auto& [cp, v] : cluster->api_server_versions) {
    auto have = parse_semver(v);
    if (cp != node && (!have || !target || *have != *target)) behind.push_back(cp);
  }
  if (!behind.empty()) {
    std::string list;
    for (auto& b : behind) list += (list.empty() ? "" : " ") + b;
    return {
        {"ok", true},
        {"addonsUpgraded", false},
        {"message",
         fmt::format("[upgrade/addons] skip upgrade addons because control plane instances [{}] "
                     "have not been upgraded",
                     list)}};
  }
  AddonImages images{"registry.k8s.io/kube-proxy:" + version,
                     "registry.k8s.io/coredns/coredns:" + coredns_version_for(version)};
  if (auto r = effects.set_addon_images(images); !r)
    return failure("upgrading the addons: " + r.error());
  return {
      {"ok", true},
      {"addonsUpgraded", true},
      {"message",
       "[addons] Applied essential addon: CoreDNS\n[addons] Applied essential addon: kube-proxy"}};
}

double scale_of(const fs::path& state_dir, const std::string& node, double* outage_seconds) {
  auto j = read_json(node_paths(state_dir, node).sim_json);
  NodeSpec spec = j ? spec_from_json(*j) : NodeSpec{};
  *outage_seconds = spec.faults.api_outage_seconds > 0 ? spec.faults.api_outage_seconds
                                                       : kDefaultApiOutageSeconds;
  return spec.time_scale;
}

// kubeadm-apply runs in two ticks: start the API outage, and answer once it is over.
std::optional<json> kubeadm_apply(const fs::path& state_dir, const fs::path& request,
                                  const json& req, ClusterEffects& effects, Clock::time_point now) {
  std::string node = req.value("node", request.parent_path().filename().string());
  std::string version = req.value("version", "");
  if (!parse_semver(version))
    return failure(fmt::format("kubeadm-apply: {:?} is not a version", version));
  auto state = read_json(state_file(request));
  if (!state) {
    double outage_s = 0;
    double scale = scale_of(state_dir, node, &outage_s);
    auto outage = std::chrono::milliseconds(static_cast<long long>(outage_s * scale * 1000));
    effects.api_outage(outage);
    write_json(state_file(request), {{"phase", "outage"}, {"until", rfc3339(now + outage)}});
    return std::nullopt;
  }
  if (now < parse_rfc3339(state->value("until", ""))) return std::nullopt;
  if (auto r = effects.set_kubeadm_config_version(version); !r)
    return failure("updating kubeadm-config: " + r.error());
  if (auto r = effects.set_kubelet_config(version, kubelet_config_yaml()); !r)
    return failure("updating kubelet-config: " + r.error());
  return upgrade_addons_if_ready(effects, node, version);
}

std::optional<json> answer(const fs::path& state_dir, const fs::path& request,
                           ClusterEffects& effects, Clock::time_point now) {
  auto req = read_json(request);
  if (!req) return failure(req.error());
  std::string action = req->value("action", "");
  if (action == "read-cluster") {
    auto v = effects.read_cluster();
    return v ? versions_json(*v) : failure(v.error());
  }
  if (action == "kubeadm-apply") return kubeadm_apply(state_dir, request, *req, effects, now);
  if (action == "kubeadm-node") {
    std::string node = req->value("node", request.parent_path().filename().string());
    return upgrade_addons_if_ready(effects, node, req->value("version", ""));
  }
  return failure(fmt::format("unknown action {:?}", action));
}

}  // namespace

TickReport process_requests(const fs::path& state_dir, ClusterEffects& effects,
                            Clock::time_point now) {
  TickReport report;
  std::error_code ec;
  for (auto& node_dir : fs::directory_iterator(state_dir / "requests", ec)) {
    if (!node_dir.is_directory()) continue;
    std::vector<fs::path> pending;
    for (auto& f : fs::directory_iterator(node_dir.path(), ec))
      if (is_request_file(f.path()) && !fs::exists(done_file(f.path())))
        pending.push_back(f.path());
    std::sort(pending.begin(), pending.end());
    for (auto& request : pending) {
      auto a = answer(state_dir, request, effects, now);
      if (!a) continue;
      if (auto w = write_json(done_file(request), *a); !w) {
        report.problems.push_back(w.error());
        continue;
      }
      ++report.requests_answered;
    }
  }
  advance_kubelets(state_dir, effects, now, report);
  return report;
}

}  // namespace sim::node
