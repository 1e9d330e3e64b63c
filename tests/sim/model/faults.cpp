#include "tests/sim/model/faults.h"

namespace sim {

void Faults::load(const FaultSpec& spec) {
  std::lock_guard lock(mu_);
  eviction_errors_ = {spec.eviction_errors.begin(), spec.eviction_errors.end()};
  pdb_never_allows_ = {spec.pdb_never_allows.begin(), spec.pdb_never_allows.end()};
  node_faults_ = spec.node_faults;
}

void Faults::apply(const nlohmann::json& change) {
  std::lock_guard lock(mu_);
  auto read = [&](const char* key, std::set<std::string>& into) {
    if (!change.contains(key) || !change[key].is_array()) return;
    into.clear();
    for (const auto& v : change[key]) {
      if (v.is_string()) into.insert(v.get<std::string>());
    }
  };
  read("evictionErrors", eviction_errors_);
  read("pdbNeverAllows", pdb_never_allows_);
  if (change.contains("nodes") && change["nodes"].is_object()) node_faults_ = change["nodes"];
}

nlohmann::json Faults::to_json() const {
  std::lock_guard lock(mu_);
  return {{"evictionErrors", eviction_errors_},
          {"pdbNeverAllows", pdb_never_allows_},
          {"nodes", node_faults_}};
}

bool Faults::eviction_fails(const std::string& pod_key,
                            const std::vector<std::string>& pdb_keys) const {
  std::lock_guard lock(mu_);
  if (eviction_errors_.contains(pod_key)) return true;
  for (const auto& k : pdb_keys) {
    if (eviction_errors_.contains("pdb:" + k)) return true;
  }
  return false;
}

bool Faults::pdb_never_allows(const std::string& pdb_key) const {
  std::lock_guard lock(mu_);
  return pdb_never_allows_.contains(pdb_key);
}

}  // namespace sim
