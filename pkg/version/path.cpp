#include "pkg/version/path.h"

#include <fmt/format.h>

#include <algorithm>

namespace kver {
namespace {

Error error(ErrorCode code, std::string message, std::string hint) {
  return Error{code, std::move(message), std::move(hint)};
}

std::optional<Error> check_target(const Version& current, const Version& target,
                                  const std::vector<Version>& available,
                                  const PathOptions& options) {
  auto t = target.to_string(), c = current.to_string();
  if (target.major != current.major)
    return error(ErrorCode::kUnsupportedTarget,
                 fmt::format("target {} has another major version than the cluster's {}", t, c),
                 "choose a 1.x target");
  if (target < current)
    return error(ErrorCode::kDowngrade,
                 fmt::format("target {} is older than the cluster's {}: downgrades are not "
                             "supported by kubeadm",
                             t, c),
                 "choose a target newer than " + c +
                     " (restoring an older version needs an etcd "
                     "backup)");
  if (target == current)
    return error(ErrorCode::kAlreadyAtTarget, fmt::format("the cluster is already at {}", t), "");
  if (target.is_prerelease() && !options.allow_prerelease)
    return error(ErrorCode::kPrereleaseNotAllowed, fmt::format("target {} is a pre-release", t),
                 "pre-releases are never chosen implicitly; ask for them explicitly");
  if (std::find(available.begin(), available.end(), target) == available.end()) {
    auto newest = newest_patch(target.minor_line(), available, options.allow_prerelease);
    return error(ErrorCode::kUnknownVersion,
                 fmt::format("target {} is not among the available versions", t),
                 newest ? fmt::format("the newest known {} release is {}",
                                      target.minor_line().to_string(), newest->to_string())
                        : fmt::format("no {} release is known; check the version",
                                      target.minor_line().to_string()));
  }
  if (options.window && !target.is_prerelease() && !options.window->contains(target.minor_line()))
    return error(ErrorCode::kUnsupportedTarget,
                 fmt::format("target {} is outside the supported minors ({})", t,
                             options.window->to_string()),
                 fmt::format("choose a target in {} (the path goes through every minor)",
                             options.window->to_string()));
  return std::nullopt;
}

}  // namespace

Result<HopPath> hop_path(const Version& current, const Version& target,
                         const std::vector<Version>& available, const PathOptions& options) {
  if (auto e = check_target(current, target, available, options)) return std::unexpected(*e);
  HopPath path{current, target, {}};
  Version from = current;
  for (Minor m = current.minor_line(); m < target.minor_line(); m = m.next()) {
    Minor next = m.next();
    std::optional<Version> to =
        next == target.minor_line() ? target : newest_patch(next, available);
    if (!to)
      return std::unexpected(
          error(ErrorCode::kMissingIntermediate,
                fmt::format("no release of {} is available, and the path from {} to {} must go "
                            "through it",
                            next.to_string(), current.to_string(), target.to_string()),
                "make " + next.to_string() + " available (package repository or release table)"));
    path.hops.push_back({from, *to});
    from = *to;
  }
  if (path.hops.empty()) path.hops.push_back({current, target});  // a patch upgrade
  return path;
}

Result<Version> default_target(const Version& current, const std::vector<Version>& available) {
  if (auto next = newest_patch(current.minor_line().next(), available)) return *next;
  auto same = newest_patch(current.minor_line(), available);
  if (same && current < *same) return *same;
  return std::unexpected(
      error(ErrorCode::kAlreadyAtTarget,
            fmt::format("{} is the newest available version", current.to_string()),
            "nothing to upgrade; pass --to for a pre-release"));
}

}  // namespace kver
