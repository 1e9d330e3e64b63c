#include "tests/sim/model/cluster.h"

#include <regex>

namespace sim {

Cluster::Cluster(Scenario scenario, std::filesystem::path state_dir)
    : scenario_(std::move(scenario)),
      state_dir_(std::move(state_dir)),
      api_server_version_(scenario_.cluster.api_server_version) {
  faults_.load(scenario_.faults);
}

std::chrono::milliseconds Cluster::scaled(double seconds) const {
  return std::chrono::milliseconds(
      static_cast<long long>(seconds * scenario_.sim.time_scale * 1000));
}

std::string Cluster::api_server_version() const {
  std::lock_guard lock(mu_);
  return api_server_version_;
}

void Cluster::set_api_server_version(const std::string& v) {
  std::lock_guard lock(mu_);
  api_server_version_ = v;
}

nlohmann::json Cluster::version_info() const {
  std::string v = api_server_version();
  static const std::regex re(R"(v(\d+)\.(\d+)\..*)");
  std::smatch m;
  std::string major = "1", minor = "35";
  if (std::regex_match(v, m, re)) {
    major = m[1].str();
    minor = m[2].str();
  }
  return {{"major", major},
          {"minor", minor},
          {"emulationMajor", major},
          {"emulationMinor", minor},
          {"minCompatibilityMajor", major},
          {"minCompatibilityMinor", std::to_string(std::max(0, std::stoi(minor) - 1))},
          {"gitVersion", v},
          {"gitCommit", "6b1ec1f1b5dd8d1d8a2c6cbd4a28e0d0c7aa0e3f"},
          {"gitTreeState", "clean"},
          {"buildDate", "2026-11-12T09:14:52Z"},
          {"goVersion", "go1.25.4"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

void Cluster::trigger_outage(double refused_seconds, double unavailable_seconds) {
  std::function<void(std::chrono::milliseconds, std::chrono::milliseconds)> hook;
  {
    std::lock_guard lock(mu_);
    hook = outage_hook_;
  }
  if (hook) hook(scaled(refused_seconds), scaled(unavailable_seconds));
}

void Cluster::set_outage_hook(
    std::function<void(std::chrono::milliseconds, std::chrono::milliseconds)> hook) {
  std::lock_guard lock(mu_);
  outage_hook_ = std::move(hook);
}

std::expected<void, std::string> Cluster::set_node_faults(const nlohmann::json& node_faults) {
  NodeFaultsHook hook;
  {
    std::lock_guard lock(mu_);
    hook = node_faults_hook_;
  }
  if (!hook) return std::unexpected("node faults need the node side, which this kube-sim lacks");
  return hook(node_faults);
}

void Cluster::set_node_faults_hook(NodeFaultsHook hook) {
  std::lock_guard lock(mu_);
  node_faults_hook_ = std::move(hook);
}

}  // namespace sim
