// A node-shell pod's script running on its own thread (private to the controllers).
#pragma once

#include <atomic>
#include <thread>

#include "tests/sim/controllers/controllers.h"

namespace sim {

struct Controllers::ShellRun {
  std::thread thread;
  std::atomic<bool> cancel{false};
  std::atomic<bool> done{false};
  ShellOutcome outcome;
  std::string ns, name, container;
  ~ShellRun() {
    cancel = true;
    if (thread.joinable()) thread.join();
  }
};

}  // namespace sim
