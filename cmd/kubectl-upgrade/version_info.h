// What `kubectl upgrade version` reports, shaped like kubectl's clientVersion (apimachinery
// version.Info), and its renderings.
#pragma once

#include <string>

namespace cli {

struct VersionInfo {
  std::string major;           // "0"
  std::string minor;           // "1"
  std::string git_version;     // "v0.1.0"
  std::string git_commit;      // short hash or "unknown"
  std::string git_tree_state;  // "clean" | "dirty"
  std::string build_date;      // RFC 3339, UTC
  std::string compiler;        // "g++ 12.2.0"
  std::string platform;        // GOOS/GOARCH style: "linux/amd64"
};

// This binary's own values (from the build).
VersionInfo this_build();

std::string version_text(const VersionInfo& v);  // "Client Version: v0.1.0\n..."
std::string version_json(const VersionInfo& v);  // {"clientVersion": {...}} + newline
std::string version_yaml(const VersionInfo& v);  // clientVersion: ... (keys sorted, like kubectl)

}  // namespace cli
