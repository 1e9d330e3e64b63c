#include "cmd/kubectl-upgrade/batch_progress.h"

#include <ostream>

#include "pkg/upgrade/progress_text.h"
#include "pkg/upgrade/timefmt.h"

namespace cli {

BatchProgress::BatchProgress(ui::Terminal& term, std::mutex& print_mu,
                             std::chrono::milliseconds tick)
    : term_(term), print_mu_(print_mu), live_(term.err_is_tty()) {
  if (!live_ || tick.count() <= 0) return;
  ticker_ = std::jthread([this, tick](std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(tick);
      std::lock_guard batch(batch_mu_);
      std::lock_guard print(print_mu_);
      if (batch_) batch_->tick();
    }
  });
}

BatchProgress::~BatchProgress() {
  ticker_.request_stop();
  if (ticker_.joinable()) ticker_.join();
}

void BatchProgress::begin_batch(const std::vector<std::string>& nodes) {
  if (!live_) return;
  std::lock_guard batch(batch_mu_);
  std::lock_guard print(print_mu_);
  batch_ = std::make_unique<ui::Progress>(term_);
  for (const auto& n : nodes) batch_->begin(n, "waiting to start");
}

upgrade::ProgressSink BatchProgress::sink() {
  return [this](const upgrade::StepUpdate& u) { report(u); };
}

void BatchProgress::report(const upgrade::StepUpdate& u) {
  if (!live_) {
    std::string ts = upgrade::rfc3339(std::chrono::system_clock::now());
    std::lock_guard print(print_mu_);
    term_.err() << upgrade::progress_line(u, ts) << "\n" << std::flush;
    return;
  }
  std::lock_guard batch(batch_mu_);
  std::lock_guard print(print_mu_);
  if (!batch_) return;
  std::string step = std::to_string(static_cast<int>(u.step)) + "/9 " + upgrade::step_name(u.step);
  switch (u.kind) {
    case upgrade::UpdateKind::kStarted:
      return batch_->step(u.node, step);
    case upgrade::UpdateKind::kSkipped:
      return batch_->step(u.node, step, "skipped (" + u.message + ")");
    case upgrade::UpdateKind::kSucceeded:
      return batch_->detail(u.node, u.message.empty() ? "done" : u.message);
    case upgrade::UpdateKind::kFailed:
      return batch_->detail(u.node, "FAILED: " + u.message);
    case upgrade::UpdateKind::kOutput:
      return batch_->detail(u.node, "| " + u.message);
    case upgrade::UpdateKind::kWaiting:
    case upgrade::UpdateKind::kNote:
      return batch_->detail(u.node, u.message);
  }
}

void BatchProgress::finish(const upgrade::NodeResult& result) {
  if (!live_) {
    std::lock_guard print(print_mu_);
    term_.err() << upgrade::node_summary(result) << "\n" << std::flush;
    return;
  }
  std::lock_guard batch(batch_mu_);
  std::lock_guard print(print_mu_);
  if (batch_) batch_->finish(result.node, result.ok(), finished_text(result));
}

void BatchProgress::note(const std::string& text) {
  std::lock_guard batch(batch_mu_);
  std::lock_guard print(print_mu_);
  batch_.reset();  // between batches: the lines drawn so far stay as they are
  term_.err() << text << "\n" << std::flush;
}

std::string finished_text(const upgrade::NodeResult& r) {
  switch (r.outcome) {
    case upgrade::NodeOutcome::kUpgraded:
      return "upgraded to " + r.to + ", " + std::to_string(r.pods_evicted) + " pod(s) evicted";
    case upgrade::NodeOutcome::kAlreadyDone:
      return "already at " + r.to;
    case upgrade::NodeOutcome::kRefused:
      return "refused: " + r.error;
    case upgrade::NodeOutcome::kFailed:
      return "stopped at " + upgrade::step_label(r.step) + ": " + r.error;
    case upgrade::NodeOutcome::kCancelled:
      return "stopped at " + upgrade::step_label(r.step) + " (cancelled)";
  }
  return "";
}

}  // namespace cli
