// core/v1 Events on a Node (kubernetes-facts.md section 7), so `kubectl describe node` shows the
// upgrade: namespace default, involvedObject {kind: Node, name: N, uid: N}, reasons
// UpgradeStepStarted / UpgradeStepSucceeded / UpgradeStepSkipped / UpgradeStepFailed /
// UpgradeSucceeded. An Event that cannot be written never fails the upgrade: the error is returned
// for the caller to mention.
#pragma once

#include <string>

#include "pkg/drain/clock.h"
#include "pkg/kube/client.h"

namespace upgrade {

inline constexpr const char* kEventComponent = "kubectl-upgrade";

class EventRecorder {
 public:
  EventRecorder(kube::Client& client, ku::Clock& clock) : client_(client), clock_(clock) {}
  virtual ~EventRecorder() = default;
  // type: "Normal" or "Warning".
  virtual kube::Result<void> node_event(const std::string& node, const std::string& type,
                                        const std::string& reason, const std::string& message);

 private:
  kube::Client& client_;
  ku::Clock& clock_;
};

}  // namespace upgrade
