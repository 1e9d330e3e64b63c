// Node-level faults from the scenario's `faults: nodes:` section, each shown happening.
#include <gtest/gtest.h>

#include "tests/e2e/simnode/node_shell.h"

namespace {

using e2e::SimCluster;
using e2e::SimOptions;
using namespace e2e::simnode;

std::unique_ptr<SimCluster> cluster_with(const std::string& faults_yaml) {
  SimOptions o;
  o.scenario_suffix = "faults:\n  nodes:\n" + faults_yaml;
  return std::make_unique<SimCluster>("ha.yaml", o);
}

TEST(NodeFaults, UnreachableRepo) {
  SKIP_WITHOUT_KUBECTL();
  auto c = cluster_with("    w1: {repoUnreachable: true}\n");
  ASSERT_TRUE(c->ready()) << c->start_error();
  auto update = node_shell(*c, "w1", "apt-get update");
  EXPECT_EQ(update.exit_code, 0) << "apt-get update only warns\n" << update.describe();
  EXPECT_NE(update.log.find("Could not resolve 'pkgs.k8s.io'"), std::string::npos)
      << update.describe();
  auto install =
      node_shell(*c, "w1", "apt-get install -y --allow-change-held-packages kubeadm=1.35.3-1.1");
  EXPECT_EQ(install.exit_code, 100) << install.describe();
  EXPECT_NE(install.message.find("E: Unable to fetch some archives"), std::string::npos)
      << install.describe();
}

TEST(NodeFaults, KubeletRestartFailsAndTheNodeStaysNotReady) {
  SKIP_WITHOUT_KUBECTL();
  auto c = cluster_with("    w2: {kubeletRestartFails: true}\n");
  ASSERT_TRUE(c->ready()) << c->start_error();
  auto r = node_shell(*c, "w2", "systemctl restart kubelet");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(SimCluster::eventually([&] { return !node_ready(*c, "w2"); }));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_FALSE(node_ready(*c, "w2")) << "it stays NotReady";
}

TEST(NodeFaults, ScriptKilledMidway) {
  SKIP_WITHOUT_KUBECTL();
  auto c = cluster_with("    w3: {killScriptAtCommand: \"kubeadm upgrade node\"}\n");
  ASSERT_TRUE(c->ready()) << c->start_error();
  auto r = node_shell(*c, "w3", "echo before; kubeadm upgrade node; echo after");
  EXPECT_EQ(r.exit_code, 137) << r.describe();
  EXPECT_EQ(r.log, "before\n") << r.describe();
}

TEST(NodeFaults, KubeadmApplyCrashesHalfWay) {
  SKIP_WITHOUT_KUBECTL();
  auto c = cluster_with("    cp1: {kubeadmApplyCrashes: true}\n");
  ASSERT_TRUE(c->ready()) << c->start_error();
  auto r = node_shell(
      *c, "cp1",
      "set -e; sed -i 's#v1.35/#v1.36/#' /etc/apt/sources.list.d/kubernetes.list; apt-get update "
      ">/dev/null; "
      "apt-mark unhold kubeadm >/dev/null; apt-get install -y kubeadm='1.36.0-*' >/dev/null; "
      "kubeadm upgrade apply v1.36.0 --yes");
  EXPECT_EQ(r.exit_code, 137) << r.describe();
  EXPECT_TRUE(SimCluster::eventually([&] {
    return mirror_pod_image(*c, "kube-apiserver", "cp1") ==
           "registry.k8s.io/kube-apiserver:v1.36.0";
  })) << "the API server manifest was rewritten before the crash";
  EXPECT_EQ(mirror_pod_image(*c, "kube-scheduler", "cp1"),
            "registry.k8s.io/kube-scheduler:v1.35.2");
  auto cm = c->get("configmap", "kubeadm-config", "kube-system");
  EXPECT_NE(cm.dump().find("kubernetesVersion: v1.35.2"), std::string::npos)
      << "kubeadm-config untouched";
}

}  // namespace
