// The progress of `kubectl upgrade cluster`, batch by batch. On a TTY: one live line per node of
// the current batch (its step, what it waits for, its elapsed time), redrawn in place through
// ui::Progress. Otherwise: the plain timestamped lines of `kubectl upgrade node`, so logs and CI
// output stay readable. Thread-safe: every node of a batch reports from its own thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/ui/progress.h"
#include "pkg/ui/terminal.h"
#include "pkg/upgrade/procedure.h"

namespace cli {

class BatchProgress {
 public:
  // `print_mu` guards every other write to stderr during the run. `tick` = how often live lines
  // are redrawn (their elapsed times); zero = only when something changes (tests).
  BatchProgress(ui::Terminal& term, std::mutex& print_mu,
                std::chrono::milliseconds tick = std::chrono::milliseconds(500));
  ~BatchProgress();
  BatchProgress(const BatchProgress&) = delete;
  BatchProgress& operator=(const BatchProgress&) = delete;

  bool live() const { return live_; }
  // A new batch: its nodes get a line each (TTY), below the lines of the batches before.
  void begin_batch(const std::vector<std::string>& nodes);
  // What the node runs report; pass it to upgrade::NodeUpgrade.
  upgrade::ProgressSink sink();
  // A node of the batch is over: its line says how (TTY), or its summary is printed (plain).
  void finish(const upgrade::NodeResult& result);
  // A line of its own between batches ("== hop to v1.36.7"); the live lines drawn so far stay.
  void note(const std::string& text);

 private:
  void report(const upgrade::StepUpdate& u);

  ui::Terminal& term_;
  std::mutex& print_mu_;
  const bool live_;
  std::mutex batch_mu_;  // guards batch_ (replaced between batches while the ticker runs)
  std::unique_ptr<ui::Progress> batch_;
  std::jthread ticker_;
};

// The closing words of a node's live line: "upgraded to v1.36.7, 3 pod(s) evicted".
std::string finished_text(const upgrade::NodeResult& r);

}  // namespace cli
