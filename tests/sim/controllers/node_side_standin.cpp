// The stand-in node side, for a kube-sim built without ku_simnode: writes the files the cluster
// side reads (static pod manifests, kubelet.json, packages.json, the package universe) and fails
// node-shell pods with a plain message instead of pretending they ran.
#include <fmt/format.h>

#include <fstream>

#include "tests/sim/controllers/node_side.h"

namespace sim {
namespace {

namespace fs = std::filesystem;

std::expected<void, std::string> write(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::trunc);
  if (!(out << text)) return std::unexpected("cannot write " + p.string());
  return {};
}

std::string manifest(const std::string& component, const std::string& image,
                     const std::string& ip) {
  return fmt::format(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    component: {0}\n    tier: "
      "control-plane\n"
      "  name: {0}\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - {0}\n"
      "    - --advertise-address={2}\n    image: {1}\n    imagePullPolicy: IfNotPresent\n    name: "
      "{0}\n"
      "  hostNetwork: true\n  priority: 2000001000\n  priorityClassName: system-node-critical\n",
      component, image, ip);
}

class StandIn : public NodeSide {
 public:
  explicit StandIn(fs::path state_dir) : dir_(std::move(state_dir)) {}

  std::expected<void, std::string> lay_out(const Scenario& s) override {
    nlohmann::json universe = package_universe();
    if (auto ok = write(dir_ / "repo" / "versions.json", universe.dump(2)); !ok) return ok;
    for (const auto& n : s.nodes) {
      fs::path root = node_root(dir_, n.name);
      nlohmann::json kubelet = {
          {"version", n.kubelet_version}, {"state", "running"}, {"since", "2026-10-12T08:00:00Z"}};
      if (auto ok = write(root / "var/lib/kube-sim/kubelet.json", kubelet.dump()); !ok) return ok;
      nlohmann::json packages = nlohmann::json::object();
      for (const auto& [name, version] : n.packages) {
        bool held = std::find(n.holds.begin(), n.holds.end(), name) != n.holds.end();
        packages[name] = {{"version", version}, {"held", held}};
      }
      if (auto ok = write(root / "var/lib/kube-sim/packages.json", packages.dump(2)); !ok)
        return ok;
      if (!n.control_plane) continue;
      const auto& c = s.cluster;
      for (const auto& [component, tag] : std::vector<std::pair<std::string, std::string>>{
               {"etcd", c.etcd_version},
               {"kube-apiserver", c.kubernetes_version},
               {"kube-controller-manager", c.kubernetes_version},
               {"kube-scheduler", c.kubernetes_version}}) {
        std::string image = c.image_repository + "/" + component + ":" + tag;
        if (auto ok = write(root / "etc/kubernetes/manifests" / (component + ".yaml"),
                            manifest(component, image, n.internal_ip));
            !ok)
          return ok;
      }
    }
    return {};
  }

  bool is_node_shell_pod(const nlohmann::json& pod) const override {
    const auto& containers = pod["spec"].value("containers", nlohmann::json::array());
    if (containers.empty()) return false;
    const auto& cmd = containers[0].value("command", nlohmann::json::array());
    return !cmd.empty() && cmd[0].is_string() &&
           fs::path(cmd[0].get<std::string>()).filename() == "nsenter";
  }

  ShellOutcome run_pod(const std::string&, const nlohmann::json&,
                       const std::function<void(std::string_view)>& sink,
                       const std::atomic<bool>&) override {
    std::string message =
        "node shell not available in this kube-sim build (built without tests/sim/node)\n";
    if (sink) sink(message);
    return {.exit_code = 1, .reason = "Error", .message = message};
  }

  void tick(ClusterOps&) override {}
  std::expected<void, std::string> set_faults(const Scenario&, const nlohmann::json&) override {
    return std::unexpected(
        "node faults need kube-sim built with the node side (tests/sim/node, ku_simnode)");
  }

  bool real() const override { return false; }

 private:
  fs::path dir_;
};

}  // namespace

#ifndef KU_SIM_WITH_NODE
std::unique_ptr<NodeSide> make_node_side(const std::filesystem::path& state_dir) {
  return std::make_unique<StandIn>(state_dir);
}
#else
std::unique_ptr<NodeSide> make_standin_node_side(const std::filesystem::path& state_dir) {
  return std::make_unique<StandIn>(state_dir);
}
#endif

}  // namespace sim
