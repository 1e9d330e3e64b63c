// The kubeadm documentation's upgrade of ha.yaml from v1.35 to v1.36, done by hand: node-shell pods
// created with the real kubectl run the documented commands on each node's sandbox, drains are
// `kubectl drain`, and after each step `kubectl get nodes` and the control-plane pods' images say
// where the cluster is. Order: cp1 (apply), cp2, cp3 (node), then the workers.
#include <gtest/gtest.h>

#include "tests/e2e/simnode/node_shell.h"

namespace {

using e2e::SimCluster;
using namespace e2e::simnode;

struct NodeRole {
  std::string name;
  std::string pm;  // apt | dnf
  bool control_plane = false;
  bool first = false;
};

std::string repo_file(const std::string& pm) {
  return pm == "apt" ? "/etc/apt/sources.list.d/kubernetes.list"
                     : "/etc/yum.repos.d/kubernetes.repo";
}

// Step 0 (docs: change-package-repository.md): point the repo at the target minor and refresh.
std::string switch_repo(const std::string& pm, const std::string& minor) {
  std::string s = "set -e; sed -i 's#core:/stable:/v1\\.[0-9]*/#core:/stable:/" + minor + "/#' " +
                  repo_file(pm) + "; ";
  return s + (pm == "apt" ? "apt-get update" : "dnf makecache");
}

// Docs: apt-mark unhold && apt-get update && apt-get install -y kubeadm='1.36.x-*' && apt-mark
// hold, or yum install -y kubeadm-'1.36.x-*' --disableexcludes=kubernetes.
std::string install(const std::string& pm, const std::string& packages, const std::string& patch) {
  if (pm == "apt") {
    std::string args;
    for (std::size_t i = 0; i < packages.size();) {
      auto end = packages.find(' ', i);
      std::string p = packages.substr(i, end == std::string::npos ? std::string::npos : end - i);
      args += " " + p + "='" + patch + "-*'";
      i = end == std::string::npos ? packages.size() : end + 1;
    }
    return "set -e; apt-mark unhold " + packages + " && apt-get update && apt-get install -y" +
           args + " && apt-mark hold " + packages;
  }
  std::string args;
  for (std::size_t i = 0; i < packages.size();) {
    auto end = packages.find(' ', i);
    std::string p = packages.substr(i, end == std::string::npos ? std::string::npos : end - i);
    args += " " + p + "-'" + patch + "-*'";
    i = end == std::string::npos ? packages.size() : end + 1;
  }
  return "set -e; yum install -y" + args + " --disableexcludes=kubernetes";
}

class UpgradeByHand : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_KUBECTL();
    c = std::make_unique<SimCluster>("ha.yaml");
    ASSERT_TRUE(c->ready()) << c->start_error();
  }

  // The newest v1.36 patch the repo offers, as an operator reads it from apt-cache madison.
  std::string target_patch() {
    auto r = node_shell(*c, "cp1",
                        switch_repo("apt", "v1.36") +
                            " >/dev/null; apt-cache madison kubeadm | head -n 1 | awk -F'|' "
                            "'{gsub(/ /, \"\", $2); print $2}' | cut -d- -f1");
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    std::string patch = r.log.substr(0, r.log.find('\n'));
    EXPECT_TRUE(patch.starts_with("1.36.")) << r.describe();
    return patch;
  }

  void expect_get_nodes_row(const std::string& node, const std::string& status,
                            const std::string& version) {
    auto r = kubectl_retrying(*c, {"get", "nodes", "--no-headers"});
    ASSERT_EQ(r.exit_code, 0) << r.output();
    bool found = false;
    std::istringstream rows(r.out);
    for (std::string row; std::getline(rows, row);) {
      std::istringstream cols(row);
      std::string name, st, roles, age, ver;
      cols >> name >> st >> roles >> age >> ver;
      if (name != node) continue;
      found = true;
      EXPECT_EQ(st, status) << row;
      EXPECT_EQ(ver, version) << row;
    }
    EXPECT_TRUE(found) << r.out;
  }

  void expect_control_plane_images(const std::string& node, const std::string& version) {
    for (const char* comp : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
      std::string want = std::string("registry.k8s.io/") + comp + ":" + version;
      EXPECT_TRUE(SimCluster::eventually([&] { return mirror_pod_image(*c, comp, node) == want; }))
          << comp << "-" << node << " runs " << mirror_pod_image(*c, comp, node) << ", want "
          << want;
    }
  }

  void upgrade(const NodeRole& n, const std::string& patch) {
    SCOPED_TRACE("upgrading " + n.name);
    const std::string target = "v" + patch;
    auto r = node_shell(*c, n.name, switch_repo(n.pm, "v1.36"));
    ASSERT_EQ(r.exit_code, 0) << r.describe();

    r = node_shell(*c, n.name, install(n.pm, "kubeadm", patch) + "; kubeadm version -o short");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(r.log.ends_with(target + "\n")) << r.describe();

    if (n.first) {
      r = node_shell(*c, n.name,
                     "set -e; kubeadm upgrade plan " + target + "; kubeadm upgrade apply " +
                         target + " --yes");
      ASSERT_EQ(r.exit_code, 0) << r.describe();
      EXPECT_NE(
          r.log.find("[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"" +
                     target + "\""),
          std::string::npos)
          << r.describe();
    } else {
      r = node_shell(*c, n.name, "kubeadm upgrade node");
      ASSERT_EQ(r.exit_code, 0) << r.describe();
    }
    if (n.control_plane) expect_control_plane_images(n.name, target);
    expect_get_nodes_row(n.name, "Ready", "v1.35.2");

    auto drain = kubectl_retrying(*c,
                                  {"drain", n.name, "--ignore-daemonsets", "--delete-emptydir-data",
                                   "--force", "--timeout=120s"},
                                  std::chrono::seconds(150));
    ASSERT_EQ(drain.exit_code, 0) << drain.output();
    expect_get_nodes_row(n.name, "Ready,SchedulingDisabled", "v1.35.2");

    r = node_shell(*c, n.name, install(n.pm, "kubelet kubectl", patch) + "; kubelet --version");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(r.log.ends_with("Kubernetes " + target + "\n")) << r.describe();

    r = node_shell(*c, n.name, "systemctl daemon-reload && systemctl restart kubelet");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(SimCluster::eventually([&] {
      return kubelet_version(*c, n.name) == target && node_ready(*c, n.name);
    })) << n.name
        << " reports " << kubelet_version(*c, n.name);

    auto uncordon = kubectl_retrying(*c, {"uncordon", n.name});
    ASSERT_EQ(uncordon.exit_code, 0) << uncordon.output();
    expect_get_nodes_row(n.name, "Ready", target);
  }

  std::unique_ptr<SimCluster> c;
};

