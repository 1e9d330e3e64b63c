#include "tests/sim/model/quantity.h"

#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

namespace sim {
namespace {

std::optional<std::pair<double, std::string>> split(const std::string& q) {
  if (q.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(q.c_str(), &end);
  if (end == q.c_str() || v < 0) return std::nullopt;
  return std::pair{v, std::string(end)};
}

}  // namespace

std::optional<int64_t> cpu_millis(const std::string& q) {
  auto s = split(q);
  if (!s) return std::nullopt;
  if (s->second == "m") return static_cast<int64_t>(std::llround(s->first));
  if (s->second.empty()) return static_cast<int64_t>(std::llround(s->first * 1000));
  return std::nullopt;
}

std::optional<int64_t> memory_bytes(const std::string& q) {
  auto s = split(q);
  if (!s) return std::nullopt;
  static const std::vector<std::pair<std::string, double>> kSuffixes = {
      {"", 1},           {"k", 1e3},           {"M", 1e6},
      {"G", 1e9},        {"T", 1e12},          {"Ki", 1024.0},
      {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
      {"m", 1e-3}};
  for (const auto& [suffix, factor] : kSuffixes) {
    if (s->second == suffix) return static_cast<int64_t>(std::llround(s->first * factor));
  }
  return std::nullopt;
}

}  // namespace sim
