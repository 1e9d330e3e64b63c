#include "pkg/upgrade/progress_text.h"

#include <fmt/format.h>

#include <regex>

#include "pkg/upgrade/timefmt.h"

namespace upgrade {

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  static const std::regex re(R"((?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)");
  std::smatch m;
  if (text == "0") return std::chrono::seconds(0);
  if (text.empty() || !std::regex_match(text, m, re)) return std::nullopt;
  long long total = 0;
  if (m[1].matched) total += std::stoll(m[1]) * 3600;
  if (m[2].matched) total += std::stoll(m[2]) * 60;
  if (m[3].matched) total += std::stoll(m[3]);
  return std::chrono::seconds(total);
}

std::string progress_line(const StepUpdate& u, const std::string& timestamp) {
  std::string prefix = timestamp.empty() ? "" : timestamp + " ";
  std::string when = fmt::format("[{:>7}]", human_duration(u.elapsed));
  if (u.kind == UpdateKind::kOutput)
    return prefix + std::string(when.size(), ' ') + " " + u.node + " | " + u.message;
  std::string step = fmt::format("{}/9 {}", static_cast<int>(u.step), step_name(u.step));
  std::string what;
  switch (u.kind) {
    case UpdateKind::kStarted:
      what = "started";
      break;
    case UpdateKind::kSkipped:
      what = "skipped: " + u.message;
      break;
    case UpdateKind::kSucceeded:
      what = "done";
      break;
    case UpdateKind::kFailed:
      what = "FAILED: " + u.message;
      break;
    case UpdateKind::kWaiting:
    case UpdateKind::kNote:
      what = u.message;
      break;
    case UpdateKind::kOutput:
      break;
  }
  if (u.kind == UpdateKind::kSucceeded && u.step == StepId::kDone) what = u.message;
  if (u.kind == UpdateKind::kSucceeded && u.step == StepId::kPreflight) what = "done: " + u.message;
  return prefix + when + " " + u.node + " " + step + ": " + what;
}

std::string resume_command(const std::string& node, const std::string& target,
                           const std::string& flags) {
  return "kubectl upgrade node " + node + " --to " + target + flags;
}

std::string node_summary(const NodeResult& r) {
  std::string s;
  switch (r.outcome) {
    case NodeOutcome::kUpgraded:
      s = "node " + r.node + " upgraded from " + r.from + " to " + r.to + " in " +
          human_duration(r.duration) + " (" + std::to_string(r.pods_evicted) +
          " pod(s) evicted); verified: kubelet " + r.to + ", Ready";
      break;
    case NodeOutcome::kAlreadyDone:
      s = "node " + r.node + " is already at " + r.to + " (its record says done); nothing to do";
      break;
    case NodeOutcome::kRefused:
      s = "error: " + r.error;
      break;
    case NodeOutcome::kFailed:
      s = "error: node " + r.node + " stopped at step " + step_label(r.step) + ": " + r.error;
      if (!r.hint.empty()) s += "\n" + r.hint;
      s += "\nThe record on the node says where it stopped; to resume: " +
           resume_command(r.node, r.to, r.resume_flags);
      break;
    case NodeOutcome::kCancelled:
      s = "stopped" + (r.error.empty() ? std::string() : " (" + r.error + ")") + ": node " +
          r.node + " at step " + step_label(r.step) +
          "; our pod was deleted, the record is on the node; to resume: " +
          resume_command(r.node, r.to, r.resume_flags);
      break;
  }
  for (const auto& n : r.notes) s += "\nnote: " + n;
  return s;
}

}  // namespace upgrade
