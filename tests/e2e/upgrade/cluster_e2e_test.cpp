// `kubectl upgrade cluster` and `kubectl upgrade status` against kube-sim through the real binary:
// two hops in one run while the workloads stay available, batches of workers, a failure in the
// middle and its resume, SIGKILL in the middle of a batch and its resume, and what `status` says
// at each of those moments (golden files, UPDATE_GOLDEN=1 rewrites them).
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/e2e/upgrade/upgrade_helpers.h"
#include "tests/unit/ui/golden.h"

namespace {

using e2e::SimCluster;
using nlohmann::json;
using namespace e2e::upgrade_helpers;

const std::string kTarget = "upgrade.kubectl-upgrade.dev/target";

// Samples the cluster every 100 ms while a run goes on (through the API, not kubectl): the Ready
// pods of each Deployment behind a PDB against the PDB's minimum, and how many workers are
// cordoned at once. Samples taken while the API server restarts are skipped.
class AvailabilityWatch {
 public:
  AvailabilityWatch(const SimCluster& c, std::map<std::string, int> minimum_ready_by_app)
      : c_(c), minimum_(std::move(minimum_ready_by_app)) {
    thread_ = std::jthread([this](std::stop_token stop) {
      while (!stop.stop_requested()) {
        sample();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  void stop() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }
  int samples() const { return samples_; }
  int most_cordoned_workers() const { return most_cordoned_; }
  std::vector<std::string> violations() const {
    std::lock_guard l(mu_);
    return violations_;
  }

 private:
  void sample() {
    auto pods = c_.request("GET", "/api/v1/namespaces/shop/pods");
    auto nodes = c_.request("GET", "/api/v1/nodes");
    if (pods.status != 200 || nodes.status != 200) return;
    std::map<std::string, int> ready;
    const json pod_list = pods.json(), node_list = nodes.json();
    for (const auto& p : pod_list["items"]) {
      if (p["metadata"].contains("deletionTimestamp")) continue;
      const std::string app = p["metadata"].value("labels", json::object()).value("app", "");
      for (const auto& cond : p["status"].value("conditions", json::array()))
        if (cond["type"] == "Ready" && cond["status"] == "True") ++ready[app];
    }
    int cordoned = 0;
    for (const auto& n : node_list["items"])
      if (!n["metadata"]
               .value("labels", json::object())
               .contains("node-role.kubernetes.io/control-plane") &&
          n["spec"].value("unschedulable", false))
        ++cordoned;
    std::lock_guard l(mu_);
    ++samples_;
    most_cordoned_ = std::max(most_cordoned_, cordoned);
    for (const auto& [app, min] : minimum_)
      if (ready[app] < min)
        violations_.push_back(app + ": " + std::to_string(ready[app]) + " Ready, minimum " +
                              std::to_string(min));
  }

  const SimCluster& c_;
  std::map<std::string, int> minimum_;
  mutable std::mutex mu_;
  std::vector<std::string> violations_;
  int samples_ = 0;
  int most_cordoned_ = 0;
  std::jthread thread_;
};

// `status` as text, with what changes from run to run replaced: times, the lock holder's
// user@host pid, the hash suffixes of pod names. The events are checked on their own.
std::string status_picture(const SimCluster& c) {
  auto r = upgrade(c, {"status"});
  EXPECT_EQ(r.exit_code, 0) << r.output();
  std::string text = r.out.substr(0, r.out.find("\nRecent events:"));
  text =
      std::regex_replace(text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)"), "<time>");
  text = std::regex_replace(text, std::regex(R"([^\s()]+@[^\s()]+ pid \d+)"),
                            "<user>@<host> pid <pid>");
  return text;
}

void expect_golden(const std::string& name, const std::string& got) {
  ku_testing::expect_golden((e2e::source_dir() / "tests/e2e/upgrade/golden").string(), name, got);
}

// Steps the plain progress lines say were `what` ("skipped", "started") for `node`:
// "... w2 3/9 kubeadm-package: skipped (...)".
std::set<int> steps_said(const std::string& output, const std::string& node,
                         const std::string& what) {
  std::set<int> out;
  std::regex line(" " + node + R"( (\d)/9 [a-z-]+: )" + what);
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
       it != std::sregex_iterator(); ++it)
    out.insert(std::stoi((*it)[1]));
  return out;
}

TEST(UpgradeClusterE2E, TwoHopsInOneRunWhileTheWorkloadsStayAvailable) {
  SimCluster c("ha-v1.34.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string mid = newest_in_repo(c, 35), t = newest_in_repo(c, 36);
  const std::vector<std::string> args = {
      "cluster", "--to", t, "--max-unavailable", "2", "--delete-emptydir-data", "--force"};

  json before = snapshot(c);
  auto dry_args = args;
  dry_args.push_back("--dry-run");
  auto dry = upgrade(c, dry_args);
  ASSERT_EQ(dry.exit_code, 0) << dry.output();
  EXPECT_NE(dry.out.find("# hop to " + mid), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("# hop to " + t), std::string::npos) << dry.out;
  EXPECT_EQ(snapshot(c), before) << "--dry-run changed the cluster";

  // web: 4 replicas, minAvailable 3; api: 3 replicas, maxUnavailable 1.
  AvailabilityWatch watch(c, {{"web", 3}, {"api", 2}});
  auto run_args = args;
  run_args.push_back("--yes");
  auto r = upgrade(c, run_args, 800);
  watch.stop();
  ASSERT_EQ(r.exit_code, 0) << r.output() << "\n" << c.sim_log();
  EXPECT_NE(r.err.find("== hop to " + mid), std::string::npos);
  EXPECT_NE(r.err.find("== hop to " + t), std::string::npos);
  // The second hop's batches come from the plan made again after the first hop.
  EXPECT_NE(r.err.find("== hop to " + t +
                       "\n   batches, planned again from the cluster as it is "
                       "now: cp1 | cp2 | cp3 | "),
            std::string::npos)
      << r.err;
  // Every node was verified at each hop, in order: from v1.34 to the middle, then to the target.
  for (const std::string node : {"cp1", "cp2", "cp3", "w1", "w2", "w3", "w4", "w5"}) {
    SCOPED_TRACE(node);
    auto first = r.err.find("node " + node + " upgraded from v1.34.12 to " + mid);
    auto second = r.err.find("node " + node + " upgraded from " + mid + " to " + t);
    EXPECT_NE(first, std::string::npos);
    EXPECT_NE(second, std::string::npos);
    EXPECT_LT(first, second);
    expect_node_done(c, node, t);
  }
  EXPECT_NE(c.get("configmap", "kubeadm-config", "kube-system")["data"]["ClusterConfiguration"]
                .get<std::string>()
                .find(t),
            std::string::npos);
  EXPECT_GT(watch.samples(), 50);
  auto v = watch.violations();
  EXPECT_TRUE(v.empty()) << v.size() << " sample(s) below a PDB's minimum, e.g. " << v.front();
  EXPECT_LE(watch.most_cordoned_workers(), 2) << "--max-unavailable 2 was exceeded";
  for (const auto& p : c.list("pods", {"-n", "shop"})) EXPECT_EQ(p["status"]["phase"], "Running");
  expect_no_shell_pods(c);
}

TEST(UpgradeClusterE2E, MaxUnavailableAsNumberOrPercentageAndReducedWhenCapacityLacks) {
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  json before = snapshot(c);
  auto batches = [&](const std::string& max_unavailable) {
    auto r = upgrade(c, {"cluster", "--to", t, "--max-unavailable", max_unavailable,
                         "--delete-emptydir-data", "--force", "--dry-run"});
    EXPECT_EQ(r.exit_code, 0) << r.output();
    std::vector<std::string> lines;
    std::regex worker_batch(R"(# +batch \d+ \(workers\):([ a-z0-9]+?)  ->)");
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), worker_batch);
         it != std::sregex_iterator(); ++it)
      lines.push_back((*it)[1]);
    return std::make_pair(lines, r.out);
  };
  EXPECT_EQ(batches("2").first, (std::vector<std::string>{" w1 w2", " w3 w4", " w5"}));
  EXPECT_EQ(batches("40%").first, (std::vector<std::string>{" w1 w2", " w3 w4", " w5"}));
  // All five workers at once would leave their pods nowhere to go (the control planes are
  // tainted): the plan reduces the batch and says why.
  auto [reduced, text] = batches("100%");
  EXPECT_GT(reduced.size(), 1u) << text;
  EXPECT_NE(text.find("MaxUnavailableReduced"), std::string::npos) << text;
  EXPECT_NE(text.find("--max-unavailable 100% (5 nodes) is too many workers at once"),
            std::string::npos)
      << text;
  auto bad = upgrade(c, {"cluster", "--to", t, "--max-unavailable", "0", "--dry-run"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("invalid --max-unavailable"), std::string::npos) << bad.err;
  EXPECT_EQ(snapshot(c), before);
}

TEST(UpgradeClusterE2E, AFailureInTheMiddleStopsTheRunAndTheReRunFinishes) {
  SimCluster c("upgrade-cluster.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  // The eviction of the bare pod on w2 answers 500: w2's drain fails. This run has a terminal
  // (util-linux `script` gives it a pty): the live lines of the batch, redrawn in place.
  c.admin_post("/sim/faults", {{"evictionErrors", {"default/report-job"}}});
  const std::string command = (e2e::build_dir() / "bin" / "kubectl-upgrade").string() +
                              " cluster --to " + t + " --force --yes";
  auto r = c.run({"script", "-qfec", command, "/dev/null"},
                 {.timeout = std::chrono::seconds(400), .env = {{"TERM", "xterm"}}});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.out.find("\x1b[1A"), std::string::npos) << "no live redraw on a terminal";
  EXPECT_NE(r.out.find("w1   upgraded to " + t), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("w2   5/9 drain"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("w2   stopped at 5-drain: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the cluster upgrade stopped at node w2, step 5-drain"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("To resume: kubectl upgrade cluster --to " + t + " --force --yes"),
            std::string::npos)
      << r.out;
  expect_node_done(c, "cp1", t);
  expect_node_done(c, "w1", t);
  json w2 = c.get("node", "w2");
  EXPECT_EQ(annotation(w2, kStep), "5-drain");
  EXPECT_EQ(annotation(w2, kState), "failed");
  EXPECT_FALSE(w2["spec"].value("unschedulable", false)) << "w2 was not put back";
  for (const std::string untouched : {"w3", "w4"}) {
    json n = c.get("node", untouched);
    EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], "v1.35.2") << untouched;
    EXPECT_EQ(annotation(n, kStep), "") << untouched << " was started";
  }
  expect_no_shell_pods(c);
  expect_golden("status-after-failure.txt", status_picture(c));

  // The fault is cleared: the same command resumes w2 at its drain and does the rest.
  c.admin_post("/sim/faults", {{"evictionErrors", json::array()}});
  auto again = upgrade(c, {"cluster", "--to", t, "--force", "--yes"}, 400);
  ASSERT_EQ(again.exit_code, 0) << again.output();
  EXPECT_NE(again.err.find("node cp1 is already at " + t), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("node w1 is already at " + t), std::string::npos) << again.err;
  EXPECT_EQ(steps_said(again.err, "w2", "skipped"), (std::set<int>{2, 3, 4})) << again.err;
  for (const std::string node : {"cp1", "w1", "w2", "w3", "w4"}) expect_node_done(c, node, t);
  expect_golden("status-after-resume.txt", status_picture(c));
}

TEST(UpgradeClusterE2E, KilledInTheMiddleOfABatchTheReRunFinishesWithoutRedoingAnything) {
  SimCluster c("upgrade-cluster.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string t = newest_in_repo(c, 36);
  std::vector<std::string> argv = {"kubectl-upgrade",   "cluster", "--to",    t,
                                   "--max-unavailable", "2",       "--force", "--yes"};
  auto p = c.start(argv);
  // Both workers of the first batch are past their kubeadm step: kill the run there.
  auto past_kubeadm = [&](const std::string& node) {
    json n = c.get("node", node);
    std::string at = annotation(n, kStep);
    return !at.empty() && annotation(n, kTarget) == t && std::stoi(at) >= 5;
  };
  bool reached = SimCluster::eventually([&] { return past_kubeadm("w1") && past_kubeadm("w2"); },
                                        std::chrono::seconds(180));
  p->stop(SIGKILL);
  ASSERT_TRUE(reached) << p->err();

  // The moment after the kill: the lock still names the dead run, status says how to resume.
  auto status = upgrade(c, {"status", "-o", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.output();
  json doc = json::parse(status.out);
  ASSERT_TRUE(doc["lock"].is_object()) << status.out;
  EXPECT_EQ(doc["lock"]["command"], "upgrade cluster --to " + t + " --max-unavailable 2 --force");
  EXPECT_EQ(doc["lock"]["processGone"], true);
  EXPECT_EQ(doc["next"], "kubectl upgrade cluster --to " + t +
                             " --max-unavailable 2 --force --yes  (the run holding the lock was "
                             "killed; a re-run here takes it over)");
  std::map<std::string, std::string> step_at_kill;
  for (const auto& n : doc["nodes"]) {
    std::string name = n["name"];
    if (n.contains("record")) step_at_kill[name] = n["record"]["step"];
  }
  EXPECT_EQ(step_at_kill["cp1"], "9-done");
  EXPECT_TRUE(step_at_kill.contains("w1") && step_at_kill.contains("w2")) << status.out;
  EXPECT_FALSE(step_at_kill.contains("w3") || step_at_kill.contains("w4")) << status.out;

  auto again =
      upgrade(c, {"cluster", "--to", t, "--max-unavailable", "2", "--force", "--yes"}, 400);
  ASSERT_EQ(again.exit_code, 0) << again.output();
  EXPECT_NE(again.err.find("node cp1 is already at " + t), std::string::npos) << again.err;
  for (const std::string node : {"w1", "w2"}) {
    SCOPED_TRACE(node + " killed at " + step_at_kill[node]);
    if (step_at_kill[node] == "9-done") {
      EXPECT_NE(again.err.find("node " + node + " is already at " + t), std::string::npos);
      continue;
    }
    // Steps 2-4 were done before the kill: skipped, never started again.
    auto skipped = steps_said(again.err, node, "skipped");
    auto started = steps_said(again.err, node, "started");
    for (int s : {2, 3, 4}) {
      EXPECT_TRUE(skipped.contains(s)) << "step " << s << " not skipped:\n" << again.err;
      EXPECT_FALSE(started.contains(s)) << "step " << s << " redone:\n" << again.err;
    }
  }
  for (const std::string node : {"cp1", "w1", "w2", "w3", "w4"}) expect_node_done(c, node, t);
  expect_no_shell_pods(c);
  expect_golden("status-after-kill-and-resume.txt", status_picture(c));
}

// One replica behind a PDB that never allows a disruption, pinned to cp1 (tolerating its taint):
// once it is there, cp1 cannot be drained.
const char* const kLedgerOnCp1 = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      nodeSelector: {kubernetes.io/hostname: cp1}
      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
      containers: [{name: ledger, image: "busybox:1.37"}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ledger, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: ledger}}
)";

TEST(UpgradeClusterE2E, ABlockerThatAppearsDuringTheFirstHopStopsTheRunBeforeTheSecond) {
  SimCluster c("two-hops.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  const std::string mid = newest_in_repo(c, 35), t = newest_in_repo(c, 36);
  auto p = c.start({"kubectl-upgrade", "cluster", "--to", t, "--yes"});
  auto at = [&](const std::string& node, int step) {
    json n = c.get("node", node);
    std::string s = annotation(n, kStep);
    return annotation(n, kTarget) == mid && !s.empty() && std::stoi(s) >= step;
  };
  // A gate, so that the blocker surely arrives inside the first hop: once the run has made its
  // plan and started on cp1, shop/web allows no disruption, so w1's drain waits (429s).
  ASSERT_TRUE(SimCluster::eventually([&] { return at("cp1", 1); }, std::chrono::seconds(120)))
      << p->err();
  c.admin_post("/sim/faults", {{"pdbNeverAllows", {"shop/web"}}});
  ASSERT_TRUE(SimCluster::eventually([&] { return at("w1", 5); }, std::chrono::seconds(180)))
      << p->err();
  ASSERT_TRUE(at("cp1", 9)) << "cp1 has finished the first hop before w1 drains";
  // The blocker: pinned to cp1, which the first hop no longer drains; then the gate opens.
  auto made = c.kubectl({"apply", "-f", "-"}, {.stdin_data = kLedgerOnCp1});
  ASSERT_EQ(made.exit_code, 0) << made.output();
  ASSERT_TRUE(SimCluster::eventually(
      [&] {
        json pdb = c.get("pdb", "ledger", "shop");
        return pdb.is_object() && pdb["status"].value("currentHealthy", 0) == 1;
      },
      std::chrono::seconds(60)));
  c.admin_post("/sim/faults", {{"pdbNeverAllows", json::array()}});

  bool ended = SimCluster::eventually([&] { return !p->running(); }, std::chrono::seconds(300));
  auto r = p->stop(SIGTERM);
  ASSERT_TRUE(ended) << r.output();
  EXPECT_EQ(r.exit_code, 2) << r.output();
  EXPECT_NE(r.err.find("node w2 upgraded from v1.34.12 to " + mid), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: the cluster upgrade stopped before the hop to " + t),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("PdbBlocksDrain pdb/shop/ledger"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No node of that hop was touched. To resume: kubectl upgrade cluster --to " +
                       t + " --yes"),
            std::string::npos)
      << r.err;
  // Every node finished the first hop and none started the second.
  for (const std::string node : {"cp1", "w1", "w2"}) {
    SCOPED_TRACE(node);
    expect_node_done(c, node, mid);
  }
  auto status = upgrade(c, {"status"});
  EXPECT_NE(status.out.find("stopped before the hop to " + t), std::string::npos) << status.out;

  // The blocker goes (its pod could not move anyway: it is pinned to cp1): the re-run does the
  // second hop.
  auto gone = c.kubectl({"delete", "-f", "-"}, {.stdin_data = kLedgerOnCp1});
  ASSERT_EQ(gone.exit_code, 0) << gone.output();
  ASSERT_TRUE(SimCluster::eventually(
      [&] {
        return c.list("pods", {"-n", "shop", "-l", "app=ledger"}).empty();
      },
      std::chrono::seconds(60)))
      << "the garbage collector left the ledger pod";
  auto again = upgrade(c, {"cluster", "--to", t, "--yes"}, 400);
  ASSERT_EQ(again.exit_code, 0) << again.output();
  for (const std::string node : {"cp1", "w1", "w2"}) expect_node_done(c, node, t);
  expect_no_shell_pods(c);
}

}  // namespace
