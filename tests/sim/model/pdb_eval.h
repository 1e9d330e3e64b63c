// PDBs against the store: which budgets cover a pod, and a budget's status right now.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "tests/sim/model/disruption.h"
#include "tests/sim/model/faults.h"
#include "tests/sim/store/store.h"

namespace sim {

// PDBs in the pod's namespace whose selector matches the pod's labels.
std::vector<Stored> pdbs_for_pod(const Store& store, const nlohmann::json& pod);
// The budget's status from the pods it selects now (a disruption controller that is never
// behind). A budget listed in Faults::pdb_never_allows allows nothing.
PdbStatus evaluate_pdb(const Store& store, const nlohmann::json& pdb, const Faults& faults);

}  // namespace sim
