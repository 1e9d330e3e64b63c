// Runs kubectl-upgrade in-process (cli::run_app) with a FakeTerminal, a chosen environment and an
// optional fake API, and keeps what it printed.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cmd/kubectl-upgrade/app.h"
#include "pkg/kube/testing/fake_client.h"
#include "pkg/ui/testing/fake_terminal.h"

namespace ku_testing {

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

struct Cli {
  cli::Env env = {{"HOME", "/nonexistent-home"}, {"PATH", "/usr/bin:/bin"}};
  // Fills the fake API; unset = no cluster configured (the client factory fails like kubectl).
  std::function<void(kube::testing::FakeClient&)> cluster;
  // Fails every API call with this error (an unreachable cluster).
  std::optional<kube::Error> unreachable;
  std::string argv0 = "kubectl-upgrade";
  int clients_made = 0;
  kube::ConfigFlags last_flags;        // what the last client was made from
  std::optional<int> last_timeout_ms;  // and with which budget

  RunResult run(std::vector<std::string> args) {
    ui::testing::FakeTerminal term;
    std::atomic<bool> cancelled{false};
    args.insert(args.begin(), argv0);
    cli::ClientFactory factory =
        [this](const cli::ClientRequest& request) -> kube::Result<std::unique_ptr<kube::Client>> {
      ++clients_made;
      last_flags = request.flags;
      last_timeout_ms = request.timeout_ms;
      if (!cluster && !unreachable) {
        return std::unexpected(kube::Error::config("no configuration has been provided"));
      }
      auto fake = std::make_unique<kube::testing::FakeClient>();
      if (cluster) cluster(*fake);
      if (unreachable) {
        fake->set_hook([e = *unreachable](const kube::testing::Call&) { return e; });
      }
      return fake;
    };
    RunResult r;
    r.code = cli::run_app(args, cli::AppDeps{term, env, cancelled, factory});
    r.out = term.stdout_text();
    r.err = term.stderr_text();
    return r;
  }
};

}  // namespace ku_testing
