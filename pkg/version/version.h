// Kubernetes versions as the API, kubeadm and image tags spell them (pure: no I/O, no clock).
//
// Accepted: `v1.31.2`, `1.31.2`, pre-releases `v1.38.0-alpha.2` / `-beta.0` / `-rc.1` (ordered
// alpha < beta < rc < release), dev builds `v1.38.0-alpha.2.15+0a1b2c`, build metadata
// `v1.30.4+k3s1`, vendor suffixes `v1.31.2-eks-7f9249a` / `v1.30.5-gke.1014001` (a vendor suffix is
// a release, not a pre-release), and image tags where `_` stands for `+` (`v1.30.4_k3s1`).
// Everything else is refused with ErrorCode::kInvalidVersion: wrong shape, leading zeros, numbers
// above 9999, a major other than 1, anything over 128 characters, whitespace or shell
// metacharacters.
//
// Order and equality ignore build metadata and vendor suffixes (as semver does for build data).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "pkg/version/error.h"

namespace kver {

enum class Stage { kAlpha = 0, kBeta = 1, kRc = 2, kRelease = 3 };

// A minor release line: 1.31.
struct Minor {
  int major = 1;
  int minor = 0;

  auto operator<=>(const Minor&) const = default;
  Minor next() const { return {major, minor + 1}; }
  Minor previous() const { return {major, minor - 1}; }
  std::string to_string() const;  // "v1.31"
};

// Minors from a to b (b - a for the same major; major changes are not supported).
int minors_between(Minor a, Minor b);

struct Version {
  int major = 1;
  int minor = 0;
  int patch = 0;
  Stage stage = Stage::kRelease;
  int pre_number = 0;    // N of -alpha.N / -beta.N / -rc.N
  std::string build;     // "+..." metadata, dev-build suffix or vendor suffix, without separator
  std::string original;  // the text it was parsed from

  Minor minor_line() const { return {major, minor}; }
  bool is_prerelease() const { return stage != Stage::kRelease; }
  // "v1.31.2", "v1.38.0-rc.1": the canonical form, without build or vendor data.
  std::string to_string() const;
  // "1.31.2", "1.38.0-rc.1": without the leading v (kubeadm config, package prefixes).
  std::string bare() const;

  std::strong_ordering operator<=>(const Version& other) const;
  bool operator==(const Version& other) const { return (*this <=> other) == 0; }
};

// Parses a version or a gitVersion (`/version`, `kubeletVersion`, kubeadm's kubernetesVersion).
Result<Version> parse(std::string_view text);
// Parses the tag of an image (`v1.30.4_k3s1`): `_` stands for `+`.
Result<Version> parse_image_tag(std::string_view tag);
// The tag of an image reference, empty when it has none:
// "registry.k8s.io/kube-apiserver:v1.31.2@sha256:..." -> "v1.31.2"; "host:5000/img" -> "".
std::string image_tag(std::string_view image);
// parse_image_tag(image_tag(image)), with the image named in the error.
Result<Version> parse_image(std::string_view image);
// Parses "v1.31" or "1.31".
Result<Minor> parse_minor(std::string_view text);

}  // namespace kver
