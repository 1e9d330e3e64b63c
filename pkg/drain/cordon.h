// Cordon and uncordon, as kubectl does it: strategic-merge PATCH of spec.unschedulable
// (kubernetes-facts.md section 5). Cordon tells whether this call made the change, so the caller
// only uncordons what it cordoned; the annotations given are written in the same PATCH.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pkg/kube/client.h"

namespace drain {

struct CordonResult {
  bool changed = false;  // false: it was already cordoned (by someone else, or an earlier run)
};

// Errors name the node: "cordoning node w1: ...".
kube::Result<CordonResult> cordon(kube::Client& client, const std::string& node,
                                  const std::map<std::string, std::string>& annotations = {});
// Sets spec.unschedulable to null and removes `annotations` from the node.
kube::Result<void> uncordon(kube::Client& client, const std::string& node,
                            const std::vector<std::string>& annotations = {});

}  // namespace drain
