// Deleting a pod as the apiserver does: gracefully when it runs on a node (deletionTimestamp +
// deletionGracePeriodSeconds, then the kubelet removes it), at once when it is not scheduled or
// already finished. A grace period is only ever shortened.
#pragma once

#include <string>

#include "tests/sim/model/cluster.h"

namespace sim {

// grace < 0 = the pod's terminationGracePeriodSeconds. `uid_precondition` empty = none.
Result<Stored> delete_pod(Cluster& cluster, const std::string& ns, const std::string& name,
                          int64_t grace_seconds, const std::string& uid_precondition, bool dry_run);

}  // namespace sim
