// Node order: the first control plane (and why), the other control planes, workers in batches.
#include "tests/unit/plan/helpers.h"

namespace plan::testing {
namespace {

std::string order_of(const Plan& p) {
  std::string s;
  for (const auto& n : p.nodes)
    s += (s.empty() ? "" : " ") + n.name + "@" + std::to_string(n.batch);
  return s;
}

TEST(Order, FirstControlPlaneAndWhy) {
  struct Case {
    std::string name;
    std::function<void(ClusterBuilder&)> change;
    std::string first;
    bool assumed;
    std::string reason_has;
  };
  const std::vector<Case> cases = {
      {"node facts show admin.conf",
       [](ClusterBuilder& b) {
         b.inventory().node_facts["cp3"] = {.node = "cp3",
                                            .gathered = true,
                                            .repo_file = "x",
                                            .repo_minor = kver::Minor{1, 35},
                                            .has_admin_conf = true};
       },
       "cp3", false, "admin.conf (node facts)"},
      {"kubeadm-config's controlPlaneEndpoint is a node address",
       [](ClusterBuilder& b) {
         b.inventory().kubeadm_config.control_plane_endpoint = "10.0.0.12:6443";
         b.node_named("cp2").addresses = {"10.0.0.12", "cp2"};
       },
       "cp2", true, "controlPlaneEndpoint"},
      {"the oldest control plane",
       [](ClusterBuilder& b) { b.node_named("cp3").created = "2025-05-01T00:00:00Z"; }, "cp3", true,
       "oldest"},
      {"the first by name when nothing tells them apart", [](ClusterBuilder&) {}, "cp1", true,
       "first control-plane node by name"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 3, 1);
    c.change(b);
    Plan p = plan_of(b.build());
    EXPECT_EQ(p.first_control_plane.name, c.first);
    EXPECT_EQ(p.first_control_plane.assumed, c.assumed);
    EXPECT_NE(p.first_control_plane.reason.find(c.reason_has), std::string::npos)
        << p.first_control_plane.reason;
    EXPECT_EQ(p.nodes.front().name, c.first);
    EXPECT_EQ(p.nodes.front().role, Role::kFirstControlPlane);
    EXPECT_EQ(p.next_command.find("kubectl upgrade node " + c.first + " --to "), 0u);
    EXPECT_EQ(finding(p, "FirstControlPlaneAssumed") != nullptr, c.assumed);
  }
}

TEST(Order, ControlPlanesOneAtATimeThenWorkerBatches) {
  struct Case {
    std::string max_unavailable;
    std::string order;
  };
  const std::vector<Case> cases = {
      {"1", "cp1@1 cp2@2 w1@3 w2@4 w3@5 w4@6 w5@7"},
      {"2", "cp1@1 cp2@2 w1@3 w2@3 w3@4 w4@4 w5@5"},
      {"40%", "cp1@1 cp2@2 w1@3 w2@3 w3@4 w4@4 w5@5"},
      {"10%", "cp1@1 cp2@2 w1@3 w2@4 w3@5 w4@6 w5@7"},  // rounds down, at least one
      {"100%", "cp1@1 cp2@2 w1@3 w2@3 w3@3 w4@3 w5@3"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.max_unavailable);
    ClusterBuilder b("v1.35.2", 2, 5);
    Plan p = plan_of(b.build(), {.max_unavailable = c.max_unavailable});
    EXPECT_EQ(order_of(p), c.order);
  }
}

TEST(Order, StepsNameTheFirstHopTarget) {
  ClusterBuilder b("v1.35.2", 2, 1);
  Plan p = plan_of(b.build(), {.to = newest(37)});
  const auto& first = node_plan(p, "cp1").steps;
  EXPECT_NE(std::find(first.begin(), first.end(), "kubeadm upgrade apply " + newest(36) + " --yes"),
            first.end());
  const auto& other = node_plan(p, "cp2").steps;
  EXPECT_NE(std::find(other.begin(), other.end(), "kubeadm upgrade node"), other.end());
}

}  // namespace
}  // namespace plan::testing
