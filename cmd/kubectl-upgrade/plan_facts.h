// `kubectl upgrade plan --inspect-nodes`: gathers node facts through read-only node-shell pods
// (pkg/nodeshell's gather-facts script) and turns them into cluster::NodeFacts for pkg/plan.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "pkg/cluster/inventory.h"
#include "pkg/kube/client.h"
#include "pkg/nodeshell/facts.h"
#include "pkg/nodeshell/pod_spec.h"

namespace cli {

// The plan's view of what the facts script found on `node`.
cluster::NodeFacts to_plan_facts(const std::string& node, const nodeshell::NodeFacts& facts);

// Runs the facts script on every node in turn. A node whose facts cannot be gathered gets
// NodeFacts{gathered = false, error = why}; the plan shows it as a warning. `progress` is told
// each node as it starts; `cancelled` is polled between nodes.
std::map<std::string, cluster::NodeFacts> gather_node_facts(
    kube::Client& client, const cluster::Inventory& inventory,
    const nodeshell::ShellOptions& options, const std::function<void(std::string_view)>& progress,
    const std::function<bool()>& cancelled);

}  // namespace cli
