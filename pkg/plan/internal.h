// The steps of make_plan(), one file each. Not part of the public API.
#pragma once

#include <optional>
#include <vector>

#include "pkg/plan/plan.h"

namespace plan::internal {

void add(std::vector<Finding>& out, Severity s, std::string code, std::string subject,
         std::string message, std::string fix = {});

// current.cpp: versions of every component, skew, support window, version consistency.
// Returns the cluster's version (the oldest kube-apiserver, else /version).
std::optional<kver::Version> assess_current(const cluster::Inventory& inv,
                                            const std::vector<kver::Version>& available,
                                            CurrentState& out, std::vector<Finding>& findings);

// target.cpp: available versions (node facts or the built-in table), target and hop path.
std::vector<kver::Version> available_versions(const cluster::Inventory& inv, TargetSource& source);
// `behind`: the oldest kubelet when it is older than the cluster but at most one minor behind (an
// upgrade stopped halfway): the path starts there, so its nodes are finished first.
std::optional<kver::Version> oldest_kubelet_behind(const cluster::Inventory& inv,
                                                   const std::optional<kver::Version>& current);
std::optional<kver::HopPath> resolve_target(const std::optional<kver::Version>& current,
                                            const std::optional<kver::Version>& behind,
                                            const std::vector<kver::Version>& available,
                                            const Options& options, Target& out,
                                            std::vector<Finding>& findings);
// node_facts.cpp: for every hop and node, can the node install what it needs?
void check_node_facts(const cluster::Inventory& inv, const std::vector<kver::Hop>& hops,
                      std::vector<Finding>& findings);

// order.cpp
FirstControlPlane pick_first_control_plane(const cluster::Inventory& inv);
std::vector<NodePlan> order_nodes(const cluster::Inventory& inv, const FirstControlPlane& first,
                                  int max_unavailable, const std::optional<kver::HopPath>& path);

// batching.cpp: the node sequence with the largest worker batch (at most the requested one) that
// adds no capacity or PDB blocker over one at a time.
struct BatchRequest {
  std::string text;  // as given: "3", "50%"
  int resolved = 1;  // in nodes
};
struct WorkerSequence {
  int max_unavailable = 1;
  std::vector<NodePlan> nodes;
  std::vector<Finding> findings;  // of the drains, plus MaxUnavailableReduced when reduced
};
WorkerSequence sequence_workers(const cluster::Inventory& inv, const FirstControlPlane& first,
                                const BatchRequest& request,
                                const std::optional<kver::HopPath>& path, const DrainFlags& flags);

// drain_preview.cpp: kubectl's filters, in order.
PodVerdict judge_pod(const cluster::PodSummary& pod, const DrainFlags& flags);

// sequence.cpp: drains batch after batch; PDBs and capacity over the whole sequence.
void simulate_drains(const cluster::Inventory& inv, const DrainFlags& flags,
                     std::vector<NodePlan>& nodes, std::vector<Finding>& findings);

// preflight.cpp
void preflight(const cluster::Inventory& inv, const std::optional<kver::HopPath>& path,
               std::vector<Finding>& findings);

}  // namespace plan::internal
