// Progress of long work, one line per item (a node): its current step, a detail ("evicted 3/10",
// "waiting for Ready") and the elapsed time.
//
// On a TTY the lines are redrawn in place (with a spinner); otherwise every change is one plain
// timestamped line, so logs and CI output stay readable. Thread-safe: drains report from
// several threads. Subscribe it to the observers of pkg/drain and pkg/upgrade.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/ui/clock.h"
#include "pkg/ui/terminal.h"

namespace ui {

class Progress {
 public:
  explicit Progress(Terminal& term, std::shared_ptr<Clock> clock = real_clock());
  ~Progress();

  // An item starts (its line appears) at `step`.
  void begin(const std::string& item, const std::string& step);
  // The item moves to a new step; the detail is cleared unless given.
  void step(const std::string& item, const std::string& step, const std::string& detail = "");
  // A new detail for the item's current step.
  void detail(const std::string& item, const std::string& detail);
  // The item is finished: ok or failed, with a closing message ("v1.36.2, Ready").
  void finish(const std::string& item, bool ok, const std::string& message);
  // A line of its own (a warning, a note) printed above the live lines.
  void note(const std::string& text);
  // TTY: redraw (spinner, elapsed times). Call it from a timer if you like; plain mode ignores it.
  void tick();

 private:
  struct Item {
    std::string name;
    std::string step;
    std::string detail;
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point ended;
    enum class State { kRunning, kDone, kFailed } state = State::kRunning;
  };
  Item* find(const std::string& name);
  std::string live_line(const Item& item, std::chrono::steady_clock::time_point now) const;
  void plain_line(const Item& item, const std::string& text);
  void redraw();  // TTY only; mutex held

  Terminal& term_;
  std::shared_ptr<Clock> clock_;
  const bool live_;
  std::mutex mu_;
  std::vector<Item> items_;
  size_t drawn_lines_ = 0;
  size_t frame_ = 0;
};

}  // namespace ui
