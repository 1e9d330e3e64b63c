// The e2e harness: a kube-sim on a scenario in a temporary state dir, and commands run against it
// with KUBECONFIG set, so a test reads like a story:
//
//   SimCluster c("ha.yaml");
//   auto r = c.run({"kubectl", "get", "nodes"});
//   EXPECT_EQ(r.exit_code, 0);
//   EXPECT_EQ(c.get("node", "w1")["spec"].value("unschedulable", false), true);
//
// "kubectl" runs the kubectl on PATH; "kubectl-upgrade" runs the one in this build's bin/. Tests
// that need a current kubectl call SKIP_WITHOUT_KUBECTL() first (it says why when it skips).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/harness/process.h"

namespace e2e {

// Build and source folders (compile definitions of the harness).
std::filesystem::path build_dir();
std::filesystem::path source_dir();
std::filesystem::path scenario_path(
    const std::string& name);  // "ha.yaml" -> tests/sim/scenarios/ha.yaml

// Why tests that need a current kubectl must skip: no kubectl on PATH, or one older than 1.25
// (Debian's kubernetes-client 1.20 drains with policy/v1beta1). nullopt = usable.
std::optional<std::string> kubectl_skip_reason();

#define SKIP_WITHOUT_KUBECTL()                                                   \
  do {                                                                           \
    if (auto why_skip = ::e2e::kubectl_skip_reason()) GTEST_SKIP() << *why_skip; \
  } while (0)

struct SimOptions {
  std::vector<std::string> extra_args;  // passed to kube-sim serve
  std::chrono::seconds start_timeout{60};
  // YAML text appended to a copy of the scenario (e.g. a faults: section); empty = as is.
  std::string scenario_suffix;
};

class SimCluster {
 public:
  // `scenario`: a name under tests/sim/scenarios/ or a path. Starts kube-sim and waits for its
  // kubeconfig; on failure every later call fails with the sim's stderr in the message.
  explicit SimCluster(const std::string& scenario, SimOptions options = {});
  ~SimCluster();
  SimCluster(const SimCluster&) = delete;
  SimCluster& operator=(const SimCluster&) = delete;

  bool ready() const { return ready_; }
  const std::string& start_error() const { return start_error_; }
  const std::filesystem::path& state_dir() const { return dir_; }
  std::filesystem::path kubeconfig() const { return dir_ / "kubeconfig"; }
  std::string server_url() const;

  // The environment commands run with (KUBECONFIG, HOME and kubectl's cache inside the state dir).
  std::map<std::string, std::string> env() const;
  RunResult run(std::vector<std::string> argv, RunOptions options = {}) const;
  // kubectl with these arguments.
  RunResult kubectl(std::vector<std::string> args, RunOptions options = {}) const;
  std::unique_ptr<BackgroundProcess> start(std::vector<std::string> argv) const;

  // An object through `kubectl get -o json` (null json when it does not exist).
  nlohmann::json get(const std::string& resource, const std::string& name,
                     const std::string& ns = "") const;
  // A list's items through `kubectl get -o json` ("pods", "-A" or a namespace, selectors...).
  std::vector<nlohmann::json> list(const std::string& resource,
                                   std::vector<std::string> extra = {}) const;

  // A raw HTTPS request as the admin user (client certificate): status code and body. For
  // answers kubectl would hide (bad input, exact Status bodies). status -1 = no answer.
  struct HttpAnswer {
    int status = -1;
    std::string body;
    std::string error;
    nlohmann::json json() const;
  };
  HttpAnswer request(const std::string& method, const std::string& path,
                     const std::string& body = {},
                     const std::string& content_type = "application/json") const;

  // The sim's admin endpoint (client certificate): POST /sim/faults etc.
  nlohmann::json admin_post(const std::string& path, const nlohmann::json& body) const;
  nlohmann::json admin_get(const std::string& path) const;

  // Polls `condition` every 100 ms until true or `timeout`.
  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // SIGTERM, wait; returns kube-sim's exit code and output.
  RunResult stop();
  std::string sim_log() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<BackgroundProcess> sim_;
  bool ready_ = false;
  std::string start_error_;
  std::optional<RunResult> stopped_;
};

}  // namespace e2e
