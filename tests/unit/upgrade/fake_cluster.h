// A small kubeadm cluster in a FakeClient, and a NodeScriptRunner that plays the nodes: it records
// every script and applies its effect (repo minor, packages, kubeadm's changes to the cluster, the
// kubelet's restart) so the step machine's verifications see what a real cluster would show.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/drain/testing/builders.h"
#include "pkg/drain/testing/intercept_client.h"
#include "pkg/drain/testing/locked_client.h"
#include "pkg/kube/paths.h"
#include "pkg/kube/testing/fake_client.h"
#include "pkg/nodeshell/runner.h"

namespace upgrade::testing {

using json = nlohmann::json;
namespace paths = kube::paths;

struct SimNode {
  bool control_plane = false;
  bool admin_conf = false;
  std::string pm = "apt";
  std::string repo_minor = "v1.35";
  bool legacy = false;
  std::string kubeadm = "1.35.2";
  std::string kubelet_pkg = "1.35.2";
  std::string kubectl_pkg = "1.35.2";
  bool kubelet_comes_back = true;
};

class FakeCluster {
 public:
  FakeCluster() : locked(fake), client(locked) { set_version("v1.35.2"); }

  void set_version(const std::string& v) {
    fake.set_raw("/version", {{"gitVersion", v}, {"major", "1"}});
    json cm = {{"metadata", {{"name", "kubeadm-config"}}},
               {"data",
                {{"ClusterConfiguration",
                  "apiVersion: kubeadm.k8s.io/v1beta4\n"
                  "kind: ClusterConfiguration\n"
                  "kubernetesVersion: " +
                      v + "\n"}}}};
    if (fake.object(paths::config_map("kube-system", "kubeadm-config")))
      (void)fake.remove(paths::config_map("kube-system", "kubeadm-config"));
    fake.add("/api/v1/namespaces/kube-system/configmaps", cm);
  }

  void add_node(const std::string& name, SimNode n, const std::string& kubelet = "v1.35.2") {
    nodes[name] = n;
    fake.add(paths::nodes(), ku::testing::node_json(name, kubelet, true, n.control_plane));
    if (n.control_plane) set_mirror_pods(name, kubelet);
  }

  void set_mirror_pods(const std::string& node, const std::string& version) {
    for (const char* c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
      std::string name = std::string(c) + "-" + node;
      if (fake.object(paths::pod("kube-system", name)))
        (void)fake.remove(paths::pod("kube-system", name));
      json pod = ku::testing::PodBuilder(name)
                     .in("kube-system")
                     .on(node)
                     .mirror()
                     .label("component", c)
                     .label("tier", "control-plane");
      pod["spec"]["containers"][0]["image"] = "registry.k8s.io/" + std::string(c) + ":" + version;
      fake.add(paths::pods("kube-system"), pod);
    }
  }

  void add_pod(const json& pod) {
    fake.add(paths::pods(pod["metadata"]["namespace"].get<std::string>()), pod);
  }

  json node(const std::string& name) { return *fake.object(paths::node(name)); }
  std::string annotation(const std::string& node_name, const std::string& key) {
    return node(node_name)
        .value("/metadata/annotations"_json_pointer, json::object())
        .value(key, "");
  }
  bool unschedulable(const std::string& n) {
    return node(n).value("/spec/unschedulable"_json_pointer, false);
  }
  std::vector<std::string> event_reasons() {
    std::vector<std::string> out;
    for (const auto& c : fake.calls_with("CREATE"))
      if (c.path == paths::events("default")) out.push_back(c.body["reason"]);
    return out;
  }

  kube::testing::FakeClient fake;
  ku::testing::LockedClient locked;
  ku::testing::InterceptClient client;
  std::map<std::string, SimNode> nodes;
};

class FakeRunner : public nodeshell::NodeScriptRunner {
 public:
  explicit FakeRunner(FakeCluster& c) : cluster_(c) {}

