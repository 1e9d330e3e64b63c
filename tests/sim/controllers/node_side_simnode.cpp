// The real node side (tests/sim/node): node roots, bubblewrap node-shell pods, request files.
#include <fmt/format.h>

#include "tests/sim/controllers/node_side.h"
#include "tests/sim/node/cluster_effects.h"
#include "tests/sim/node/layout.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/run_pod.h"
#include "tests/sim/node/spec.h"

namespace sim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string bare(const std::string& package_version) {
  std::string v = package_version.substr(0, package_version.find('-'));
  return v.empty() ? v : "v" + v;
}

node::Faults node_faults(const json& all, const std::string& node) {
  node::Faults f;
  for (const char* key : {"*", node.c_str()}) {
    if (!all.is_object() || !all.contains(key) || !all[key].is_object()) continue;
    const json& j = all[key];
    f.repo_unreachable = j.value("repoUnreachable", f.repo_unreachable);
    f.kubelet_restart_seconds = j.value("kubeletRestartSeconds", f.kubelet_restart_seconds);
    f.kubelet_restart_fails = j.value("kubeletRestartFails", f.kubelet_restart_fails);
    f.kill_script_after_seconds = j.value("killScriptAfterSeconds", f.kill_script_after_seconds);
    f.kill_script_at_command = j.value("killScriptAtCommand", f.kill_script_at_command);
    f.kubeadm_apply_crashes = j.value("kubeadmApplyCrashes", f.kubeadm_apply_crashes);
    f.api_outage_seconds = j.value("apiOutageSeconds", f.api_outage_seconds);
  }
  return f;
}

node::NodeSpec to_node_spec(const Scenario& s, const NodeSpec& n) {
  node::NodeSpec spec;
  spec.name = n.name;
  spec.control_plane = n.control_plane;
  spec.first_control_plane = n.first_control_plane;
  spec.kubernetes_version = s.cluster.kubernetes_version;
  spec.kubelet_version = n.kubelet_version;
  auto pkg = [&](const char* name) {
    auto it = n.packages.find(name);
    return it == n.packages.end() ? std::string() : bare(it->second);
  };
  spec.kubeadm_version = pkg("kubeadm");
  spec.kubectl_version = pkg("kubectl");
  spec.repo_minor = n.repo_minor;
  spec.legacy_repo = n.legacy_repo;
  spec.held = !n.holds.empty();
  spec.package_manager = node::package_manager_from(n.package_manager);
  spec.os_image = n.os_image;
  spec.internal_ip = n.internal_ip;
  spec.time_scale = s.sim.time_scale;
  spec.faults = node_faults(s.faults.node_faults, n.name);
  return spec;
}

class Effects : public node::ClusterEffects {
 public:
  explicit Effects(ClusterOps& ops) : ops_(ops) {}
  std::expected<node::ClusterVersions, std::string> read_cluster() override {
    auto v = ops_.read_cluster();
    if (!v) return std::unexpected(v.error());
    node::ClusterVersions out;
    out.kubernetes_version = v->kubernetes_version;
    out.api_server_versions = v->api_server_versions;
    out.kubelet_versions = v->kubelet_versions;
    out.kube_proxy_version = v->kube_proxy_version;
    out.coredns_version = v->coredns_version;
    out.component_versions = v->component_versions;
    return out;
  }
  void api_outage(std::chrono::milliseconds d) override { ops_.api_outage(d); }
  std::expected<void, std::string> set_kubeadm_config_version(const std::string& v) override {
    return ops_.set_kubeadm_config_version(v);
  }
  std::expected<void, std::string> set_kubelet_config(const std::string& v,
                                                      const std::string& yaml) override {
    return ops_.set_kubelet_config(v, yaml);
  }
  std::expected<void, std::string> set_addon_images(const node::AddonImages& images) override {
    return ops_.set_addon_images(images.kube_proxy, images.coredns);
  }

 private:
  ClusterOps& ops_;
};

class RealNodeSide : public NodeSide {
 public:
  explicit RealNodeSide(fs::path dir) : dir_(std::move(dir)) {}

  std::expected<void, std::string> lay_out(const Scenario& s) override {
    node::RepoUniverse u;
    u.versions_by_minor = package_universe();
    if (auto ok = node::write_universe(dir_, u); !ok) return ok;
    for (const auto& n : s.nodes) {
      if (auto ok = node::lay_out(dir_, to_node_spec(s, n)); !ok)
        return std::unexpected("node " + n.name + ": " + ok.error());
    }
    return {};
  }

  bool is_node_shell_pod(const json& pod) const override { return node::is_node_shell_pod(pod); }

  ShellOutcome run_pod(const std::string& node_name, const json& pod,
                       const std::function<void(std::string_view)>& sink,
                       const std::atomic<bool>& cancel) override {
    node::NodeEnv env;
    env.state_dir = dir_;
    env.node = node_name;
    node::PodOutcome o = node::run_pod(env, pod, sink, cancel);
    ShellOutcome out;
    out.exit_code = o.exit_code;
    out.reason = o.deadline_exceeded ? "DeadlineExceeded" : o.reason;
    out.message = o.message;
    out.cancelled = o.cancelled;
    return out;
  }

  void tick(ClusterOps& ops) override {
    Effects effects(ops);
    node::process_requests(dir_, effects);
  }

  std::expected<void, std::string> set_faults(const Scenario& s, const json& node_faults) override {
    std::vector<std::pair<node::NodeSpec, node::Faults>> changes;
    for (const auto& n : s.nodes) {
      auto faults = node::faults_for(node_faults, n.name);
      if (!faults) return std::unexpected(faults.error());
      auto current = node::read_json(node::node_paths(dir_, n.name).sim_json);
      if (!current) return std::unexpected("node " + n.name + ": " + current.error());
      changes.emplace_back(node::spec_from_json(*current), *faults);
    }
    for (auto& [spec, faults] : changes) {
      spec.faults = faults;
      if (auto w = node::write_sim_json(dir_, spec); !w)
        return std::unexpected("node " + spec.name + ": " + w.error());
    }
    return {};
  }

  bool real() const override { return true; }

 private:
  fs::path dir_;
};

}  // namespace

std::unique_ptr<NodeSide> make_node_side(const std::filesystem::path& state_dir) {
  return std::make_unique<RealNodeSide>(state_dir);
}

}  // namespace sim
