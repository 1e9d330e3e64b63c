// lay_out(): the node root a kubeadm node has, and the scenario's node faults.
#include "tests/sim/node/layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/node/manifests.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;

TEST(Layout, FirstControlPlaneOnApt) {
  NodeFixture f;
  f.add(f.control_plane("cp1", true));
  EXPECT_THAT(f.read("cp1", "etc/os-release"), HasSubstr("ID=ubuntu\n"));
  EXPECT_EQ(f.read("cp1", "etc/apt/sources.list.d/kubernetes.list"),
            "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
            "https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /\n");
  for (const char* c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"})
    EXPECT_EQ(
        manifest_image_tag(f.read("cp1", std::string("etc/kubernetes/manifests/") + c + ".yaml")),
        "v1.35.2");
  EXPECT_THAT(f.read("cp1", "etc/kubernetes/manifests/kube-apiserver.yaml"),
              HasSubstr("    image: registry.k8s.io/kube-apiserver:v1.35.2\n"));
  EXPECT_EQ(manifest_image_tag(f.read("cp1", "etc/kubernetes/manifests/etcd.yaml")), "3.6.5-0");
  EXPECT_TRUE(fs::exists(f.root("cp1") / "etc/kubernetes/admin.conf"));
  EXPECT_TRUE(fs::exists(f.root("cp1") / "etc/kubernetes/super-admin.conf"));
  EXPECT_THAT(f.read("cp1", "var/lib/kubelet/config.yaml"),
              HasSubstr("kind: KubeletConfiguration\n"));
  auto pkgs = read_packages(f.root("cp1"));
  ASSERT_TRUE(pkgs);
  EXPECT_EQ(pkgs->at("kubeadm").version, "1.35.2-1.1");
  EXPECT_TRUE(pkgs->at("kubelet").held);
  auto kubelet = read_kubelet(f.root("cp1"));
  EXPECT_EQ(kubelet->version, "v1.35.2");
  EXPECT_EQ(kubelet->state, "running");
}

TEST(Layout, WorkerOnRockyWithTheYumRepo) {
  NodeFixture f;
  NodeSpec s = f.worker("w4");
  s.package_manager = PackageManager::dnf;
  f.add(s);
  EXPECT_THAT(f.read("w4", "etc/os-release"), HasSubstr("ID=\"rocky\"\n"));
  EXPECT_EQ(
      f.read("w4", "etc/yum.repos.d/kubernetes.repo"),
      "[kubernetes]\nname=Kubernetes\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/"
      "\nenabled=1\n"
      "gpgcheck=1\ngpgkey=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/repodata/repomd.xml.key\n"
      "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n");
  EXPECT_FALSE(fs::exists(f.root("w4") / "etc/kubernetes/manifests"));
  EXPECT_FALSE(fs::exists(f.root("w4") / "etc/kubernetes/admin.conf"));
  EXPECT_TRUE(fs::exists(f.root("w4") / "etc/kubernetes/kubelet.conf"));
  EXPECT_EQ(read_packages(f.root("w4"))->at("kubelet").version, "1.35.2-150500.1.1");
}

TEST(Layout, LegacyRepoWhenAsked) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.legacy_repo = true;
  f.add(s);
  EXPECT_THAT(f.read("w1", "etc/apt/sources.list.d/kubernetes.list"),
              HasSubstr("https://apt.kubernetes.io/ kubernetes-xenial main"));
}

TEST(Layout, RefusesASpecWithoutVersions) {
  NodeSpec s;
  s.name = "x";
  auto r = lay_out("/tmp/does-not-matter", s);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error(), HasSubstr("kubelet version"));
}

TEST(NodeFaults, NodeEntryOverridesTheWildcard) {
  auto j = nlohmann::json::parse(R"({"*": {"repoUnreachable": true, "apiOutageSeconds": 2},
                                      "w1": {"kubeletRestartFails": true, "apiOutageSeconds": 7}})");
  auto w1 = faults_for(j, "w1");
  ASSERT_TRUE(w1) << w1.error();
  EXPECT_TRUE(w1->repo_unreachable);
  EXPECT_TRUE(w1->kubelet_restart_fails);
  EXPECT_EQ(w1->api_outage_seconds, 7);
  auto w2 = faults_for(j, "w2");
  EXPECT_FALSE(w2->kubelet_restart_fails);
  EXPECT_EQ(w2->api_outage_seconds, 2);
}

TEST(NodeFaults, UnknownKeyIsAnError) {
  auto r = faults_for(nlohmann::json::parse(R"({"w1": {"repoDown": true}})"), "w1");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error(), HasSubstr("unknown node fault \"repoDown\""));
}

}  // namespace
}  // namespace sim::node::testing
