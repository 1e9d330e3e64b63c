// run_cluster: the hops and batches in order, the stops, and the plan made again before each hop
// after the first. The nodes are a fake that records what ran; the plans are built by hand.
#include "pkg/upgrade/cluster_run.h"

#include <gtest/gtest.h>

#include <mutex>

namespace upgrade {
namespace {

kver::Version v(const std::string& text) {
  return *kver::parse(text);
}

// A plan whose nodes are {name, role, batch}; hops to each of `hops`, from v1.34.12.
plan::Plan make(std::vector<std::tuple<std::string, plan::Role, int>> nodes,
                std::vector<std::string> hops) {
  plan::Plan p;
  kver::Version from = v("v1.34.12");
  for (const auto& h : hops) {
    p.target.hops.push_back({from, v(h)});
    from = v(h);
  }
  p.target.version = hops.back();
  int order = 0;
  for (auto& [name, role, batch] : nodes) p.nodes.push_back({++order, batch, name, role});
  return p;
}

constexpr auto kFirst = plan::Role::kFirstControlPlane;
constexpr auto kCp = plan::Role::kControlPlane;
constexpr auto kWorker = plan::Role::kWorker;

// What the run did, as "node@target" in call order, and the progress lines.
struct Recorder {
  std::mutex mu;
  std::vector<std::string> calls;
  std::vector<std::vector<std::string>> batches;
  std::vector<std::string> notes;
  std::string fail_node;  // this node fails at step 5-drain
  int replans = 0;

