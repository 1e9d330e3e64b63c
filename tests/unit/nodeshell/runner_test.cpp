#include "pkg/nodeshell/runner.h"

#include <gtest/gtest.h>

#include <atomic>

#include "pkg/drain/testing/intercept_client.h"
#include "pkg/drain/testing/locked_client.h"
#include "pkg/kube/paths.h"
#include "pkg/kube/testing/fake_client.h"

namespace nodeshell {
namespace {

using Answer = ku::testing::InterceptClient::Answer;
using ku::testing::api_error;

constexpr const char* kPods = "/api/v1/namespaces/kube-system/pods";
constexpr const char* kPod = "/api/v1/namespaces/kube-system/pods/shell-1";

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest() : locked_(fake_), client_(locked_) {
    fake_.set_stream(std::string(kPod) + "/log",
                     {"2026-11-26T10:00:00.1Z [upgrade] hello\n", "2026-11-26T10:00:00.2Z done\n"});
  }

  // The pod is named shell-1; GETs answer "running" until the `done_after`th, then terminated.
  void script_pod(int done_after, int exit_code = 0, std::string message = "") {
    client_.set(
        [=, this](const std::string& verb, const std::string& path, const json& body) -> Answer {
          if (verb == "CREATE" && path == kPods) {
            json b = body;
            b["metadata"]["name"] = "shell-1";
            return locked_.create(path, b);
          }
          if (verb == "GET" && path == kPod) {
            auto pod = locked_.get(path);
            if (!pod) return pod;
            json state = {{"running", {{"startedAt", "2026-11-26T10:00:00Z"}}}};
            std::string phase = "Running";
            if (++gets_ >= done_after) {
              state = {{"terminated",
                        {{"exitCode", exit_code},
                         {"reason", exit_code == 0 ? "Completed" : "Error"},
                         {"message", message}}}};
              phase = exit_code == 0 ? "Succeeded" : "Failed";
            }
            (*pod)["status"] = {{"phase", phase},
                                {"containerStatuses", json::array({{{"state", state}}})}};
            return pod;
          }
          return std::nullopt;
        });
  }

  kube::Result<ScriptResult> run(std::stop_token stop = {}) {
    PodScriptRunner r(client_, clock_, options_);
    return r.run({.node = "w1", .purpose = "gather-facts", .body = "echo hi"},
                 {.on_created = [this](const std::string& p) { created_ = p; },
                  .on_output = [this](const std::string& l) { output_.push_back(l); },
                  .on_waiting = [this](const std::string& w) { waiting_.push_back(w); }},
                 stop);
  }
  int calls(const std::string& verb, const std::string& path) {
    int n = 0;
    for (const auto& c : fake_.calls_with(verb)) n += c.path == path;
    return n;
  }

  kube::testing::FakeClient fake_;
  ku::testing::LockedClient locked_;
  ku::testing::InterceptClient client_;
  ku::testing::FakeClock clock_;
  ShellOptions options_;
  std::atomic<int> gets_ = 0;
  std::string created_;
  std::vector<std::string> output_;
  std::vector<std::string> waiting_;
};

TEST_F(RunnerTest, RunsThePodReadsTheResultAndDeletesIt) {
  script_pod(3);
  auto r = run();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->reason, "Completed");
  EXPECT_EQ(r->pod, "kube-system/shell-1");
  EXPECT_EQ(created_, "kube-system/shell-1");
  EXPECT_EQ(r->output, "[upgrade] hello\ndone\n");
  EXPECT_EQ(output_, (std::vector<std::string>{"[upgrade] hello", "done"}));
  EXPECT_EQ(calls("DELETE", kPod), 1);
  EXPECT_FALSE(fake_.object(kPod).has_value());

  const json pod = fake_.calls_with("CREATE")[0].body;
  EXPECT_EQ(pod["metadata"]["generateName"], "kubectl-upgrade-gather-facts-");
  EXPECT_EQ(pod["metadata"]["labels"]["app.kubernetes.io/managed-by"], "kubectl-upgrade");
  EXPECT_EQ(pod["spec"]["nodeName"], "w1");
  EXPECT_EQ(pod["spec"]["hostPID"], true);
  EXPECT_EQ(pod["spec"]["hostNetwork"], true);
  EXPECT_EQ(pod["spec"]["hostIPC"], true);
  EXPECT_EQ(pod["spec"]["restartPolicy"], "Never");
  EXPECT_EQ(pod["spec"]["activeDeadlineSeconds"], 1200);
  EXPECT_EQ(pod["spec"]["tolerations"], json::parse(R"([{"operator":"Exists"}])"));
  const json c = pod["spec"]["containers"][0];
  EXPECT_EQ(c["securityContext"]["privileged"], true);
  EXPECT_EQ(c["terminationMessagePolicy"], "FallbackToLogsOnError");
  EXPECT_EQ(c["image"], "docker.io/library/alpine:3.20");
  EXPECT_EQ(c["command"], json::parse(R"(["nsenter","--target","1","--mount","--uts","--ipc",
                                          "--net","--pid","--","sh","-c","echo hi"])"));
}

