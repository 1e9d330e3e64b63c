#pragma once

#include "pkg/ui/clock.h"

namespace ku_testing {

// Time that moves only when the test says so.
class FakeClock final : public ui::Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return steady; }
  std::chrono::system_clock::time_point wall_now() override { return wall; }
  void advance(std::chrono::nanoseconds d) {
    steady += d;
    wall += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }
  std::chrono::steady_clock::time_point steady{};
  std::chrono::system_clock::time_point wall{
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + std::chrono::hours{10}};
};

}  // namespace ku_testing