  ClusterRunDeps deps(std::function<kube::Result<plan::Plan>()> replan) {
    ClusterRunDeps d;
    d.replan = [this, replan] {
      ++replans;
      return replan();
    };
    d.upgrade_node = [this](const std::string& node, const kver::Version& target, std::stop_token) {
      std::lock_guard l(mu);
      calls.push_back(node + "@" + target.to_string());
      NodeResult r;
      r.node = node;
      r.to = target.to_string();
      r.outcome = node == fail_node ? NodeOutcome::kFailed : NodeOutcome::kUpgraded;
      if (node == fail_node) {
        r.step = StepId::kDrain;
        r.error = "evicting shop/web-1: 500\nmore";
      }
      return r;
    };
    d.note = [this](const std::string& line) { notes.push_back(line); };
    d.begin_batch = [this](const std::vector<std::string>& nodes) { batches.push_back(nodes); };
    return d;
  }
};

TEST(BatchesOf, EachControlPlaneAloneThenWorkersByBatchNumber) {
  auto p = make({{"cp1", kFirst, 1},
                 {"cp2", kCp, 2},
                 {"w1", kWorker, 3},
                 {"w2", kWorker, 3},
                 {"w3", kWorker, 4}},
                {"v1.35.9"});
  auto b = batches_of(p);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_TRUE(b[0].control_plane);
  EXPECT_TRUE(b[1].control_plane);
  EXPECT_FALSE(b[2].control_plane);
  EXPECT_EQ(b[2].nodes, (std::vector<std::string>{"w1", "w2"}));
  EXPECT_EQ(describe_batches(b), "cp1 | cp2 | w1 w2 | w3");
}

TEST(RunCluster, OneHopRunsEveryBatchInOrderAndNeverPlansAgain) {
  Recorder rec;
  auto p = make({{"cp1", kFirst, 1}, {"w1", kWorker, 2}, {"w2", kWorker, 2}, {"w3", kWorker, 3}},
                {"v1.35.9"});
  auto run = run_cluster(p, rec.deps([] { return kube::Result<plan::Plan>(plan::Plan{}); }), {});
  EXPECT_TRUE(run.ok());
  EXPECT_EQ(run.outcome(), "finished");
  EXPECT_EQ(rec.replans, 0);
  EXPECT_EQ(rec.batches, (std::vector<std::vector<std::string>>{{"cp1"}, {"w1", "w2"}, {"w3"}}));
  EXPECT_EQ(run.results.size(), 4u);
  EXPECT_EQ(rec.calls.front(), "cp1@v1.35.9");
}

TEST(RunCluster, TheSecondHopTakesTheBatchesOfThePlanMadeAgain) {
  Recorder rec;
  auto first =
      make({{"cp1", kFirst, 1}, {"w1", kWorker, 2}, {"w2", kWorker, 2}, {"w3", kWorker, 3}},
           {"v1.35.9", "v1.36.7"});
  // After the first hop the pods moved: w1 and w3 together, w2 alone.
  auto second =
      make({{"cp1", kFirst, 1}, {"w1", kWorker, 2}, {"w3", kWorker, 2}, {"w2", kWorker, 3}},
           {"v1.36.7"});
  second.target.hops.front().from = v("v1.35.9");
  auto run = run_cluster(first, rec.deps([&] { return kube::Result<plan::Plan>(second); }), {});
  ASSERT_TRUE(run.ok()) << run.outcome();
  EXPECT_EQ(rec.replans, 1);
  EXPECT_EQ(rec.batches, (std::vector<std::vector<std::string>>{
                             {"cp1"}, {"w1", "w2"}, {"w3"}, {"cp1"}, {"w1", "w3"}, {"w2"}}));
  EXPECT_EQ(rec.calls.back(), "w2@v1.36.7");
  EXPECT_NE(std::find(rec.notes.begin(), rec.notes.end(),
                      "   batches, planned again from the cluster as it is now: cp1 | w1 w3 | w2"),
            rec.notes.end());
}

TEST(RunCluster, ABlockerFoundBeforeTheSecondHopStopsItBeforeAnyNodeOfIt) {
  Recorder rec;
  auto first = make({{"cp1", kFirst, 1}, {"w1", kWorker, 2}}, {"v1.35.9", "v1.36.7"});
  auto second = make({{"cp1", kFirst, 1}, {"w1", kWorker, 2}}, {"v1.36.7"});
  second.findings.push_back({plan::Severity::kBlocker, "PdbBlocksDrain", "pdb/shop/web",
                             "allows 0 disruptions", "scale shop/web up"});
  second.findings.push_back({plan::Severity::kWarning, "NodeNotReady", "node/w9", "w9", ""});
  auto run = run_cluster(first, rec.deps([&] { return kube::Result<plan::Plan>(second); }), {});
  ASSERT_TRUE(run.stopped_before);
  EXPECT_FALSE(run.failed);
  EXPECT_EQ(rec.calls, (std::vector<std::string>{"cp1@v1.35.9", "w1@v1.35.9"}));
  EXPECT_EQ(run.stopped_before->hop, "v1.36.7");
  EXPECT_TRUE(run.stopped_before->blockers());
  EXPECT_EQ(run.stopped_before->details,
            "  PdbBlocksDrain pdb/shop/web: allows 0 disruptions\n      fix: scale shop/web up\n");
  EXPECT_EQ(run.stopped_before->hint,
            "fix them (kubectl upgrade plan --to v1.36.7 shows them), then resume");
  EXPECT_EQ(run.outcome(),
            "stopped before the hop to v1.36.7: the plan made again from the cluster as it is now "
            "has 1 blocker(s): PdbBlocksDrain pdb/shop/web");
}

TEST(RunCluster, ThePlanMadeAgainStoppingOrUnreadableStopsTheRun) {
  struct Case {
    std::string name;
    std::function<kube::Result<plan::Plan>()> replan;
    std::string reason;
  };
  std::vector<Case> cases = {
      {"unreadable",
       [] {
         return kube::Result<plan::Plan>(
             std::unexpected(kube::Error::config("connection refused")));
       },
       "reading the cluster again failed: connection refused"},
      {"another hop",
       [] {
         return kube::Result<plan::Plan>(make({{"cp1", kFirst, 1}}, {"v1.37.1"}));
       },
       "no longer starts with this hop (it says v1.37.1)"},
      {"nothing left", [] { return kube::Result<plan::Plan>(plan::Plan{}); },
       "it says nothing to do"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Recorder rec;
    auto first = make({{"cp1", kFirst, 1}}, {"v1.35.9", "v1.36.7"});
    auto run = run_cluster(first, rec.deps(c.replan), {});
    ASSERT_TRUE(run.stopped_before);
    EXPECT_FALSE(run.stopped_before->blockers());
    EXPECT_NE(run.stopped_before->reason.find(c.reason), std::string::npos)
        << run.stopped_before->reason;
    EXPECT_EQ(rec.calls, (std::vector<std::string>{"cp1@v1.35.9"}));
  }
}

TEST(RunCluster, AFailedNodeEndsItsBatchAndLeavesLaterBatchesAndHopsUntouched) {
  Recorder rec;
  rec.fail_node = "w2";
  auto p = make({{"cp1", kFirst, 1}, {"w1", kWorker, 2}, {"w2", kWorker, 2}, {"w3", kWorker, 3}},
                {"v1.35.9", "v1.36.7"});
  auto run = run_cluster(p, rec.deps([] { return kube::Result<plan::Plan>(plan::Plan{}); }), {});
  ASSERT_TRUE(run.failed);
  EXPECT_EQ(run.failed->node, "w2");
  EXPECT_EQ(rec.replans, 0);
  // w1 ran alongside w2 and is in the results; w3 and the second hop never started.
  EXPECT_EQ(run.results.size(), 3u);
  EXPECT_EQ(std::count(rec.calls.begin(), rec.calls.end(), "w3@v1.35.9"), 0);
  EXPECT_EQ(run.outcome(), "stopped at node w2, step 5-drain: evicting shop/web-1: 500");
}

}  // namespace
}  // namespace upgrade
