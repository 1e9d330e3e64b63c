// dnf / yum on Rocky (DNF 4) and CentOS 7 (yum 3) nodes with the pkgs.k8s.io rpm repo.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/node/node_files.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;

struct DnfCase {
  std::string name;
  PackageManager pm;
  std::string repo_minor;
  std::vector<std::string> command;
  int exit_code;
  std::string output;
  std::string kubeadm_after;  // "" = unchanged
};

class DnfTest : public ::testing::TestWithParam<DnfCase> {};

TEST_P(DnfTest, BehavesLikeDnf) {
  const DnfCase& c = GetParam();
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.package_manager = c.pm;
  f.add(s);
  ASSERT_TRUE(write_text(f.root("w1") / kYumRepo, yum_repo_text(c.repo_minor, false)));
  auto r = f.run("w1", c.command);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
  EXPECT_THAT(r.out + r.err, HasSubstr(c.output));
  auto pkgs = read_packages(f.root("w1"));
  ASSERT_TRUE(pkgs);
  EXPECT_EQ(pkgs->at("kubeadm").version,
            c.kubeadm_after.empty() ? "1.35.2-150500.1.1" : c.kubeadm_after);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DnfTest,
    ::testing::Values(
        DnfCase{"excluded without --disableexcludes",
                PackageManager::dnf,
                "v1.36",
                {"dnf", "install", "-y", "kubeadm-1.36.2"},
                1,
                "All matches were filtered out by exclude filtering for argument: "
                "kubeadm-1.36.2\nError: Unable to "
                "find a match: kubeadm-1.36.2"},
        DnfCase{"installs with --disableexcludes=kubernetes",
                PackageManager::dnf,
                "v1.36",
                {"dnf", "install", "-y", "kubeadm-1.36.2", "--disableexcludes=kubernetes"},
                0,
                "Complete!",
                "1.36.2-150500.1.1"},
        DnfCase{"installs with the DNF5 setopt form",
                PackageManager::dnf,
                "v1.36",
                {"dnf", "install", "-y", "kubeadm-1.36.1-150500.1.1",
                 "--setopt=disable_excludes=kubernetes"},
                0,
                "Upgraded:\n  kubeadm-1.36.1-150500.1.1.x86_64",
                "1.36.1-150500.1.1"},
        DnfCase{
            "repo on the old minor: no match",
            PackageManager::dnf,
            "v1.35",
            {"dnf", "install", "-y", "kubeadm-1.36.2", "--disableexcludes=kubernetes"},
            1,
            "No match for argument: kubeadm-1.36.2\nError: Unable to find a match: kubeadm-1.36.2"},
        DnfCase{"yum on RHEL 8+ is dnf",
                PackageManager::dnf,
                "v1.36",
                {"yum", "install", "-y", "kubeadm-1.36.2", "--disableexcludes=kubernetes"},
                0,
                "Complete!",
                "1.36.2-150500.1.1"},
        DnfCase{"yum 3 on CentOS 7: no package available",
                PackageManager::yum,
                "v1.35",
                {"yum", "install", "-y", "kubeadm-1.36.2", "--disableexcludes=kubernetes"},
                1,
                "No package kubeadm-1.36.2 available."},
        DnfCase{"without -y and stdin at EOF",
                PackageManager::dnf,
                "v1.36",
                {"dnf", "install", "kubeadm-1.36.2", "--disableexcludes=kubernetes"},
                1,
                "Operation aborted."}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(DnfList, ShowDuplicatesListsEveryVersionOfTheMinor) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.package_manager = PackageManager::dnf;
  f.add(s);
  auto r =
      f.run("w1", {"yum", "list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("Installed Packages\nkubeadm.x86_64                  1.35.2-150500.1.1"));
  for (const char* v : {"1.35.0", "1.35.1", "1.35.2", "1.35.3"})
    EXPECT_THAT(r.out, HasSubstr(std::string(v) + "-150500.1.1                   kubernetes"));
  auto excluded = f.run("w1", {"dnf", "list", "--showduplicates", "kubeadm"});
  EXPECT_THAT(excluded.out, ::testing::Not(HasSubstr("Available Packages")));
}

TEST(DnfRepo, UnreachableRepoFailsTheMetadataDownload) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.package_manager = PackageManager::dnf;
  s.faults.repo_unreachable = true;
  f.add(s);
  auto r = f.run("w1", {"dnf", "install", "-y", "kubeadm-1.35.3", "--disableexcludes=kubernetes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("Error: Failed to download metadata for repo 'kubernetes': Cannot download "
                        "repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried"));
  EXPECT_THAT(r.err, HasSubstr("Could not resolve host: pkgs.k8s.io"));
}

TEST(DnfRepo, LegacyRepoIsGone) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.package_manager = PackageManager::dnf;
  s.legacy_repo = true;
  f.add(s);
  auto r = f.run("w1", {"dnf", "makecache"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("Status code: 404 for https://packages.cloud.google.com/yum/repos/"));
}

}  // namespace
}  // namespace sim::node::testing
