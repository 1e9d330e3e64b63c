// Versions of the kubeadm, kubelet and kubectl packages (pure).
//
// pkgs.k8s.io (per-minor repositories, since 2023):
//   deb `1.31.2-1.1`, rpm `1.31.2-150500.1.1`; pre-releases use `~` in debs: `1.38.0~rc.1-1.1`.
// Legacy apt.kubernetes.io / yum.kubernetes.io (frozen 2023-09-13, gone 2024-03-04):
//   deb `1.18.0-00`, rpm `1.18.0-0`. Recognised so the plan can say "move to pkgs.k8s.io".
// Everything else (epochs, other revisions, spaces, shell metacharacters, over 64 characters) is
// refused with ErrorCode::kInvalidPackageVersion, so a package version that passes can be put
// into a node script (still shell-quoted there).
#pragma once

#include <string>
#include <string_view>

#include "pkg/version/version.h"

namespace kver {

struct PackageVersion {
  Version version;       // the Kubernetes version it installs
  std::string revision;  // "1.1", "150500.1.1", "00", "0"
  bool legacy = false;   // the old apt/yum.kubernetes.io form

  // "1.31.2-1.1", "1.38.0~rc.1-1.1".
  std::string to_string() const;
};

Result<PackageVersion> parse_package_version(std::string_view text);

// The apt version pattern that installs exactly `v` from pkgs.k8s.io: "1.31.2-*" ("1.38.0~rc.1-*").
std::string apt_version_pattern(const Version& v);
// The package version prefix without revision: "1.31.2", "1.38.0~rc.1".
std::string package_upstream(const Version& v);

}  // namespace kver
