// Everything one running kube-sim shares: the scenario, the store, container logs, faults and the
// hooks between the API server, the controllers and the node side.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/model/faults.h"
#include "tests/sim/model/pod_logs.h"
#include "tests/sim/scenario/scenario.h"
#include "tests/sim/store/store.h"

namespace sim {

class Cluster {
 public:
  Cluster(Scenario scenario, std::filesystem::path state_dir);

  const Scenario& scenario() const { return scenario_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  Store& store() { return store_; }
  PodLogs& logs() { return logs_; }
  Faults& faults() { return faults_; }

  // A scenario duration in real time (seconds * sim.timeScale).
  std::chrono::milliseconds scaled(double seconds) const;

  // The version /version reports (the first control plane's kube-apiserver image).
  std::string api_server_version() const;
  void set_api_server_version(const std::string& v);
  nlohmann::json version_info() const;

  // API outage: refused for `refused` seconds, then 503 for `unavailable` seconds (scenario
  // seconds, scaled). Installed by the API server; a no-op until then. Returns immediately.
  void trigger_outage(double refused_seconds, double unavailable_seconds);
  void set_outage_hook(
      std::function<void(std::chrono::milliseconds, std::chrono::milliseconds)> hook);

  // Node-level faults at run time ({"w1": {"kubeletRestartFails": false}, "*": {...}}, the
  // scenario's `faults: nodes:` form, replacing it): handed to the node side, which validates them
  // and rewrites each node's sim.json. An error (unknown fault, no node side) changes nothing.
  using NodeFaultsHook = std::function<std::expected<void, std::string>(const nlohmann::json&)>;
  std::expected<void, std::string> set_node_faults(const nlohmann::json& node_faults);
  void set_node_faults_hook(NodeFaultsHook hook);

 private:
  Scenario scenario_;
  std::filesystem::path state_dir_;
  Store store_;
  PodLogs logs_;
  Faults faults_;
  mutable std::mutex mu_;
  std::string api_server_version_;
  std::function<void(std::chrono::milliseconds, std::chrono::milliseconds)> outage_hook_;
  NodeFaultsHook node_faults_hook_;
};

}  // namespace sim
