// `kubectl upgrade node NAME` when things go wrong (issue 7): a kubelet that does not come back,
// held packages, a skipped minor, an API outage during `kubeadm upgrade apply`, Ctrl-C during a
// drain; and the default target without --to. Through the real binary against kube-sim, asserting
// on the cluster's state (Nodes, our records, pods, the Lease, the node roots' package state).
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/e2e/harness/sim_cluster.h"
#include "tests/e2e/upgrade/upgrade_helpers.h"

namespace {

using e2e::SimCluster;
using nlohmann::json;
using namespace e2e::upgrade_helpers;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string kubelet_of(const SimCluster& c, const std::string& node) {
  return c.get("node", node)["status"]["nodeInfo"].value("kubeletVersion", "");
}

// A file of a node's root (DIR/nodes/<node>/root/<path>), as the node's tools left it.
std::string node_file(const SimCluster& c, const std::string& node, const std::string& path) {
  std::ifstream in(c.state_dir() / "nodes" / node / "root" / path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json packages(const SimCluster& c, const std::string& node) {
  return json::parse(node_file(c, node, "var/lib/kube-sim/packages.json"), nullptr, false);
}

// kubeadm, kubelet and kubectl: each at `version` ("1.36.7": the package's upstream part) and held
// or not.
void expect_packages(const SimCluster& c, const std::string& node, const std::string& version,
                     bool held) {
  json p = packages(c, node);
  for (const char* name : {"kubeadm", "kubelet", "kubectl"}) {
    SCOPED_TRACE(node + " " + name);
    ASSERT_TRUE(p.contains(name)) << p.dump();
    EXPECT_TRUE(p[name].value("version", "").starts_with(version + "-")) << p[name].dump();
    EXPECT_EQ(p[name].value("held", !held), held) << p[name].dump();
  }
}

// Nobody holds the cluster lock: the Lease is gone or has no holder.
void expect_lock_free(const SimCluster& c) {
  json lease = c.get("lease", "kubectl-upgrade", "kube-system");
  if (lease.is_object()) {
    EXPECT_EQ(lease["spec"].value("holderIdentity", ""), "") << lease.dump();
  }
}

// The lines of a run's progress that are about `node`'s step `n` ("cp1 4/9 ...").
std::vector<std::string> step_lines(const std::string& err, const std::string& node, int n) {
  std::vector<std::string> out;
  std::istringstream in(err);
  const std::string tag = " " + node + " " + std::to_string(n) + "/9 ";
  for (std::string line; std::getline(in, line);)
    if (contains(line, tag)) out.push_back(line);
  return out;
}

// Case 3 and the default target: v1.35 -> v1.37 skips a minor and is refused before anything
// changes; without --to the node takes the plan's next hop (v1.36), never a jump.
TEST(NodeFaultsE2E, SkippedMinorIsRefusedAndWithoutToTheNodeTakesTheNextHop) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string v137 = newest_in_repo(c, 37), v136 = newest_in_repo(c, 36);
  json before = snapshot(c);
  auto skip = upgrade(c, {"node", "cp1", "--to", v137, "--yes"});
  EXPECT_EQ(skip.exit_code, 2) << skip.output();
  EXPECT_TRUE(contains(skip.err, "one minor at a time")) << skip.err;
  EXPECT_TRUE(contains(skip.err, "go to the latest v1.36.x first")) << skip.err;
  EXPECT_TRUE(contains(skip.err, "the next hop: kubectl upgrade node cp1 --to " + v136))
      << skip.err;
  EXPECT_EQ(snapshot(c), before);
  expect_lock_free(c);

  auto first = upgrade(c, {"node", "cp1", "--yes"});
  ASSERT_EQ(first.exit_code, 0) << first.output();
  EXPECT_TRUE(contains(first.err, "no --to given: node cp1 goes to " + v136)) << first.err;
  expect_node_done(c, "cp1", v136);
  // A worker without --to follows the control plane.
  auto worker = upgrade(c, {"node", "w1", "--yes"});
  ASSERT_EQ(worker.exit_code, 0) << worker.output();
  expect_node_done(c, "w1", v136);
  EXPECT_EQ(kubelet_of(c, "w2"), "v1.35.2");
  expect_no_shell_pods(c);
}

// Case 1: the kubelet does not come back after its restart. The step fails saying what, where and
// what next; the node stays cordoned (its kubelet is down: nothing should be scheduled there) with
// the record that a re-run resumes from. Once the kubelet is fixed the re-run finishes.
TEST(NodeFaultsE2E, KubeletThatDoesNotComeBackStopsAtStep7AndTheReRunFinishes) {
  SimCluster c("upgrade-node-faults.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = kubelet_of(c, "cp1");
  auto r = upgrade(c, {"node", "w1", "--to", t, "--yes", "--kubelet-timeout", "5s"});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_TRUE(contains(r.err, "node w1 stopped at step 7-kubelet-restart")) << r.err;
  EXPECT_TRUE(contains(r.err, "waiting for the kubelet on w1 to report " + t + " and Ready"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "journalctl -u kubelet")) << r.err;
  EXPECT_TRUE(contains(r.err, "to resume: kubectl upgrade node w1 --to " + t)) << r.err;

  json w1 = c.get("node", "w1");
  EXPECT_EQ(annotation(w1, kStep), "7-kubelet-restart");
  EXPECT_EQ(annotation(w1, kState), "failed");
  EXPECT_TRUE(w1["spec"].value("unschedulable", false));
  EXPECT_EQ(annotation(w1, kCordoned), "true");  // ours to uncordon on the re-run
  EXPECT_FALSE(ready(w1));
  EXPECT_EQ(w1["status"]["nodeInfo"]["kubeletVersion"], "v1.35.2");
  json kubelet = json::parse(node_file(c, "w1", "var/lib/kube-sim/kubelet.json"), nullptr, false);
  EXPECT_EQ(kubelet.value("state", ""), "failed");  // the fault, not something else
  expect_no_shell_pods(c);
  expect_lock_free(c);
  auto status = upgrade(c, {"status"});
  EXPECT_TRUE(contains(status.out, "resumes at 7-kubelet-restart")) << status.out;

  // The admin fixes the kubelet; systemd's Restart=always brings it back at the new version.
  json faults = c.admin_post("/sim/faults", {{"nodes", json::object()}});
  EXPECT_EQ(faults["nodes"], json::object()) << faults.dump();
  ASSERT_TRUE(SimCluster::eventually([&] { return ready(c.get("node", "w1")); })) << c.sim_log();
  auto again = upgrade(c, {"node", "w1", "--yes"});  // the record's target
  ASSERT_EQ(again.exit_code, 0) << again.output();
  EXPECT_TRUE(contains(again.err, "6/9 kubelet-package: skipped: done in an earlier run"))
      << again.err;
  EXPECT_TRUE(contains(again.err, "8/9 uncordon: done")) << again.err;
  expect_node_done(c, "w1", t);
  expect_no_shell_pods(c);
}

// Case 2: kubeadm, kubelet and kubectl held on apt (the default there) are held again after the
// upgrade, at the target; on dnf the repo file's exclude= line (dnf's hold) survives the switch.
TEST(NodeFaultsE2E, HeldPackagesEndHeldAtTheTargetOnAptAndExcludedOnDnf) {
  SimCluster c("upgrade-node-faults.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = kubelet_of(c, "cp1");
  const std::string upstream = t.substr(1);  // "1.36.7"
  expect_packages(c, "w2", "1.35.2", true);
  expect_packages(c, "w3", "1.35.2", false);
  ASSERT_TRUE(contains(node_file(c, "w3", "etc/yum.repos.d/kubernetes.repo"),
                       "exclude=kubelet kubeadm kubectl"));

  auto apt = upgrade(c, {"node", "w2", "--to", t, "--yes"});
  ASSERT_EQ(apt.exit_code, 0) << apt.output();
  expect_node_done(c, "w2", t);
  expect_packages(c, "w2", upstream, true);
  EXPECT_TRUE(contains(node_file(c, "w2", "etc/apt/sources.list.d/kubernetes.list"),
                       "core:/stable:/v1.36/"));

  auto dnf = upgrade(c, {"node", "w3", "--to", t, "--yes"});
  ASSERT_EQ(dnf.exit_code, 0) << dnf.output();
  expect_node_done(c, "w3", t);
  expect_packages(c, "w3", upstream, false);
  std::string repo = node_file(c, "w3", "etc/yum.repos.d/kubernetes.repo");
  EXPECT_TRUE(contains(repo, "core:/stable:/v1.36/")) << repo;
  EXPECT_TRUE(contains(repo, "exclude=kubelet kubeadm kubectl")) << repo;
  expect_no_shell_pods(c);
}

// Case 4: `kubeadm upgrade apply` takes the API down for 5 s (refused, then 503). The run was in
// step 4 when it happened, rode it out, and finished with cp1 verified at the target.
TEST(NodeFaultsE2E, ApiOutageDuringKubeadmApplyIsRiddenOut) {
  SimCluster c("upgrade-api-outage.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  ASSERT_EQ(c.admin_get("/sim/faults")["apiOutages"]["started"], 0);
  auto r = upgrade(c, {"node", "cp1", "--to", t, "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.output() << "\n" << c.sim_log();

  json outages = c.admin_get("/sim/faults")["apiOutages"];
  EXPECT_EQ(outages["started"], 1) << outages.dump();
  EXPECT_GT(outages["unavailableAnswers"].get<int>(), 0) << outages.dump();
  EXPECT_TRUE(contains(c.sim_log(), "kube-sim: API outage: connections refused for"));
  // The run itself met the outage, in step 4 and nowhere else.
  auto in_step4 = step_lines(r.err, "cp1", 4);
  ASSERT_FALSE(in_step4.empty()) << r.err;
  EXPECT_TRUE(contains(in_step4.front(), "4/9 kubeadm-upgrade: started")) << r.err;
  EXPECT_TRUE(contains(in_step4.back(), "4/9 kubeadm-upgrade: done")) << r.err;
  int unavailable = 0;
  for (const auto& line : in_step4) unavailable += contains(line, "API unavailable");
  EXPECT_GT(unavailable, 0) << r.err;
  for (int step : {1, 2, 3, 5, 6, 7, 8}) {
    for (const auto& line : step_lines(r.err, "cp1", step)) {
      EXPECT_FALSE(contains(line, "API unavailable")) << line;
    }
  }

  expect_node_done(c, "cp1", t);
  EXPECT_EQ(c.request("GET", "/version").json().value("gitVersion", ""), t);
  json cfg = c.get("configmap", "kubeadm-config", "kube-system");
  EXPECT_TRUE(contains(cfg["data"].value("ClusterConfiguration", ""), "kubernetesVersion: " + t));
  expect_no_shell_pods(c);
  expect_lock_free(c);
}

// Case 5: Ctrl-C while the drain waits on a PDB that never allows. The run stops cleanly: non-zero
// exit, how to resume, no pod of ours left, the lock released, the record (and our cordon) left.
TEST(NodeFaultsE2E, CtrlCDuringTheDrainStopsCleanlyAndTheReRunFinishes) {
  SimCluster c("upgrade-pdb-never.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = kubelet_of(c, "cp1");
  auto p = c.start({"kubectl-upgrade", "node", "w1", "--to", t, "--yes"});
  bool draining = SimCluster::eventually(
      [&] {
        json n = c.get("node", "w1");
        return annotation(n, kStep) == "5-drain" && n["spec"].value("unschedulable", false) &&
               contains(p->err(), "waiting for shop/db-");
      },
      std::chrono::seconds(120));
  json lease = c.get("lease", "kubectl-upgrade", "kube-system");
  auto r = p->stop(SIGINT, std::chrono::seconds(60));
  ASSERT_TRUE(draining) << r.output();
  EXPECT_NE(lease["spec"].value("holderIdentity", ""), "") << "the run held no lock";

  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_TRUE(contains(r.err, "stopped")) << r.err;
  EXPECT_TRUE(contains(r.err, "to resume: kubectl upgrade node w1 --to " + t)) << r.err;
  json w1 = c.get("node", "w1");
  EXPECT_EQ(annotation(w1, kStep), "5-drain");
  EXPECT_EQ(annotation(w1, kState), "stopped");
  EXPECT_TRUE(w1["spec"].value("unschedulable", false));
  EXPECT_EQ(annotation(w1, kCordoned), "true");
  expect_no_shell_pods(c);
  expect_lock_free(c);

  c.admin_post("/sim/faults", {{"pdbNeverAllows", json::array()}});
  auto again = upgrade(c, {"node", "w1", "--to", t, "--yes"});
  ASSERT_EQ(again.exit_code, 0) << again.output();
  EXPECT_TRUE(contains(again.err, "4/9 kubeadm-upgrade: skipped: done in an earlier run"))
      << again.err;
  expect_node_done(c, "w1", t);
  expect_no_shell_pods(c);
  expect_lock_free(c);
}

}  // namespace
