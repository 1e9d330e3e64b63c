// PodDisruptionBudget arithmetic (policy/v1, pkg/controller/disruption): expected pods,
// desired healthy, current healthy, disruptions allowed.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sim {

struct PdbStatus {
  int expected_pods = 0;
  int desired_healthy = 0;
  int current_healthy = 0;
  int disruptions_allowed = 0;
};

// `pods` are the pods the PDB selects (same namespace). `expected_scale` is the sum of the
// replicas of the pods' controllers, needed when the budget is a percentage or maxUnavailable;
// nullopt when unknown (bare pods): the pod count stands in.
PdbStatus compute_pdb_status(const nlohmann::json& pdb, const std::vector<nlohmann::json>& pods,
                             std::optional<int> expected_scale);

// "2" -> 2; "50%" of 5 rounded up -> 3.
int scaled_value(const nlohmann::json& int_or_percent, int total, bool round_up);

// The PDB status object written into .status.
nlohmann::json pdb_status_json(const PdbStatus& s, int64_t observed_generation);

}  // namespace sim
