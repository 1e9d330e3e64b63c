// kubectl-upgrade: dispatches through the command table (commands.cpp). Nothing else lives here.
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "cmd/kubectl-upgrade/app.h"
#include "pkg/ui/terminal.h"

namespace {

std::atomic<bool> g_cancelled{false};

// First SIGINT/SIGTERM asks the running command to stop cleanly (it deletes its pod, releases
// its lock, says how to resume); a second one ends the process at once.
void on_signal(int sig) {
  if (g_cancelled.exchange(true)) _exit(128 + sig);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  static_assert(std::atomic<bool>::is_always_lock_free);
  install_signal_handlers();
  ui::StdTerminal terminal;
  std::vector<std::string> args(argv, argv + argc);
  return cli::run_app(args, cli::AppDeps{terminal, cli::process_env(), g_cancelled});
}
