#include "pkg/nodeshell/facts.h"

#include <gtest/gtest.h>

namespace nodeshell {
namespace {

const char* kAptOutput = R"(some noise from the shell
ku.os.id=ubuntu
ku.os.version_id=24.04
ku.os.pretty_name=Ubuntu 24.04.1 LTS
ku.pkg.manager=apt
ku.repo.file=/etc/apt/sources.list.d/kubernetes.list
ku.repo.present=true
ku.repo.line=deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /
ku.repo.minor=v1.35
ku.repo.legacy=false
ku.repo.exclude=
ku.installed.kubeadm=1.35.2-1.1
ku.available.kubeadm=1.35.0-1.1 1.35.1-1.1 1.35.2-1.1 
ku.installed.kubelet=1.35.2-1.1
ku.available.kubelet=1.35.2-1.1 1.35.2-1.2 
ku.installed.kubectl=(none)
ku.available.kubectl=
ku.held=kubeadm kubelet 
ku.bin.kubeadm=v1.35.2
ku.bin.kubelet=v1.35.2
ku.bin.kubectl=
ku.node.control_plane=true
ku.node.admin_conf=false
ku.end=1
)";

TEST(Facts, ParsesTheGatherScriptsOutput) {
  auto f = parse_facts(kAptOutput);
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(f->os_id, "ubuntu");
  EXPECT_EQ(f->os_pretty_name, "Ubuntu 24.04.1 LTS");
  EXPECT_EQ(f->package_manager, PackageManager::kApt);
  EXPECT_TRUE(f->repo_present);
  ASSERT_TRUE(f->repo_minor.has_value());
  EXPECT_EQ(f->repo_minor->to_string(), "v1.35");
  EXPECT_FALSE(f->repo_legacy);
  EXPECT_EQ(f->installed.at("kubeadm"), "1.35.2-1.1");
  EXPECT_EQ(f->installed.at("kubectl"), "");
  EXPECT_EQ(f->held, (std::set<std::string>{"kubeadm", "kubelet"}));
  EXPECT_EQ(f->available.at("kubeadm").size(), 3u);
  EXPECT_TRUE(f->available.at("kubectl").empty());
  EXPECT_EQ(f->kubeadm_version, "v1.35.2");
  EXPECT_TRUE(f->control_plane);
  EXPECT_FALSE(f->admin_conf);
  EXPECT_EQ(f->installed_version("kubeadm")->to_string(), "v1.35.2");
  EXPECT_FALSE(f->installed_version("kubectl").has_value());
}

TEST(Facts, OfferedPicksTheExactVersionWithTheHighestRevision) {
  auto f = *parse_facts(kAptOutput);
  EXPECT_EQ(f.offered("kubeadm", *kver::parse("v1.35.1")), "1.35.1-1.1");
  EXPECT_EQ(f.offered("kubelet", *kver::parse("v1.35.2")), "1.35.2-1.2");
  EXPECT_FALSE(f.offered("kubeadm", *kver::parse("v1.36.0")).has_value());
  EXPECT_FALSE(f.offered("kubectl", *kver::parse("v1.35.2")).has_value());
}

TEST(Facts, RpmVersionsAndLegacyRepo) {
  auto f = parse_facts(
      "ku.pkg.manager=dnf\nku.repo.legacy=true\n"
      "ku.available.kubeadm=1.36.0-150500.1.1 1.36.1-150500.1.1\nku.end=1\n");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->package_manager, PackageManager::kDnf);
  EXPECT_TRUE(f->repo_legacy);
  EXPECT_EQ(f->offered("kubeadm", *kver::parse("v1.36.1")), "1.36.1-150500.1.1");
}

TEST(Facts, IncompleteOutputIsAnError) {
  auto f = parse_facts("ku.os.id=ubuntu\nku.pkg.manager=apt\n");
  ASSERT_FALSE(f.has_value());
  EXPECT_NE(f.error().message.find("incomplete"), std::string::npos);
}

}  // namespace
}  // namespace nodeshell