  kube::Result<nodeshell::ScriptResult> run(const nodeshell::NodeScript& s,
                                            const nodeshell::ScriptEvents& events,
                                            std::stop_token stop) override {
    std::lock_guard lock(mu_);
    ran.push_back(s);
    if (auto it = fail.find(s.purpose); it != fail.end())
      return nodeshell::ScriptResult{"kube-system/x", it->second.first, "Error", it->second.second,
                                     it->second.second};
    if (stop_on == s.purpose && stop_source) stop_source->request_stop();
    if (stop.stop_requested())
      return std::unexpected(kube::Error::cancelled("stopped while the pod was running"));
    std::string out = effect(s, cluster_.nodes[s.node]);
    if (events.on_output) events.on_output(out.substr(0, out.find('\n')));
    return nodeshell::ScriptResult{"kube-system/kubectl-upgrade-" + s.purpose + "-1", 0,
                                   "Completed", "", out};
  }

  std::vector<std::string> purposes() const {
    std::vector<std::string> out;
    for (const auto& s : ran) out.push_back(s.purpose);
    return out;
  }

  std::vector<nodeshell::NodeScript> ran;
  std::map<std::string, std::pair<int, std::string>> fail;  // purpose -> exit code, message
  std::string target = "1.36.0";
  std::string stop_on;
  std::stop_source* stop_source = nullptr;

 private:
  static std::string available(const SimNode& n) {
    std::string minor = n.repo_minor.substr(1);  // "1.35"
    std::string list = minor + ".0-1.1 " + minor + ".1-1.1 " + minor + ".2-1.1 ";
    return "ku.available.kubeadm=" + list + "\nku.available.kubelet=" + list +
           "\nku.available.kubectl=" + list + "\n";
  }

  std::string effect(const nodeshell::NodeScript& s, SimNode& n) {
    std::string v = "v" + target;
    if (s.purpose == "gather-facts")
      return "ku.pkg.manager=" + n.pm +
             "\nku.repo.present=true\nku.repo.file=/etc/apt/sources.list.d/"
             "kubernetes.list\nku.repo.minor=" +
             n.repo_minor + "\nku.repo.legacy=" + (n.legacy ? "true" : "false") +
             "\nku.installed.kubeadm=" + n.kubeadm + "-1.1\nku.installed.kubelet=" + n.kubelet_pkg +
             "-1.1\nku.installed.kubectl=" + n.kubectl_pkg + "-1.1\n" + available(n) +
             "ku.bin.kubeadm=v" + n.kubeadm + "\nku.bin.kubelet=v" + n.kubelet_pkg +
             "\nku.bin.kubectl=v" + n.kubectl_pkg +
             "\nku.node.control_plane=" + (n.control_plane ? "true" : "false") +
             "\nku.node.admin_conf=" + (n.admin_conf ? "true" : "false") + "\nku.end=1\n";
    if (s.purpose == "switch-repo") {
      n.repo_minor = "v" + target.substr(0, target.rfind('.'));
      return "kubectl-upgrade: repo switched\nku.repo.minor=" + n.repo_minor + "\n" + available(n) +
             "ku.end=1\n";
    }
    if (s.purpose == "install-kubeadm") {
      n.kubeadm = target;
      return "Setting up kubeadm\nku.bin.kubeadm=" + v + "\nku.end=1\n";
    }
    if (s.purpose == "kubeadm-apply") {
      cluster_.set_version(v);
      cluster_.set_mirror_pods(s.node, v);
      return "[upgrade/successful] SUCCESS!\n";
    }
    if (s.purpose == "kubeadm-node") {
      if (n.control_plane) cluster_.set_mirror_pods(s.node, v);
      return "[upgrade] The configuration for this node was successfully updated!\n";
    }
    if (s.purpose == "install-kubelet") {
      n.kubelet_pkg = n.kubectl_pkg = target;
      return "Setting up kubelet\nku.bin.kubelet=" + v + "\nku.bin.kubectl=" + v + "\nku.end=1\n";
    }
    if (s.purpose == "restart-kubelet") {
      json status = {{"status", {{"nodeInfo", {{"kubeletVersion", v}}}}}};
      if (!n.kubelet_comes_back)
        status["status"]["conditions"] =
            json::array({{{"type", "Ready"}, {"status", "False"}, {"reason", "KubeletNotReady"}}});
      (void)cluster_.locked.patch(paths::node(s.node), kube::PatchType::kMerge, status);
      return "";
    }
    return "";
  }

  FakeCluster& cluster_;
  std::mutex mu_;
};

}  // namespace upgrade::testing
