#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "pkg/drain/drain.h"
#include "pkg/drain/testing/builders.h"
#include "pkg/drain/testing/intercept_client.h"
#include "pkg/drain/testing/locked_client.h"
#include "pkg/kube/paths.h"
#include "pkg/kube/testing/fake_client.h"

namespace drain {
namespace {

using ku::testing::api_error;
using ku::testing::PodBuilder;
namespace paths = kube::paths;

class Recorder : public Observer {
 public:
  void on_cordon(const std::string&, bool changed) override { cordons.push_back(changed); }
  void on_progress(const Progress& p) override {
    last = p;
    ++updates;
  }
  void on_uncordon(const std::string& node) override { uncordoned.push_back(node); }
  std::vector<bool> cordons;
  std::vector<std::string> uncordoned;
  Progress last;
  int updates = 0;
};

kube::Error pdb_429(const std::string& pdb) {
  return api_error(
      429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
      {{"DisruptionBudget",
        "The disruption budget " + pdb + " needs 2 healthy pods and has 2 currently", ""}});
}

class DrainerTest : public ::testing::Test {
 protected:
  DrainerTest() : locked_(fake_), client_(locked_) {
    fake_.add(paths::nodes(), ku::testing::node_json("w1"));
    fake_.add("/apis/apps/v1/namespaces/kube-system/daemonsets",
              {{"metadata", {{"name", "kube-proxy"}}}});
    add(PodBuilder("web-1").in("shop").on("w1").replicaset().label("app", "web"));
    add(PodBuilder("web-2").in("shop").on("w1").replicaset().label("app", "web"));
    add(PodBuilder("kube-proxy-a").in("kube-system").on("w1").daemonset());
    add(PodBuilder("etcd-w1").in("kube-system").on("w1").mirror());
    add(PodBuilder("ku-shell-1").in("kube-system").on("w1").ours());
    add(PodBuilder("elsewhere").in("shop").on("w2").replicaset());
  }
  void add(const json& pod) {
    fake_.add(paths::pods(pod["metadata"]["namespace"].get<std::string>()), pod);
  }
  bool exists(const std::string& ns, const std::string& name) {
    return fake_.object(paths::pod(ns, name)).has_value();
  }
  bool unschedulable() {
    return fake_.object(paths::node("w1"))->value("/spec/unschedulable"_json_pointer, false);
  }
  int count(const std::string& verb, const std::string& suffix) {
    int n = 0;
    for (const auto& c : fake_.calls_with(verb))
      if (c.path.ends_with(suffix)) ++n;
    return n;
  }
  DrainReport run(Options o = {}, DrainRequest r = {.node = "w1"}, std::stop_token stop = {}) {
    Drainer d(client_, clock_, o, &rec_);
    auto report = d.drain(r, stop);
    EXPECT_TRUE(report.has_value()) << report.error().message;
    return report.value_or(DrainReport{});
  }

