// Time as a seam: the steady clock for deadlines, the wall clock for timestamps written to the API,
// and a sleep that a stop request cuts short. Shared by pkg/drain, pkg/nodeshell and pkg/upgrade
// (header-only, so including it adds no link dependency). Tests use ku::testing::FakeClock, whose
// sleeps advance virtual time at once, so no test ever waits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace ku {

using Steady = std::chrono::steady_clock;
using Wall = std::chrono::system_clock;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Steady::time_point now() const = 0;
  virtual Wall::time_point wall() const = 0;
  // Sleeps `d`, or less if `stop` is requested meanwhile.
  virtual void sleep_for(std::chrono::milliseconds d, std::stop_token stop = {}) = 0;
};

class SystemClock final : public Clock {
 public:
  Steady::time_point now() const override { return Steady::now(); }
  Wall::time_point wall() const override { return Wall::now(); }
  void sleep_for(std::chrono::milliseconds d, std::stop_token stop = {}) override {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait_for(lock, stop, d, [] { return false; });
  }
};

inline Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

namespace testing {

// Virtual time: sleep_for advances it by `d` and returns at once. Thread-safe; with several
// threads sleeping, time advances by the sum, which only makes deadlines come sooner.
class FakeClock final : public Clock {
 public:
  Steady::time_point now() const override {
    std::lock_guard lock(mu_);
    return steady_;
  }
  Wall::time_point wall() const override {
    std::lock_guard lock(mu_);
    return wall_;
  }
  void sleep_for(std::chrono::milliseconds d, std::stop_token = {}) override { advance(d); }
  void advance(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    steady_ += d;
    wall_ += d;
    slept_ += d;
  }
  std::chrono::milliseconds slept() const {
    std::lock_guard lock(mu_);
    return slept_;
  }

 private:
  mutable std::mutex mu_;
  Steady::time_point steady_{std::chrono::hours(1000)};
  Wall::time_point wall_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} +
                         std::chrono::hours(10)};
  std::chrono::milliseconds slept_{0};
};

}  // namespace testing
}  // namespace ku
