// Faults that live in the API, switched on by the scenario's `faults:` section or at run time
// through POST /sim/faults.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/sim/scenario/scenario.h"

namespace sim {

class Faults {
 public:
  void load(const FaultSpec& spec);
  // Applies {"evictionErrors": [...], "pdbNeverAllows": [...], "nodes": {...}} (lists and the
  // node-fault map replace; absent keys stay). The node faults are only kept here, for to_json();
  // the node side acts on them (Cluster::set_node_faults).
  void apply(const nlohmann::json& change);
  nlohmann::json to_json() const;

  // An eviction of pod "ns/name" answers 500 (pod listed, or one of its PDBs listed as
  // "pdb:ns/name").
  bool eviction_fails(const std::string& pod_key, const std::vector<std::string>& pdb_keys) const;
  bool pdb_never_allows(const std::string& pdb_key) const;

 private:
  mutable std::mutex mu_;
  std::set<std::string> eviction_errors_;
  std::set<std::string> pdb_never_allows_;
  nlohmann::json node_faults_ = nlohmann::json::object();
};

}  // namespace sim
