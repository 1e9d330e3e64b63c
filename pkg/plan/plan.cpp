#include "pkg/plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "pkg/plan/internal.h"

namespace plan {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kBlocker:
      return "Blocker";
    case Severity::kWarning:
      return "Warning";
    case Severity::kInfo:
      return "Info";
  }
  return "?";
}

std::string_view action_name(PodAction a) {
  switch (a) {
    case PodAction::kEvict:
      return "evict";
    case PodAction::kDelete:
      return "delete";
    case PodAction::kIgnoreDaemonSet:
      return "ignore-daemonset";
    case PodAction::kSkipMirror:
      return "skip-mirror";
    case PodAction::kSkipTerminating:
      return "skip-terminating";
    case PodAction::kSkipOwn:
      return "skip-own";
    case PodAction::kBlock:
      return "block";
  }
  return "?";
}

int Plan::count(Severity s) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [s](const Finding& f) { return f.severity == s; }));
}

std::expected<int, OptionError> resolve_max_unavailable(std::string_view text, int workers) {
  OptionError bad{
      fmt::format("invalid --max-unavailable {}: use a number of nodes (2) or a "
                  "percentage of the workers (25%)",
                  kver::quote(text))};
  bool percent = !text.empty() && text.back() == '%';
  std::string_view digits = percent ? text.substr(0, text.size() - 1) : text;
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 1 ||
      (percent && n > 100))
    return std::unexpected(bad);
  if (percent) n = workers * n / 100;
  return std::max(1, n);
}

std::expected<Plan, OptionError> make_plan(const cluster::Inventory& inv, const Options& options) {
  if (options.to)
    if (auto t = kver::parse(*options.to); !t)
      return std::unexpected(OptionError{"--to: " + t.error().to_string()});
  int workers = static_cast<int>(
      std::count_if(inv.nodes.begin(), inv.nodes.end(), [](auto& n) { return !n.control_plane; }));
  auto max_unavailable = resolve_max_unavailable(options.max_unavailable, workers);
  if (!max_unavailable) return std::unexpected(max_unavailable.error());

  Plan plan;
  plan.observed_at = inv.observed_at;
  plan.max_unavailable = *max_unavailable;
  auto available = internal::available_versions(inv, plan.target.source);
  auto current = internal::assess_current(inv, available, plan.current, plan.findings);
  auto behind = internal::oldest_kubelet_behind(inv, current);
  auto path =
      internal::resolve_target(current, behind, available, options, plan.target, plan.findings);
  internal::preflight(inv, path, plan.findings);
  if (path) internal::check_node_facts(inv, path->hops, plan.findings);
  plan.first_control_plane = internal::pick_first_control_plane(inv);
  if (plan.first_control_plane.assumed && !plan.first_control_plane.name.empty())
    internal::add(plan.findings, Severity::kInfo, "FirstControlPlaneAssumed",
                  "node/" + plan.first_control_plane.name,
                  fmt::format("{} is taken as the first control-plane node: {}",
                              plan.first_control_plane.name, plan.first_control_plane.reason),
                  "");
  auto sequence = internal::sequence_workers(inv, plan.first_control_plane,
                                             {options.max_unavailable, plan.max_unavailable}, path,
                                             options.drain);
  plan.max_unavailable = sequence.max_unavailable;
  plan.nodes = std::move(sequence.nodes);
  std::move(sequence.findings.begin(), sequence.findings.end(), std::back_inserter(plan.findings));
  std::stable_sort(plan.findings.begin(), plan.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
  if (path && !plan.first_control_plane.name.empty())
    plan.next_command =
        fmt::format("kubectl upgrade node {} --to {}", plan.first_control_plane.name,
                    path->hops.front().to.to_string());
  return plan;
}

}  // namespace plan
