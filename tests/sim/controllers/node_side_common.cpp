#include <fmt/format.h>

#include "pkg/version/releases.h"
#include "tests/sim/controllers/node_side.h"

namespace sim {

std::map<std::string, std::vector<std::string>> package_universe() {
  // What pkgs.k8s.io offers in kube-sim's world is exactly what the project knows to be released
  // (pkg/version/releases.inc): one table, so `plan`'s default target is one the repos have.
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& v : kver::builtin_releases().versions) {
    std::string text = v.to_string();  // "v1.36.7", "v1.38.0-rc.1"
    out[v.minor_line().to_string()].push_back(text.substr(1));
  }
  return out;
}

std::filesystem::path node_root(const std::filesystem::path& state_dir, const std::string& node) {
  return state_dir / "nodes" / node / "root";
}

}  // namespace sim
