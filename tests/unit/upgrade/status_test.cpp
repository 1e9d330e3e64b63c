#include "pkg/upgrade/status.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pkg/drain/testing/builders.h"
#include "pkg/upgrade/progress_text.h"
#include "pkg/upgrade/run_config.h"
#include "tests/unit/ui/golden.h"

namespace upgrade {
namespace {

using json = nlohmann::json;

void expect_golden(const std::string& name, const std::string& got) {
  ku_testing::expect_golden(KU_GOLDEN_DIR, name, got);
}

// A cluster in the middle of a run: cp1 done, w1 failed in the drain, w2 untouched.
Status mid_run() {
  json cp1 = ku::testing::node_json("cp1", "v1.36.0", true, true);
  cp1["metadata"]["annotations"] = {{kTargetKey, "v1.36.0"}, {kRoleKey, "first-control-plane"},
                                    {kStepKey, "9-done"},    {kStateKey, "done"},
                                    {kFromKey, "v1.35.2"},   {kUpdatedKey, "2026-11-26T10:05:00Z"}};
  json w1 = ku::testing::node_json("w1", "v1.35.2");
  w1["spec"]["unschedulable"] = true;
  w1["metadata"]["annotations"] = {
      {kTargetKey, "v1.36.0"},
      {kRoleKey, "worker"},
      {kStepKey, "5-drain"},
      {kStateKey, "failed"},
      {kCordonedKey, "true"},
      {kUpdatedKey, "2026-11-26T10:20:00Z"},
      {kLastErrorKey,
       "drain of node w1 timed out: 0 of 1 pod(s) evicted; still there:\n  pod shop/web-1: ..."}};
  json w2 = ku::testing::node_json("w2", "v1.35.2");
  LockHolder lock{"alice@laptop pid 42", "2026-11-26T10:00:00.000000Z",
                  "2026-11-26T10:20:10.000000Z", "upgrade cluster --to v1.36.0", false};
  json event = {{"involvedObject", {{"kind", "Node"}, {"name", "w1"}}},
                {"source", {{"component", "kubectl-upgrade"}}},
                {"type", "Warning"},
                {"reason", "UpgradeStepFailed"},
                {"message", "step 5-drain failed"},
                {"lastTimestamp", "2026-11-26T10:20:00Z"}};
  json foreign = {{"involvedObject", {{"kind", "Node"}, {"name", "w1"}}},
                  {"source", {{"component", "kubelet"}}},
                  {"reason", "NodeReady"},
                  {"lastTimestamp", "2026-11-26T10:19:00Z"}};
  return make_status({w2, w1, cp1}, lock, {event, foreign});
}

TEST(Status, TableJsonAndYamlMidRun) {
  Status s = mid_run();
  ASSERT_EQ(s.nodes.size(), 3u);
  EXPECT_EQ(s.nodes[0].name, "cp1");  // control planes first
  EXPECT_EQ(s.nodes[1].next, "kubectl upgrade node w1 --to v1.36.0  (resumes at 5-drain)");
  EXPECT_EQ(s.nodes[2].next, "");
  EXPECT_EQ(s.events.size(), 1u);  // only ours
  expect_golden("status-mid-run.txt", render_status_table(s));
  expect_golden("status-mid-run.json", status_json(s).dump(2) + "\n");
  expect_golden("status-mid-run.yaml", render_status_yaml(s));
}

TEST(Status, IdleClusterSaysTheLockIsFree) {
  Status s = make_status({ku::testing::node_json("cp1", "v1.35.2", true, true)}, std::nullopt, {});
  std::string t = render_status_table(s);
  EXPECT_NE(t.find("Lock: free"), std::string::npos);
  EXPECT_NE(t.find("Next: nothing to resume"), std::string::npos);
  EXPECT_EQ(status_json(s)["lock"], nullptr);
}

TEST(Status, AStoppedClusterRunIsResumedByRunningItAgain) {
  struct Case {
    std::string name;
    std::optional<LockHolder> lock;
    std::optional<LastRun> last_run;
    std::string next_run;
  };
  const std::string cmd = "upgrade cluster --to v1.36.7 --force";
  const std::vector<Case> cases = {
      {"stopped", std::nullopt, LastRun{"a@h pid 1", cmd, "stopped at node w2, step 5-drain", "t"},
       "kubectl " + cmd + " --yes  (resumes the stopped run from the records on the Nodes)"},
      {"finished", std::nullopt, LastRun{"a@h pid 1", cmd, "finished", "t"}, ""},
      {"a node run stopped", std::nullopt,
       LastRun{"a@h pid 1", "upgrade node w2 --to v1.36.7", "stopped at step 5-drain", "t"}, ""},
      {"killed", LockHolder{"a@h pid 1", "t", "t", cmd, false, true}, std::nullopt,
       "kubectl " + cmd +
           " --yes  (the run holding the lock was killed; a re-run here takes it over)"},
      {"expired", LockHolder{"a@h pid 1", "t", "t", cmd, true, false}, std::nullopt,
       "kubectl " + cmd + " --yes  (the run holding the lock stopped renewing it)"},
      {"running", LockHolder{"a@h pid 1", "t", "t", cmd, false, false}, std::nullopt, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Status s =
        make_status({ku::testing::node_json("cp1", "v1.36.7", true, true)}, c.lock, {}, c.last_run);
    EXPECT_EQ(s.next_run, c.next_run);
    std::string table = render_status_table(s);
    if (!c.next_run.empty()) {
      EXPECT_NE(table.find("Next:\n  " + c.next_run), std::string::npos) << table;
    }
    if (c.last_run) {
      EXPECT_NE(table.find("Last run: " + c.last_run->command +
                           " by a@h pid 1, ended t: " + c.last_run->outcome),
                std::string::npos)
          << table;
    }
  }
}

TEST(RunConfig, ResumeRepeatsTheFlagsThatChangeTheRun) {
  RunConfig c;
  EXPECT_EQ(repeated_flags(c), "");
  c.max_unavailable = "25%";
  c.delete_emptydir_data = true;
  c.force = true;
  c.drain_timeout = "30m";
  c.pod_selector = "app!=batch, tier in (a,b)";
  c.ignore_daemonsets = false;
  EXPECT_EQ(repeated_flags(c),
            " --max-unavailable 25% --ignore-daemonsets=false --delete-emptydir-data --force "
            "--pod-selector 'app!=batch, tier in (a,b)' --drain-timeout 30m");
  // A node's own resume (kept in its record) has no cluster-only flag.
  auto v = validate(c);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->resume_flags,
            " --ignore-daemonsets=false --delete-emptydir-data --force --pod-selector 'app!=batch, "
            "tier in (a,b)' --drain-timeout 30m");
  EXPECT_EQ(node_options(*v, "w1", *kver::parse("v1.36.7")).resume_flags, v->resume_flags);
}

TEST(RunConfig, FlagsAreValidatedWithTheFlagNamed) {
  struct Case {
    std::string name;
    std::function<void(RunConfig&)> set;
    std::string want;  // "" = valid
  };
  std::vector<Case> cases = {
      {"defaults", [](RunConfig&) {}, ""},
      {"bad --to", [](RunConfig& c) { c.to = "v1.36;reboot"; }, "\"--to\""},
      {"bad --timeout", [](RunConfig& c) { c.timeout = "soon"; }, "\"--timeout\""},
      {"bad --drain-timeout", [](RunConfig& c) { c.drain_timeout = "5x"; }, "\"--drain-timeout\""},
      {"zero --kubelet-timeout", [](RunConfig& c) { c.kubelet_timeout = "0"; },
       "\"--kubelet-timeout\""},
      {"bad --on-drain-timeout", [](RunConfig& c) { c.on_drain_timeout = "panic"; },
       "restore or keep-cordoned"},
      {"hostile --shell-image", [](RunConfig& c) { c.shell_image = "alpine; reboot"; }, "image"},
      {"bad --shell-namespace", [](RunConfig& c) { c.shell_namespace = "Kube_System"; },
       "namespace"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    RunConfig rc;
    c.set(rc);
    auto v = validate(rc);
    if (c.want.empty()) {
      ASSERT_TRUE(v.has_value()) << v.error().message;
      EXPECT_EQ(v->drain.timeout, std::chrono::minutes(15));
      EXPECT_EQ(v->kubelet_timeout, std::chrono::minutes(5));
      EXPECT_TRUE(v->drain.ignore_daemonsets);
      EXPECT_EQ(v->shell.script_timeout, std::chrono::minutes(20));
    } else {
      ASSERT_FALSE(v.has_value());
      EXPECT_NE(v.error().message.find(c.want), std::string::npos) << v.error().message;
    }
  }
}

TEST(ProgressText, DurationsAndLines) {
  EXPECT_EQ(parse_duration("15m"), std::chrono::minutes(15));
  EXPECT_EQ(parse_duration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(parse_duration("45s"), std::chrono::seconds(45));
  EXPECT_EQ(parse_duration("0"), std::chrono::seconds(0));
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("15").has_value());
  EXPECT_FALSE(parse_duration("m").has_value());
  StepUpdate u{"w1", StepId::kDrain, UpdateKind::kWaiting, "evicted 1/2",
               std::chrono::milliseconds(192000)};
  EXPECT_EQ(progress_line(u), "[  3m12s] w1 5/9 drain: evicted 1/2");
  EXPECT_EQ(progress_line(u, "2026-11-26T10:00:00Z"),
            "2026-11-26T10:00:00Z [  3m12s] w1 5/9 drain: evicted 1/2");
}

}  // namespace
}  // namespace upgrade
