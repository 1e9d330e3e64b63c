// Step 0's judgement, pure: may this node go to the target now, and in which role?
// The order of kubeadm upgrades (kubernetes-facts.md sections 1 and 4): the first control-plane
// node (it runs `kubeadm upgrade apply`), then the other control planes, then workers; one minor at
// a time; a kubelet never newer than the API server; no kubelet left more than 3 minors behind.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/upgrade/cluster_view.h"
#include "pkg/upgrade/record.h"

namespace upgrade {

struct PreflightVerdict {
  Role role = Role::kWorker;
  std::vector<std::string> refusals;  // each: what is wrong and what to do instead
  std::vector<std::string> notes;
  bool already_done = false;  // the node is at the target with a finished record
  bool ok() const { return refusals.empty(); }
};

PreflightVerdict preflight(const ClusterView& view, const std::string& node,
                           const kver::Version& target, const NodeRecord& record);

// The target when --to is not given: the record's unfinished target, else the control plane's
// version when this node is behind it. nullopt: the caller must ask for --to.
std::optional<kver::Version> default_target(const ClusterView& view, const std::string& node,
                                            const NodeRecord& record);

}  // namespace upgrade
