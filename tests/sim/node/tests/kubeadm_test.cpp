// kubeadm version / upgrade plan / apply / node, with the cluster answered by process_requests()
// over a recording fake.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/manifests.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;

// An HA cluster at v1.35.2: cp1 (first), cp2, w1.
class KubeadmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f.add(f.control_plane("cp1", true));
    f.add(f.control_plane("cp2"));
    f.add(f.worker("w1"));
    f.sync_versions_from_specs("v1.35.2");
    f.start_cluster();
  }
  void install_kubeadm(const std::string& node, const std::string& version) {
    auto pkgs = read_packages(f.root(node));
    (*pkgs)["kubeadm"].version = version + "-1.1";
    ASSERT_TRUE(write_packages(f.root(node), *pkgs));
  }
  std::string image_tag(const std::string& node, const std::string& component) {
    return manifest_image_tag(f.read(node, "etc/kubernetes/manifests/" + component + ".yaml"));
  }
  NodeFixture f;
};

TEST_F(KubeadmTest, VersionShortIsTheInstalledPackage) {
  install_kubeadm("cp1", "1.36.2");
  auto r = f.run("cp1", {"kubeadm", "version", "-o", "short"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "v1.36.2\n");
}

struct ApplyCase {
  std::string name;
  std::string kubeadm;  // installed kubeadm
  std::vector<std::string> command;
  int exit_code;
  std::string error;
};

class KubeadmApplyRefusal : public KubeadmTest, public ::testing::WithParamInterface<ApplyCase> {};

TEST_P(KubeadmApplyRefusal, RefusesAndLeavesTheManifests) {
  const ApplyCase& c = GetParam();
  install_kubeadm("cp1", c.kubeadm);
  auto r = f.run("cp1", c.command);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr(c.error));
  EXPECT_THAT(r.err,
              HasSubstr("To see the stack trace of this error execute with --v=5 or higher"));
  EXPECT_EQ(image_tag("cp1", "kube-apiserver"), "v1.35.2");
  EXPECT_TRUE(f.cluster.snapshot().kubernetes_version == "v1.35.2");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KubeadmApplyRefusal,
    ::testing::Values(ApplyCase{"target above kubeadm's minor",
                                "1.35.2",
                                {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"},
                                1,
                                "Specified version to upgrade to \"v1.36.2\" is at least one minor "
                                "release higher than the kubeadm "
                                "minor release (36 > 35). Such an upgrade is not supported"},
                      ApplyCase{"skipping a minor",
                                "1.37.1",
                                {"kubeadm", "upgrade", "apply", "v1.37.1", "--yes"},
                                1,
                                "Specified version to upgrade to \"v1.37.1\" is too high; kubeadm "
                                "can upgrade only 1 minor version at "
                                "a time"},
                      ApplyCase{"target patch above kubeadm's without --force",
                                "1.36.1",
                                {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"},
                                1,
                                "Specified version to upgrade to \"v1.36.2\" is higher than the "
                                "kubeadm version \"v1.36.1\". Upgrade "
                                "kubeadm first using the tool you used to install kubeadm\n\nCan "
                                "be bypassed if you pass the --force flag"},
                      ApplyCase{
                          "no --yes and stdin at EOF",
                          "1.36.2",
                          {"kubeadm", "upgrade", "apply", "v1.36.2"},
                          1,
                          "won't proceed; the user didn't answer (Y|y) in order to continue"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST_F(KubeadmTest, ApplyRewritesManifestsAndUpdatesTheCluster) {
  install_kubeadm("cp1", "1.36.2");
  auto r = f.run("cp1", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"v1.36.2\"."));
  for (const char* c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"})
    EXPECT_EQ(image_tag("cp1", c), "v1.36.2") << c;
  EXPECT_EQ(image_tag("cp1", "etcd"), etcd_version_for("v1.36.2"));
  EXPECT_EQ(image_tag("cp2", "kube-apiserver"), "v1.35.2");
  bool backup = false;
  for (auto& e : fs::directory_iterator(f.root("cp1") / "etc/kubernetes/tmp"))
    backup |= e.path().filename().string().starts_with("kubeadm-backup-manifests-") &&
              fs::exists(e.path() / "kube-apiserver.yaml");
  EXPECT_TRUE(backup);
  ClusterVersions v = f.cluster.snapshot();
  EXPECT_EQ(v.kubernetes_version, "v1.36.2");
  std::lock_guard l(f.cluster.mu);
  ASSERT_EQ(f.cluster.outages.size(), 1u);
  EXPECT_EQ(f.cluster.outages[0], std::chrono::milliseconds(30))
      << "3 s default outage at time scale 0.01";
  EXPECT_EQ(f.cluster.kubelet_config_versions, std::vector<std::string>{"v1.36.2"});
  EXPECT_TRUE(f.cluster.addon_images.empty()) << "cp2's API server is still v1.35.2";
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "skip upgrade addons because control plane instances [cp2] have not been upgraded"));
}

TEST_F(KubeadmTest, ApplyIsIdempotent) {
  install_kubeadm("cp1", "1.36.2");
  ASSERT_EQ(f.run("cp1", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"}).exit_code, 0);
  ClusterVersions v = f.cluster.snapshot();
  v.api_server_versions["cp1"] = "v1.36.2";
  f.cluster.set_versions(v);
  auto again = f.run("cp1", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out,
              HasSubstr("Current and new manifests of kube-apiserver are equal, skipping upgrade"));
}

TEST_F(KubeadmTest, ApplyOnAWorkerHasNoAdminKubeconfig) {
  install_kubeadm("w1", "1.36.2");
  auto r = f.run("w1", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("open /etc/kubernetes/admin.conf: no such file or directory"));
}

TEST_F(KubeadmTest, ApplyCrashFaultLeavesAHalfUpgradedControlPlane) {
  NodeSpec s = f.specs["cp1"];
  s.faults.kubeadm_apply_crashes = true;
  f.add(s);
  install_kubeadm("cp1", "1.36.2");
  auto r = f.run("cp1", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"});
  EXPECT_EQ(r.exit_code, 137);
  EXPECT_EQ(image_tag("cp1", "kube-apiserver"), "v1.36.2");
  EXPECT_EQ(image_tag("cp1", "kube-scheduler"), "v1.35.2");
  EXPECT_EQ(f.cluster.snapshot().kubernetes_version, "v1.35.2");
}

TEST_F(KubeadmTest, PlanJsonIsAnUpgradePlan) {
  install_kubeadm("cp1", "1.36.2");
  auto r = f.run("cp1", {"kubeadm", "upgrade", "plan", "v1.36.2", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto plan = nlohmann::json::parse(r.out);
  EXPECT_EQ(plan["kind"], "UpgradePlan");
  EXPECT_EQ(plan["apiVersion"], "output.kubeadm.k8s.io/v1alpha3");
  bool found = false;
  for (auto& c : plan["availableUpgrades"][0]["components"])
    if (c["name"] == "kube-apiserver" && c["nodeName"] == "cp2") {
      found = true;
      EXPECT_EQ(c["currentVersion"], "v1.35.2");
      EXPECT_EQ(c["newVersion"], "v1.36.2");
    }
  EXPECT_TRUE(found) << r.out;
}

TEST_F(KubeadmTest, PlanTextEndsWithTheApplyCommand) {
  install_kubeadm("cp1", "1.36.2");
  auto r = f.run("cp1", {"kubeadm", "upgrade", "plan", "v1.36.2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\tkubeadm upgrade apply v1.36.2\n"));
}

TEST_F(KubeadmTest, NodeOnAWorkerWritesOnlyTheKubeletConfig) {
  install_kubeadm("w1", "1.36.2");
  auto r = f.run("w1", {"kubeadm", "upgrade", "node"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("[upgrade/control-plane] Skipping phase. Not a control plane node."));
  EXPECT_THAT(r.out,
              HasSubstr("[upgrade] The configuration for this node was successfully upgraded!"));
}

TEST_F(KubeadmTest, NodeOnTheLastControlPlaneUpgradesTheAddons) {
  install_kubeadm("cp1", "1.36.2");
  ASSERT_EQ(f.run("cp1", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"}).exit_code, 0);
  ClusterVersions v = f.cluster.snapshot();
  v.api_server_versions["cp1"] = "v1.36.2";  // the mirror pod followed the manifest
  f.cluster.set_versions(v);
  install_kubeadm("cp2", "1.36.2");
  auto r = f.run("cp2", {"kubeadm", "upgrade", "node"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(image_tag("cp2", "kube-apiserver"), "v1.36.2");
  std::lock_guard l(f.cluster.mu);
  ASSERT_EQ(f.cluster.addon_images.size(), 1u);
  EXPECT_EQ(f.cluster.addon_images[0].kube_proxy, "registry.k8s.io/kube-proxy:v1.36.2");
}

TEST_F(KubeadmTest, NodeOnAControlPlaneWithAnOldKubeadmRefuses) {
  ClusterVersions v = f.cluster.snapshot();
  v.kubernetes_version = "v1.36.2";
  f.cluster.set_versions(v);
  auto r = f.run("cp2", {"kubeadm", "upgrade", "node"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(
      r.err,
      HasSubstr("at least one minor release higher than the kubeadm minor release (36 > 35)"));
}

}  // namespace
}  // namespace sim::node::testing

namespace sim::node::testing {
namespace {

struct HealthCase {
  std::string name;
  std::vector<std::string> command;
  int exit_code;
};

class KubeadmHealth : public ::testing::TestWithParam<HealthCase> {};

TEST_P(KubeadmHealth, NotReadyControlPlaneBlocksPlanAndApply) {
  const HealthCase& c = GetParam();
  NodeFixture f;
  f.add(f.control_plane("cp1", true));
  f.add(f.control_plane("cp2"));
  f.sync_versions_from_specs("v1.35.2");
  ClusterVersions v = f.cluster.snapshot();
  v.not_ready_control_planes = {"cp2"};
  f.cluster.set_versions(v);
  f.start_cluster();
  auto pkgs = read_packages(f.root("cp1"));
  (*pkgs)["kubeadm"].version = "1.36.2-1.1";
  ASSERT_TRUE(write_packages(f.root("cp1"), *pkgs));
  auto r = f.run("cp1", c.command);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
  if (c.exit_code != 0) {
    EXPECT_THAT(r.err,
                ::testing::HasSubstr(
                    "[ERROR ControlPlaneNodesReady]: there are NotReady control-planes in the "
                    "cluster: [cp2]"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KubeadmHealth,
    ::testing::Values(HealthCase{"plan", {"kubeadm", "upgrade", "plan", "v1.36.2"}, 1},
                      HealthCase{"apply", {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes"}, 1},
                      HealthCase{"apply ignoring the check",
                                 {"kubeadm", "upgrade", "apply", "v1.36.2", "--yes",
                                  "--ignore-preflight-errors=ControlPlaneNodesReady"},
                                 0}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

}  // namespace
}  // namespace sim::node::testing
