// run_pod: node-shell pods run in bubblewrap. Nothing a script does may reach the host: every
// escape attempt below must fail or land inside the node's own root.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/run_pod.h"
#include "tests/sim/node/tests/node_fixture.h"

namespace sim::node::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

// A node-shell pod as the plugin builds it (DESIGN.md section 3).
json shell_pod(const std::string& node, const std::string& script, bool privileged = true,
               bool host_pid = true) {
  return {{"metadata", {{"name", "shell"}, {"namespace", "kube-system"}}},
          {"spec",
           {{"nodeName", node},
            {"hostPID", host_pid},
            {"hostNetwork", true},
            {"restartPolicy", "Never"},
            {"containers", json::array({{{"name", "shell"},
                                         {"image", "busybox"},
                                         {"command",
                                          {"nsenter", "--target", "1", "--mount", "--uts", "--ipc",
                                           "--net", "--pid", "--", "sh", "-c", script}},
                                         {"terminationMessagePolicy", "FallbackToLogsOnError"},
                                         {"securityContext", {{"privileged", privileged}}}}})}}}};
}

struct PodRun {
  PodOutcome outcome;
  std::string log;
};

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
    f.add(f.control_plane("cp1", true));
    f.add(f.worker("w1"));
  }
  PodRun run(const std::string& node, const json& pod, const std::atomic<bool>* cancel = nullptr) {
    std::atomic<bool> never{false};
    PodRun r;
    r.outcome = run_pod(
        NodeEnv{f.dir, node, f.tools_dir}, pod, [&](std::string_view s) { r.log.append(s); },
        cancel ? *cancel : never);
    return r;
  }
  PodRun run_script(const std::string& node, const std::string& script) {
    return run(node, shell_pod(node, script));
  }
  NodeFixture f;
};

TEST_F(SandboxTest, ScriptSeesTheNodeRootAndTheTools) {
  auto r = run_script("cp1",
                      "cat /etc/hostname; . /etc/os-release; echo $ID; ls "
                      "/etc/kubernetes/manifests; kubeadm version -o short; "
                      "/usr/bin/kubectl version --client | head -1; command -v apt-get");
  EXPECT_EQ(r.outcome.exit_code, 0) << r.log;
  EXPECT_EQ(r.outcome.reason, "Completed");
  EXPECT_EQ(r.log,
            "cp1\nubuntu\netcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-"
            "scheduler.yaml\n"
            "v1.35.2\nClient Version: v1.35.2\n/run/kube-sim/bin/apt-get\n");
}

TEST_F(SandboxTest, ExitCodeAndLogTailOfAFailingScript) {
  auto r = run_script(
      "w1", "i=0; while [ $i -lt 200 ]; do echo line $i; i=$((i+1)); done; echo oops >&2; exit 3");
  EXPECT_EQ(r.outcome.exit_code, 3);
  EXPECT_EQ(r.outcome.reason, "Error");
  EXPECT_LE(r.outcome.message.size(), 2048u);
  EXPECT_LE(std::count(r.outcome.message.begin(), r.outcome.message.end(), '\n'), 80);
  EXPECT_TRUE(r.outcome.message.ends_with("line 199\noops\n")) << r.outcome.message;
}

TEST_F(SandboxTest, TheDocumentedKubeadmUpgradeOfAWorkerRuns) {
  f.cluster.set_versions(
      {.kubernetes_version = "v1.36.2", .api_server_versions = {{"cp1", "v1.36.2"}}});
  f.start_cluster();
  auto r = run_script(
      "w1",
      "set -e; sed -i 's/v1.35/v1.36/' /etc/apt/sources.list.d/kubernetes.list; apt-mark unhold "
      "kubeadm; "
      "apt-get update; apt-get install -y kubeadm='1.36.2-*'; apt-mark hold kubeadm; kubeadm "
      "upgrade node; "
      "apt-mark unhold kubelet kubectl; apt-get install -y kubelet=1.36.2-1.1 kubectl=1.36.2-1.1; "
      "apt-mark hold kubelet kubectl; systemctl daemon-reload; systemctl restart kubelet");
  ASSERT_EQ(r.outcome.exit_code, 0) << r.log;
  auto pkgs = read_packages(f.root("w1"));
  EXPECT_EQ(pkgs->at("kubelet").version, "1.36.2-1.1");
  EXPECT_TRUE(pkgs->at("kubelet").held);
  EXPECT_EQ(read_kubelet(f.root("w1"))->state, "restarting");
}

struct EscapeCase {
  std::string name;
  std::string script;     // runs on w1
  std::string host_path;  // must not exist on the host afterwards ("" = none)
  std::string log_has;    // expected in the log ("" = none)
};