  kube::testing::FakeClient fake_;
  ku::testing::LockedClient locked_;
  ku::testing::InterceptClient client_;
  ku::testing::FakeClock clock_;
  Recorder rec_;
};

TEST_F(DrainerTest, CordonsEvictsAndWaitsLeavingDaemonSetMirrorAndOwnPods) {
  Options o;
  o.cordon_annotations = {{"upgrade.kubectl-upgrade.dev/cordoned-by-us", "true"}};
  DrainReport r = run(o);
  EXPECT_EQ(r.outcome, Outcome::kDrained) << r.explain();
  EXPECT_TRUE(r.cordoned_by_us);
  EXPECT_EQ(r.evicted, 2);
  EXPECT_FALSE(exists("shop", "web-1"));
  EXPECT_FALSE(exists("shop", "web-2"));
  EXPECT_TRUE(exists("kube-system", "kube-proxy-a"));
  EXPECT_TRUE(exists("kube-system", "etcd-w1"));
  EXPECT_TRUE(exists("kube-system", "ku-shell-1"));
  EXPECT_TRUE(exists("shop", "elsewhere"));
  EXPECT_TRUE(unschedulable());
  auto node = *fake_.object(paths::node("w1"));
  EXPECT_EQ(node["metadata"]["annotations"]["upgrade.kubectl-upgrade.dev/cordoned-by-us"], "true");
  // The cordon is one strategic-merge patch carrying the record.
  auto patches = fake_.calls_with("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0].body["spec"]["unschedulable"], true);
  // kubectl's eviction body, policy/v1.
  auto evictions = fake_.calls_with("CREATE");
  ASSERT_EQ(evictions.size(), 2u);
  EXPECT_EQ(evictions[0].body["apiVersion"], "policy/v1");
  EXPECT_EQ(evictions[0].body["kind"], "Eviction");
  EXPECT_FALSE(evictions[0].body.contains("deleteOptions"));  // the pod's own grace period
  EXPECT_EQ(r.warnings,
            std::vector<std::string>{"ignoring DaemonSet-managed Pods: kube-system/kube-proxy-a"});
  EXPECT_EQ(rec_.last.gone, 2);
  EXPECT_EQ(rec_.last.total, 2);
  EXPECT_EQ(rec_.cordons, std::vector<bool>{true});
}

TEST_F(DrainerTest, RefusalChangesNothing) {
  add(PodBuilder("bare").in("shop").on("w1"));
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kRefused);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "cannot delete Pods that declare no controller (use --force to override): shop/bare");
  EXPECT_TRUE(fake_.calls_with("PATCH").empty());
  EXPECT_TRUE(fake_.calls_with("CREATE").empty());
  EXPECT_FALSE(unschedulable());
}

TEST_F(DrainerTest, PdbThatNeverAllowsTimesOutNamingItAndRestoresTheNode) {
  fake_.add("/apis/policy/v1/namespaces/shop/poddisruptionbudgets",
            ku::testing::pdb_json("shop", "web-pdb", {{"app", "web"}}, 0, 2, 2, 2));
  std::atomic<int> attempts = 0;
  client_.set([&](const std::string& verb, const std::string& path,
                  const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction")) {
      ++attempts;
      return std::unexpected(pdb_429("web-pdb"));
    }
    return std::nullopt;
  });
  Options o;
  o.timeout = std::chrono::minutes(15);
  o.cordon_annotations = {{"upgrade.kubectl-upgrade.dev/cordoned-by-us", "true"}};
  DrainReport r = run(o);
  EXPECT_EQ(r.outcome, Outcome::kTimedOut);
  ASSERT_EQ(r.blockers.size(), 2u);
  EXPECT_NE(r.blockers[0].why.find("PodDisruptionBudget shop/web-pdb"), std::string::npos);
  ASSERT_EQ(r.blockers[0].pdbs.size(), 1u);
  EXPECT_EQ(r.blockers[0].pdbs[0].key(), "shop/web-pdb");
  EXPECT_NE(r.blockers[0].unblock.find("scale the workload up"), std::string::npos);
  // Restored: uncordoned and the record removed, since we cordoned it.
  EXPECT_TRUE(r.restored);
  EXPECT_FALSE(unschedulable());
  auto node = *fake_.object(paths::node("w1"));
  EXPECT_FALSE(node.value("/metadata/annotations"_json_pointer, json::object())
                   .contains("upgrade.kubectl-upgrade.dev/cordoned-by-us"));
  std::string text = r.explain();
  EXPECT_NE(text.find("timed out"), std::string::npos) << text;
  EXPECT_NE(text.find("PodDisruptionBudget shop/web-pdb allows 0 disruptions"), std::string::npos)
      << text;
  EXPECT_NE(text.find("uncordoned again"), std::string::npos) << text;
  // Retried every 5 s for 15 minutes (two pods in parallel): many attempts, all refused.
  EXPECT_GT(attempts.load(), 20);
  EXPECT_TRUE(exists("shop", "web-1"));
}

TEST_F(DrainerTest, KeepCordonedLeavesTheNodeCordonedOnTimeout) {
  client_.set([](const std::string& verb, const std::string& path,
                 const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction")) return std::unexpected(pdb_429("web-pdb"));
    return std::nullopt;
  });
  Options o;
  o.on_timeout = OnTimeout::kKeepCordoned;
  DrainReport r = run(o);
  EXPECT_EQ(r.outcome, Outcome::kTimedOut);
  EXPECT_FALSE(r.restored);
  EXPECT_TRUE(unschedulable());
  EXPECT_NE(r.explain().find("stays cordoned"), std::string::npos);
}

