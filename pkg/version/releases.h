// The built-in table of released Kubernetes versions (releases.inc), the support window and the
// APIs removed per minor (pure: the data is compiled in).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pkg/version/version.h"

namespace kver {

struct ReleaseTable {
  std::string as_of;              // "2026-11-26": the table is the project's knowledge then
  std::vector<Version> versions;  // ascending; pre-releases included (is_prerelease())
};
const ReleaseTable& builtin_releases();

// The newest patch of `minor` among `available` (pre-releases only if asked for).
std::optional<Version> newest_patch(Minor minor, const std::vector<Version>& available,
                                    bool include_prerelease = false);
// The newest minor with a released (non pre-release) version.
std::optional<Minor> newest_released_minor(const std::vector<Version>& available);

// The three newest minors, given the newest known one: the Kubernetes project supports them.
struct SupportWindow {
  Minor newest;
  Minor oldest() const { return {newest.major, newest.minor - 2}; }
  bool contains(Minor m) const { return m >= oldest() && m <= newest; }
  std::string to_string() const;  // "v1.35, v1.36, v1.37"
};
SupportWindow support_window(Minor newest_known);

// Candidates for `--to` (shell completion): newest patch of every minor after the current one,
// then newer patches of the current minor; newest first. Without a current version: the newest
// patch of every minor in the table. Pre-releases only when asked for.
std::vector<std::string> target_candidates(const std::optional<Version>& current,
                                           const std::vector<Version>& available,
                                           bool include_prerelease = false);

// A group/version the API server stops serving in a minor (website
// content/en/docs/reference/using-api/deprecation-guide.md, "Removed APIs by release").
struct RemovedApi {
  Minor removed_in;
  std::string group;                   // "flowcontrol.apiserver.k8s.io"
  std::string version;                 // "v1beta3"
  std::vector<std::string> resources;  // plural resource names, e.g. "flowschemas"
  std::string kinds;                   // "FlowSchema, PriorityLevelConfiguration"
  std::string replacement;             // "flowcontrol.apiserver.k8s.io/v1"
  std::string group_version() const { return group + "/" + version; }
};
std::span<const RemovedApi> removed_apis();
// Removed in a minor after `from` up to and including `to`: what an upgrade from->to crosses.
std::vector<RemovedApi> removed_between(Minor from, Minor to);

}  // namespace kver
