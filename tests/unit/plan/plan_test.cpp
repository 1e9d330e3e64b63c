// Current state, skew, target resolution, hop paths and pre-flight through make_plan().
#include "tests/unit/plan/helpers.h"

namespace plan::testing {
namespace {

TEST(Plan, HealthyClusterIsReadyForTheNextMinor) {
  ClusterBuilder c("v1.35.2", 1, 2);
  Plan p = plan_of(c.build());
  EXPECT_TRUE(p.ready()) << (p.findings.empty() ? "" : p.findings[0].message);
  EXPECT_EQ(p.current.version, "v1.35.2");
  EXPECT_TRUE(p.current.supported);
  EXPECT_TRUE(p.target.defaulted);
  EXPECT_EQ(p.target.version, newest(36));
  EXPECT_EQ(p.target.source.kind, "builtin-table");
  ASSERT_EQ(p.target.hops.size(), 1u);
  EXPECT_EQ(p.next_command, "kubectl upgrade node cp1 --to " + newest(36));
}

struct TargetCase {
  std::string name;
  std::string cluster;
  std::optional<std::string> to;
  bool allow_prerelease;
  std::string want_code;  // finding expected ("" = none)
  Severity want_severity;
  std::string want_path;  // "v1.33.1>v1.34.x ..." with real numbers, "" when refused
};

std::string path_of(const Plan& p) {
  std::string s;
  for (const auto& h : p.target.hops) s += (s.empty() ? "" : " ") + h.to.to_string();
  return s;
}

TEST(Plan, TargetsAndPaths) {
  const std::vector<TargetCase> cases = {
      {"patch within the minor", "v1.37.0", "v1.37.1", false, "", Severity::kInfo, "v1.37.1"},
      {"two minors ahead goes through the newest patch of the one between", "v1.35.2", newest(37),
       false, "MultipleHops", Severity::kInfo, newest(36) + " " + newest(37)},
      {"downgrade is refused", "v1.36.2", "v1.35.0", false, "Downgrade", Severity::kBlocker, ""},
      {"unknown patch is refused", "v1.36.2", "v1.36.99", false, "UnknownTargetVersion",
       Severity::kBlocker, ""},
      {"target outside the support window", "v1.33.1", "v1.34.0", false, "UnsupportedTarget",
       Severity::kBlocker, ""},
      {"pre-release needs the opt-in", "v1.37.0", "v1.38.0-rc.1", false, "PrereleaseNotRequested",
       Severity::kBlocker, ""},
      {"pre-release with the opt-in", "v1.37.0", "v1.38.0-rc.1", true, "", Severity::kInfo,
       "v1.38.0-rc.1"},
      {"same version: nothing to do", "v1.37.1", "v1.37.1", false, "AlreadyAtTarget",
       Severity::kInfo, ""},
      {"default at the newest minor is its newest patch", "v1.37.0", std::nullopt, false, "",
       Severity::kInfo, newest(37)},
      {"default from an unsupported minor warns", "v1.29.3", std::nullopt, false,
       "TargetOutOfSupport", Severity::kWarning, newest(30)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b(c.cluster, 1, 1);
    Plan p = plan_of(b.build(), {.to = c.to, .allow_prerelease = c.allow_prerelease});
    EXPECT_EQ(path_of(p), c.want_path);
    if (!c.want_code.empty()) {
      const Finding* f = finding(p, c.want_code);
      ASSERT_TRUE(f) << "missing " << c.want_code;
      EXPECT_EQ(f->severity, c.want_severity);
      if (f->severity == Severity::kBlocker) {
        EXPECT_FALSE(f->fix.empty());
      }
    }
    EXPECT_EQ(p.next_command.empty(), c.want_path.empty());
  }
}

TEST(Plan, AnUpgradeStoppedHalfwayIsFinishedFirst) {
  struct Case {
    std::string name;
    std::string control_plane, worker;
    std::optional<std::string> to;
    std::string want_path;
    std::string want_from;  // where the first hop starts
    bool finish_note;
  };
  const std::vector<Case> cases = {
      {"workers behind, same target: their hop", "v1.36.7", "v1.35.2", "v1.36.7", "v1.36.7",
       "v1.35.2", false},
      {"workers behind, no --to: finish first", "v1.36.7", "v1.35.2", std::nullopt, "v1.36.7",
       "v1.35.2", true},
      {"two hops stopped in the first: both hops", "v1.35.11", "v1.34.12", "v1.36.7",
       "v1.35.11 v1.36.7", "v1.34.12", false},
      {"a patch behind in the same minor", "v1.36.7", "v1.36.2", std::nullopt, "v1.36.7", "v1.36.2",
       true},
      {"kubelet two minors behind: a skew finding, not the path", "v1.36.7", "v1.34.12",
       std::nullopt, newest(37), "v1.36.7", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b(c.control_plane, 1, 0);
    b.node(NodeBuilder("w1").kubelet(c.worker));
    Plan p = plan_of(b.build(), {.to = c.to});
    EXPECT_EQ(path_of(p), c.want_path);
    EXPECT_EQ(finding(p, "FinishUpgrade") != nullptr, c.finish_note);
    ASSERT_FALSE(p.target.hops.empty());
    EXPECT_EQ(p.target.hops.front().from.to_string(), c.want_from);
  }
}

TEST(Plan, MalformedOptionsAreErrors) {
  ClusterBuilder b("v1.35.2", 1, 1);
  for (std::string bad : {"latest", "v1.35", "1.35.2;reboot", "v1.35.2\n"}) {
    SCOPED_TRACE(bad);
    auto p = make_plan(b.build(), {.to = bad});
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("--to"), std::string::npos);
  }
  for (std::string bad : {"0", "-1", "x", "150%", "", "1.5"}) {
    SCOPED_TRACE(bad);
    auto p = make_plan(b.build(), {.max_unavailable = bad});
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("--max-unavailable"), std::string::npos);
  }
}

TEST(Plan, SkewAndKubelets) {
  struct Case {
    std::string name;
    std::function<void(ClusterBuilder&)> change;
    std::string code;
    std::string subject;
  };
  const std::vector<Case> cases = {
      {"kubelet three minors behind blocks the next control plane",
       [](ClusterBuilder& b) { b.node_named("w1").kubelet = v("v1.32.4"); }, "KubeletTooOld",
       "node/w1"},
      {"kubelet four minors behind breaks the policy now",
       [](ClusterBuilder& b) { b.node_named("w1").kubelet = v("v1.31.4"); }, "SkewViolation",
       "node/w1"},
      {"kubelet newer than the API server",
       [](ClusterBuilder& b) { b.node_named("w1").kubelet = v("v1.36.0"); }, "SkewViolation",
       "node/w1"},
      {"scheduler two minors behind",
       [](ClusterBuilder& b) { b.mirror("kube-scheduler", "cp1", "v1.33.0"); }, "SkewViolation",
       "node/cp1"},
      {"kube-proxy four minors behind",
       [](ClusterBuilder& b) { b.inventory().kube_proxy.version = v("v1.31.0"); }, "SkewViolation",
       "kube-proxy"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 1, 2);
    c.change(b);
    Plan p = plan_of(b.build());
    const Finding* f = finding(p, c.code);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->subject, c.subject);
    EXPECT_EQ(f->severity, Severity::kBlocker);
    EXPECT_FALSE(f->fix.empty());
    EXPECT_FALSE(p.ready());
  }
}

TEST(Plan, SkewedHaControlPlaneIsInconsistent) {
  ClusterBuilder b("v1.35.2", 3, 1);
  b.mirror("kube-apiserver", "cp2", "v1.36.1");
  Plan p = plan_of(b.build());
  ASSERT_TRUE(finding(p, "VersionsInconsistent"));
  EXPECT_NE(finding(p, "VersionsInconsistent")->message.find("kube-apiserver on cp2 v1.36.1"),
            std::string::npos);
  EXPECT_EQ(p.current.version, "v1.35.2");  // the oldest API server
}

TEST(Preflight, EveryCheck) {
  struct Case {
    std::string name;
    std::function<void(ClusterBuilder&)> change;
    std::string code;
    Severity severity;
  };
  const std::vector<Case> cases = {
      {"control plane not ready", [](ClusterBuilder& b) { b.node_named("cp1").ready = false; },
       "ControlPlaneNotReady", Severity::kBlocker},
      {"control-plane pod not running",
       [](ClusterBuilder& b) { b.inventory().control_plane_pods[1].phase = "Pending"; },
       "ControlPlanePodNotRunning", Severity::kBlocker},
      {"control-plane pod missing",
       [](ClusterBuilder& b) {
         b.inventory().control_plane_pods.erase(b.inventory().control_plane_pods.begin() + 2);
       },
       "ControlPlanePodMissing", Severity::kBlocker},
      {"kubeadm-config disagrees",
       [](ClusterBuilder& b) { b.inventory().kubeadm_config.kubernetes_version = v("v1.35.1"); },
       "VersionsInconsistent", Severity::kBlocker},
      {"kubeadm-config missing", [](ClusterBuilder& b) { b.inventory().kubeadm_config = {}; },
       "KubeadmConfigMissing", Severity::kBlocker},
      {"node cordoned by someone else",
       [](ClusterBuilder& b) { b.node_named("w2").unschedulable = true; }, "CordonedBySomeoneElse",
       Severity::kBlocker},
      {"worker not ready", [](ClusterBuilder& b) { b.node_named("w2").ready = false; },
       "NodeNotReady", Severity::kWarning},
      {"upgrade lock held",
       [](ClusterBuilder& b) {
         b.inventory().lock = {true, "alice@laptop", "2026-11-26T09:59:40.000000Z", 60};
       },
       "UpgradeLockHeld", Severity::kBlocker},
      {"stale upgrade lock",
       [](ClusterBuilder& b) {
         b.inventory().lock = {true, "alice@laptop", "2026-11-26T09:00:00.000000Z", 60};
       },
       "StaleUpgradeLock", Severity::kWarning},
      {"upgrade lock of a killed process on this host",
       [](ClusterBuilder& b) {
         b.inventory().lock = {true, "alice@laptop pid 9", "2026-11-26T09:59:40.000000Z", 60, true};
       },
       "StaleUpgradeLock", Severity::kWarning},
      {"no control-plane pods at all",
       [](ClusterBuilder& b) { b.inventory().control_plane_pods.clear(); }, "NoControlPlanePods",
       Severity::kBlocker},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 1, 2);
    c.change(b);
    Plan p = plan_of(b.build());
    const Finding* f = finding(p, c.code);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, c.severity);
    if (c.severity == Severity::kBlocker) {
      EXPECT_FALSE(f->fix.empty());
    }
  }
}

