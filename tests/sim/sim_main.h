// The kube-sim program as a library function, so tests can run a whole sim in-process.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace sim {

struct ServeArgs {
  std::filesystem::path scenario;
  std::filesystem::path state_dir;
  int port = 0;
  size_t threads = 256;
  bool access_log = false;
};

// Loads the scenario, lays out the state dir, serves, writes DIR/kubeconfig, then calls
// `wait_for_stop` (blocks until it returns) and shuts down. Returns the process exit code.
int serve(const ServeArgs& args, const std::function<void()>& wait_for_stop);
// Loads a scenario and reports the first problem ("FILE:LINE:COLUMN: reason"); exit code.
int check_scenario(const std::filesystem::path& scenario);

}  // namespace sim
