// PodDisruptionBudgets as far as a drain needs them: which PDBs cover a pod, and a sentence that
// says why a PDB blocks and what would unblock it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/drain/pod.h"
#include "pkg/kube/client.h"

namespace drain {

struct PdbInfo {
  std::string ns;
  std::string name;
  int disruptions_allowed = 0;
  int current_healthy = 0;
  int desired_healthy = 0;
  int expected_pods = 0;
  std::string rule;  // "minAvailable 2", "maxUnavailable 10%"
  std::string key() const { return ns + "/" + name; }
};

PdbInfo pdb_info(const json& pdb);
// policy/v1 selector semantics: {} selects every pod of the namespace, null none.
bool selector_matches(const json& selector, const json& labels);
// The PDBs in the pod's namespace whose selector matches it.
kube::Result<std::vector<PdbInfo>> pdbs_for(kube::Client& client, const json& pod);
// The PDB name in an eviction's 429 cause ("The disruption budget web needs 2 healthy pods ...").
std::optional<std::string> pdb_name_from_status(const kube::Status& status);
// "PodDisruptionBudget ns/web allows 0 disruptions (minAvailable 2; 2 healthy of 2 expected)"
std::string explain(const PdbInfo& pdb);
// What would unblock an eviction that this PDB refuses.
std::string unblock_hint(const PdbInfo& pdb);

}  // namespace drain