TEST_F(DrainerTest, NodeCordonedByAnAdminStaysCordonedAfterATimeout) {
  fake_.patch(paths::node("w1"), kube::PatchType::kStrategicMerge,
              {{"spec", {{"unschedulable", true}}}});
  client_.set([](const std::string& verb, const std::string& path,
                 const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction")) return std::unexpected(pdb_429("web-pdb"));
    return std::nullopt;
  });
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kTimedOut);
  EXPECT_FALSE(r.cordoned_by_us);
  EXPECT_FALSE(r.restored);
  EXPECT_TRUE(unschedulable());
  EXPECT_EQ(rec_.cordons, std::vector<bool>{false});
}

TEST_F(DrainerTest, EarlierRunsCordonIsRestoredToo) {
  fake_.patch(paths::node("w1"), kube::PatchType::kStrategicMerge,
              {{"spec", {{"unschedulable", true}}}});
  client_.set([](const std::string& verb, const std::string& path,
                 const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction")) return std::unexpected(pdb_429("web-pdb"));
    return std::nullopt;
  });
  DrainReport r = run({}, {.node = "w1", .cordoned_by_us = true});
  EXPECT_EQ(r.outcome, Outcome::kTimedOut);
  EXPECT_TRUE(r.restored);
  EXPECT_FALSE(unschedulable());
}

TEST_F(DrainerTest, RefusedEvictionIsRetriedUntilThePdbAllows) {
  std::map<std::string, int> refusals;  // two eviction threads: guarded by `mu`
  std::mutex mu;
  client_.set([&](const std::string& verb, const std::string& path,
                  const json&) -> ku::testing::InterceptClient::Answer {
    std::lock_guard lock(mu);
    if (verb == "CREATE" && path.ends_with("/eviction") && refusals[path]++ < 3)
      return std::unexpected(pdb_429("web-pdb"));
    return std::nullopt;
  });
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kDrained) << r.explain();
  // 3 refusals each, then the accepted eviction (served by the fake).
  EXPECT_EQ(refusals["/api/v1/namespaces/shop/pods/web-1/eviction"], 4);
  EXPECT_EQ(count("CREATE", "/eviction"), 2);
  EXPECT_GE(clock_.slept(), std::chrono::seconds(15));  // every 5 s, as kubectl does
}

TEST_F(DrainerTest, SeveralPdbsIsAFailureExplainedAndRestored) {
  client_.set([](const std::string& verb, const std::string& path,
                 const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("web-1/eviction"))
      return std::unexpected(api_error(500, "InternalError",
                                       "This pod has more than one PodDisruptionBudget, which the "
                                       "eviction subresource does not support."));
    return std::nullopt;
  });
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("error when evicting pods/\"web-1\" -n \"shop\""), std::string::npos);
  EXPECT_NE(r.errors[0].find("more than one PodDisruptionBudget"), std::string::npos);
  EXPECT_NE(r.errors[0].find("--disable-eviction"), std::string::npos);
  EXPECT_EQ(r.evicted, 1);
  EXPECT_TRUE(r.restored);
}

TEST_F(DrainerTest, ForbiddenIsExplainedAndNamespaceTerminatingIsRetried) {
  int terminating = 0;
  client_.set([&](const std::string& verb, const std::string& path,
                  const json&) -> ku::testing::InterceptClient::Answer {
    if (verb != "CREATE") return std::nullopt;
    if (path.ends_with("web-1/eviction"))
      return std::unexpected(api_error(403, "Forbidden", "pods \"web-1\" is forbidden: RBAC"));
    if (path.ends_with("web-2/eviction") && terminating++ < 2)
      return std::unexpected(api_error(403, "Forbidden", "namespace shop is terminating",
                                       {{"NamespaceTerminating", "", ""}}));
    return std::nullopt;
  });
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("RBAC permission to create pods/eviction"), std::string::npos);
  EXPECT_FALSE(exists("shop", "web-2"));
}

