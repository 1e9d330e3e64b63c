// The documented commands in the wrong order fail as the real ones do: a worker first, a skipped
// minor, a held package, apply without --yes, a shell pod without privileges.
#include <gtest/gtest.h>

#include "tests/e2e/simnode/node_shell.h"

namespace {

using e2e::SimCluster;
using namespace e2e::simnode;

const char* kToV136 =
    "set -e; sed -i 's#core:/stable:/v1.35/#core:/stable:/v1.36/#' "
    "/etc/apt/sources.list.d/kubernetes.list; "
    "apt-get update >/dev/null; ";

class WrongOrder : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_KUBECTL();
    c = std::make_unique<SimCluster>("ha.yaml");
    ASSERT_TRUE(c->ready()) << c->start_error();
  }
  std::unique_ptr<SimCluster> c;
};

TEST_F(WrongOrder, HeldPackageRefusesTheInstall) {
  auto r = node_shell(*c, "w1", std::string(kToV136) + "apt-get install -y kubeadm='1.36.0-*'");
  EXPECT_EQ(r.exit_code, 100) << r.describe();
  EXPECT_NE(
      r.message.find(
          "E: Held packages were changed and -y was used without --allow-change-held-packages."),
      std::string::npos)
      << "FallbackToLogsOnError carries apt's error\n"
      << r.describe();
}

TEST_F(WrongOrder, RepoStillOnTheOldMinor) {
  auto r = node_shell(
      *c, "w1",
      "apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm=1.36.0-1.1");
  EXPECT_EQ(r.exit_code, 100) << r.describe();
  EXPECT_NE(r.log.find("E: Version '1.36.0-1.1' for 'kubeadm' was not found"), std::string::npos)
      << r.describe();
}

TEST_F(WrongOrder, SkippingAMinorIsRefusedByKubeadm) {
  auto r = node_shell(
      *c, "cp1",
      "set -e; sed -i 's#core:/stable:/v1.35/#core:/stable:/v1.37/#' "
      "/etc/apt/sources.list.d/kubernetes.list; "
      "apt-get update >/dev/null; apt-mark unhold kubeadm >/dev/null; "
      "apt-get install -y kubeadm='1.37.0-*' >/dev/null; kubeadm upgrade apply v1.37.0 --yes");
  if (r.log.find("for 'kubeadm' was not found") != std::string::npos || r.exit_code == 100)
    GTEST_SKIP() << "this sim's repo has no v1.37: " << r.describe();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.log.find("Specified version to upgrade to \"v1.37.0\" is too high; kubeadm can "
                       "upgrade only 1 minor "
                       "version at a time"),
            std::string::npos)
      << r.describe();
  EXPECT_EQ(mirror_pod_image(*c, "kube-apiserver", "cp1"),
            "registry.k8s.io/kube-apiserver:v1.35.2");
}

TEST_F(WrongOrder, ApplyWithAnOldKubeadm) {
  auto r = node_shell(*c, "cp1", "kubeadm upgrade apply v1.36.0 --yes");
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(
      r.log.find("is at least one minor release higher than the kubeadm minor release (36 > 35)"),
      std::string::npos)
      << r.describe();
}

TEST_F(WrongOrder, ApplyWithoutYesFailsOnEof) {
  auto r = node_shell(
      *c, "cp1",
      std::string(kToV136) +
          "apt-mark unhold kubeadm >/dev/null; apt-get install -y kubeadm='1.36.0-*' >/dev/null; "
          "kubeadm upgrade apply v1.36.0");
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.log.find("won't proceed; the user didn't answer (Y|y) in order to continue"),
            std::string::npos)
      << r.describe();
}

TEST_F(WrongOrder, WorkerFirstLeavesItsKubeletDown) {
  auto r = node_shell(
      *c, "w1",
      std::string(kToV136) +
          "apt-mark unhold kubeadm kubelet kubectl >/dev/null; "
          "apt-get install -y kubeadm='1.36.0-*' kubelet='1.36.0-*' kubectl='1.36.0-*' >/dev/null; "
          "kubeadm upgrade node; systemctl daemon-reload; systemctl restart kubelet");
  ASSERT_EQ(r.exit_code, 0) << "every command succeeds, as on a real node\n" << r.describe();
  EXPECT_TRUE(SimCluster::eventually([&] { return !node_ready(*c, "w1"); }))
      << "a kubelet newer than every API server does not come back";
  auto nodes = kubectl_retrying(*c, {"get", "nodes", "w1", "--no-headers"});
  EXPECT_NE(nodes.out.find("NotReady"), std::string::npos) << nodes.output();
  EXPECT_NE(nodes.out.find("v1.35.2"), std::string::npos) << "the new kubelet never registered\n"
                                                          << nodes.output();
  // With its kubelet down the node runs no new pod, as a real one: no shell can look at it now.
}

TEST_F(WrongOrder, ShellWithoutPrivilegesCannotEnterTheHost) {
  ShellOptions o;
  o.privileged = false;
  auto r = node_shell(*c, "w1", "kubeadm version -o short", o);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(r.message, "nsenter: cannot open /proc/1/ns/ipc: Permission denied\n") << r.describe();
}

}  // namespace
