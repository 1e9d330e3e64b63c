#include "tests/sim/controllers/controllers.h"

#include <fmt/format.h>

#include <iostream>
#include <regex>

#include "tests/sim/controllers/object_access.h"
#include "tests/sim/controllers/shell_run.h"
#include "tests/sim/model/objects.h"

namespace sim {
namespace {

using controllers_detail::res;

using json = nlohmann::json;

std::string image_tag(const std::string& image) {
  auto slash = image.rfind('/');
  auto colon = image.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return {};
  return image.substr(colon + 1);
}

std::string first_image(const json& pod_spec) {
  const json containers = pod_spec.value("containers", json::array());
  return containers.empty() ? std::string() : containers[0].value("image", "");
}

}  // namespace

Controllers::Controllers(Cluster& cluster, NodeSide& node_side)
    : c_(cluster), node_side_(node_side) {}

Controllers::~Controllers() {
  stop();
}

void Controllers::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(tick_mu_);
  for (auto& [uid, run] : shells_) run->cancel = true;
  shells_.clear();  // joins each script's thread
}

WallTime Controllers::now() const {
  return instant_ ? as_of_ : std::chrono::system_clock::now();
}

bool Controllers::due(SteadyTime since, double scenario_seconds) const {
  return instant_ || std::chrono::steady_clock::now() - since >= c_.scaled(scenario_seconds);
}

int Controllers::tick() {
  std::lock_guard lock(tick_mu_);
  int writes = 0;
  if (!instant_) node_side_.tick(*this);
  writes += sync_nodes();
  writes += sync_mirror_pods();
  writes += sync_deployments();
  writes += sync_replicasets();
  writes += sync_daemonsets();
  writes += collect_garbage();
  writes += schedule();
  writes += run_kubelets();
  writes += finish_shell_pods();
  writes += sync_pdbs();
  return writes;
}

void Controllers::settle(WallTime as_of) {
  instant_ = true;
  as_of_ = as_of;
  for (int i = 0; i < 30; ++i) {
    if (tick() == 0) break;
  }
  instant_ = false;
}

void Controllers::start() {
  if (thread_.joinable() || !c_.scenario().sim.controllers) return;
  stop_ = false;
  thread_ = std::thread([this] {
    auto period =
        std::chrono::milliseconds(static_cast<int>(c_.scenario().sim.tick_seconds * 1000));
    while (!stop_) {
      auto next = std::chrono::steady_clock::now() + period;
      try {
        tick();
      } catch (const std::exception& e) {
        std::cerr << "kube-sim: controllers: " << e.what() << "\n";
      }
      while (!stop_ && std::chrono::steady_clock::now() < next) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  });
}

std::expected<ClusterOps::Versions, std::string> Controllers::read_cluster() {
  Versions v;
  auto cm = c_.store().get(res("configmaps"), "kube-system", "kubeadm-config");
  if (!cm) return std::unexpected("reading kube-system/kubeadm-config: " + cm.error().message);
  std::string cfg = cm->json().value("data", json::object()).value("ClusterConfiguration", "");
  std::smatch m;
  static const std::regex re(R"(kubernetesVersion:\s*(\S+))");
  if (std::regex_search(cfg, m, re)) v.kubernetes_version = m[1].str();
  auto sel = LabelSelector::parse("tier=control-plane");
  for (const auto& s : c_.store().all(res("pods"), "kube-system")) {
    const json& p = s.json();
    if (!sel->matches(p["metadata"].value("labels", json::object()))) continue;
    std::string component = p["metadata"]["labels"].value("component", "");
    std::string node = p["spec"].value("nodeName", "");
    std::string tag = image_tag(first_image(p["spec"]));
    v.component_versions[component][node] = tag;
    if (component == "kube-apiserver") v.api_server_versions[node] = tag;
  }
  for (const auto& s : c_.store().all(res("nodes"))) {
    v.kubelet_versions[s.json()["metadata"].value("name", "")] =
        s.json()["status"]["nodeInfo"].value("kubeletVersion", "");
  }
  if (auto ds = c_.store().get(res("daemonsets.apps"), "kube-system", "kube-proxy")) {
    v.kube_proxy_version = image_tag(first_image(ds->json()["spec"]["template"]["spec"]));
  }
  if (auto d = c_.store().get(res("deployments.apps"), "kube-system", "coredns")) {
    v.coredns_version = image_tag(first_image(d->json()["spec"]["template"]["spec"]));
  }
  return v;
}

void Controllers::api_outage(std::chrono::milliseconds duration) {
  const FaultSpec& f = c_.scenario().faults;
  if (!f.outage_on_kubeadm_apply) return;
  if (f.outage_refused_seconds > 0 || f.outage_unavailable_seconds > 0) {
    c_.trigger_outage(f.outage_refused_seconds, f.outage_unavailable_seconds);
    return;
  }
  // Like a restarting kube-apiserver behind its port: refused first, then 503 while it starts.
  double secs = static_cast<double>(duration.count()) / 1000.0 / c_.scenario().sim.time_scale;
  c_.trigger_outage(secs * 0.6, secs * 0.4);
}

std::expected<void, std::string> Controllers::set_kubeadm_config_version(
    const std::string& version) {
  auto r = c_.store().mutate(res("configmaps"), "kube-system", "kubeadm-config",
                             [&](json& cm) -> Result<void> {
                               std::string cfg = cm["data"].value("ClusterConfiguration", "");
                               static const std::regex re(R"(kubernetesVersion:\s*\S+)");
                               cm["data"]["ClusterConfiguration"] =
                                   std::regex_replace(cfg, re, "kubernetesVersion: " + version);
                               return {};
                             });
  if (!r) return std::unexpected("updating kube-system/kubeadm-config: " + r.error().message);
  return {};
}

std::expected<void, std::string> Controllers::set_kubelet_config(const std::string&,
                                                                 const std::string& yaml) {
  auto r = c_.store().mutate(res("configmaps"), "kube-system", "kubelet-config",
                             [&](json& cm) -> Result<void> {
                               cm["data"]["kubelet"] = yaml;
                               return {};
                             });
  if (!r) return std::unexpected("updating kube-system/kubelet-config: " + r.error().message);
  return {};
}

std::expected<void, std::string> Controllers::set_addon_images(const std::string& kube_proxy_image,
                                                               const std::string& coredns_image) {
  auto set_image = [](const std::string& image) {
    return [image](json& obj) -> Result<void> {
      obj["spec"]["template"]["spec"]["containers"][0]["image"] = image;
      return {};
    };
  };
  if (!kube_proxy_image.empty()) {
    auto r = c_.store().mutate(res("daemonsets.apps"), "kube-system", "kube-proxy",
                               set_image(kube_proxy_image));
    if (!r) return std::unexpected("updating kube-system/kube-proxy: " + r.error().message);
  }
  if (!coredns_image.empty()) {
    auto r = c_.store().mutate(res("deployments.apps"), "kube-system", "coredns",
                               set_image(coredns_image));
    if (!r) return std::unexpected("updating kube-system/coredns: " + r.error().message);
  }
  return {};
}

}  // namespace sim
