// Small helpers shared by the `kubectl upgrade` e2e tests: running the binary against a SimCluster,
// reading our records on a Node, and the cluster-side checks every upgrade test makes.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pkg/version/version.h"
#include "tests/e2e/harness/sim_cluster.h"

namespace e2e::upgrade_helpers {

inline const std::string kStep = "upgrade.kubectl-upgrade.dev/step";
inline const std::string kState = "upgrade.kubectl-upgrade.dev/state";
inline const std::string kCordoned = "upgrade.kubectl-upgrade.dev/cordoned";

// The newest patch of v1.<minor> that the simulated pkgs.k8s.io offers (it may lag the release
// table, as a real mirror can).
inline std::string newest_in_repo(const SimCluster& c, int minor) {
  std::ifstream in(c.state_dir() / "repo" / "versions.json");
  nlohmann::json repo = nlohmann::json::parse(in, nullptr, false);
  std::optional<kver::Version> best;
  for (const auto& v : repo.value("v1." + std::to_string(minor), nlohmann::json::array()))
    if (auto p = kver::parse(v.get<std::string>()); p && (!best || *best < *p)) best = *p;
  return best ? best->to_string() : "v1." + std::to_string(minor) + ".0";
}

inline RunResult upgrade(const SimCluster& c, std::vector<std::string> args, int timeout_s = 240) {
  std::vector<std::string> argv = {"kubectl-upgrade"};
  argv.insert(argv.end(), args.begin(), args.end());
  return c.run(argv, {.timeout = std::chrono::seconds(timeout_s)});
}

inline std::string annotation(const nlohmann::json& node, const std::string& key) {
  if (!node.is_object()) return "";
  return node.value("/metadata/annotations"_json_pointer, nlohmann::json::object()).value(key, "");
}

inline bool ready(const nlohmann::json& node) {
  for (const auto& c : node["status"]["conditions"])
    if (c["type"] == "Ready") return c["status"] == "True";
  return false;
}

// What an upgrade may change, per node and pod: versions, scheduling, our records, the pods.
inline nlohmann::json snapshot(const SimCluster& c) {
  nlohmann::json s = {{"nodes", nlohmann::json::object()}, {"pods", nlohmann::json::array()}};
  for (const auto& n : c.list("nodes"))
    s["nodes"][n["metadata"]["name"].get<std::string>()] = {
        {"kubelet", n["status"]["nodeInfo"]["kubeletVersion"]},
        {"unschedulable", n["spec"].value("unschedulable", false)},
        {"annotations", n["metadata"].value("annotations", nlohmann::json::object())}};
  for (const auto& p : c.list("pods", {"-A"}))
    s["pods"].push_back(p["metadata"]["namespace"].get<std::string>() + "/" +
                        p["metadata"]["name"].get<std::string>() + "@" +
                        p["spec"].value("nodeName", ""));
  s["version"] =
      c.get("configmap", "kubeadm-config", "kube-system")["data"]["ClusterConfiguration"];
  return s;
}

inline void expect_node_done(const SimCluster& c, const std::string& name,
                             const std::string& target) {
  SCOPED_TRACE(name);
  nlohmann::json n = c.get("node", name);
  EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], target);
  EXPECT_TRUE(ready(n));
  EXPECT_FALSE(n["spec"].value("unschedulable", false));
  EXPECT_EQ(annotation(n, kStep), "9-done");
  EXPECT_EQ(annotation(n, kCordoned), "");
}

inline void expect_no_shell_pods(const SimCluster& c) {
  auto pods = c.list("pods", {"-A", "-l", "app.kubernetes.io/managed-by=kubectl-upgrade"});
  EXPECT_TRUE(pods.empty()) << pods.size() << " node-shell pod(s) left behind";
}

}  // namespace e2e::upgrade_helpers
