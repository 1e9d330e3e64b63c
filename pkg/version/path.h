// The upgrade path from the cluster's version to a target (pure).
//
// Kubernetes never skips a minor: 1.Y -> 1.Y+1, or a patch within 1.Y. A path to a target several
// minors ahead goes through the newest released patch of every minor in between (from the
// available versions: the package repos' offer when known, else the built-in table). Refused,
// with the reason: downgrades, a target equal to the current version (kAlreadyAtTarget), a target
// not among the available versions, pre-releases unless asked for, a target outside the support
// window when one is given, a major change, and a missing intermediate minor.
#pragma once

#include <optional>
#include <vector>

#include "pkg/version/releases.h"
#include "pkg/version/version.h"

namespace kver {

struct Hop {
  Version from;
  Version to;
  bool crosses_minor() const { return from.minor_line() != to.minor_line(); }
};

struct HopPath {
  Version current;
  Version target;
  std::vector<Hop> hops;  // at least one
  // More than one minor ahead: the path goes through intermediate minors.
  bool has_intermediate_minors() const { return hops.size() > 1; }
};

struct PathOptions {
  bool allow_prerelease = false;        // a pre-release target must be asked for explicitly
  std::optional<SupportWindow> window;  // when set, a released target must lie inside it
};

Result<HopPath> hop_path(const Version& current, const Version& target,
                         const std::vector<Version>& available, const PathOptions& options = {});

// The default target: the newest patch of the next minor; at the newest known minor, the newest
// patch of the current minor. kAlreadyAtTarget when nothing newer is available.
Result<Version> default_target(const Version& current, const std::vector<Version>& available);

}  // namespace kver
