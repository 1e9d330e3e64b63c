// `kubectl upgrade plan` against kube-sim, through the real binary and the real client over HTTPS.
// Each scenario gives the right blocker or path; the exit code says ready (0) or blockers (2).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pkg/version/releases.h"
#include "tests/e2e/harness/sim_cluster.h"

namespace {

using e2e::SimCluster;
using nlohmann::json;

std::string newest(int minor) {
  return kver::newest_patch({1, minor}, kver::builtin_releases().versions)->to_string();
}

struct PlanRun {
  int exit_code = -1;
  json doc;
  std::string output;
};

PlanRun plan(const SimCluster& c, std::vector<std::string> args) {
  std::vector<std::string> argv = {"kubectl-upgrade", "plan", "-o", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = c.run(argv);
  PlanRun out{r.exit_code, json::parse(r.out, nullptr, false), r.output()};
  return out;
}

// The findings with `code`, as "subject" strings.
std::vector<std::string> subjects(const json& doc, const std::string& code) {
  std::vector<std::string> out;
  if (!doc.is_object()) return out;
  for (const auto& f : doc["findings"])
    if (f["code"] == code) out.push_back(f["subject"].get<std::string>());
  return out;
}

std::string hops(const json& doc) {
  std::string s;
  for (const auto& h : doc["target"]["hops"])
    s += (s.empty() ? "" : " ") + h["to"].get<std::string>();
  return s;
}

TEST(PlanE2E, SingleControlPlaneIsReady) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {});
  ASSERT_EQ(p.exit_code, 0) << p.output;
  EXPECT_EQ(p.doc["apiVersion"], "upgrade.kubectl-upgrade.dev/v1alpha1");
  EXPECT_EQ(p.doc["kind"], "Plan");
  EXPECT_EQ(p.doc["cluster"]["version"], "v1.35.2");
  EXPECT_EQ(p.doc["target"]["version"], newest(36));
  EXPECT_EQ(p.doc["nodes"][0]["name"], "cp1");
  EXPECT_EQ(p.doc["nextCommand"], "kubectl upgrade node cp1 --to " + newest(36));
}

