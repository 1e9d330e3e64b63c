// Step 0's judgement, pure: may this node go to the target now, and in which role?
// The order of kubeadm upgrades (kubernetes-facts.md sections 1 and 4): the first control-plane
// node (it runs `kubeadm upgrade apply`), then the other control planes, then workers; one minor at
// a time; a kubelet never newer than the API server; no kubelet left more than 3 minors behind.
#pragma once

#include <expected>
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

// The target when --to is not given, one minor at a time, never a jump:
//  - the record's unfinished target (a re-run resumes);
//  - a node behind the cluster's version (kubeadm-config, the hop in progress): that version when
//    it is at most the node's next minor, else the newest `available` patch of the node's next
//    minor;
//  - else the plan's next hop from the cluster's version (its oldest kube-apiserver): the newest
//    `available` patch of the next minor, or of the same minor at the newest known one.
// `available`: the released versions (the built-in table, as `kubectl upgrade plan` uses).
// The error says why there is no target and ends with what to do.
std::expected<kver::Version, std::string> default_target(
    const ClusterView& view, const std::string& node, const NodeRecord& record,
    const std::vector<kver::Version>& available);

}  // namespace upgrade
