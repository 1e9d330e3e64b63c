// The run of `kubectl upgrade cluster`: every hop of the plan, its batches in order (each control
// plane alone, then the workers in batches), the nodes of a batch at the same time, stopping at
// the first failure. Before every hop after the first, the plan is made again from the cluster
// as it is then: the drains of the hop before moved pods, so the batches that keep PDBs and
// capacity whole may differ, and a blocker that appeared since (a PDB at 0, a NotReady control
// plane) stops the run before any node of that hop is touched.
//
// The I/O is behind ClusterRunDeps (the command wires in the cluster reader, the plan and
// NodeUpgrade), so the order, the stops and the re-planning are tested without a cluster.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "pkg/kube/error.h"
#include "pkg/plan/plan.h"
#include "pkg/upgrade/procedure.h"

namespace upgrade {

struct Batch {
  bool control_plane = false;
  std::vector<std::string> nodes;
};

// The plan's order as batches: each control plane alone, workers by the plan's batch number.
std::vector<Batch> batches_of(const plan::Plan& p);

// "cp1 | cp2 | w1 w2 | w3": the batches on one line.
std::string describe_batches(const std::vector<Batch>& batches);

struct ClusterRunDeps {
  // The plan for the rest of the run, from the cluster as it is now (our own lock not counted).
  std::function<kube::Result<plan::Plan>()> replan;
  // One node to `target`; the nodes of a batch are called from threads of their own.
  std::function<NodeResult(const std::string& node, const kver::Version& target,
                           std::stop_token stop)>
      upgrade_node;
  // Progress: a line for a person, the start of a batch, a node's result.
  std::function<void(const std::string& line)> note = [](const std::string&) {};
  std::function<void(const std::vector<std::string>& nodes)> begin_batch =
      [](const std::vector<std::string>&) {};
  std::function<void(const NodeResult&)> finished = [](const NodeResult&) {};
};

// Why a run stopped before a hop, with nothing of that hop started.
struct HopStop {
  std::string hop;  // "v1.36.7"
  // One line: "the plan made again ... has 1 blocker(s): PdbBlocksDrain pdb/shop/web".
  std::string reason;
  std::string details;  // each blocker with its message and fix, a line each ("" if none)
  std::string hint;     // what to do next
  // The plan had blockers (details lists them); else the cluster could not be read or changed.
  bool blockers() const { return !details.empty(); }
};

struct ClusterRunResult {
  std::vector<NodeResult> results;        // every node run, in order
  std::optional<NodeResult> failed;       // the first node that did not finish
  std::optional<HopStop> stopped_before;  // a hop not started (re-plan failed or blocked)
  bool ok() const { return !failed && !stopped_before; }
  // "stopped at node w2, step 5-drain: ..." or "stopped before the hop to v1.36.7: ...";
  // "finished".
  std::string outcome() const;
};

ClusterRunResult run_cluster(const plan::Plan& first, const ClusterRunDeps& deps,
                             std::stop_token stop);

}  // namespace upgrade
