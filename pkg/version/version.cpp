#include "pkg/version/version.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace kver {
namespace {

constexpr std::size_t kMaxLength = 128;
constexpr int kMaxNumber = 9999;

Error invalid(std::string_view text, std::string_view why) {
  return Error{ErrorCode::kInvalidVersion,
               fmt::format("invalid Kubernetes version {}: {}", quote(text), why),
               "use the form vMAJOR.MINOR.PATCH, e.g. v1.31.2 (pre-releases: v1.38.0-rc.1)"};
}

// Reads a decimal number without leading zeros at `pos`; advances `pos`.
std::optional<int> read_number(std::string_view s, std::size_t& pos) {
  std::size_t end = pos;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  if (end == pos || end - pos > 4 || (s[pos] == '0' && end - pos > 1)) return std::nullopt;
  int value = 0;
  std::from_chars(s.data() + pos, s.data() + end, value);
  if (value > kMaxNumber) return std::nullopt;
  pos = end;
  return value;
}

bool is_ident_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '.';
}

// Build metadata / vendor suffix: [0-9A-Za-z.-]+, starting with an alphanumeric.
bool valid_suffix(std::string_view s) {
  return !s.empty() && s.front() != '-' && s.front() != '.' && s.back() != '.' &&
         std::all_of(s.begin(), s.end(), is_ident_char);
}

std::optional<Stage> stage_named(std::string_view s) {
  if (s == "alpha") return Stage::kAlpha;
  if (s == "beta") return Stage::kBeta;
  if (s == "rc") return Stage::kRc;
  return std::nullopt;
}

std::string_view stage_name(Stage s) {
  switch (s) {
    case Stage::kAlpha:
      return "alpha";
    case Stage::kBeta:
      return "beta";
    case Stage::kRc:
      return "rc";
    case Stage::kRelease:
      break;
  }
  return "";
}

// After MAJOR.MINOR.PATCH: an optional "-alpha.N[.dev]" or "-vendor", then an optional "+build".
Result<Version> parse_tail(std::string_view text, std::string_view rest, Version v) {
  std::string_view build;
  if (auto plus = rest.find('+'); plus != std::string_view::npos) {
    build = rest.substr(plus + 1);
    rest = rest.substr(0, plus);
    if (!valid_suffix(build)) return std::unexpected(invalid(text, "malformed build metadata"));
  }
  if (!rest.empty()) {
    if (rest.front() != '-')
      return std::unexpected(invalid(text, "unexpected text after the patch"));
    rest.remove_prefix(1);
    auto dot = rest.find('.');
    auto stage = stage_named(rest.substr(0, dot));
    if (stage) {
      if (dot == std::string_view::npos)
        return std::unexpected(invalid(text, "a pre-release needs a number, e.g. -rc.1"));
      std::size_t pos = dot + 1;
      auto n = read_number(rest, pos);
      if (!n) return std::unexpected(invalid(text, "malformed pre-release number"));
      v.stage = *stage;
      v.pre_number = *n;
      rest = rest.substr(pos);  // a dev build's ".15" after the number, or nothing
      if (!rest.empty() && (rest.front() != '.' || !valid_suffix(rest.substr(1))))
        return std::unexpected(invalid(text, "malformed pre-release"));
      if (!rest.empty()) rest.remove_prefix(1);
    } else if (!valid_suffix(rest)) {
      return std::unexpected(invalid(text, "malformed suffix after the patch"));
    }
    v.build = std::string(rest);
  }
  if (!build.empty())
    v.build = v.build.empty() ? std::string(build) : v.build + "+" + std::string(build);
  return v;
}

}  // namespace

std::string Minor::to_string() const {
  return fmt::format("v{}.{}", major, minor);
}

int minors_between(Minor a, Minor b) {
  return b.minor - a.minor;
}

std::string Version::bare() const {
  std::string s = fmt::format("{}.{}.{}", major, minor, patch);
  if (is_prerelease()) s += fmt::format("-{}.{}", stage_name(stage), pre_number);
  return s;
}

std::string Version::to_string() const {
  return "v" + bare();
}

std::strong_ordering Version::operator<=>(const Version& o) const {
  if (auto c = major <=> o.major; c != 0) return c;
  if (auto c = minor <=> o.minor; c != 0) return c;
  if (auto c = patch <=> o.patch; c != 0) return c;
  if (auto c = stage <=> o.stage; c != 0) return c;
  return pre_number <=> o.pre_number;
}

Result<Version> parse(std::string_view text) {
  if (text.empty()) return std::unexpected(invalid(text, "empty"));
  if (text.size() > kMaxLength)
    return std::unexpected(invalid(text, fmt::format("longer than {} characters", kMaxLength)));
  Version v;
  v.original = std::string(text);
  std::string_view s = text;
  if (s.front() == 'v') s.remove_prefix(1);
  std::size_t pos = 0;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    auto n = read_number(s, pos);
    if (!n) return std::unexpected(invalid(text, "expected three numbers MAJOR.MINOR.PATCH"));
    *parts[i] = *n;
    if (i < 2) {
      if (pos >= s.size() || s[pos] != '.')
        return std::unexpected(invalid(text, "expected three numbers MAJOR.MINOR.PATCH"));
      ++pos;
    }
  }
  if (v.major != 1)
    return std::unexpected(invalid(text, "Kubernetes versions have major version 1"));
  return parse_tail(text, s.substr(pos), std::move(v));
}

Result<Version> parse_image_tag(std::string_view tag) {
  std::string t(tag);
  std::replace(t.begin(), t.end(), '_', '+');
  auto v = parse(t);
  if (v) v->original = std::string(tag);
  return v;
}

std::string image_tag(std::string_view image) {
  if (auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  auto colon = image.rfind(':');
  auto slash = image.rfind('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash))
    return "";
  return std::string(image.substr(colon + 1));
}

Result<Version> parse_image(std::string_view image) {
  std::string tag = image_tag(image);
  if (tag.empty())
    return std::unexpected(Error{ErrorCode::kInvalidVersion,
                                 fmt::format("image {} has no version tag", quote(image)),
                                 "use an image tagged with its Kubernetes version"});
  auto v = parse_image_tag(tag);
  if (!v) v.error().message = fmt::format("image {}: {}", quote(image), v.error().message);
  return v;
}

Result<Minor> parse_minor(std::string_view text) {
  Error bad{ErrorCode::kInvalidVersion,
            fmt::format("invalid Kubernetes minor version {}", quote(text)),
            "use the form v1.MINOR, e.g. v1.31"};
  if (text.size() > kMaxLength) return std::unexpected(bad);
  std::string_view s = text;
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  std::size_t pos = 0;
  auto major = read_number(s, pos);
  if (!major || *major != 1 || pos >= s.size() || s[pos] != '.') return std::unexpected(bad);
  ++pos;
  auto minor = read_number(s, pos);
  if (!minor || pos != s.size()) return std::unexpected(bad);
  return Minor{*major, *minor};
}

}  // namespace kver
