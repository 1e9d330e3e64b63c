// `kubectl upgrade node`, `cluster` and `status` against kube-sim, through the real binary over
// HTTPS. Assertions are on the cluster's state (Nodes, Pods, records), not only on exit codes.
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "tests/e2e/harness/sim_cluster.h"
#include "tests/e2e/upgrade/upgrade_helpers.h"

namespace {

using e2e::SimCluster;
using nlohmann::json;
using namespace e2e::upgrade_helpers;

TEST(UpgradeNodeE2E, DryRunChangesNothingAndShowsEveryScript) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  json before = snapshot(c);
  auto r = upgrade(c, {"node", "cp1", "--to", newest_in_repo(c, 36), "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_NE(r.out.find("kubeadm upgrade apply \"$version\" --yes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("step 5-drain"), std::string::npos);
  EXPECT_NE(r.out.find("systemctl restart kubelet"), std::string::npos);
  EXPECT_EQ(snapshot(c), before);
}

TEST(UpgradeNodeE2E, WorkerBeforeTheControlPlaneIsRefused) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  json before = snapshot(c);
  auto r = upgrade(c, {"node", "w1", "--to", newest_in_repo(c, 36), "--yes"});
  EXPECT_EQ(r.exit_code, 2) << r.output();
  EXPECT_NE(r.err.find("control planes first"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(c), before);
}

TEST(UpgradeNodeE2E, NoTerminalAndNoYesFailsAtOnce) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = upgrade(c, {"node", "cp1", "--to", newest_in_repo(c, 36)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pass --yes"), std::string::npos) << r.err;
}

TEST(UpgradeNodeE2E, SingleControlPlaneThenEachWorker) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  for (const std::string node : {"cp1", "w1", "w2"}) {
    auto r = upgrade(c, {"node", node, "--to", t, "--yes"});
    ASSERT_EQ(r.exit_code, 0) << node << "\n" << r.output() << "\n" << c.sim_log();
    expect_node_done(c, node, t);
  }
  json version = c.get("configmap", "kubeadm-config", "kube-system");
  EXPECT_NE(version["data"]["ClusterConfiguration"].get<std::string>().find(t), std::string::npos);
  expect_no_shell_pods(c);
  for (const auto& p : c.list("pods", {"-n", "shop"})) EXPECT_EQ(p["status"]["phase"], "Running");
  // A re-run has nothing to do.
  auto again = upgrade(c, {"node", "w1", "--to", t, "--yes"});
  EXPECT_EQ(again.exit_code, 0) << again.output();
  EXPECT_NE(again.err.find("already at"), std::string::npos) << again.err;
  auto status = upgrade(c, {"status", "-o", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.output();
  json doc = json::parse(status.out);
  EXPECT_EQ(doc["lock"], nullptr);
  EXPECT_EQ(doc["nodes"].size(), 3u);
}

TEST(UpgradeNodeE2E, PdbThatNeverAllowsTimesOutNamingItAndTheReRunResumes) {
  SimCluster c("upgrade-pdb-never.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  auto r = upgrade(c, {"node", "w1", "--to", t, "--yes", "--drain-timeout", "8s"});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.err.find("PodDisruptionBudget shop/db"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("to resume: kubectl upgrade node w1 --to " + t), std::string::npos);
  json w1 = c.get("node", "w1");
  EXPECT_FALSE(w1["spec"].value("unschedulable", false));  // put back as it was
  EXPECT_EQ(annotation(w1, kStep), "5-drain");
  EXPECT_EQ(annotation(w1, "upgrade.kubectl-upgrade.dev/state"), "failed");
  expect_no_shell_pods(c);
  auto status = upgrade(c, {"status"});
  EXPECT_NE(status.out.find("resumes at 5-drain"), std::string::npos) << status.out;

  // The PDB allows again: the re-run resumes at the drain and finishes.
  c.admin_post("/sim/faults", {{"pdbNeverAllows", json::array()}});
  auto again = upgrade(c, {"node", "w1", "--to", t, "--yes", "--drain-timeout", "60s"});
  ASSERT_EQ(again.exit_code, 0) << again.output();
  EXPECT_NE(again.err.find("done in an earlier run"), std::string::npos);
  expect_node_done(c, "w1", t);
}

TEST(UpgradeNodeE2E, DnfWorkerLegacyRepoAndPodSecurity) {
  SimCluster c("upgrade-mixed.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  // The shell namespace enforces baseline: the API's 403 as it is, and the flag as the fix.
  auto psa = upgrade(c, {"node", "cp1", "--to", t, "--yes", "--shell-namespace", "restricted"});
  EXPECT_EQ(psa.exit_code, 1) << psa.output();
  EXPECT_NE(psa.err.find("violates PodSecurity"), std::string::npos) << psa.err;
  EXPECT_NE(psa.err.find("--shell-namespace"), std::string::npos) << psa.err;

  ASSERT_EQ(upgrade(c, {"node", "cp1", "--to", t, "--yes"}).exit_code, 0);
  auto dnf = upgrade(c, {"node", "w1", "--to", t, "--yes"});
  ASSERT_EQ(dnf.exit_code, 0) << dnf.output();
  expect_node_done(c, "w1", t);

  auto legacy = upgrade(c, {"node", "w2", "--to", t, "--yes"});
  EXPECT_EQ(legacy.exit_code, 1) << legacy.output();
  EXPECT_NE(legacy.err.find("legacy"), std::string::npos) << legacy.err;
  EXPECT_NE(legacy.err.find("change-package-repository"), std::string::npos) << legacy.err;
  EXPECT_EQ(c.get("node", "w2")["status"]["nodeInfo"]["kubeletVersion"], "v1.35.2");
  expect_no_shell_pods(c);
}

TEST(UpgradeNodeE2E, HaEveryNodeInOrder) {
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  // cp2 cannot go before the first control plane has run `kubeadm upgrade apply`... any control
  // plane may be the first; a worker may not.
  EXPECT_EQ(upgrade(c, {"node", "w1", "--to", t, "--yes"}).exit_code, 2);
  for (const std::string node : {"cp1", "cp2", "cp3", "w1", "w2", "w3", "w4", "w5"}) {
    auto r = upgrade(c, {"node", node, "--to", t, "--yes", "--delete-emptydir-data", "--force"});
    ASSERT_EQ(r.exit_code, 0) << node << "\n" << r.output();
    expect_node_done(c, node, t);
  }
  for (const auto& n : c.list("nodes")) {
    EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], t);
    EXPECT_FALSE(n["spec"].value("unschedulable", false));
  }
  expect_no_shell_pods(c);
}

// SIGKILL after each step in turn (one node per step on ha.yaml), then the same command again:
// it finishes the node and skips every step the killed run had finished.
TEST(UpgradeNodeE2E, KilledAfterEachStepTheReRunFinishesWithoutRedoingIt) {
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  const std::vector<std::pair<std::string, int>> kill_after = {
      {"cp1", 4}, {"cp2", 2}, {"cp3", 3}, {"w1", 5}, {"w2", 6}, {"w3", 7}, {"w4", 1}, {"w5", 8}};
  const char* names[] = {"preflight",
                         "facts",
                         "repo",
                         "kubeadm-package",
                         "kubeadm-upgrade",
                         "drain",
                         "kubelet-package",
                         "kubelet-restart",
                         "uncordon",
                         "done"};
  for (const auto& [node, step] : kill_after) {
    SCOPED_TRACE(node + " killed after step " + std::to_string(step));
    std::vector<std::string> argv = {"kubectl-upgrade",        "node",   node, "--to", t, "--yes",
                                     "--delete-emptydir-data", "--force"};
    auto p = c.start(argv);
    // Wait until the record says the step is done (or a later one started), then SIGKILL.
    bool reached = SimCluster::eventually(
        [&] {
          json n = c.get("node", node);
          if (!n.is_object()) return false;
          std::string at = annotation(n, kStep);
          if (at.empty() || annotation(n, "upgrade.kubectl-upgrade.dev/target") != t) return false;
          int k = std::stoi(at.substr(0, at.find('-')));
          return k > step ||
                 (k == step && annotation(n, "upgrade.kubectl-upgrade.dev/state") == "done");
        },
        std::chrono::seconds(120));
    p->stop(SIGKILL);
    ASSERT_TRUE(reached) << p->err();
    auto again =
        upgrade(c, {"node", node, "--to", t, "--yes", "--delete-emptydir-data", "--force"});
    ASSERT_EQ(again.exit_code, 0) << again.output();
    // On a loaded machine the killed run may have finished before SIGKILL landed: then the re-run
    // finds the node done and does nothing, which is what this test is about too.
    bool finished_before_kill = again.err.find("is already at " + t) != std::string::npos;
    for (int s = 2; s <= step && !finished_before_kill; ++s)
      EXPECT_NE(again.err.find(std::to_string(s) + "/9 " + names[s] + ": skipped"),
                std::string::npos)
          << "step " << s << " was redone:\n"
          << again.err;
    expect_node_done(c, node, t);
  }
  expect_no_shell_pods(c);
}

TEST(UpgradeClusterE2E, SingleControlPlaneInOneCommand) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  json before = snapshot(c);
  auto dry = upgrade(c, {"cluster", "--to", t, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.output();
  EXPECT_EQ(snapshot(c), before);
  auto r = upgrade(c, {"cluster", "--to", t, "--yes"}, 400);
  ASSERT_EQ(r.exit_code, 0) << r.output();
  for (const std::string node : {"cp1", "w1", "w2"}) expect_node_done(c, node, t);
  EXPECT_NE(r.err.find("total time"), std::string::npos);
  expect_no_shell_pods(c);
}

}  // namespace
