// apt-get / apt-mark / apt-cache on an Ubuntu node with the pkgs.k8s.io repo.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/node/node_files.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct AptCase {
  std::string name;
  std::vector<std::vector<std::string>> before;  // commands that must succeed first
  std::vector<std::string> command;
  int exit_code;
  std::string output;         // substring of stdout+stderr
  std::string kubeadm_after;  // installed kubeadm version afterwards ("" = unchanged 1.35.2-1.1)
};

void switch_repo(NodeFixture& f, const std::string& minor) {
  auto line = apt_repo_line(minor, false);
  ASSERT_TRUE(write_text(f.root("w1") / kAptList, line));
}

class AptTest : public ::testing::TestWithParam<AptCase> {};

TEST_P(AptTest, BehavesLikeApt) {
  const AptCase& c = GetParam();
  NodeFixture f;
  f.add(f.worker("w1"));
  for (auto& cmd : c.before) {
    if (cmd[0] == "switch-repo") {
      switch_repo(f, cmd[1]);
      continue;
    }
    auto r = f.run("w1", cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd[0] << ": " << r.out << r.err;
  }
  auto r = f.run("w1", c.command);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
  EXPECT_THAT(r.out + r.err, HasSubstr(c.output));
  auto pkgs = read_packages(f.root("w1"));
  ASSERT_TRUE(pkgs);
  EXPECT_EQ(pkgs->at("kubeadm").version, c.kubeadm_after.empty() ? "1.35.2-1.1" : c.kubeadm_after);
}

const std::vector<std::string> kUnhold{"apt-mark", "unhold", "kubeadm"};
const std::vector<std::string> kUpdate{"apt-get", "update"};

INSTANTIATE_TEST_SUITE_P(
    Cases, AptTest,
    ::testing::Values(
        AptCase{"repo still on the old minor: version not found",
                {kUnhold, kUpdate},
                {"apt-get", "install", "-y", "kubeadm=1.36.2-1.1"},
                100,
                "E: Version '1.36.2-1.1' for 'kubeadm' was not found"},
        AptCase{"repo switched but lists not refreshed: still not found",
                {kUnhold, {"switch-repo", "v1.36"}},
                {"apt-get", "install", "-y", "kubeadm=1.36.2-1.1"},
                100,
                "E: Version '1.36.2-1.1' for 'kubeadm' was not found"},
        AptCase{
            "held package refused with -y",
            {{"switch-repo", "v1.36"}, kUpdate},
            {"apt-get", "install", "-y", "kubeadm=1.36.2-1.1"},
            100,
            "E: Held packages were changed and -y was used without --allow-change-held-packages."},
        AptCase{"held package allowed with --allow-change-held-packages",
                {{"switch-repo", "v1.36"}, kUpdate},
                {"apt-get", "install", "-y", "--allow-change-held-packages", "kubeadm=1.36.2-1.1"},
                0,
                "Unpacking kubeadm (1.36.2-1.1) over (1.35.2-1.1) ...",
                "1.36.2-1.1"},
        AptCase{"documented sequence: unhold, update, install a glob",
                {{"switch-repo", "v1.36"}, kUnhold, kUpdate},
                {"apt-get", "install", "-y", "kubeadm=1.36.1-*"},
                0,
                "Setting up kubeadm (1.36.1-1.1) ...",
                "1.36.1-1.1"},
        AptCase{"a minor the repo does not have",
                {{"switch-repo", "v1.40"}},
                {"apt-get", "update"},
                100,
                "403  Forbidden"},
        AptCase{"unknown package",
                {},
                {"apt-get", "install", "-y", "kubeadmx"},
                100,
                "E: Unable to locate package kubeadmx"},
        AptCase{"already at the version",
                {kUnhold},
                {"apt-get", "install", "-y", "kubeadm=1.35.2-1.1"},
                0,
                "kubeadm is already the newest version (1.35.2-1.1)."},
        AptCase{"downgrade needs --allow-downgrades",
                {kUnhold},
                {"apt-get", "install", "-y", "kubeadm=1.35.0-1.1"},
                100,
                "E: Packages were downgraded and -y was used without --allow-downgrades."},
        AptCase{"without -y and stdin at EOF: abort",
                {kUnhold, {"switch-repo", "v1.36"}, kUpdate},
                {"apt-get", "install", "kubeadm=1.36.2-1.1"},
                1,
                "Abort."}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(AptRepo, LegacyRepoFailsUpdateLikeTheDeadRepo) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.legacy_repo = true;
  f.add(s);
  auto r = f.run("w1", {"apt-get", "update"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_THAT(
      r.err,
      HasSubstr("E: The repository 'https://apt.kubernetes.io kubernetes-xenial Release' does not "
                "have a Release file."));
  auto install = f.run("w1", {"apt-get", "install", "-y", "kubeadm=1.35.3-1.1"});
  EXPECT_EQ(install.exit_code, 100);
  EXPECT_THAT(install.err, HasSubstr("E: Unable to locate package kubeadm"));
}

TEST(AptRepo, UnreachableRepoWarnsOnUpdateAndFailsTheDownload) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.faults.repo_unreachable = true;
  f.add(s);
  ASSERT_TRUE(write_text(f.root("w1") / kAptList, apt_repo_line("v1.36", false)));
  auto update = f.run("w1", {"apt-get", "update"});
  EXPECT_EQ(update.exit_code, 0) << "apt-get update exits 0 on network errors";
  EXPECT_THAT(
      update.err,
      HasSubstr("W: Failed to fetch https://pkgs.k8s.io/core:/stable:/v1.36/deb/InRelease  Could "
                "not resolve 'pkgs.k8s.io'"));
  // The old (v1.35) lists stay in use: a 1.35 patch resolves but cannot be downloaded.
  auto install = f.run(
      "w1", {"apt-get", "install", "-y", "--allow-change-held-packages", "kubeadm=1.35.3-1.1"});
  EXPECT_EQ(install.exit_code, 100);
  EXPECT_THAT(install.err, HasSubstr("E: Unable to fetch some archives"));
}

TEST(AptMark, HoldUnholdShowhold) {
  NodeFixture f;
  f.add(f.worker("w1"));
  EXPECT_EQ(f.run("w1", {"apt-mark", "showhold"}).out, "kubeadm\nkubectl\nkubelet\n");
  EXPECT_EQ(f.run("w1", {"apt-mark", "unhold", "kubeadm"}).out, "Canceled hold on kubeadm.\n");
  EXPECT_EQ(f.run("w1", {"apt-mark", "unhold", "kubeadm"}).out,
            "kubeadm was already not on hold.\n");
  EXPECT_EQ(f.run("w1", {"apt-mark", "hold", "kubeadm"}).out, "kubeadm set on hold.\n");
  EXPECT_EQ(f.run("w1", {"apt-mark", "hold", "kubeadm"}).out, "kubeadm was already set on hold.\n");
}

TEST(AptCache, MadisonListsTheRepoMinorNewestFirst) {
  NodeFixture f;
  f.add(f.worker("w1"));
  auto r = f.run("w1", {"apt-cache", "madison", "kubeadm"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "   kubeadm | 1.35.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.35/deb  Packages\n"
            "   kubeadm | 1.35.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.35/deb  Packages\n"
            "   kubeadm | 1.35.1-1.1 | https://pkgs.k8s.io/core:/stable:/v1.35/deb  Packages\n"
            "   kubeadm | 1.35.0-1.1 | https://pkgs.k8s.io/core:/stable:/v1.35/deb  Packages\n");
}

TEST(AptCache, PolicyShowsInstalledAndCandidate) {
  NodeFixture f;
  f.add(f.worker("w1"));
  auto r = f.run("w1", {"apt-cache", "policy", "kubelet"});
  EXPECT_THAT(r.out, HasSubstr("kubelet:\n  Installed: 1.35.2-1.1\n  Candidate: 1.35.3-1.1\n"));
  EXPECT_THAT(r.out, HasSubstr(" *** 1.35.2-1.1 500"));
}

}  // namespace
}  // namespace sim::node::testing
