// The plugin's own node scripts (pkg/nodeshell/scripts.h) run in the node sandboxes: the emulated
// tools must print what the scripts parse, on apt and dnf nodes alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "pkg/nodeshell/facts.h"
#include "pkg/nodeshell/scripts.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/run_pod.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

json shell_pod(const std::string& node, const std::string& script) {
  return {{"spec",
           {{"nodeName", node},
            {"hostPID", true},
            {"containers", json::array({{{"name", "shell"},
                                         {"command",
                                          {"nsenter", "--target", "1", "--mount", "--uts", "--ipc",
                                           "--net", "--pid", "--", "sh", "-c", script}},
                                         {"terminationMessagePolicy", "FallbackToLogsOnError"},
                                         {"securityContext", {{"privileged", true}}}}})}}}};
}

struct Case {
  std::string name;
  PackageManager pm;
  std::string revision;
};

class PluginScripts : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
    NodeSpec s = f.worker("w1");
    s.package_manager = GetParam().pm;
    f.add(s);
    f.cluster.set_versions(
        {.kubernetes_version = "v1.36.2", .api_server_versions = {{"cp1", "v1.36.2"}}});
    f.start_cluster();
  }
  std::pair<int, std::string> run(const std::string& script) {
    std::string log;
    std::atomic<bool> never{false};
    auto o = run_pod(
        NodeEnv{f.dir, "w1", f.tools_dir}, shell_pod("w1", script),
        [&](std::string_view v) { log.append(v); }, never);
    return {o.exit_code, log};
  }
  NodeFixture f;
};

TEST_P(PluginScripts, FactsSwitchInstallUpgradeRestart) {
  const Case& c = GetParam();
  auto [rc, out] = run(nodeshell::gather_facts_script());
  ASSERT_EQ(rc, 0) << out;
  auto facts = nodeshell::parse_facts(out);
  ASSERT_TRUE(facts) << facts.error().message << "\n" << out;
  EXPECT_TRUE(facts->complete);
  EXPECT_EQ(facts->installed.at("kubeadm"), "1.35.2-" + c.revision) << out;
  EXPECT_EQ(facts->kubeadm_version, "v1.35.2") << out;
  EXPECT_EQ(facts->kubelet_version, "v1.35.2") << out;
  EXPECT_EQ(facts->kubectl_version, "v1.35.2") << out;
  EXPECT_FALSE(facts->repo_legacy);
  if (c.pm == PackageManager::apt) {
    EXPECT_EQ(facts->held, (std::set<std::string>{"kubeadm", "kubectl", "kubelet"})) << out;
  }

  auto target = kver::parse("v1.36.2");
  ASSERT_TRUE(target);
  auto switch_script = nodeshell::switch_repo_script(*target);
  ASSERT_TRUE(switch_script);
  std::tie(rc, out) = run(*switch_script);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("1.36.2-" + c.revision));

  auto install = nodeshell::install_packages_script({"kubeadm"}, *target);
  ASSERT_TRUE(install);
  std::tie(rc, out) = run(*install);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("ku.bin.kubeadm=v1.36.2"));
  auto pkgs = read_packages(f.root("w1"));
  EXPECT_EQ(pkgs->at("kubeadm").version, "1.36.2-" + c.revision);
  if (c.pm == PackageManager::apt) {
    EXPECT_TRUE(pkgs->at("kubeadm").held) << "held again after the install";
  }

  auto upgrade = nodeshell::kubeadm_upgrade_script(false, *target);
  ASSERT_TRUE(upgrade);
  std::tie(rc, out) = run(*upgrade);
  EXPECT_EQ(rc, 0) << out;

  install = nodeshell::install_packages_script({"kubelet", "kubectl"}, *target);
  ASSERT_TRUE(install);
  std::tie(rc, out) = run(*install);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("ku.bin.kubelet=v1.36.2"));

  std::tie(rc, out) = run(nodeshell::restart_kubelet_script());
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(read_kubelet(f.root("w1"))->state, "restarting");
}

INSTANTIATE_TEST_SUITE_P(Cases, PluginScripts,
                         ::testing::Values(Case{"ubuntu", PackageManager::apt, "1.1"},
                                           Case{"rocky", PackageManager::dnf, "150500.1.1"}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sim::node::testing
