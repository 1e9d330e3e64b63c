#include "pkg/upgrade/preflight.h"

#include <gtest/gtest.h>

namespace upgrade {
namespace {

kver::Version v(const char* s) {
  return *kver::parse(s);
}

cluster::NodeInfo node(const std::string& name, const char* kubelet, bool cp = false,
                       bool ready = true) {
  cluster::NodeInfo n;
  n.name = name;
  n.kubelet_version_text = kubelet;
  n.kubelet = v(kubelet);
  n.control_plane = cp;
  n.ready = ready;
  if (!ready) n.ready_reason = "KubeletNotReady";
  return n;
}

cluster::ControlPlanePod apiserver(const std::string& node, const char* version) {
  cluster::ControlPlanePod p;
  p.component = "kube-apiserver";
  p.node = node;
  p.version = v(version);
  p.image = std::string("registry.k8s.io/kube-apiserver:") + version;
  return p;
}

// cp1 cp2 at v1.35.2, w1 at v1.35.2, w2 at v1.33.0
ClusterView ha(const char* cluster = "v1.35.2", const char* cp1 = "v1.35.2") {
  ClusterView view;
  view.cluster_version = v(cluster);
  view.api_server = v(cp1);
  view.nodes = {node("cp1", cp1, true), node("cp2", "v1.35.2", true), node("w1", "v1.35.2"),
                node("w2", "v1.33.0")};
  view.control_plane_pods = {apiserver("cp1", cp1), apiserver("cp2", "v1.35.2")};
  return view;
}

struct Case {
  std::string name;
  ClusterView view;
  std::string node;
  std::string target;
  NodeRecord record;
  std::string want_refusal;  // substring; "" = allowed
  Role want_role = Role::kWorker;
};

TEST(Preflight, OrderAndSkew) {
  ClusterView not_ready = ha();
  not_ready.nodes[0].ready = false;
  NodeRecord resumed_first{.target = "v1.36.0",
                           .role = Role::kFirstControlPlane,
                           .step = StepId::kDrain,
                           .state = "failed"};
  std::vector<Case> cases = {
      {"the first control plane goes first",
       ha(),
       "cp1",
       "v1.36.0",
       {},
       "",
       Role::kFirstControlPlane},
      {"any control plane may be the first",
       ha(),
       "cp2",
       "v1.36.0",
       {},
       "",
       Role::kFirstControlPlane},
      {"a worker before the control plane is refused",
       ha(),
       "w1",
       "v1.36.0",
       {},
       "control planes first"},
      {"skipping a minor is refused", ha(), "cp1", "v1.37.0", {}, "one minor at a time"},
      {"a downgrade is refused", ha(), "cp1", "v1.34.0", {}, "downgrade"},
      {"a patch upgrade is fine", ha(), "cp1", "v1.35.3", {}, "", Role::kFirstControlPlane},
      {"a not-Ready node is refused", not_ready, "cp1", "v1.36.0", {}, "not Ready"},
      {"an unknown node is refused", ha(), "nope", "v1.36.0", {}, "not found"},
      {"the other control planes follow the first",
       ha("v1.36.0", "v1.36.0"),
       "cp2",
       "v1.36.0",
       {},
       "",
       Role::kControlPlane},
      {"workers wait for every API server",
       ha("v1.36.0", "v1.36.0"),
       "w1",
       "v1.36.0",
       {},
       "kube-apiserver on cp2 is at v1.35.2"},
      {"a resumed first control plane keeps its role after apply", ha("v1.36.0", "v1.36.0"), "cp1",
       "v1.36.0", resumed_first, "", Role::kFirstControlPlane},
  };
  ClusterView all_cp = ha("v1.36.0", "v1.36.0");
  all_cp.control_plane_pods[1] = apiserver("cp2", "v1.36.0");
  cases.push_back(
      {"a worker after every control plane", all_cp, "w1", "v1.36.0", {}, "", Role::kWorker});
  cases.push_back({"a worker two minors behind moves one at a time",
                   all_cp,
                   "w2",
                   "v1.36.0",
                   {},
                   "one minor at a time"});
  ClusterView old_kubelet = ha();
  old_kubelet.nodes[3] = node("w2", "v1.32.0");
  cases.push_back({"a kubelet that would be four minors behind blocks the control plane",
                   old_kubelet,
                   "cp1",
                   "v1.36.0",
                   {},
                   "the kubelet on w2 (v1.32.0) would be too far behind"});

  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto verdict = preflight(c.view, c.node, v(c.target.c_str()), c.record);
    std::string all;
    for (const auto& r : verdict.refusals) all += r + "\n";
    if (c.want_refusal.empty()) {
      EXPECT_TRUE(verdict.ok()) << all;
      EXPECT_EQ(verdict.role, c.want_role);
    } else {
      EXPECT_NE(all.find(c.want_refusal), std::string::npos) << all;
    }
  }
}

std::string target_of(const ClusterView& view, const std::string& node, const NodeRecord& record) {
  static const std::vector<kver::Version> available = {
      v("v1.34.1"), v("v1.35.0"), v("v1.35.2"), v("v1.35.4"),     v("v1.36.0"),
      v("v1.36.3"), v("v1.37.0"), v("v1.37.1"), v("v1.38.0-rc.1")};
  auto t = default_target(view, node, record, available);
  return t ? t->to_string() : "error: " + t.error();
}

TEST(Preflight, DefaultTargetIsOneHopNeverAJump) {
  NodeRecord unfinished{.target = "v1.35.4", .step = StepId::kDrain, .state = "failed"};
  NodeRecord finished{.target = "v1.35.2", .step = StepId::kDone, .state = "done"};
  ClusterView mid_hop = ha("v1.36.0", "v1.36.0");  // cp1 applied v1.36.0, cp2 not yet
  ClusterView all_cp = ha("v1.36.0", "v1.36.0");
  all_cp.control_plane_pods[1] = apiserver("cp2", "v1.36.0");
  ClusterView newest = ha("v1.37.1", "v1.37.1");
  newest.control_plane_pods[1] = apiserver("cp2", "v1.37.1");
  newest.nodes = {node("cp1", "v1.37.1", true)};
  struct Case {
    std::string name;
    ClusterView view;
    std::string node;
    NodeRecord record;
    std::string want;
  };
  std::vector<Case> cases = {
      {"an unfinished record resumes its target", ha(), "w1", unfinished, "v1.35.4"},
      {"a finished record does not hold the node back", ha(), "cp1", finished, "v1.36.3"},
      {"the first control plane takes the next minor's newest patch, not v1.37",
       ha(),
       "cp1",
       {},
       "v1.36.3"},
      {"a worker at the cluster's version is offered the next hop too (pre-flight then says "
       "control planes first)",
       ha(),
       "w1",
       {},
       "v1.36.3"},
      {"a node behind the hop in progress follows the control plane", all_cp, "w1", {}, "v1.36.0"},
      {"the second control plane follows the first", mid_hop, "cp2", {}, "v1.36.0"},
      {"a control plane done with the hop is not sent to v1.37 while another API server lags",
       mid_hop,
       "cp1",
       {},
       "v1.36.3"},
      {"a worker two minors behind moves one minor", all_cp, "w2", {}, "v1.34.1"},
      {"at the newest minor there is nothing newer",
       newest,
       "cp1",
       {},
       "error: v1.37.1 is the newest available version; nothing to upgrade; pass --to for a "
       "pre-release"},
      {"an unknown node",
       ha(),
       "nope",
       {},
       "error: node nope not found (kubectl get nodes lists "
       "them)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(target_of(c.view, c.node, c.record), c.want);
  }
}

}  // namespace
}  // namespace upgrade
