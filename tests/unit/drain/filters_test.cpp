#include "pkg/drain/filters.h"

#include <gtest/gtest.h>

#include "pkg/drain/testing/builders.h"

namespace drain {
namespace {

using ku::testing::PodBuilder;

struct Case {
  std::string name;
  json pod;
  Options options;
  Verdict want;
  std::string want_reason;   // substring of the reason ("" = none)
  std::string want_warning;  // substring of the first warning ("" = none)
  bool daemonset_exists = true;
};

Options with(std::function<void(Options&)> f) {
  Options o;
  f(o);
  return o;
}

// now = 2026-11-26T10:00:00Z
constexpr long long kNow = 1795687200;

TEST(Filters, DecideInKubectlOrder) {
  std::vector<Case> cases = {
      {"ReplicaSet pod is evicted", PodBuilder("web").replicaset(), {}, Verdict::kEvict, "", ""},
      {"our own node-shell pod is never evicted, even without a controller",
       PodBuilder("ku-shell-x").ours(),
       {},
       Verdict::kSkip,
       "",
       ""},
      {"pod terminating longer than skip-wait-for-delete-timeout is skipped",
       PodBuilder("old").replicaset().deleted_at("2026-11-26T09:58:00Z"),
       with([](Options& o) { o.skip_wait_for_delete_timeout = std::chrono::seconds(60); }),
       Verdict::kSkip, "", ""},
      {"terminating pod is evicted when skip-wait-for-delete-timeout is 0",
       PodBuilder("old").replicaset().deleted_at("2026-11-26T09:58:00Z"),
       {},
       Verdict::kEvict,
       "",
       ""},
      {"recently terminating pod is still waited for",
       PodBuilder("old").replicaset().deleted_at("2026-11-26T09:59:30Z"),
       with([](Options& o) { o.skip_wait_for_delete_timeout = std::chrono::seconds(60); }),
       Verdict::kEvict, "", ""},
      {"DaemonSet pod is left with a warning under ignore-daemonsets",
       PodBuilder("kube-proxy-x").daemonset(),
       {},
       Verdict::kSkip,
       "",
       "ignoring DaemonSet-managed Pods"},
      {"DaemonSet pod refuses the drain without ignore-daemonsets",
       PodBuilder("kube-proxy-x").daemonset(),
       with([](Options& o) { o.ignore_daemonsets = false; }), Verdict::kRefuse,
       "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", ""},
      {"finished DaemonSet pod is deleted",
       PodBuilder("ds-done").daemonset().phase("Succeeded"),
       {},
       Verdict::kEvict,
       "",
       ""},
      {"orphaned DaemonSet pod refuses the drain without force",
       PodBuilder("ds-orphan").daemonset("gone"),
       {},
       Verdict::kRefuse,
       "daemonsets.apps \"gone\" not found",
       "",
       false},
      {"orphaned DaemonSet pod is deleted with force and a warning",
       PodBuilder("ds-orphan").daemonset("gone"), with([](Options& o) { o.force = true; }),
       Verdict::kEvict, "", "not found", false},
      {"DaemonSet filter comes before the emptyDir filter",
       PodBuilder("ds-scratch").daemonset().emptydir(),
       {},
       Verdict::kSkip,
       "",
       "ignoring DaemonSet-managed Pods"},
      {"mirror pod is skipped",
       PodBuilder("kube-apiserver-cp1").mirror(),
       {},
       Verdict::kSkip,
       "",
       ""},
      {"mirror filter comes before the unreplicated filter",
       PodBuilder("etcd-cp1").mirror().in("kube-system"),
       {},
       Verdict::kSkip,
       "",
       ""},
      {"emptyDir pod refuses the drain without delete-emptydir-data",
       PodBuilder("cache").replicaset().emptydir(),
       {},
       Verdict::kRefuse,
       "cannot delete Pods with local storage (use --delete-emptydir-data to override)",
       ""},
      {"emptyDir pod is evicted with delete-emptydir-data and a warning",
       PodBuilder("cache").replicaset().emptydir(),
       with([](Options& o) { o.delete_emptydir_data = true; }), Verdict::kEvict, "",
       "deleting Pods with local storage"},
      {"finished emptyDir pod is deleted",
       PodBuilder("job-x").emptydir().phase("Failed"),
       {},
       Verdict::kEvict,
       "",
       ""},
      {"bare pod refuses the drain without force",
       PodBuilder("bare"),
       {},
       Verdict::kRefuse,
       "cannot delete Pods that declare no controller (use --force to override)",
       ""},
      {"bare pod is deleted with force and a warning", PodBuilder("bare"),
       with([](Options& o) { o.force = true; }), Verdict::kEvict, "",
       "deleting Pods that declare no controller"},
      {"finished bare pod is deleted",
       PodBuilder("bare").phase("Succeeded"),
       {},
       Verdict::kEvict,
       "",
       ""},
      {"bare emptyDir pod with delete-emptydir-data still needs force",
       PodBuilder("bare").emptydir(), with([](Options& o) { o.delete_emptydir_data = true; }),
       Verdict::kRefuse, "declare no controller", "deleting Pods with local storage"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    FilterContext ctx{c.options, kNow,
                      [&](const std::string&, const std::string&) -> kube::Result<bool> {
                        return c.daemonset_exists;
                      }};
    PodDecision d = decide(c.pod, ctx);
    EXPECT_EQ(d.verdict, c.want);
    if (c.want_reason.empty())
      EXPECT_EQ(d.reason, "");
    else
      EXPECT_NE(d.reason.find(c.want_reason), std::string::npos) << d.reason;
    if (c.want_warning.empty()) {
      EXPECT_TRUE(d.warnings.empty());
    } else {
      ASSERT_FALSE(d.warnings.empty());
      EXPECT_NE(d.warnings[0].find(c.want_warning), std::string::npos) << d.warnings[0];
    }
  }
}

TEST(Filters, DaemonSetLookupFailureRefusesWithTheApiMessage) {
  Options o;
  FilterContext ctx{o, kNow, [](const std::string&, const std::string&) -> kube::Result<bool> {
                      return std::unexpected(kube::Error::transport("connection refused"));
                    }};
  PodDecision d = decide(PodBuilder("kube-proxy-x").daemonset(), ctx);
  EXPECT_EQ(d.verdict, Verdict::kRefuse);
  EXPECT_EQ(d.reason, "connection refused");
}

TEST(Filters, PreviewGroupsErrorsAndWarningsLikeKubectl) {
  Options o;
  FilterContext ctx{o, kNow, nullptr};
  DrainPreview p =
      preview({PodBuilder("a").in("x"), PodBuilder("b").in("y"), PodBuilder("web").replicaset(),
               PodBuilder("kp").daemonset(), PodBuilder("api").mirror()},
              ctx);
  EXPECT_TRUE(p.refused());
  ASSERT_EQ(p.errors().size(), 1u);
  EXPECT_EQ(p.errors()[0],
            "cannot delete Pods that declare no controller (use --force to override): x/a, y/b");
  ASSERT_EQ(p.warnings().size(), 1u);
  EXPECT_EQ(p.warnings()[0], "ignoring DaemonSet-managed Pods: default/kp");
  ASSERT_EQ(p.to_evict().size(), 1u);
  EXPECT_EQ(p.to_evict()[0].name, "web");
}

}  // namespace
}  // namespace drain
