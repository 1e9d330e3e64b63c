// The whole program behind main(): argv in, exit code out, output through a Terminal. Tests
// call run_app directly with a FakeTerminal, their own environment and client factory.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "cmd/kubectl-upgrade/context.h"
#include "pkg/ui/terminal.h"

namespace cli {

struct AppDeps {
  ui::Terminal& terminal;
  Env env;
  const std::atomic<bool>& cancel_flag;
  ClientFactory client_factory = make_real_client;
};

// argv[0] included: its basename `kubectl_complete-upgrade` means kubectl's plugin completion.
int run_app(const std::vector<std::string>& argv, AppDeps deps);

}  // namespace cli