TEST_F(UpgradeByHand, HaFromV135ToV136InTheDocumentedOrder) {
  const std::string patch = target_patch();
  ASSERT_FALSE(HasFatalFailure());
  const std::string target = "v" + patch;
  const std::vector<NodeRole> order{{"cp1", "apt", true, true},
                                    {"cp2", "apt", true},
                                    {"cp3", "dnf", true},
                                    {"w1", "apt"},
                                    {"w2", "apt"},
                                    {"w3", "apt"},
                                    {"w4", "dnf"},
                                    {"w5", "dnf"}};
  for (const auto& n : order) {
    upgrade(n, patch);
    ASSERT_FALSE(HasFatalFailure()) << "stopped at " << n.name;
    if (n.name == "cp1") {
      auto version = kubectl_retrying(*c, {"version", "-o", "json"});
      EXPECT_NE(version.out.find("\"gitVersion\": \"" + target + "\""), std::string::npos)
          << version.out;
      auto cm = c->get("configmap", "kubeadm-config", "kube-system");
      EXPECT_NE(cm.dump().find("kubernetesVersion: " + target), std::string::npos) << cm.dump();
      auto proxy = c->get("daemonset", "kube-proxy", "kube-system");
      EXPECT_EQ(proxy.value("/spec/template/spec/containers/0/image"_json_pointer, std::string()),
                "registry.k8s.io/kube-proxy:v1.35.2")
          << "addons wait for every API server";
    }
    if (n.name == "cp3") {
      auto proxy = c->get("daemonset", "kube-proxy", "kube-system");
      EXPECT_TRUE(SimCluster::eventually([&] {
        return c->get("daemonset", "kube-proxy", "kube-system")
                   .value("/spec/template/spec/containers/0/image"_json_pointer, std::string()) ==
               "registry.k8s.io/kube-proxy:" + target;
      })) << "the last control plane's `kubeadm upgrade node` moves the addons";
    }
  }
  auto nodes = kubectl_retrying(*c, {"get", "nodes"});
  EXPECT_EQ(nodes.out.find("v1.35.2"), std::string::npos) << nodes.out;
}

}  // namespace