TEST(PlanE2E, TableIsTheDefaultAndEndsWithTheNextCommand) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.run({"kubectl-upgrade", "plan"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_NE(r.out.find("Cluster:  v1.35.2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Next: kubectl upgrade node cp1 --to " + newest(36)), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos);  // not a TTY: no colour
}

TEST(PlanE2E, HaIsReadyOnceItsBarePodsAndEmptyDirAreAccepted) {
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto strict = plan(c, {});
  EXPECT_EQ(strict.exit_code, 2) << strict.output;
  // scratchpad (bare, emptyDir) on w2, debug-shell (bare) on w3, and wherever the scheduler put
  // the cache pods (emptyDir): the drains of those nodes stop.
  auto blocked = subjects(strict.doc, "DrainBlockedByPods");
  EXPECT_NE(std::find(blocked.begin(), blocked.end(), "node/w2"), blocked.end()) << strict.output;
  EXPECT_NE(std::find(blocked.begin(), blocked.end(), "node/w3"), blocked.end()) << strict.output;
  auto p = plan(c, {"--force", "--delete-emptydir-data"});
  ASSERT_EQ(p.exit_code, 0) << p.output;
  std::vector<std::string> order;
  for (const auto& n : p.doc["nodes"]) order.push_back(n["name"]);
  EXPECT_EQ(order, (std::vector<std::string>{"cp1", "cp2", "cp3", "w1", "w2", "w3", "w4", "w5"}));
}

TEST(PlanE2E, KubeletThreeMinorsBehindMustGoFirst) {
  SimCluster c("plan-kubelet-behind.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_EQ(subjects(p.doc, "KubeletTooOld"), std::vector<std::string>{"node/w1"});
}

TEST(PlanE2E, SkewedControlPlaneIsRefused) {
  SimCluster c("plan-skewed-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_EQ(subjects(p.doc, "SkewViolation"), std::vector<std::string>{"node/cp1"});
  bool rule_named = false;
  for (const auto& v : p.doc["cluster"]["skewViolations"])
    rule_named |= v["rule"].get<std::string>().find("must not be newer than kube-apiserver") !=
                  std::string::npos;
  EXPECT_TRUE(rule_named) << p.output;
}

TEST(PlanE2E, PdbThatAllowsNothingBlocks) {
  SimCluster c("plan-pdb-never.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  // The PDB's status comes from the sim's disruption controller: wait until it has processed it.
  SimCluster::eventually([&] {
    auto pdb = c.get("pdb", "db", "shop");
    return pdb.is_object() && pdb["status"].value("expectedPods", 0) == 2;
  });
  auto p = plan(c, {});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_FALSE(subjects(p.doc, "PdbBlocksDrain").empty()) << p.output;
  EXPECT_EQ(subjects(p.doc, "PdbBlocksDrain")[0], "pdb/shop/db");
}

TEST(PlanE2E, BarePodNeedsForce) {
  SimCluster c("plan-bare-pod.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_EQ(subjects(p.doc, "DrainBlockedByPods"), std::vector<std::string>{"node/w1"});
  EXPECT_EQ(plan(c, {"--force"}).exit_code, 0);
}

TEST(PlanE2E, EmptyDirNeedsDeleteEmptyDirData) {
  SimCluster c("plan-emptydir.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  SimCluster::eventually([&] { return c.list("pods", {"-n", "shop"}).size() == 2; });
  auto p = plan(c, {});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  ASSERT_FALSE(subjects(p.doc, "DrainBlockedByPods").empty());
  bool names_flag = false;
  for (const auto& f : p.doc["findings"])
    if (f["code"] == "DrainBlockedByPods")
      names_flag |= f["fix"].get<std::string>().find("--delete-emptydir-data") != std::string::npos;
  EXPECT_TRUE(names_flag) << p.output;
  EXPECT_EQ(plan(c, {"--delete-emptydir-data"}).exit_code, 0);
}

TEST(PlanE2E, NodeCordonedBySomeoneElse) {
  SimCluster c("plan-cordoned.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_EQ(subjects(p.doc, "CordonedBySomeoneElse"), std::vector<std::string>{"node/w2"});
}

TEST(PlanE2E, UnsupportedTargetsAreRefusedWithTheReason) {
  SimCluster c("plan-old-cluster.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto outside = plan(c, {"--to", newest(33)});
  EXPECT_EQ(outside.exit_code, 2) << outside.output;
  EXPECT_EQ(subjects(outside.doc, "UnsupportedTarget"), std::vector<std::string>{"target"});
  auto down = plan(c, {"--to", "v1.31.0"});
  EXPECT_EQ(down.exit_code, 2);
  EXPECT_EQ(subjects(down.doc, "Downgrade"), std::vector<std::string>{"target"});
  auto unknown = plan(c, {"--to", "v1.39.0"});
  EXPECT_EQ(subjects(unknown.doc, "UnknownTargetVersion"), std::vector<std::string>{"target"});
  auto fallback = plan(c, {});  // the next minor, with a warning
  EXPECT_EQ(fallback.exit_code, 0) << fallback.output;
  EXPECT_EQ(fallback.doc["target"]["version"], newest(33));
  EXPECT_EQ(subjects(fallback.doc, "TargetOutOfSupport"), std::vector<std::string>{"target"});
  auto malformed = c.run({"kubectl-upgrade", "plan", "--to", "v1.33;reboot"});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.err.find("invalid Kubernetes version"), std::string::npos) << malformed.err;
}

TEST(PlanE2E, TwoMinorsAheadGivesTheWholePath) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {"--to", newest(37)});
  ASSERT_EQ(p.exit_code, 0) << p.output;
  EXPECT_EQ(hops(p.doc), newest(36) + " " + newest(37));
  EXPECT_TRUE(p.doc["target"]["multipleMinors"].get<bool>());
  EXPECT_EQ(p.doc["nextCommand"], "kubectl upgrade node cp1 --to " + newest(36));
  auto yaml = c.run({"kubectl-upgrade", "plan", "--to", newest(37), "-o", "yaml"});
  EXPECT_EQ(yaml.exit_code, 0);
  EXPECT_EQ(yaml.out.rfind("apiVersion: upgrade.kubectl-upgrade.dev/v1alpha1", 0), 0u) << yaml.out;
}

TEST(PlanE2E, InspectNodesConfirmsTheFirstControlPlaneAndReadsTheRepositories) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {"--inspect-nodes"});
  ASSERT_EQ(p.exit_code, 0) << p.output;
  EXPECT_EQ(p.doc["firstControlPlane"]["name"], "cp1");
  EXPECT_FALSE(p.doc["firstControlPlane"]["assumed"].get<bool>()) << p.output;
  EXPECT_EQ(p.doc["target"]["source"]["kind"], "node-facts+builtin-table");
  // apt nodes hold kubeadm/kubelet/kubectl: a warning (the upgrade unholds), not a blocker.
  EXPECT_FALSE(subjects(p.doc, "PackagesHeld").empty()) << p.output;
  // Read-only: the node-shell pods are gone afterwards.
  EXPECT_TRUE(SimCluster::eventually([&] {
    for (const auto& pod : c.list("pods", {"-n", "kube-system"}))
      if (pod["metadata"]["name"].get<std::string>().find("shell") != std::string::npos)
        return false;
    return true;
  }));
}

TEST(PlanE2E, InspectNodesFindsTheLegacyRepository) {
  SimCluster c("plan-legacy-repo.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto p = plan(c, {"--inspect-nodes"});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_EQ(subjects(p.doc, "LegacyPackageRepository"), std::vector<std::string>{"node/w1"});
}

}  // namespace
