#include <fmt/format.h>

#include "tests/sim/controllers/node_side.h"

namespace sim {

std::map<std::string, std::vector<std::string>> package_universe() {
  // Last patch per minor as of 2026-11-26 (1.29-1.33 are end of life; 1.38 is in pre-release).
  const std::vector<std::pair<int, int>> last_patch = {
      {29, 15}, {30, 14}, {31, 13}, {32, 13}, {33, 12}, {34, 13}, {35, 10}, {36, 6}, {37, 3}};
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [minor, last] : last_patch) {
    auto& list = out[fmt::format("v1.{}", minor)];
    for (int p = 0; p <= last; ++p) list.push_back(fmt::format("1.{}.{}", minor, p));
  }
  out["v1.38"] = {"1.38.0-alpha.1", "1.38.0-alpha.2", "1.38.0-alpha.3", "1.38.0-beta.0",
                  "1.38.0-beta.1"};
  return out;
}

std::filesystem::path node_root(const std::filesystem::path& state_dir, const std::string& node) {
  return state_dir / "nodes" / node / "root";
}

}  // namespace sim
