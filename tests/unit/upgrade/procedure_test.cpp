#include "pkg/upgrade/procedure.h"

#include <gtest/gtest.h>

#include "tests/unit/upgrade/fake_cluster.h"

namespace upgrade {
namespace {

using testing::FakeCluster;
using testing::FakeRunner;
using testing::SimNode;
using Strings = std::vector<std::string>;
using json = nlohmann::json;

class ProcedureTest : public ::testing::Test {
 protected:
  ProcedureTest() : runner_(c_), events_(c_.client, clock_) {
    c_.add_node("cp1", {.control_plane = true, .admin_conf = true});
    c_.add_node("w1", {});
    c_.add_pod(ku::testing::PodBuilder("web-1").in("shop").on("w1").replicaset());
    c_.add_pod(ku::testing::PodBuilder("kube-proxy-w1").in("kube-system").on("w1").daemonset());
    c_.fake.add("/apis/apps/v1/namespaces/kube-system/daemonsets",
                {{"metadata", {{"name", "kube-proxy"}}}});
  }

  NodeResult run(const std::string& node, const std::string& target = "v1.36.0",
                 std::stop_token stop = {}) {
    NodeUpgradeOptions o{.node = node, .target = *kver::parse(target)};
    NodeUpgrade u(c_.client, runner_, clock_, events_, o,
                  [this](const StepUpdate& s) { updates_.push_back(s); });
    return u.run(stop);
  }

  // The control plane done, as after `kubectl upgrade node cp1`.
  void control_plane_at_target() {
    c_.set_version("v1.36.0");
    c_.set_mirror_pods("cp1", "v1.36.0");
    c_.fake.patch(kube::paths::node("cp1"), kube::PatchType::kMerge,
                  {{"status", {{"nodeInfo", {{"kubeletVersion", "v1.36.0"}}}}}});
  }

  void set_record(const std::string& node, const std::map<std::string, std::string>& a) {
    json patch;
    for (const auto& [k, v] : a) patch["metadata"]["annotations"][k] = v;
    c_.fake.patch(kube::paths::node(node), kube::PatchType::kMerge, patch);
  }

  FakeCluster c_;
  ku::testing::FakeClock clock_;
  FakeRunner runner_;
  EventRecorder events_;
  std::vector<StepUpdate> updates_;
};

TEST_F(ProcedureTest, FirstControlPlaneRunsApplyAndIsVerifiedFromTheCluster) {
  NodeResult r = run("cp1");
  ASSERT_EQ(r.outcome, NodeOutcome::kUpgraded) << r.error << "\n" << r.hint;
  EXPECT_EQ(runner_.purposes(), (Strings{"gather-facts", "switch-repo", "install-kubeadm",
                                         "kubeadm-apply", "install-kubelet", "restart-kubelet"}));
  EXPECT_NE(runner_.ran[3].body.find("kubeadm upgrade apply \"$version\" --yes"),
            std::string::npos);
  EXPECT_EQ(c_.annotation("cp1", kStepKey), "9-done");
  EXPECT_EQ(c_.annotation("cp1", kStateKey), "done");
  EXPECT_EQ(c_.annotation("cp1", kRoleKey), "first-control-plane");
  EXPECT_EQ(c_.annotation("cp1", kTargetKey), "v1.36.0");
  EXPECT_EQ(c_.annotation("cp1", kFromKey), "v1.35.2");
  EXPECT_FALSE(c_.unschedulable("cp1"));
  EXPECT_EQ(c_.annotation("cp1", kCordonedKey), "");
  auto reasons = c_.event_reasons();
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons.front(), "UpgradeStarted");
  EXPECT_EQ(reasons.back(), "UpgradeSucceeded");
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "UpgradeStepSucceeded"), 8);
}

TEST_F(ProcedureTest, WorkerRunsUpgradeNodeDrainsAndUncordons) {
  control_plane_at_target();
  NodeResult r = run("w1");
  ASSERT_EQ(r.outcome, NodeOutcome::kUpgraded) << r.error;
  EXPECT_EQ(runner_.purposes(), (Strings{"gather-facts", "switch-repo", "install-kubeadm",
                                         "kubeadm-node", "install-kubelet", "restart-kubelet"}));
  EXPECT_EQ(r.pods_evicted, 1);
  EXPECT_FALSE(c_.fake.object(kube::paths::pod("shop", "web-1")).has_value());
  EXPECT_TRUE(c_.fake.object(kube::paths::pod("kube-system", "kube-proxy-w1")).has_value());
  EXPECT_FALSE(c_.unschedulable("w1"));
  EXPECT_EQ(c_.node("w1")["status"]["nodeInfo"]["kubeletVersion"], "v1.36.0");
  EXPECT_EQ(r.from, "v1.35.2");
  EXPECT_EQ(r.to, "v1.36.0");
}

