#include "tests/sim/model/scheduling.h"

#include <gtest/gtest.h>

#include "tests/sim/model/objects.h"

namespace sim {
namespace {

using json = nlohmann::json;

json node(const std::string& name, bool cp, const std::string& cpu = "4") {
  NodeSpec s;
  s.name = name;
  s.control_plane = cp;
  s.cpu = cpu;
  if (cp)
    s.taints =
        json::array({{{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}});
  return make_node(s, 0, std::chrono::system_clock::now());
}

json pod_requesting(const std::string& cpu) {
  WorkloadSpec w;
  w.kind = "Deployment";
  w.name = "web";
  w.cpu_request = cpu;
  return make_pod(make_pod_template(w), "shop", "web-1", nullptr);
}

TEST(Scheduling, PlacesOnTheLeastLoadedFittingWorker) {
  std::vector<json> nodes = {node("cp1", true), node("w1", false), node("w2", false)};
  std::map<std::string, NodeUsage> usage = {{"w1", {2000, 0, 3}}};
  auto p = place_pod(pod_requesting("500m"), nodes, usage);
  ASSERT_TRUE(p.node);
  EXPECT_EQ(*p.node, "w2");
}

TEST(Scheduling, CordonedAndNotReadyNodesAreSkipped) {
  json cordoned = node("w1", false);
  cordoned["spec"]["unschedulable"] = true;
  json down = node("w2", false);
  down["status"]["conditions"][3]["status"] = "Unknown";
  auto p = place_pod(pod_requesting("100m"), {cordoned, down}, {});
  EXPECT_FALSE(p.node);
  EXPECT_EQ(p.message,
            "0/2 nodes are available: 1 node(s) had untolerated taint "
            "{node.kubernetes.io/not-ready: }, 1 node(s) were "
            "unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for "
            "scheduling.");
}

TEST(Scheduling, FailedSchedulingReadsLikeKubeScheduler) {
  std::vector<json> nodes = {node("cp1", true), node("w1", false, "1"), node("w2", false, "1")};
  auto p = place_pod(pod_requesting("2"), nodes, {});
  EXPECT_FALSE(p.node);
  EXPECT_EQ(p.message,
            "0/3 nodes are available: 1 node(s) had untolerated taint "
            "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. "
            "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No "
            "preemption victims found for incoming pod.");
}

TEST(Scheduling, DaemonSetTolerationsCoverCordonedNodes) {
  json cordoned = node("w1", false);
  cordoned["spec"]["unschedulable"] = true;
  for (const auto& t : effective_taints(cordoned)) {
    EXPECT_TRUE(tolerates(daemonset_tolerations(), t)) << t.dump();
  }
}

}  // namespace
}  // namespace sim
