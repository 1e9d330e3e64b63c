#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "pkg/plan/internal.h"
#include "pkg/version/package_version.h"
#include "pkg/version/releases.h"

namespace plan::internal {
namespace {

std::string refusal_code(kver::ErrorCode c) {
  switch (c) {
    case kver::ErrorCode::kDowngrade:
      return "Downgrade";
    case kver::ErrorCode::kUnknownVersion:
      return "UnknownTargetVersion";
    case kver::ErrorCode::kUnsupportedTarget:
      return "UnsupportedTarget";
    case kver::ErrorCode::kPrereleaseNotAllowed:
      return "PrereleaseNotRequested";
    case kver::ErrorCode::kMissingIntermediate:
      return "MissingIntermediateMinor";
    default:
      return "TargetRefused";
  }
}

}  // namespace

// Versions the package repositories offer (node facts) win for the minors they cover; the
// built-in table fills the other minors.
std::vector<kver::Version> available_versions(const cluster::Inventory& inv, TargetSource& source) {
  const auto& table = kver::builtin_releases();
  std::vector<kver::Version> offered;
  for (const auto& [node, facts] : inv.node_facts)
    for (const auto& text : facts.offered)
      if (auto p = kver::parse_package_version(text); p && !p->legacy)
        offered.push_back(p->version);
  std::string table_text = fmt::format("built-in release table (as of {})", table.as_of);
  if (offered.empty()) {
    source = {"builtin-table", table_text};
    return table.versions;
  }
  std::set<kver::Minor> covered;
  for (const auto& v : offered) covered.insert(v.minor_line());
  std::vector<kver::Version> out = offered;
  bool mixed = false;
  for (const auto& v : table.versions)
    if (!covered.contains(v.minor_line())) {
      out.push_back(v);
      mixed = true;
    }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::string minors;
  for (auto m : covered) minors += (minors.empty() ? "" : ", ") + m.to_string();
  source = mixed ? TargetSource{"node-facts+builtin-table",
                                fmt::format("package repositories on the nodes ({}), else the {}",
                                            minors, table_text)}
                 : TargetSource{"node-facts",
                                fmt::format("package repositories on the nodes ({})", minors)};
  return out;
}

std::optional<kver::Version> oldest_kubelet_behind(const cluster::Inventory& inv,
                                                   const std::optional<kver::Version>& current) {
  if (!current) return std::nullopt;
  std::optional<kver::Version> oldest;
  for (const auto& n : inv.nodes)
    if (n.kubelet && *n.kubelet < *current &&
        kver::minors_between(n.kubelet->minor_line(), current->minor_line()) <= 1 &&
        (!oldest || *n.kubelet < *oldest))
      oldest = n.kubelet;
  return oldest;
}

std::optional<kver::HopPath> resolve_target(const std::optional<kver::Version>& current,
                                            const std::optional<kver::Version>& behind,
                                            const std::vector<kver::Version>& available,
                                            const Options& options, Target& out,
                                            std::vector<Finding>& findings) {
  out.requested = options.to;
  if (!current) {
    out.refusal = "the cluster's version is unknown";
    add(findings, Severity::kBlocker, "UnknownClusterVersion", "cluster",
        "could not tell the cluster's version (no kube-apiserver mirror pod and no readable "
        "/version)",
        "check that this is a kubeadm cluster and that kube-system is readable");
    return std::nullopt;
  }
  std::optional<kver::Version> target;
  kver::PathOptions path_options{.allow_prerelease = options.allow_prerelease};
  if (options.to) {
    target = *kver::parse(*options.to);  // validated by make_plan
    if (auto newest = kver::newest_released_minor(available))
      path_options.window = kver::support_window(*newest);
  } else if (behind) {
    // An upgrade stopped halfway (the control plane ahead of some kubelets): finish it first.
    out.defaulted = true;
    target = *current;
    add(findings, Severity::kInfo, "FinishUpgrade", "cluster",
        fmt::format(
            "some kubelets ({} the oldest) are behind the control plane: the default target "
            "is the cluster's version {}, to finish that upgrade first",
            behind->to_string(), current->to_string()),
        "");
  } else {
    out.defaulted = true;
    auto t = kver::default_target(*current, available);
    if (!t) {
      out.refusal = t.error().message;
      add(findings, Severity::kInfo, "AlreadyNewest", "cluster", t.error().message, t.error().hint);
      return std::nullopt;
    }
    target = *t;
  }
  // Nodes left behind by a stopped upgrade are on the path too (their control plane's hop is done
  // and is skipped for it); kubelets further behind are skew findings, not part of the path.
  const kver::Version& start = behind && *behind < *target ? *behind : *current;
  auto path = kver::hop_path(start, *target, available, path_options);
  if (!path) {
    out.refusal = path.error().message;
    bool nothing_to_do = path.error().code == kver::ErrorCode::kAlreadyAtTarget;
    add(findings, nothing_to_do ? Severity::kInfo : Severity::kBlocker,
        nothing_to_do ? "AlreadyAtTarget" : refusal_code(path.error().code), "target",
        path.error().message, path.error().hint);
    return std::nullopt;
  }
  out.version = target->to_string();
  out.hops = path->hops;
  out.multiple_minors = path->has_intermediate_minors();
  if (out.multiple_minors)
    add(findings, Severity::kInfo, "MultipleHops", "target",
        fmt::format("{} is {} minors ahead: the upgrade runs {} times, one minor at a time",
                    target->to_string(),
                    kver::minors_between(start.minor_line(), target->minor_line()),
                    path->hops.size()),
        "");
  if (out.defaulted && path_options.window == std::nullopt)
    if (auto newest = kver::newest_released_minor(available);
        newest && !kver::support_window(*newest).contains(target->minor_line()))
      add(findings, Severity::kWarning, "TargetOutOfSupport", "target",
          fmt::format("{} is still out of support (supported minors: {})", target->to_string(),
                      kver::support_window(*newest).to_string()),
          fmt::format("plan the whole way with --to {}",
                      kver::newest_patch(*newest, available)->to_string()));
  return *path;
}

}  // namespace plan::internal