TEST_F(ProcedureTest, WorkerBeforeTheControlPlaneIsRefusedAndNothingChanges) {
  NodeResult r = run("w1");
  EXPECT_EQ(r.outcome, NodeOutcome::kRefused);
  EXPECT_NE(r.error.find("control planes first"), std::string::npos) << r.error;
  EXPECT_TRUE(runner_.ran.empty());
  EXPECT_TRUE(c_.fake.calls_with("PATCH").empty());
  EXPECT_TRUE(c_.fake.calls_with("CREATE").empty());
}

struct ResumeCase {
  StepId recorded;
  std::string state;
  Strings scripts;  // after gather-facts, which always runs
};

TEST_F(ProcedureTest, ResumesAWorkerFromEveryStepWithoutRedoingEarlierOnes) {
  std::vector<ResumeCase> cases = {
      {StepId::kPreflight,
       "done",
       {"switch-repo", "install-kubeadm", "kubeadm-node", "install-kubelet", "restart-kubelet"}},
      {StepId::kRepo,
       "failed",
       {"switch-repo", "install-kubeadm", "kubeadm-node", "install-kubelet", "restart-kubelet"}},
      {StepId::kRepo,
       "done",
       {"install-kubeadm", "kubeadm-node", "install-kubelet", "restart-kubelet"}},
      {StepId::kKubeadmPackage, "done", {"kubeadm-node", "install-kubelet", "restart-kubelet"}},
      {StepId::kKubeadmUpgrade, "running", {"kubeadm-node", "install-kubelet", "restart-kubelet"}},
      {StepId::kKubeadmUpgrade, "done", {"install-kubelet", "restart-kubelet"}},
      {StepId::kDrain, "failed", {"install-kubelet", "restart-kubelet"}},
      {StepId::kDrain, "done", {"install-kubelet", "restart-kubelet"}},
      {StepId::kKubeletPackage, "done", {"restart-kubelet"}},
      {StepId::kKubeletRestart, "done", {}},
      {StepId::kUncordon, "running", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(step_label(c.recorded) + " " + c.state);
    FakeCluster fresh;
    fresh.add_node("cp1", {.control_plane = true, .admin_conf = true}, "v1.36.0");
    fresh.set_version("v1.36.0");
    fresh.set_mirror_pods("cp1", "v1.36.0");
    // The node as the recorded step left it.
    int done_before = static_cast<int>(c.recorded) + (c.state == "done" ? 1 : 0);
    SimNode n;
    if (done_before > 2) n.repo_minor = "v1.36";
    if (done_before > 3) n.kubeadm = "1.36.0";
    if (done_before > 6) n.kubelet_pkg = n.kubectl_pkg = "1.36.0";
    fresh.add_node("w1", n, done_before > 7 ? "v1.36.0" : "v1.35.2");
    std::map<std::string, kube::json> a = {{kTargetKey, "v1.36.0"},
                                           {kRoleKey, "worker"},
                                           {kStepKey, step_label(c.recorded)},
                                           {kStateKey, c.state},
                                           {kFromKey, "v1.35.2"}};
    json patch;
    for (const auto& [k, v] : a) patch["metadata"]["annotations"][k] = v;
    if (done_before > 5) {
      patch["spec"]["unschedulable"] = true;
      patch["metadata"]["annotations"][kCordonedKey] = "true";
    }
    fresh.fake.patch(kube::paths::node("w1"), kube::PatchType::kMerge, patch);

    FakeRunner runner(fresh);
    EventRecorder events(fresh.client, clock_);
    NodeUpgrade u(fresh.client, runner, clock_, events,
                  {.node = "w1", .target = *kver::parse("v1.36.0")});
    NodeResult r = u.run();
    ASSERT_EQ(r.outcome, NodeOutcome::kUpgraded) << r.error;
    Strings want = {"gather-facts"};
    want.insert(want.end(), c.scripts.begin(), c.scripts.end());
    EXPECT_EQ(runner.purposes(), want);
    EXPECT_FALSE(fresh.unschedulable("w1"));
    EXPECT_EQ(fresh.annotation("w1", kStepKey), "9-done");
    EXPECT_EQ(fresh.annotation("w1", kFromKey), "v1.35.2");
  }
}

TEST_F(ProcedureTest, StepsAlreadyDoneOnTheNodeAreSkippedWithoutARecord) {
  control_plane_at_target();
  c_.nodes["w1"].repo_minor = "v1.36";
  c_.nodes["w1"].kubeadm = "1.36.0";
  NodeResult r = run("w1");
  ASSERT_EQ(r.outcome, NodeOutcome::kUpgraded) << r.error;
  EXPECT_EQ(runner_.purposes(),
            (Strings{"gather-facts", "kubeadm-node", "install-kubelet", "restart-kubelet"}));
  int skipped = 0;
  for (const auto& u : updates_) skipped += u.kind == UpdateKind::kSkipped;
  EXPECT_EQ(skipped, 2);
}

TEST_F(ProcedureTest, AFailureIsRecordedAndTheReRunResumesThere) {
  runner_.fail["install-kubeadm"] = {100, "E: Unable to locate package kubeadm"};
  NodeResult r = run("cp1");
  EXPECT_EQ(r.outcome, NodeOutcome::kFailed);
  EXPECT_EQ(r.step, StepId::kKubeadmPackage);
  EXPECT_NE(r.error.find("installing kubeadm v1.36.0 on node cp1 failed (exit code 100"),
            std::string::npos)
      << r.error;
  EXPECT_NE(r.error.find("Unable to locate package"), std::string::npos);
  EXPECT_EQ(c_.annotation("cp1", kStepKey), "3-kubeadm-package");
  EXPECT_EQ(c_.annotation("cp1", kStateKey), "failed");
  EXPECT_NE(c_.annotation("cp1", kLastErrorKey).find("Unable to locate package"),
            std::string::npos);
  auto reasons = c_.event_reasons();
  EXPECT_EQ(reasons.back(), "UpgradeStepFailed");

  runner_.fail.clear();
  runner_.ran.clear();
  NodeResult again = run("cp1");
  ASSERT_EQ(again.outcome, NodeOutcome::kUpgraded) << again.error;
  EXPECT_EQ(runner_.purposes(), (Strings{"gather-facts", "install-kubeadm", "kubeadm-apply",
                                         "install-kubelet", "restart-kubelet"}));
  EXPECT_EQ(c_.annotation("cp1", kLastErrorKey), "");
}

TEST_F(ProcedureTest, LegacyRepositoryIsRefusedWithTheFix) {
  c_.nodes["cp1"].legacy = true;
  NodeResult r = run("cp1");
  EXPECT_EQ(r.outcome, NodeOutcome::kFailed);
  EXPECT_EQ(r.step, StepId::kFacts);
  EXPECT_NE(r.error.find("legacy"), std::string::npos);
  EXPECT_NE(r.hint.find("change-package-repository"), std::string::npos);
  EXPECT_EQ(runner_.purposes(), Strings{"gather-facts"});
}

TEST_F(ProcedureTest, FirstControlPlaneWithoutAdminConfIsRefusedAtFacts) {
  c_.nodes["cp1"].admin_conf = false;
  NodeResult r = run("cp1");
  EXPECT_EQ(r.outcome, NodeOutcome::kFailed);
  EXPECT_NE(r.error.find("admin.conf"), std::string::npos);
}

TEST_F(ProcedureTest, DrainTimeoutRestoresTheNodeAndLeavesTheRecord) {
  control_plane_at_target();
  c_.client.set([](const std::string& verb, const std::string& path,
                   const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction"))
      return std::unexpected(ku::testing::api_error(
          429, "TooManyRequests",
          "Cannot evict pod as it would violate the pod's disruption budget.",
          {{"DisruptionBudget",
            "The disruption budget web needs 1 healthy pods and has 1 currently", ""}}));
    return std::nullopt;
  });
  NodeResult r = run("w1");
  EXPECT_EQ(r.outcome, NodeOutcome::kFailed);
  EXPECT_EQ(r.step, StepId::kDrain);
  EXPECT_NE(r.error.find("PodDisruptionBudget shop/web"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("uncordoned again"), std::string::npos) << r.error;
  EXPECT_FALSE(c_.unschedulable("w1"));
  EXPECT_EQ(c_.annotation("w1", kCordonedKey), "");
  EXPECT_EQ(c_.annotation("w1", kStepKey), "5-drain");
  EXPECT_EQ(c_.annotation("w1", kStateKey), "failed");

  // Once the PDB allows, the re-run resumes at the drain.
  c_.client.set(nullptr);
  runner_.ran.clear();
  NodeResult again = run("w1");
  ASSERT_EQ(again.outcome, NodeOutcome::kUpgraded) << again.error;
  EXPECT_EQ(runner_.purposes(), (Strings{"gather-facts", "install-kubelet", "restart-kubelet"}));
  EXPECT_FALSE(c_.unschedulable("w1"));
}

TEST_F(ProcedureTest, KubeletThatDoesNotComeBackStopsAndExplains) {
  control_plane_at_target();
  c_.nodes["w1"].kubelet_comes_back = false;
  NodeResult r = run("w1");
  EXPECT_EQ(r.outcome, NodeOutcome::kFailed);
  EXPECT_EQ(r.step, StepId::kKubeletRestart);
  EXPECT_NE(r.error.find("KubeletNotReady"), std::string::npos) << r.error;
  EXPECT_NE(r.hint.find("journalctl -u kubelet"), std::string::npos);
  EXPECT_TRUE(c_.unschedulable("w1"));  // stays cordoned until it is healthy
  EXPECT_EQ(c_.annotation("w1", kCordonedKey), "true");
}

TEST_F(ProcedureTest, NodeCordonedByAnAdminStaysCordoned) {
  control_plane_at_target();
  c_.fake.patch(kube::paths::node("w1"), kube::PatchType::kMerge,
                {{"spec", {{"unschedulable", true}}}});
  NodeResult r = run("w1");
  ASSERT_EQ(r.outcome, NodeOutcome::kUpgraded) << r.error;
  EXPECT_TRUE(c_.unschedulable("w1"));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("was cordoned before kubectl upgrade started"), std::string::npos);
}

TEST_F(ProcedureTest, AlreadyUpgradedNodeIsNotTouched) {
  NodeResult first = run("cp1");
  ASSERT_EQ(first.outcome, NodeOutcome::kUpgraded);
  runner_.ran.clear();
  size_t patches = c_.fake.calls_with("PATCH").size();
  NodeResult again = run("cp1");
  EXPECT_EQ(again.outcome, NodeOutcome::kAlreadyDone);
  EXPECT_TRUE(runner_.ran.empty());
  EXPECT_EQ(c_.fake.calls_with("PATCH").size(), patches);
}

TEST_F(ProcedureTest, StopDuringAStepRecordsItAsStopped) {
  std::stop_source stop;
  runner_.stop_on = "install-kubeadm";
  runner_.stop_source = &stop;
  NodeResult r = run("cp1", "v1.36.0", stop.get_token());
  EXPECT_EQ(r.outcome, NodeOutcome::kCancelled);
  EXPECT_EQ(r.step, StepId::kKubeadmPackage);
  EXPECT_EQ(c_.annotation("cp1", kStepKey), "3-kubeadm-package");
  EXPECT_EQ(c_.annotation("cp1", kStateKey), "stopped");
}

TEST_F(ProcedureTest, PodsLeftByAKilledRunAreWaitedForAndDeleted) {
  c_.add_pod(ku::testing::PodBuilder("kubectl-upgrade-install-kubeadm-old")
                 .in("kube-system")
                 .on("cp1")
                 .ours()
                 .label("app.kubernetes.io/component", "node-shell")
                 .phase("Running"));
  int polls = 0;
  c_.client.set([&](const std::string& verb, const std::string& path,
                    const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "GET" && path.ends_with("/kubectl-upgrade-install-kubeadm-old") && ++polls >= 3) {
      auto pod = c_.locked.get(path);
      if (pod) (*pod)["status"]["phase"] = "Succeeded";
      return pod;
    }
    return std::nullopt;
  });
  NodeResult r = run("cp1");
  ASSERT_EQ(r.outcome, NodeOutcome::kUpgraded) << r.error;
  EXPECT_GE(polls, 3);  // it waited for the old script to finish
  EXPECT_FALSE(
      c_.fake.object(kube::paths::pod("kube-system", "kubectl-upgrade-install-kubeadm-old")));
}

TEST_F(ProcedureTest, DryRunChangesNothingAndShowsEveryScript) {
  NodeUpgrade u(c_.client, runner_, clock_, events_,
                {.node = "cp1", .target = *kver::parse("v1.36.0")});
  auto plan = u.dry_run();
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_TRUE(plan->first.ok());
  EXPECT_EQ(plan->first.role, Role::kFirstControlPlane);
  ASSERT_EQ(plan->second.size(), 10u);
  EXPECT_NE(plan->second[4].script.find("kubeadm upgrade apply"), std::string::npos);
  EXPECT_NE(plan->second[2].script.find("minor='v1.36'"), std::string::npos);
  EXPECT_TRUE(runner_.ran.empty());
  for (const auto& verb : {"CREATE", "PATCH", "UPDATE", "DELETE"})
    EXPECT_TRUE(c_.fake.calls_with(verb).empty()) << verb;
}

}  // namespace
}  // namespace upgrade
