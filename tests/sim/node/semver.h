// Kubernetes and package versions as the node tools see them: "v1.35.2", "1.35.2", "1.35.2-1.1",
// "1.35.2-150500.1.1", minors "v1.35".
#pragma once

#include <optional>
#include <string>

namespace sim::node {

struct Semver {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const Semver&) const = default;

  std::string str() const;      // "1.35.2"
  std::string v() const;        // "v1.35.2"
  std::string minor_v() const;  // "v1.35"
};

// Accepts "v1.35.2", "1.35.2", "1.35.2-1.1", "v1.35.2-rc.0" (pre-release suffix ignored).
std::optional<Semver> parse_semver(const std::string& text);
// Accepts "v1.35" or "1.35"; patch = 0.
std::optional<Semver> parse_minor(const std::string& text);

// The package revision pkgs.k8s.io uses: "1.1" for deb, "150500.1.1" for rpm.
std::string deb_revision();
std::string rpm_revision();

}  // namespace sim::node
