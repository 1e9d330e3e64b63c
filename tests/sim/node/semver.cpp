#include "tests/sim/node/semver.h"

#include <fmt/format.h>

#include <cstdio>

namespace sim::node {

std::string Semver::str() const {
  return fmt::format("{}.{}.{}", major, minor, patch);
}
std::string Semver::v() const {
  return "v" + str();
}
std::string Semver::minor_v() const {
  return fmt::format("v{}.{}", major, minor);
}

std::optional<Semver> parse_semver(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t[0] == 'v') t.erase(0, 1);
  Semver s;
  int consumed = 0;
  if (std::sscanf(t.c_str(), "%d.%d.%d%n", &s.major, &s.minor, &s.patch, &consumed) != 3)
    return std::nullopt;
  if (consumed != static_cast<int>(t.size()) && t[consumed] != '-' && t[consumed] != '+')
    return std::nullopt;
  return s;
}

std::optional<Semver> parse_minor(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t[0] == 'v') t.erase(0, 1);
  Semver s;
  int consumed = 0;
  if (std::sscanf(t.c_str(), "%d.%d%n", &s.major, &s.minor, &consumed) != 2) return std::nullopt;
  if (consumed != static_cast<int>(t.size())) return std::nullopt;
  return s;
}

std::string deb_revision() {
  return "1.1";
}
std::string rpm_revision() {
  return "150500.1.1";
}

}  // namespace sim::node
