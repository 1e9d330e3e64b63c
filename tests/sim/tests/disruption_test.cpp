#include "tests/sim/model/disruption.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

using json = nlohmann::json;

json pod(bool ready, bool deleting = false) {
  json p = {
      {"metadata", {{"name", "p"}}},
      {"status", {{"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
  if (deleting) p["metadata"]["deletionTimestamp"] = "2026-11-26T10:00:00Z";
  return p;
}

std::vector<json> pods(int ready, int unready = 0, int deleting = 0) {
  std::vector<json> out;
  for (int i = 0; i < ready; ++i) out.push_back(pod(true));
  for (int i = 0; i < unready; ++i) out.push_back(pod(false));
  for (int i = 0; i < deleting; ++i) out.push_back(pod(true, true));
  return out;
}

struct Case {
  std::string name;
  json spec;
  std::vector<json> pods;
  std::optional<int> scale;
  PdbStatus want;
};

TEST(Disruption, BudgetArithmetic) {
  const std::vector<Case> cases = {
      {"minAvailable 3 of 4 ready", {{"minAvailable", 3}}, pods(4), 4, {4, 3, 4, 1}},
      {"minAvailable 3 of 3 ready allows nothing", {{"minAvailable", 3}}, pods(3), 3, {3, 3, 3, 0}},
      {"an evicted pod is not healthy", {{"minAvailable", 3}}, pods(3, 0, 1), 4, {4, 3, 3, 0}},
      {"maxUnavailable 1 of 3", {{"maxUnavailable", 1}}, pods(3), 3, {3, 2, 3, 1}},
      {"maxUnavailable 1 with one unready", {{"maxUnavailable", 1}}, pods(2, 1), 3, {3, 2, 2, 0}},
      {"maxUnavailable counts the controller's scale",
       {{"maxUnavailable", 1}},
       pods(2),
       3,
       {3, 2, 2, 0}},
      {"minAvailable 50% rounds up", {{"minAvailable", "50%"}}, pods(5), 5, {5, 3, 5, 2}},
      {"maxUnavailable 25% of 4", {{"maxUnavailable", "25%"}}, pods(4), 4, {4, 3, 4, 1}},
      {"maxUnavailable 0 allows nothing", {{"maxUnavailable", 0}}, pods(4), 4, {4, 4, 4, 0}},
      {"never below zero", {{"minAvailable", 5}}, pods(2), 2, {2, 5, 2, 0}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    PdbStatus s = compute_pdb_status({{"spec", c.spec}}, c.pods, c.scale);
    EXPECT_EQ(s.expected_pods, c.want.expected_pods);
    EXPECT_EQ(s.desired_healthy, c.want.desired_healthy);
    EXPECT_EQ(s.current_healthy, c.want.current_healthy);
    EXPECT_EQ(s.disruptions_allowed, c.want.disruptions_allowed);
  }
}

}  // namespace
}  // namespace sim
