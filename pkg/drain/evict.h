// Concurrent eviction of a node's pods and waiting until they are gone (kubectl pkg/drain/drain.go
// evictPods/waitForDelete). Internal to pkg/drain; Drainer is the public face.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "pkg/drain/clock.h"
#include "pkg/drain/options.h"
#include "pkg/drain/pod.h"
#include "pkg/kube/client.h"

namespace drain {

enum class PodOutcome { kPending, kGone, kTimedOut, kFailed, kCancelled };

struct PodEviction {
  json pod;
  PodRef ref;
  PodOutcome outcome = PodOutcome::kPending;
  std::string why = "queued";        // current state in words
  std::optional<std::string> pdb;    // named by the last 429
  std::optional<kube::Status> last;  // the last refusal
  bool evicted = false;              // the eviction (or DELETE) was accepted
};

struct EvictionRun {
  std::vector<PodEviction> pods;
  int gone() const;
};

// Called (serialised) whenever a pod's state changes.
using EvictionProgress = std::function<void(const EvictionRun&)>;

// Evicts `pods` with options.parallelism threads until each is gone, failed, `deadline` passed
// (if set) or `stop` was requested.
EvictionRun evict_all(kube::Client& client, ku::Clock& clock, const Options& options,
                      std::vector<json> pods, std::optional<ku::Steady::time_point> deadline,
                      std::stop_token stop, const EvictionProgress& progress);

}  // namespace drain
