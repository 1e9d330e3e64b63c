#include "pkg/version/package_version.h"

#include <fmt/format.h>

#include <algorithm>

namespace kver {
namespace {

constexpr std::size_t kMaxLength = 64;

Error invalid(std::string_view text, std::string_view why) {
  return Error{
      ErrorCode::kInvalidPackageVersion,
      fmt::format("invalid Kubernetes package version {}: {}", quote(text), why),
      "expected a pkgs.k8s.io version such as 1.31.2-1.1 (deb) or 1.31.2-150500.1.1 (rpm)"};
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// pkgs.k8s.io revisions: dot-separated numbers, two or three of them ("1.1", "150500.1.1").
bool is_pkgs_revision(std::string_view r) {
  int parts = 0;
  while (true) {
    auto dot = r.find('.');
    if (!all_digits(r.substr(0, dot)) || r.substr(0, dot).size() > 8) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    r.remove_prefix(dot + 1);
  }
  return parts == 2 || parts == 3;
}

}  // namespace

std::string package_upstream(const Version& v) {
  std::string s = fmt::format("{}.{}.{}", v.major, v.minor, v.patch);
  if (v.is_prerelease()) {
    std::string pre = v.bare().substr(s.size() + 1);  // "rc.1"
    s += "~" + pre;
  }
  return s;
}

std::string PackageVersion::to_string() const {
  return package_upstream(version) + "-" + revision;
}

std::string apt_version_pattern(const Version& v) {
  return package_upstream(v) + "-*";
}

Result<PackageVersion> parse_package_version(std::string_view text) {
  if (text.empty()) return std::unexpected(invalid(text, "empty"));
  if (text.size() > kMaxLength)
    return std::unexpected(invalid(text, fmt::format("longer than {} characters", kMaxLength)));
  if (text.find(':') != std::string_view::npos)
    return std::unexpected(invalid(text, "package epochs are not used by Kubernetes packages"));
  auto dash = text.rfind('-');
  if (dash == std::string_view::npos)
    return std::unexpected(invalid(text, "missing the package revision after '-'"));
  std::string upstream(text.substr(0, dash));
  std::string_view revision = text.substr(dash + 1);
  if (upstream.find('-') != std::string::npos || upstream.find('+') != std::string::npos)
    return std::unexpected(invalid(text, "unexpected '-' or '+' in the upstream version"));
  std::replace(upstream.begin(), upstream.end(), '~', '-');  // deb pre-release marker
  auto version = parse(upstream);
  if (!version)
    return std::unexpected(invalid(text, "the upstream part is not a Kubernetes version"));
  if (upstream.front() == 'v')
    return std::unexpected(invalid(text, "package versions have no leading 'v'"));
  PackageVersion p{*version, std::string(revision), false};
  p.version.original = std::string(text);
  if (revision == "00" || revision == "0") {
    p.legacy = true;
  } else if (!is_pkgs_revision(revision)) {
    return std::unexpected(invalid(text, "unknown package revision"));
  }
  return p;
}

}  // namespace kver