class SandboxEscape : public SandboxTest, public ::testing::WithParamInterface<EscapeCase> {};

TEST_P(SandboxEscape, StaysInsideTheNode) {
  const EscapeCase& c = GetParam();
  std::string script = c.script;
  auto replace = [&](const std::string& key, const std::string& value) {
    for (auto pos = script.find(key); pos != std::string::npos; pos = script.find(key))
      script.replace(pos, key.size(), value);
  };
  replace("@STATE@", f.dir.string());
  replace("@PID@", std::to_string(::getpid()));
  auto r = run_script("w1", script + "; echo done");
  EXPECT_THAT(r.log, HasSubstr("done")) << "the script ran to its end";
  if (!c.host_path.empty()) {
    std::string host = c.host_path;
    for (auto pos = host.find("@PID@"); pos != std::string::npos; pos = host.find("@PID@"))
      host.replace(pos, 5, std::to_string(::getpid()));
    EXPECT_FALSE(fs::exists(host)) << host << " was created on the host:\n" << r.log;
  }
  if (!c.log_has.empty()) {
    EXPECT_THAT(r.log, HasSubstr(c.log_has));
  }
  EXPECT_EQ(f.read("cp1", "etc/hostname"), "cp1\n") << "another node's root is untouched";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SandboxEscape,
    ::testing::Values(
        EscapeCase{"host usr is read-only", "touch /usr/escape-@PID@ 2>&1", "/usr/escape-@PID@",
                   "Read-only file system"},
        EscapeCase{"remounting usr read-write is refused",
                   "mount -o remount,rw /usr 2>&1; touch /usr/escape-@PID@ 2>&1",
                   "/usr/escape-@PID@", "Read-only file system"},
        EscapeCase{"etc writes land in the node root", "echo x > /etc/escape-@PID@ && echo wrote",
                   "/etc/escape-@PID@", "wrote"},
        EscapeCase{"tmp writes land in the node root", "echo x > /tmp/escape-@PID@ && echo wrote",
                   "/tmp/escape-@PID@", "wrote"},
        EscapeCase{
            "the state dir is invisible",
            "ls @STATE@/nodes/cp1/root/etc 2>&1; echo x > @STATE@/nodes/cp1/root/etc/hostname 2>&1",
            "", "No such file or directory"},
        EscapeCase{"the repo universe is read-only",
                   "echo '{}' > /run/kube-sim/repo/versions.json 2>&1", "",
                   "Read-only file system"},
        EscapeCase{"node.json (faults) is read-only", "echo '{}' > /run/kube-sim/node.json 2>&1",
                   "", "Read-only file system"},
        EscapeCase{"pid 1's root is the sandbox",
                   "ls /proc/1/root/ | tr '\\n' ' '; touch /proc/1/root/../../escape-@PID@ 2>&1",
                   "/escape-@PID@", ""},
        EscapeCase{"no host process is visible",
                   "ls /proc | grep -c '^[0-9]' | awk '{print ($1 < 10) ? \"few\" : \"many\"}'", "",
                   "few"},
        EscapeCase{"no capabilities", "grep CapEff /proc/self/status", "",
                   "CapEff:\t0000000000000000"},
        EscapeCase{"only stdio is inherited", "ls /proc/self/fd | tr '\\n' ' '", "", "0 1 2 3 "},
        EscapeCase{"kernel tunables are read-only", "echo x > /proc/sys/kernel/domainname 2>&1", "",
                   "Read-only file system"},
        EscapeCase{"the work tree is invisible", "ls /work 2>&1; ls /home 2>&1", "",
                   "No such file or directory"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST_F(SandboxTest, EscapeWritesLandInTheNodeRoot) {
  run_script("w1", "echo inside > /etc/landed; echo inside > /tmp/landed");
  EXPECT_EQ(f.read("w1", "etc/landed"), "inside\n");
  EXPECT_EQ(f.read("w1", "tmp/landed"), "inside\n");
}

struct NsenterCase {
  std::string name;
  bool privileged, host_pid;
  int exit_code;
  std::string log;
};

class NsenterPrivileges : public SandboxTest, public ::testing::WithParamInterface<NsenterCase> {};

TEST_P(NsenterPrivileges, FailsLikeTheRealNsenter) {
  const NsenterCase& c = GetParam();
  auto r = run("w1", shell_pod("w1", "kubeadm version -o short", c.privileged, c.host_pid));
  EXPECT_EQ(r.outcome.exit_code, c.exit_code) << r.log;
  EXPECT_THAT(r.log, HasSubstr(c.log));
  EXPECT_THAT(r.outcome.message, HasSubstr(c.log)) << "FallbackToLogsOnError";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NsenterPrivileges,
    ::testing::Values(
        NsenterCase{"hostPID without privileged", false, true, 1,
                    "nsenter: cannot open /proc/1/ns/ipc: Permission denied\n"},
        NsenterCase{"neither", false, false, 1,
                    "nsenter: reassociate to namespace 'ns/ipc' failed: Operation not permitted"},
        NsenterCase{"privileged without hostPID runs in the container image", true, false, 127,
                    "kubeadm: not found"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST_F(SandboxTest, TwoPodsOnOneNodeRunSideBySide) {
  const std::string script = "kubeadm version -o short; sleep 0.3; kubeadm version -o short";
  PodRun first;
  std::thread t([&] { first = run_script("w1", script); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  PodRun second = run_script("w1", script);
  t.join();
  EXPECT_EQ(first.log, "v1.35.2\nv1.35.2\n");
  EXPECT_EQ(second.log, "v1.35.2\nv1.35.2\n");
}

TEST_F(SandboxTest, ShortNsenterFlagsAreAccepted) {
  json pod = shell_pod("w1", "");
  pod["spec"]["containers"][0]["command"] = {
      "nsenter", "-t", "1", "-m", "-u", "-i", "-n", "-p", "--", "sh", "-c", "cat /etc/hostname"};
  EXPECT_EQ(run("w1", pod).log, "w1\n");
}

TEST_F(SandboxTest, CancelKillsTheSandbox) {
  std::atomic<bool> cancel{false};
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  auto r = run("w1", shell_pod("w1", "echo started; sleep 30; echo finished"), &cancel);
  t.join();
  EXPECT_EQ(r.outcome.exit_code, 137);
  EXPECT_TRUE(r.outcome.cancelled);
  EXPECT_EQ(r.log, "started\n");
}

TEST_F(SandboxTest, ActiveDeadlineKillsTheSandbox) {
  json pod = shell_pod("w1", "echo started; sleep 30; echo finished");
  pod["spec"]["activeDeadlineSeconds"] = 1;
  auto r = run("w1", pod);
  EXPECT_EQ(r.outcome.exit_code, 137);
  EXPECT_TRUE(r.outcome.deadline_exceeded);
  EXPECT_EQ(r.log, "started\n");
}

TEST_F(SandboxTest, KillAfterSecondsFault) {
  NodeSpec s = f.specs["w1"];
  s.faults.kill_script_after_seconds = 20;  // 200 ms at time scale 0.01
  f.add(s);
  auto r = run_script("w1", "echo started; sleep 30; echo finished");
  EXPECT_EQ(r.outcome.exit_code, 137);
  EXPECT_FALSE(r.outcome.cancelled);
  EXPECT_EQ(r.log, "started\n");
}

TEST_F(SandboxTest, KillAtCommandFault) {
  NodeSpec s = f.specs["w1"];
  s.faults.kill_script_at_command = "kubeadm upgrade node";
  f.add(s);
  auto r =
      run_script("w1", "echo before; kubeadm version -o short; kubeadm upgrade node; echo after");
  EXPECT_EQ(r.outcome.exit_code, 137);
  EXPECT_EQ(r.log, "before\nv1.35.2\n");
}

}  // namespace
}  // namespace sim::node::testing

namespace sim::node::testing {
namespace {

struct PackageManagerCase {
  std::string name;
  PackageManager pm;
  std::string detected;  // what `command -v` finds first, as the plugin's scripts probe it
};

class NodeCommands : public ::testing::TestWithParam<PackageManagerCase> {};

TEST_P(NodeCommands, OnlyTheNodesPackageManagerIsThere) {
  if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
  const PackageManagerCase& c = GetParam();
  NodeFixture f;
  NodeSpec s = f.worker("n1");
  s.package_manager = c.pm;
  f.add(s);
  std::string log;
  std::atomic<bool> never{false};
  auto o = run_pod(
      NodeEnv{f.dir, "n1", f.tools_dir},
      shell_pod("n1",
                "for t in apt-get dnf yum; do if command -v $t >/dev/null; then echo $t; break; "
                "fi; done; "
                "test -x /usr/bin/apt-get && echo apt-get-executable; true"),
      [&](std::string_view v) { log.append(v); }, never);
  EXPECT_EQ(o.exit_code, 0) << log;
  std::string expected = c.detected + "\n";
  if (c.pm == PackageManager::apt && ::access("/usr/bin/apt-get", F_OK) == 0)
    expected += "apt-get-executable\n";
  EXPECT_EQ(log, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NodeCommands,
    ::testing::Values(PackageManagerCase{"ubuntu", PackageManager::apt, "apt-get"},
                      PackageManagerCase{"rocky", PackageManager::dnf, "dnf"},
                      PackageManagerCase{"centos7", PackageManager::yum, "yum"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sim::node::testing
