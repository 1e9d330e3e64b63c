#include "tests/sim/scenario/scenario.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

TEST(Scenario, ShippedScenariosLoad) {
  for (const char* name :
       {"single-cp.yaml", "ha.yaml", "ha-v1.34.yaml", "scale-200.yaml", "scale-5000.yaml"}) {
    SCOPED_TRACE(name);
    auto s = load_scenario(std::filesystem::path(KU_SIM_SCENARIOS) / name);
    ASSERT_TRUE(s) << s.error();
    ASSERT_NE(s->first_control_plane(), nullptr);
  }
  auto ha = load_scenario(std::filesystem::path(KU_SIM_SCENARIOS) / "ha.yaml");
  int cps = 0, dnf = 0;
  for (const auto& n : ha->nodes) {
    cps += n.control_plane ? 1 : 0;
    dnf += n.package_manager == "dnf" ? 1 : 0;
  }
  EXPECT_EQ(cps, 3);
  EXPECT_EQ(ha->nodes.size(), 8u);
  EXPECT_GT(dnf, 0);
}

TEST(Scenario, DefaultsFollowTheCluster) {
  auto s = parse_scenario(
      "cluster: {apiServerVersion: v1.36.1}\nnodes:\n- {name: cp1, role: control-plane, "
      "packageManager: dnf}\n- {name: w1}\n",
      "t.yaml");
  ASSERT_TRUE(s) << s.error();
  const NodeSpec& cp = s->nodes[0];
  EXPECT_TRUE(cp.first_control_plane);
  EXPECT_EQ(cp.kubelet_version, "v1.36.1");
  EXPECT_EQ(cp.repo_minor, "v1.36");
  EXPECT_EQ(cp.packages.at("kubeadm"), "1.36.1-150500.1.1");
  EXPECT_TRUE(cp.holds.empty());
  EXPECT_EQ(cp.taints.size(), 1u);
  EXPECT_EQ(s->nodes[1].packages.at("kubelet"), "1.36.1-1.1");
  EXPECT_EQ(s->cluster.coredns_version, "v1.13.1");
}

struct Bad {
  std::string name, yaml, error;
};

TEST(Scenario, MalformedFilesNameTheLineAndTheReason) {
  const std::vector<Bad> cases = {
      {"bad role", "nodes:\n  - name: cp1\n    role: queen\n",
       "t.yaml:3:11: scenario.nodes[0].role: must be control-plane or worker, not \"queen\""},
      {"unknown key", "nodes:\n  - name: cp1\n    rol: worker\n",
       "t.yaml:3:5: scenario.nodes[0]: unknown field \"rol\""},
      {"bad version", "cluster:\n  apiServerVersion: 1.35\nnodes: [{name: a}]\n",
       "t.yaml:2:21: scenario.cluster.apiServerVersion: \"1.35\" is not a version like v1.35.2"},
      {"missing name", "nodes:\n  - role: worker\n",
       "t.yaml:2:5: scenario.nodes[0]: missing required field \"name\""},
      {"yaml syntax", "nodes: [\n  {name: a\n", "t.yaml:3:1:"},
      {"no nodes", "cluster: {}\n", "a scenario needs nodes"},
      {"duplicate node", "nodes: [{name: a}, {name: a}]\n", "duplicate node name \"a\""},
      {"pdb with both",
       "nodes: [{name: a}]\nworkloads:\n- {kind: Deployment, name: w, pdb: {minAvailable: 1, "
       "maxUnavailable: 1}}\n",
       "exactly one of minAvailable and maxUnavailable"},
      {"bad time scale", "sim: {timeScale: 0}\nnodes: [{name: a}]\n",
       "scenario.sim.timeScale: must be in (0, 100]"},
      {"pinned to a missing node",
       "nodes: [{name: a}]\nworkloads:\n- {kind: Pod, name: p, node: zz}\n", "names node \"zz\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = parse_scenario(c.yaml, "t.yaml");
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().find(c.error), std::string::npos) << s.error();
    EXPECT_EQ(s.error().rfind("t.yaml", 0), 0u) << s.error();
  }
}

}  // namespace
}  // namespace sim
