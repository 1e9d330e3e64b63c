// kubectl reads a kube-sim cluster as it reads a kubeadm one: nodes, pods, auth errors.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/e2e/harness/sim_cluster.h"

namespace {

using e2e::SimCluster;

TEST(KubectlGet, NodesWideShowsEveryColumnOfTheHaScenario) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"get", "nodes", "-o", "wide"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_NE(
      r.out.find(
          "NAME   STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cp1    Ready    control-plane"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("w4     Ready    <none>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Rocky Linux 9.4 (Blue Onyx)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("containerd://"), std::string::npos) << r.out;
}

TEST(KubectlGet, WrongTokenIsToldToLogIn) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"get", "nodes", "--token", "not-the-token", "--user", "kube-sim-token"});
  EXPECT_EQ(r.exit_code, 1);
  // kubectl's discovery meets the 401 first: "...(the server has asked for the client to provide
  // credentials)", as against a real cluster.
  EXPECT_NE(r.err.find("error: You must be logged in to the server ("), std::string::npos)
      << r.output();
}

TEST(KubectlGet, TokenUserCanListNodes) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"--context", "kube-sim-token", "get", "nodes", "-o", "name"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out, "node/cp1\nnode/w1\nnode/w2\n");
}

TEST(KubeSim, StopsWithExitZeroOnSigterm) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.stop();
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(KubeSim, MalformedScenarioIsRefusedWithFileAndLine) {
  auto dir = std::filesystem::temp_directory_path() / "kube-sim-bad-scenario";
  std::filesystem::create_directories(dir);
  auto file = dir / "bad.yaml";
  std::ofstream(file)
      << "cluster:\n  apiServerVersion: v1.35.2\nnodes:\n  - name: cp1\n    role: queen\n";
  auto r = e2e::run_process({(e2e::build_dir() / "bin" / "kube-sim").string(), "serve",
                             "--scenario", file.string(), "--state-dir", (dir / "state").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find(file.string() +
                 ":5:11: scenario.nodes[0].role: must be control-plane or worker, not \"queen\""),
      std::string::npos)
      << r.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
