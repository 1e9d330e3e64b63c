// `kubectl upgrade node`, `cluster` and `status` against kube-sim, through the real binary over
// HTTPS. Assertions are on the cluster's state (Nodes, Pods, records), not only on exit codes.
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

const std::string kStep = "upgrade.kubectl-upgrade.dev/step";
const std::string kCordoned = "upgrade.kubectl-upgrade.dev/cordoned";

e2e::RunResult upgrade(const SimCluster& c, std::vector<std::string> args, int timeout_s = 240) {
  std::vector<std::string> argv = {"kubectl-upgrade"};
  argv.insert(argv.end(), args.begin(), args.end());
  return c.run(argv, {.timeout = std::chrono::seconds(timeout_s)});
}

std::string annotation(const json& node, const std::string& key) {
  return node.value("/metadata/annotations"_json_pointer, json::object()).value(key, "");
}

bool ready(const json& node) {
  for (const auto& c : node["status"]["conditions"])
    if (c["type"] == "Ready") return c["status"] == "True";
  return false;
}

// What an upgrade may change, per node and pod: versions, scheduling, our records, the pods.
json snapshot(const SimCluster& c) {
  json s = {{"nodes", json::object()}, {"pods", json::array()}};
  for (const auto& n : c.list("nodes"))
    s["nodes"][n["metadata"]["name"].get<std::string>()] = {
        {"kubelet", n["status"]["nodeInfo"]["kubeletVersion"]},
        {"unschedulable", n["spec"].value("unschedulable", false)},
        {"annotations", n["metadata"].value("annotations", json::object())}};
  for (const auto& p : c.list("pods", {"-A"}))
    s["pods"].push_back(p["metadata"]["namespace"].get<std::string>() + "/" +
                        p["metadata"]["name"].get<std::string>() + "@" +
                        p["spec"].value("nodeName", ""));
  s["version"] = c.get("configmap", "kubeadm-config", "kube-system")["data"]["ClusterConfiguration"];
  return s;
}

void expect_node_done(const SimCluster& c, const std::string& name, const std::string& target) {
  SCOPED_TRACE(name);
  json n = c.get("node", name);
  EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], target);
  EXPECT_TRUE(ready(n));
  EXPECT_FALSE(n["spec"].value("unschedulable", false));
  EXPECT_EQ(annotation(n, kStep), "9-done");
  EXPECT_EQ(annotation(n, kCordoned), "");
}

void expect_no_shell_pods(const SimCluster& c) {
  auto pods = c.list("pods", {"-A", "-l", "app.kubernetes.io/managed-by=kubectl-upgrade"});
  EXPECT_TRUE(pods.empty()) << pods.size() << " node-shell pod(s) left behind";
}

TEST(UpgradeNodeE2E, DryRunChangesNothingAndShowsEveryScript) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  json before = snapshot(c);
  auto r = upgrade(c, {"node", "cp1", "--to", newest(36), "--dry-run"});
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
  auto r = upgrade(c, {"node", "w1", "--to", newest(36), "--yes"});
  EXPECT_EQ(r.exit_code, 2) << r.output();
  EXPECT_NE(r.err.find("control planes first"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(c), before);
}

TEST(UpgradeNodeE2E, NoTerminalAndNoYesFailsAtOnce) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = upgrade(c, {"node", "cp1", "--to", newest(36)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pass --yes"), std::string::npos) << r.err;
}

TEST(UpgradeNodeE2E, SingleControlPlaneThenEachWorker) {
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest(36);
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

}  // namespace