TEST(Preflight, NodeCordonedByUsIsNotABlocker) {
  ClusterBuilder b("v1.35.2", 1, 2);
  b.node_named("w1").unschedulable = true;
  b.node_named("w1").ours[std::string(cluster::kCordonedByUsAnnotation)] = "true";
  Plan p = plan_of(b.build());
  EXPECT_FALSE(finding(p, "CordonedBySomeoneElse"));
}

TEST(Preflight, RemovedApisStillStoredWarnWithTheReplacement) {
  ClusterBuilder b("v1.31.4", 1, 1);
  b.inventory().removed_apis.push_back(
      {"flowcontrol.apiserver.k8s.io/v1beta3", {1, 32}, true, {{"flowschemas", 14}}, 2});
  Plan p = plan_of(b.build(), {.to = newest(35)});  // the path crosses v1.32
  const Finding* f = finding(p, "RemovedApiInUse");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_NE(f->message.find("14 such objects (2 last applied"), std::string::npos) << f->message;
  EXPECT_NE(f->fix.find("flowcontrol.apiserver.k8s.io/v1"), std::string::npos);
  // A patch upgrade within v1.31 crosses no removal.
  Plan patch = plan_of(b.build(), {.to = "v1.31.5"});
  EXPECT_FALSE(finding(patch, "RemovedApiInUse"));
}

}  // namespace
}  // namespace plan::testing
