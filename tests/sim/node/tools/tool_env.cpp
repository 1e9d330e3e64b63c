#include "tests/sim/node/tools/tool_env.h"

#include <fnmatch.h>

#include <cstdlib>

#include "tests/sim/node/requests.h"

namespace sim::node::tools {

ToolEnv ToolEnv::from_environment() {
  ToolEnv env;
  if (const char* v = std::getenv("KUBE_SIM_NODE_ROOT")) env.root = v;
  if (const char* v = std::getenv("KUBE_SIM_NODE_JSON")) env.node_json = v;
  if (const char* v = std::getenv("KUBE_SIM_REPO")) env.repo = v;
  if (const char* v = std::getenv("KUBE_SIM_REQUESTS")) env.requests = v;
  if (auto j = read_json(env.node_json)) env.spec = spec_from_json(*j);
  return env;
}

std::chrono::milliseconds ToolEnv::scaled(double seconds) const {
  return std::chrono::milliseconds(static_cast<long long>(seconds * spec.time_scale * 1000));
}

std::optional<Semver> ToolEnv::installed(const std::string& package) const {
  auto pkgs = read_packages(root);
  if (!pkgs || !pkgs->contains(package)) return std::nullopt;
  return parse_semver(pkgs->at(package).version);
}

std::expected<nlohmann::json, std::string> ToolEnv::ask(nlohmann::json request) const {
  request["node"] = spec.name;
  // Generous: an API outage and a slow tick must not make kubeadm give up (real kubeadm waits 5m).
  return ask_cluster(requests, request, std::chrono::minutes(5));
}

std::vector<std::string> ToolEnv::offered(const std::string& minor) const {
  auto u = read_universe(repo);
  if (!u || !u->versions_by_minor.contains(minor)) return {};
  return u->versions_by_minor.at(minor);
}

bool fnmatch_version(const std::string& pattern, const std::string& version) {
  return ::fnmatch(pattern.c_str(), version.c_str(), 0) == 0;
}

std::string today_rfc3339() {
  return rfc3339(std::chrono::system_clock::now());
}

}  // namespace sim::node::tools
