// systemctl restart kubelet, kubelet --version, kubectl version --client, and the cluster side
// finishing kubelet restarts (process_requests -> running / failed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/sim/node/cluster_effects.h"
#include "tests/sim/node/layout.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;

void install(NodeFixture& f, const std::string& node, const std::string& pkg,
             const std::string& version) {
  auto pkgs = read_packages(f.root(node));
  (*pkgs)[pkg].version = version + "-1.1";
  ASSERT_TRUE(write_packages(f.root(node), *pkgs));
}

struct RestartCase {
  std::string name;
  std::string installed_kubelet;
  std::string api_server;
  bool fault_fails;
  std::string state_after;
  std::string version_after;
  std::string is_active_after;
};

class KubeletRestart : public ::testing::TestWithParam<RestartCase> {};

TEST_P(KubeletRestart, FinishesOnTheClusterTick) {
  const RestartCase& c = GetParam();
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.faults.kubelet_restart_fails = c.fault_fails;
  f.add(s);
  install(f, "w1", "kubelet", c.installed_kubelet);
  ClusterVersions v;
  v.kubernetes_version = c.api_server;
  v.api_server_versions["cp1"] = c.api_server;
  f.cluster.set_versions(v);

  EXPECT_EQ(f.run("w1", {"systemctl", "daemon-reload"}).exit_code, 0);
  EXPECT_EQ(f.run("w1", {"systemctl", "restart", "kubelet"}).exit_code, 0);
  auto during = f.run("w1", {"systemctl", "is-active", "kubelet"});
  EXPECT_EQ(during.out, "activating\n");
  EXPECT_EQ(during.exit_code, 3);

  // Before the delay (5 s x 0.01) nothing changes; after it the tick settles the kubelet.
  auto since = parse_rfc3339(read_kubelet(f.root("w1"))->since);
  EXPECT_TRUE(process_requests(f.dir, f.cluster, since).kubelets_changed.empty());
  auto report = process_requests(f.dir, f.cluster, since + std::chrono::milliseconds(60));
  EXPECT_EQ(report.kubelets_changed, std::vector<std::string>{"w1"});
  auto k = read_kubelet(f.root("w1"));
  EXPECT_EQ(k->state, c.state_after);
  EXPECT_EQ(k->version, c.version_after);
  EXPECT_EQ(f.run("w1", {"systemctl", "is-active", "kubelet"}).out, c.is_active_after + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KubeletRestart,
    ::testing::Values(RestartCase{"new kubelet comes up", "1.36.2", "v1.36.2", false, "running",
                                  "v1.36.2", "active"},
                      RestartCase{"kubelet newer than every API server fails", "1.36.2", "v1.35.2",
                                  false, "failed", "v1.35.2", "failed"},
                      RestartCase{"restart fault keeps it failed", "1.35.2", "v1.35.2", true,
                                  "failed", "v1.35.2", "failed"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(KubeletRestartSlow, ASlowRestartFaultDelaysIt) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.faults.kubelet_restart_seconds = 100;  // 1 s at time scale 0.01
  f.add(s);
  ClusterVersions v;
  v.api_server_versions["cp1"] = "v1.35.2";
  f.cluster.set_versions(v);
  ASSERT_EQ(f.run("w1", {"systemctl", "restart", "kubelet.service"}).exit_code, 0);
  auto since = parse_rfc3339(read_kubelet(f.root("w1"))->since);
  process_requests(f.dir, f.cluster, since + std::chrono::milliseconds(500));
  EXPECT_EQ(read_kubelet(f.root("w1"))->state, "restarting");
  process_requests(f.dir, f.cluster, since + std::chrono::milliseconds(1001));
  EXPECT_EQ(read_kubelet(f.root("w1"))->state, "running");
}

// kubeadm's kubelet.service restarts a failed kubelet every RestartSec (10 s, 0.1 s here): it stays
// failed while the fault lasts and runs the installed version once the fault is cleared.
TEST(KubeletRestartSlow, AFailedKubeletComesBackOnceTheFaultIsCleared) {
  NodeFixture f;
  NodeSpec s = f.worker("w1");
  s.faults.kubelet_restart_fails = true;
  f.add(s);
  install(f, "w1", "kubelet", "1.36.2");
  ClusterVersions v;
  v.api_server_versions["cp1"] = "v1.36.2";
  f.cluster.set_versions(v);
  ASSERT_EQ(f.run("w1", {"systemctl", "restart", "kubelet"}).exit_code, 0);
  auto t = parse_rfc3339(read_kubelet(f.root("w1"))->since) + std::chrono::milliseconds(60);
  process_requests(f.dir, f.cluster, t);
  ASSERT_EQ(read_kubelet(f.root("w1"))->state, "failed");
  t += std::chrono::milliseconds(150);  // past RestartSec, the fault still on
  EXPECT_TRUE(process_requests(f.dir, f.cluster, t).kubelets_changed.empty());
  EXPECT_EQ(read_kubelet(f.root("w1"))->state, "failed");

  s.faults.kubelet_restart_fails = false;
  ASSERT_TRUE(write_sim_json(f.dir, s));
  EXPECT_TRUE(process_requests(f.dir, f.cluster, t + std::chrono::milliseconds(50))
                  .kubelets_changed.empty());  // RestartSec not over since the last try
  auto report = process_requests(f.dir, f.cluster, t + std::chrono::milliseconds(150));
  EXPECT_EQ(report.kubelets_changed, std::vector<std::string>{"w1"});
  auto k = read_kubelet(f.root("w1"));
  EXPECT_EQ(k->state, "running");
  EXPECT_EQ(k->version, "v1.36.2");
}

TEST(Services, VersionsOfTheInstalledPackages) {
  NodeFixture f;
  f.add(f.worker("w1"));
  install(f, "w1", "kubelet", "1.36.1");
  EXPECT_EQ(f.run("w1", {"kubelet", "--version"}).out, "Kubernetes v1.36.1\n");
  EXPECT_EQ(f.run("w1", {"kubectl", "version", "--client"}).out,
            "Client Version: v1.35.2\nKustomize Version: v5.7.1\n");
}

TEST(Services, UnknownUnit) {
  NodeFixture f;
  f.add(f.worker("w1"));
  auto r = f.run("w1", {"systemctl", "restart", "kubelett"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_EQ(r.err, "Failed to restart kubelett.service: Unit kubelett.service not found.\n");
}

}  // namespace
}  // namespace sim::node::testing
