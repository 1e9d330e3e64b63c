// Two evictions at the same moment against a PDB that allows one disruption: the real API server
// admits exactly one (the eviction writes the PDB's status under optimistic concurrency, so the
// racing one retries and sees 0 allowed). kube-sim must hold the same line, or concurrent drains
// (`kubectl upgrade cluster --max-unavailable 2`) take a workload below its minimum.
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "tests/e2e/harness/sim_cluster.h"

namespace {

using e2e::SimCluster;
using json = nlohmann::json;

bool ready(const json& pod) {
  if (pod["metadata"].contains("deletionTimestamp")) return false;
  for (const auto& c : pod["status"].value("conditions", json::array()))
    if (c["type"] == "Ready") return c["status"] == "True";
  return false;
}

std::vector<std::string> ready_web_pods(const SimCluster& c) {
  std::vector<std::string> out;
  auto list = c.request("GET", "/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb");
  if (list.status != 200) return out;
  const json doc = list.json();
  for (const auto& p : doc["items"])
    if (ready(p)) out.push_back(p["metadata"]["name"]);
  return out;
}

int disruptions_allowed(const SimCluster& c) {
  auto pdb = c.request("GET", "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web");
  return pdb.status == 200 ? pdb.json()["status"].value("disruptionsAllowed", -1) : -1;
}

TEST(EvictionRace, TwoEvictionsAtOnceUnderABudgetOfOneAdmitExactlyOne) {
  // ha.yaml: shop/web has 4 replicas and minAvailable 3, so one disruption at a time.
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<std::string> pods;
    ASSERT_TRUE(SimCluster::eventually(
        [&] {
          pods = ready_web_pods(c);
          return pods.size() == 4 && disruptions_allowed(c) == 1;
        },
        std::chrono::seconds(60)))
        << "web never got back to 4 Ready pods and 1 allowed disruption";
    std::latch go(2);
    int status[2] = {0, 0};
    {
      std::vector<std::jthread> both;
      for (int i = 0; i < 2; ++i)
        both.emplace_back([&, i] {
          json eviction = {{"apiVersion", "policy/v1"},
                           {"kind", "Eviction"},
                           {"metadata", {{"name", pods[i]}, {"namespace", "shop"}}}};
          go.arrive_and_wait();
          status[i] = c.request("POST", "/api/v1/namespaces/shop/pods/" + pods[i] + "/eviction",
                                eviction.dump())
                          .status;
        });
    }
    std::sort(std::begin(status), std::end(status));
    EXPECT_EQ(status[0], 201);
    EXPECT_EQ(status[1], 429) << "both evictions were admitted: the PDB went below its minimum";
  }
}

}  // namespace
