// Time for pkg/ui: elapsed times and timestamps of progress lines. Tests pass a fake.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace ui {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;       // for elapsed times
  virtual std::chrono::system_clock::time_point wall_now() = 0;  // for timestamps
};
std::shared_ptr<Clock> real_clock();

// "850ms"-free, kubectl-like short durations: "0s", "12s", "1m02s", "1h02m".
std::string format_elapsed(std::chrono::nanoseconds d);
// "2026-11-26T10:30:45Z"
std::string format_timestamp(std::chrono::system_clock::time_point t);

}  // namespace ui
