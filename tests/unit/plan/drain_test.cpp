// Drain previews: kubectl's filters in order, PDB arithmetic, capacity over the whole sequence.
#include <functional>

#include "pkg/plan/internal.h"
#include "tests/unit/plan/helpers.h"

namespace plan::testing {
namespace {

using internal::judge_pod;

TEST(DrainFilters, EveryFilterInKubectlOrder) {
  struct Case {
    std::string name;
    PodBuilder pod;
    DrainFlags flags;
    PodAction action;
    std::string flag;  // the flag that would allow a blocked pod
  };
  DrainFlags none{.ignore_daemonsets = false};
  DrainFlags upgrade{};  // --ignore-daemonsets, as the upgrade drains
  const std::vector<Case> cases = {
      {"replicated pod is evicted", PodBuilder("a").replicaset(), upgrade, PodAction::kEvict, ""},
      {"statefulset pod is evicted", PodBuilder("a").statefulset(), upgrade, PodAction::kEvict, ""},
      {"daemonset pod blocks without --ignore-daemonsets", PodBuilder("a").daemonset(), none,
       PodAction::kBlock, "--ignore-daemonsets"},
      {"daemonset pod stays with --ignore-daemonsets", PodBuilder("a").daemonset(), upgrade,
       PodAction::kIgnoreDaemonSet, ""},
      {"finished daemonset pod is deleted", PodBuilder("a").daemonset().phase("Succeeded"), none,
       PodAction::kDelete, ""},
      {"daemonset gone blocks without --force", PodBuilder("a").daemonset_gone(), upgrade,
       PodAction::kBlock, "--force"},
      {"daemonset gone is deleted with --force",
       PodBuilder("a").daemonset_gone(),
       {.force = true},
       PodAction::kDelete,
       ""},
      {"mirror pod is skipped", PodBuilder("a").mirror(), upgrade, PodAction::kSkipMirror, ""},
      {"emptyDir blocks without --delete-emptydir-data", PodBuilder("a").replicaset().emptydir(),
       upgrade, PodAction::kBlock, "--delete-emptydir-data"},
      {"emptyDir is evicted with --delete-emptydir-data",
       PodBuilder("a").replicaset().emptydir(),
       {.delete_emptydir_data = true},
       PodAction::kEvict,
       ""},
      {"finished emptyDir pod is deleted", PodBuilder("a").bare().emptydir().phase("Failed"),
       upgrade, PodAction::kDelete, ""},
      {"bare pod blocks without --force", PodBuilder("a").bare(), upgrade, PodAction::kBlock,
       "--force"},
      {"bare pod is deleted with --force",
       PodBuilder("a").bare(),
       {.force = true},
       PodAction::kDelete,
       ""},
      {"finished bare pod is deleted", PodBuilder("a").bare().phase("Succeeded"), upgrade,
       PodAction::kDelete, ""},
      {"bare emptyDir pod stops at the emptyDir filter first", PodBuilder("a").bare().emptydir(),
       upgrade, PodAction::kBlock, "--delete-emptydir-data"},
      {"bare emptyDir pod with only --delete-emptydir-data still needs --force",
       PodBuilder("a").bare().emptydir(),
       {.delete_emptydir_data = true},
       PodAction::kBlock,
       "--force"},
      {"daemonset filter comes before the mirror filter", PodBuilder("a").daemonset(), none,
       PodAction::kBlock, "--ignore-daemonsets"},
      {"terminating pod skipped with --skip-wait-for-delete-timeout",
       PodBuilder("a").replicaset().terminating(),
       {.skip_wait_for_delete_timeout = 30},
       PodAction::kSkipTerminating,
       ""},
      {"terminating pod without the timeout goes on", PodBuilder("a").replicaset().terminating(),
       upgrade, PodAction::kEvict, ""},
      {"our own node-shell pod is left alone", PodBuilder("a").bare().ours(), upgrade,
       PodAction::kSkipOwn, ""},
      {"--disable-eviction deletes instead of evicting",
       PodBuilder("a").replicaset(),
       {.disable_eviction = true},
       PodAction::kDelete,
       ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    PodVerdict v = judge_pod(c.pod.build(), c.flags);
    EXPECT_EQ(action_name(v.action), action_name(c.action)) << v.reason;
    EXPECT_EQ(v.flag, c.flag);
    EXPECT_FALSE(v.reason.empty());
  }
}

TEST(DrainPreview, BlockedPodsNameTheFlag) {
  ClusterBuilder b("v1.35.2", 1, 2);
  b.pod(PodBuilder("debug").on("w1").bare());
  b.pod(PodBuilder("cache-0").on("w1").statefulset("cache").emptydir());
  b.pod(PodBuilder("web-1").on("w1").replicaset("web"));
  Plan p = plan_of(b.build());
  const auto& w1 = node_plan(p, "w1").drain;
  EXPECT_EQ(w1.blocked, 2);
  EXPECT_EQ(w1.evict, 2);    // web-1, and CoreDNS that the drain of cp1 moved here
  EXPECT_EQ(w1.ignored, 1);  // kube-proxy
  auto coredns = std::find_if(w1.pods.begin(), w1.pods.end(),
                              [](const PodVerdict& v) { return v.pod == "kube-system/coredns-1"; });
  ASSERT_NE(coredns, w1.pods.end());
  EXPECT_EQ(coredns->moved_from, "cp1");
  const Finding* f = finding(p, "DrainBlockedByPods");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->subject, "node/w1");
  EXPECT_NE(f->fix.find("--force"), std::string::npos);
  EXPECT_NE(f->fix.find("--delete-emptydir-data"), std::string::npos);
  Plan forced = plan_of(b.build(), {.drain = {.delete_emptydir_data = true, .force = true}});
  EXPECT_FALSE(finding(forced, "DrainBlockedByPods"));
}

struct PdbCase {
  std::string name;
  int allowed, healthy, desired, expected;
  int pods_on_w1;
  std::string verdict;
  std::string code;  // "" when ok
};

TEST(DrainPreview, PdbArithmetic) {
  const std::vector<PdbCase> cases = {
      {"allows more than the node holds", 2, 4, 2, 4, 1, "ok", ""},
      {"allows exactly what the node holds", 1, 3, 2, 3, 1, "ok", ""},
      {"allows fewer: evictions wait for replacements", 1, 3, 2, 3, 2, "waits", "PdbSlowsDrain"},
      {"minAvailable equals the pods: never allows", 0, 3, 3, 3, 1, "blocks", "PdbBlocksDrain"},
      {"unhealthy now: allows nothing", 0, 2, 2, 3, 1, "blocks", "PdbBlocksDrain"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 1, 3);
    int pdb = b.pdb("web", c.allowed, c.healthy, c.desired, c.expected);
    for (int i = 0; i < c.pods_on_w1; ++i)
      b.pod(PodBuilder("web-" + std::to_string(i)).on("w1").replicaset("web").pdb(pdb));
    // The rest of its expected pods, on a node outside this plan; those beyond `healthy` are
    // not Ready (a PDB short of pods is a controller still making them: it waits).
    for (int i = c.pods_on_w1; i < c.expected; ++i) {
      PodBuilder other("web-" + std::to_string(i));
      other.on("elsewhere").replicaset("web").pdb(pdb);
      if (i >= c.healthy) other.not_ready();
      b.pod(other);
    }
    Plan p = plan_of(b.build());
    const auto& pdbs = node_plan(p, "w1").drain.pdbs;
    ASSERT_EQ(pdbs.size(), 1u);
    EXPECT_EQ(pdbs[0].verdict, c.verdict);
    EXPECT_EQ(pdbs[0].allowed_now, c.allowed);
    EXPECT_EQ(pdbs[0].pods_on_node, c.pods_on_w1);
    if (c.code.empty()) {
      EXPECT_FALSE(finding(p, "PdbSlowsDrain"));
      EXPECT_FALSE(finding(p, "PdbBlocksDrain"));
    } else {
      ASSERT_TRUE(finding(p, c.code));
      EXPECT_EQ(finding(p, c.code)->subject, "pdb/default/web");
    }
  }
}

TEST(DrainPreview, PdbChecksSkippedWhereKubectlSkipsThem) {
  ClusterBuilder b("v1.35.2", 1, 2);
  int pdb = b.pdb("web", 0, 3, 3, 3);
  b.pod(PodBuilder("web-0").on("w1").replicaset("web").pdb(pdb).phase("Pending"));
  EXPECT_FALSE(finding(plan_of(b.build()), "PdbBlocksDrain"));
  b.pod(PodBuilder("web-1").on("w1").replicaset("web").pdb(pdb));
  EXPECT_TRUE(finding(plan_of(b.build()), "PdbBlocksDrain"));
  EXPECT_FALSE(
      finding(plan_of(b.build(), {.drain = {.disable_eviction = true}}), "PdbBlocksDrain"));
}

TEST(DrainPreview, PdbWithoutStatusWaitsInsteadOfBlocking) {
  ClusterBuilder b("v1.35.2", 1, 2);
  int pdb = b.pdb("fresh", 0, 0, 0, 0);
  b.inventory().pdbs[pdb].observed = false;  // the disruption controller has not seen it yet
  b.pod(PodBuilder("web-0").on("w1").replicaset("web").pdb(pdb));
  Plan p = plan_of(b.build());
  EXPECT_FALSE(finding(p, "PdbBlocksDrain"));
  ASSERT_TRUE(finding(p, "PdbSlowsDrain"));
  EXPECT_NE(finding(p, "PdbSlowsDrain")->message.find("not processed"), std::string::npos);
}

TEST(DrainPreview, PdbAtZeroWhileReplacementsStartWaitsInsteadOfBlocking) {
  // shop/web: minAvailable 2 of 3 expected pods, its status says 2 healthy and 0 disruptions
  // allowed. web-0 and web-1 are Ready; what else there is decides between waiting and blocking.
  struct Case {
    std::string name;
    std::function<void(ClusterBuilder&, int pdb)> more;
    std::string verdict_code;
    std::string says = "while 1 of its pods are starting or being replaced";
  };
  auto web2 = [](int pdb) { return PodBuilder("web-2").on("w2").replicaset("web").pdb(pdb); };
  const std::vector<Case> cases = {
      {"a replacement is Pending: the drain waits",
       [&](ClusterBuilder& b, int pdb) { b.pod(web2(pdb).phase("Pending")); }, "PdbSlowsDrain"},
      {"the third pod runs but is not Ready: nothing is coming, it blocks",
       [&](ClusterBuilder& b, int pdb) { b.pod(web2(pdb).not_ready()); }, "PdbBlocksDrain"},
      {"an evicted pod is still terminating: its replacement is coming",
       [&](ClusterBuilder& b, int pdb) { b.pod(web2(pdb).terminating()); }, "PdbSlowsDrain"},
      {"a bare pod terminating is not replaced: it blocks",
       [&](ClusterBuilder& b, int pdb) {
         b.pod(web2(pdb).not_ready());
         b.pod(PodBuilder("one-off").on("w2").bare().pdb(pdb).terminating());
       },
       "PdbBlocksDrain"},
      // Its status says 0 while 3 are Ready: a lag, or a PDB the controller cannot compute
      // (pods without a scalable controller), which never allows. Nothing tells them apart.
      {"3 Ready and the status still says 0: it blocks",
       [&](ClusterBuilder& b, int pdb) { b.pod(web2(pdb)); }, "PdbBlocksDrain"},
      {"a pod evicted a moment ago is not replaced yet: 3 expected, 2 there",
       [](ClusterBuilder&, int) {}, "PdbSlowsDrain"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 1, 2);
    int pdb = b.pdb("web", 0, 2, 2, 3);
    b.pod(PodBuilder("web-0").on("w1").replicaset("web").pdb(pdb));
    b.pod(PodBuilder("web-1").on("w2").replicaset("web").pdb(pdb));
    c.more(b, pdb);
    Plan p = plan_of(b.build());
    ASSERT_TRUE(finding(p, c.verdict_code)) << c.verdict_code;
    if (c.verdict_code == "PdbSlowsDrain") {
      EXPECT_FALSE(finding(p, "PdbBlocksDrain"));
      EXPECT_NE(finding(p, "PdbSlowsDrain")->message.find(c.says), std::string::npos)
          << finding(p, "PdbSlowsDrain")->message;
    }
  }
}

TEST(Capacity, ANodeWeCordonedTakesPodsAgainAfterItsOwnUpgrade) {
  // A run stopped halfway left w1 cordoned by us: it is a destination once its batch is over
  // (its upgrade ends with the uncordon), so w2's pod has somewhere to go.
  ClusterBuilder b("v1.35.2", 1, 0);
  b.node(NodeBuilder("w1").cordoned_by_us());
  b.node(NodeBuilder("w2"));
  b.pod(PodBuilder("a").on("w2").replicaset("a").cpu(3000));
  Plan p = plan_of(b.build());
  EXPECT_TRUE(node_plan(p, "w2").drain.capacity_ok);
  EXPECT_FALSE(finding(p, "InsufficientCapacity"));
  // Cordoned by someone else, it stays out.
  ClusterBuilder other("v1.35.2", 1, 0);
  other.node(NodeBuilder("w1").cordoned());
  other.node(NodeBuilder("w2"));
  other.pod(PodBuilder("a").on("w2").replicaset("a").cpu(3000));
  EXPECT_FALSE(node_plan(plan_of(other.build()), "w2").drain.capacity_ok);
}

TEST(DrainPreview, PodInTwoPdbsFailsEviction) {
  ClusterBuilder b("v1.35.2", 1, 2);
  int a = b.pdb("a", 1, 2, 1, 2);
  int c = b.pdb("c", 1, 2, 1, 2);
  b.pod(PodBuilder("web-0").on("w1").replicaset("web").pdb(a).pdb(c));
  Plan p = plan_of(b.build());
  const Finding* f = finding(p, "PodInMultiplePdbs");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->subject, "pod/default/web-0");
}

TEST(Capacity, EachNodeAloneFitsButABatchOfTwoDoesNotSoWorkersGoOneAtATime) {
  ClusterBuilder b("v1.35.2", 1, 3);
  b.pod(PodBuilder("a").on("w1").replicaset("a").cpu(3000));
  b.pod(PodBuilder("b").on("w2").replicaset("b").cpu(3000));
  Plan one = plan_of(b.build(), {.max_unavailable = "1"});
  EXPECT_FALSE(finding(one, "InsufficientCapacity"));
  EXPECT_FALSE(finding(one, "MaxUnavailableReduced"));
  Plan two = plan_of(b.build(), {.max_unavailable = "2"});
  EXPECT_FALSE(finding(two, "InsufficientCapacity"));
  EXPECT_TRUE(two.ready());
  EXPECT_EQ(two.max_unavailable, 1);
  EXPECT_EQ(node_plan(two, "w1").batch + 1, node_plan(two, "w2").batch);
  const Finding* f = finding(two, "MaxUnavailableReduced");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_NE(f->message.find("--max-unavailable 2 is too many workers at once: "), std::string::npos)
      << f->message;
  EXPECT_NE(f->message.find("fit on no remaining node"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("workers go 1 at a time"), std::string::npos) << f->message;
}

TEST(Capacity, MaxUnavailableIsReducedToTheLargestBatchThatFits) {
  struct Case {
    std::string name, requested;
    int expected;
    bool reduced;
  };
  // Three 3-CPU pods on w1..w3, w4 and w5 empty (4 CPUs each): three workers at once leave one
  // pod without room, two at once do not.
  const std::vector<Case> cases = {
      {"three is one too many", "3", 2, true},
      {"a percentage is reduced the same way (60% of 5 = 3)", "60%", 2, true},
      {"everything at once", "100%", 2, true},
      {"two fit", "2", 2, false},
      {"one is never reduced", "1", 1, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 1, 5);
    for (std::string w : {"w1", "w2", "w3"})
      b.pod(PodBuilder("p-" + w).on(w).replicaset("p-" + w).cpu(3000));
    Plan p = plan_of(b.build(), {.max_unavailable = c.requested});
    EXPECT_EQ(p.max_unavailable, c.expected);
    EXPECT_EQ(finding(p, "MaxUnavailableReduced") != nullptr, c.reduced);
    EXPECT_FALSE(finding(p, "InsufficientCapacity"));
    EXPECT_TRUE(p.ready());
  }
  ClusterBuilder b("v1.35.2", 1, 5);
  for (std::string w : {"w1", "w2", "w3"})
    b.pod(PodBuilder("p-" + w).on(w).replicaset("p-" + w).cpu(3000));
  Plan sixty = plan_of(b.build(), {.max_unavailable = "60%"});
  const Finding* f = finding(sixty, "MaxUnavailableReduced");
  ASSERT_TRUE(f);
  EXPECT_NE(f->message.find("--max-unavailable 60% (3 nodes) is too many"), std::string::npos)
      << f->message;
}

TEST(Capacity, PodsMovedByAnEarlierDrainAreDrainedAgain) {
  ClusterBuilder b("v1.35.2", 1, 3);
  b.pod(PodBuilder("a").on("w1").replicaset("a").cpu(3000));
  b.pod(PodBuilder("c").on("w3").replicaset("c").cpu(3500));
  Plan p = plan_of(b.build());
  EXPECT_TRUE(p.ready()) << (p.findings.empty() ? "" : p.findings[0].message);
  const auto& w2 = node_plan(p, "w2").drain;
  auto moved = std::find_if(w2.pods.begin(), w2.pods.end(),
                            [](const PodVerdict& v) { return v.pod == "default/a"; });
  ASSERT_NE(moved, w2.pods.end()) << "a should have landed on w2, the only node with room";
  EXPECT_EQ(moved->moved_from, "w1");
}

TEST(Capacity, TaintsAndSelectorsLimitWhereAPodGoes) {
  ClusterBuilder b("v1.35.2", 1, 2);
  b.node_named("w1").labels["gpu"] = "true";
  b.pod(PodBuilder("trainer").on("w1").replicaset("t").select("gpu", "true"));
  Plan p = plan_of(b.build());
  const auto& d = node_plan(p, "w1").drain;
  ASSERT_FALSE(d.capacity_ok);
  EXPECT_NE(
      d.unplaceable[0].find("every node it may run on is cordoned, NotReady or drained with it"),
      std::string::npos)
      << d.unplaceable[0];
  // CoreDNS on cp1 tolerates the control-plane taint and moves to a worker; a pod without the
  // toleration could not have been there in the first place, so the only question is room.
  EXPECT_TRUE(node_plan(p, "cp1").drain.capacity_ok);
}

TEST(Capacity, CordonedAndNotReadyNodesTakeNothing) {
  ClusterBuilder b("v1.35.2", 1, 3);
  b.node_named("w2").unschedulable = true;
  b.node_named("w3").ready = false;
  b.pod(PodBuilder("a").on("w1").replicaset("a").cpu(3000));
  Plan p = plan_of(b.build());
  const auto& d = node_plan(p, "w1").drain;
  EXPECT_FALSE(d.capacity_ok);
}

TEST(Capacity, SingleNodeClusterWarnsInsteadOfBlocking) {
  ClusterBuilder b("v1.35.2", 1, 0);
  Plan p = plan_of(b.build());
  const Finding* f = finding(p, "InsufficientCapacity");
  ASSERT_TRUE(f);  // CoreDNS has nowhere to go while cp1 is drained
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_TRUE(p.ready());
}

}  // namespace
}  // namespace plan::testing