TEST_F(DrainerTest, NotFoundCountsAsGone) {
  client_.set([](const std::string& verb, const std::string& path,
                 const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction"))
      return std::unexpected(api_error(404, "NotFound", "pods \"x\" not found"));
    return std::nullopt;
  });
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kDrained);
  EXPECT_EQ(r.evicted, 2);
}

TEST_F(DrainerTest, WaitsUntilThePodIsGoneOrReplacedByANewUid) {
  // The eviction is accepted but the pod lingers (graceful termination); then a new pod with the
  // same name (a StatefulSet) appears: that counts as gone.
  std::atomic<int> polls = 0;
  json replacement = *fake_.object(paths::pod("shop", "web-1"));
  replacement["metadata"]["uid"] = "new-uid";
  client_.set([&](const std::string& verb, const std::string& path,
                  const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction"))
      return json{{"kind", "Status"}, {"status", "Success"}};
    if (verb == "GET" && path.ends_with("/pods/web-1") && ++polls >= 4) return replacement;
    if (verb == "GET" && path.ends_with("/pods/web-2") && polls >= 2)
      return std::unexpected(api_error(404, "NotFound", "gone"));
    return std::nullopt;
  });
  DrainReport r = run();
  EXPECT_EQ(r.outcome, Outcome::kDrained) << r.explain();
  EXPECT_GE(polls, 4);
}

TEST_F(DrainerTest, TerminatingPodThatNeverGoesTimesOutSayingSo) {
  client_.set([&](const std::string& verb, const std::string& path,
                  const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction"))
      return json{{"kind", "Status"}, {"status", "Success"}};
    return std::nullopt;
  });
  Options o;
  o.timeout = std::chrono::seconds(30);
  DrainReport r = run(o);
  EXPECT_EQ(r.outcome, Outcome::kTimedOut);
  ASSERT_EQ(r.blockers.size(), 2u);
  EXPECT_EQ(r.blockers[0].why, "evicted, waiting until it is gone");
  EXPECT_NE(r.blockers[0].unblock.find("grace period"), std::string::npos);
}

TEST_F(DrainerTest, DisableEvictionDeletesWithTheGivenGracePeriod) {
  Options o;
  o.disable_eviction = true;
  o.grace_period_seconds = 7;
  DrainReport r = run(o);
  EXPECT_EQ(r.outcome, Outcome::kDrained);
  auto deletes = fake_.calls_with("DELETE");
  ASSERT_EQ(deletes.size(), 2u);
  EXPECT_EQ(deletes[0].body["gracePeriodSeconds"], 7);
  EXPECT_TRUE(fake_.calls_with("CREATE").empty());
}

TEST_F(DrainerTest, PodSelectorLimitsTheDrain) {
  add(PodBuilder("db-0").in("shop").on("w1").replicaset().label("app", "db"));
  Options o;
  o.pod_selector = "app=db";
  DrainReport r = run(o);
  EXPECT_EQ(r.outcome, Outcome::kDrained);
  EXPECT_EQ(r.evicted, 1);
  EXPECT_TRUE(exists("shop", "web-1"));
  EXPECT_FALSE(exists("shop", "db-0"));
}

TEST_F(DrainerTest, StopLeavesTheNodeCordoned) {
  std::stop_source stop;
  client_.set([&](const std::string& verb, const std::string& path,
                  const json&) -> ku::testing::InterceptClient::Answer {
    if (verb == "CREATE" && path.ends_with("/eviction")) {
      stop.request_stop();
      return std::unexpected(pdb_429("web-pdb"));
    }
    return std::nullopt;
  });
  DrainReport r = run({}, {.node = "w1"}, stop.get_token());
  EXPECT_EQ(r.outcome, Outcome::kCancelled);
  EXPECT_TRUE(unschedulable());
  EXPECT_FALSE(r.restored);
}

TEST_F(DrainerTest, PreviewChangesNothing) {
  Drainer d(client_, clock_, {}, nullptr);
  auto p = d.preview("w1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->to_evict().size(), 2u);
  EXPECT_TRUE(fake_.calls_with("PATCH").empty());
  EXPECT_TRUE(fake_.calls_with("CREATE").empty());
}

}  // namespace
}  // namespace drain