TEST_F(RunnerTest, NonZeroExitIsAResultWithTheTerminationMessage) {
  script_pod(2, 1, "E: Packages were downgraded and -y was used without --allow-downgrades.");
  auto r = run();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_EQ(r->reason, "Error");
  EXPECT_NE(r->message.find("--allow-downgrades"), std::string::npos);
  EXPECT_EQ(calls("DELETE", kPod), 1);
}

TEST_F(RunnerTest, PodSecurityRefusalIsShownAsTheApiSaysItWithTheNamespaceFlag) {
  const std::string psa =
      "pods \"kubectl-upgrade-gather-facts-x\" is forbidden: violates PodSecurity "
      "\"baseline:latest\": host namespaces (hostNetwork=true, hostPID=true, hostIPC=true), "
      "privileged (container \"shell\" must not set securityContext.privileged=true)";
  client_.set([&](const std::string& verb, const std::string&, const json&) -> Answer {
    if (verb == "CREATE") return std::unexpected(api_error(403, "Forbidden", psa));
    return std::nullopt;
  });
  auto r = run();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status.code, 403);
  EXPECT_NE(r.error().message.find(psa), std::string::npos);
  EXPECT_NE(r.error().hint.find("--shell-namespace"), std::string::npos);
  EXPECT_TRUE(fake_.calls_with("DELETE").empty());
}

TEST_F(RunnerTest, RidesOutAnApiOutageWhileThePodRuns) {
  script_pod(8);
  std::atomic<int> outage = 0;
  // Wrap the scripted answers: the 2nd to 6th GET of the pod are refused connections.
  ku::testing::InterceptClient outer(static_cast<kube::Client&>(client_));
  outer.set([&](const std::string& verb, const std::string& path, const json&) -> Answer {
    if (verb == "GET" && path == kPod && ++outage >= 2 && outage <= 6)
      return std::unexpected(kube::Error::transport("connection refused"));
    return std::nullopt;
  });
  PodScriptRunner runner(outer, clock_, options_);
  auto r = runner.run({.node = "w1", .purpose = "kubeadm-upgrade", .body = "kubeadm upgrade node"},
                      {.on_waiting = [&](const std::string& w) { waiting_.push_back(w); }}, {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  ASSERT_FALSE(waiting_.empty());
  EXPECT_NE(waiting_[0].find("API unavailable"), std::string::npos);
}

TEST_F(RunnerTest, ALostCreateAnswerFindsThePodByItsRunLabel) {
  script_pod(1);
  ku::testing::InterceptClient outer(static_cast<kube::Client&>(client_));
  std::atomic<bool> lost = false;
  outer.set([&](const std::string& verb, const std::string& path, const json& body) -> Answer {
    if (verb == "CREATE" && path == kPods && !lost.exchange(true)) {
      (void)client_.create(path, body);  // made, but the answer never arrives
      return std::unexpected(kube::Error::transport("connection reset by peer"));
    }
    return std::nullopt;
  });
  PodScriptRunner runner(outer, clock_, options_);
  auto r = runner.run({.node = "w1", .purpose = "gather-facts", .body = "true"}, {}, {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->pod, "kube-system/shell-1");
  EXPECT_EQ(fake_.calls_with("CREATE").size(), 1u);  // not a second pod
  EXPECT_EQ(calls("DELETE", kPod), 1);
}

TEST_F(RunnerTest, StopDeletesThePodAndSaysSo) {
  script_pod(1000);
  std::stop_source stop;
  ku::testing::InterceptClient outer(static_cast<kube::Client&>(client_));
  outer.set([&](const std::string& verb, const std::string& path, const json&) -> Answer {
    if (verb == "GET" && path == kPod) stop.request_stop();
    return std::nullopt;
  });
  PodScriptRunner runner(outer, clock_, options_);
  auto r = runner.run({.node = "w1", .purpose = "gather-facts", .body = "sleep 99"}, {},
                      stop.get_token());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, kube::ErrorKind::kCancelled);
  EXPECT_EQ(calls("DELETE", kPod), 1);
}

TEST_F(RunnerTest, DeadlineEndsTheWaitAndDeletesThePod) {
  script_pod(1000000);
  options_.script_timeout = std::chrono::seconds(30);
  auto r = run();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("timed out waiting for node-shell pod kube-system/shell-1 on "
                                   "node w1"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(calls("DELETE", kPod), 1);
}

TEST_F(RunnerTest, APodThatVanishesIsAnError) {
  client_.set([&](const std::string& verb, const std::string& path, const json& body) -> Answer {
    if (verb == "CREATE" && path == kPods) {
      json b = body;
      b["metadata"]["name"] = "shell-1";
      return locked_.create(path, b);
    }
    if (verb == "GET" && path == kPod)
      return std::unexpected(api_error(404, "NotFound", "pods \"shell-1\" not found"));
    return std::nullopt;
  });
  auto r = run();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("disappeared"), std::string::npos);
}

}  // namespace
}  // namespace nodeshell
