// The drains of the whole sequence, batch after batch: which pods each drain evicts, whether the
// PDBs let them go, and whether the nodes left schedulable can take the pods that come back.
// Pods placed on a node by an earlier drain are drained again with that node.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "pkg/plan/internal.h"

namespace plan::internal {
namespace {

using cluster::Inventory;
using cluster::PodSummary;
using cluster::Resources;

std::string cpu(std::int64_t m) {
  return m % 1000 == 0 ? fmt::format("{}", m / 1000) : fmt::format("{}m", m);
}
std::string mem(std::int64_t b) {
  if (b >= (1LL << 30)) return fmt::format("{:.1f}Gi", static_cast<double>(b) / (1LL << 30));
  return fmt::format("{}Mi", (b + (1 << 20) - 1) >> 20);
}

struct SimNode {
  const cluster::NodeInfo* info = nullptr;
  Resources free;
  bool cordoned = false;  // by someone else: never a destination
  bool in_batch = false;
  std::vector<int> pods;
};

struct Placement {
  int node = -1;
  std::string why_not;  // when node < 0
};

class Simulation {
 public:
  Simulation(const Inventory& inv, const DrainFlags& flags, std::vector<Finding>& findings)
      : inv_(inv), flags_(flags), findings_(findings), deficit_(inv.pdbs.size(), 0) {
    for (const auto& n : inv.nodes) {
      index_[n.name] = static_cast<int>(nodes_.size());
      nodes_.push_back({&n, n.allocatable, n.unschedulable, false, {}});
    }
    for (std::size_t i = 0; i < inv.pods.size(); ++i) {
      const auto& p = inv.pods[i];
      auto it = index_.find(p.node);
      if (it == index_.end()) continue;
      nodes_[it->second].pods.push_back(static_cast<int>(i));
      if (!p.finished()) nodes_[it->second].free -= p.requests;
    }
    for (const auto& n : nodes_)
      if (!n.cordoned && n.info->ready) ++schedulable_;
    // Pods on their way: Pending ones, plus those the controllers' scale (the PDB's
    // expectedPods) still misses: a pod evicted a moment ago and terminating, or already gone,
    // whose replacement is not made yet. The budget comes back on its own.
    starting_.assign(inv.pdbs.size(), 0);
    std::vector<int> present(inv.pdbs.size(), 0);
    for (const auto& p : inv.pods) {
      if (p.finished() || p.terminating) continue;
      for (int pdb : p.pdbs) {
        ++present[pdb];
        if (p.phase == "Pending") ++starting_[pdb];
      }
    }
    for (std::size_t i = 0; i < inv.pdbs.size(); ++i)
      if (inv.pdbs[i].observed) starting_[i] += std::max(0, inv.pdbs[i].expected_pods - present[i]);
  }

  void run_batch(std::vector<NodePlan*> batch);

 private:
  struct Evicted {
    int pod;
    int from;
  };
  void judge_node(NodePlan& plan, int node, std::vector<Evicted>& evicted,
                  std::map<int, std::map<int, int>>& pdb_pods);
  // Returns the PDBs that block: their pods stay where they are.
  std::vector<int> check_pdbs(std::vector<NodePlan*>& batch,
                              std::map<int, std::map<int, int>>& pdb_pods);
  void place(std::vector<NodePlan*>& batch, std::vector<Evicted>& evicted);
  Placement find_node(const PodSummary& pod);
  const std::vector<int>& eligible(const PodSummary& pod);

  const Inventory& inv_;
  const DrainFlags& flags_;
  std::vector<Finding>& findings_;
  std::vector<SimNode> nodes_;
  std::unordered_map<std::string, int> index_;
  std::vector<int> deficit_;  // per PDB: pods that never come back healthy
  std::unordered_map<std::string, std::vector<int>> eligible_;  // by scheduling signature
  std::size_t cursor_ = 0;
  int schedulable_ = 0;
  std::vector<int> starting_;  // per PDB: its pods on their way (Pending, or being replaced)
};

std::string signature(const PodSummary& p) {
  std::string s;
  for (const auto& t : p.tolerations)
    s += t.key + '\x1f' + t.op + '\x1f' + t.value + '\x1f' + t.effect + '\x1e';
  s += '\x1d';
  for (const auto& [k, v] : p.node_selector) s += k + '=' + v + '\x1e';
  return s;
}

const std::vector<int>& Simulation::eligible(const PodSummary& pod) {
  auto sig = signature(pod);
  auto it = eligible_.find(sig);
  if (it != eligible_.end()) return it->second;
  std::vector<int> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = *nodes_[i].info;
    if (!cluster::tolerates_all(pod.tolerations, n.taints)) continue;
    bool match = std::all_of(pod.node_selector.begin(), pod.node_selector.end(), [&](auto& kv) {
      auto l = n.labels.find(kv.first);
      return l != n.labels.end() && l->second == kv.second;
    });
    if (match) out.push_back(static_cast<int>(i));
  }
  return eligible_.emplace(sig, std::move(out)).first->second;
}

Placement Simulation::find_node(const PodSummary& pod) {
  const auto& candidates = eligible(pod);
  Resources best{-1, -1};
  bool any_open = false;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    int i = candidates[(cursor_ + k) % candidates.size()];
    auto& n = nodes_[i];
    if (n.cordoned || n.in_batch || !n.info->ready) continue;
    any_open = true;
    if (pod.requests.fits_in(n.free)) {
      cursor_ = (cursor_ + k + 1) % candidates.size();  // spread, like the scheduler would
      return {i, ""};
    }
    if (n.free.cpu_millis > best.cpu_millis) best = n.free;
  }
  if (candidates.empty()) return {-1, "no node tolerates its taints and matches its nodeSelector"};
  if (!any_open) return {-1, "every node it may run on is cordoned, NotReady or drained with it"};
  return {-1, fmt::format("requests {} CPU / {} memory; the most free on a node it may run on: {} "
                          "CPU / {}",
                          cpu(pod.requests.cpu_millis), mem(pod.requests.memory_bytes),
                          cpu(std::max<std::int64_t>(best.cpu_millis, 0)),
                          mem(std::max<std::int64_t>(best.memory_bytes, 0)))};
}

void Simulation::judge_node(NodePlan& plan, int node, std::vector<Evicted>& evicted,
                            std::map<int, std::map<int, int>>& pdb_pods) {
  auto& sim = nodes_[node];
  std::vector<int> staying;
  std::vector<Evicted> leaving;
  std::map<int, std::map<int, int>> node_pdb_pods;
  std::vector<std::string> blocking;
  std::vector<std::string> flags;
  for (int idx : sim.pods) {
    const auto& pod = inv_.pods[idx];
    PodVerdict v = judge_pod(pod, flags_);
    if (pod.node != sim.info->name) v.moved_from = pod.node;
    auto& d = plan.drain;
    switch (v.action) {
      case PodAction::kEvict:
        ++d.evict;
        break;
      case PodAction::kDelete:
        ++d.remove;
        break;
      case PodAction::kIgnoreDaemonSet:
        ++d.ignored;
        break;
      case PodAction::kSkipMirror:
      case PodAction::kSkipTerminating:
      case PodAction::kSkipOwn:
        ++d.skipped;
        break;
      case PodAction::kBlock:
        ++d.blocked;
        blocking.push_back(fmt::format("{} ({}; needs {})", v.pod, v.reason, v.flag));
        if (std::find(flags.begin(), flags.end(), v.flag) == flags.end()) flags.push_back(v.flag);
        break;
    }
    bool leaves = v.action == PodAction::kEvict || v.action == PodAction::kDelete;
    if (leaves) {
      leaving.push_back({idx, node});
      // Finished, Pending and terminating pods skip PDB checks; --disable-eviction bypasses them.
      bool pdb_checked = !flags_.disable_eviction && pod.phase == "Running" && !pod.terminating;
      if (pdb_checked) {
        if (pod.pdbs.size() > 1)
          add(findings_, Severity::kBlocker, "PodInMultiplePdbs", "pod/" + pod.key(),
              fmt::format("{} is selected by {} PodDisruptionBudgets: its eviction fails (500)",
                          pod.key(), pod.pdbs.size()),
              "make the PodDisruptionBudgets' selectors disjoint");
        for (int pdb : pod.pdbs) ++node_pdb_pods[pdb][node];
      }
    } else {
      staying.push_back(idx);
    }
    plan.drain.pods.push_back(std::move(v));
  }
  if (blocking.empty()) {
    evicted.insert(evicted.end(), leaving.begin(), leaving.end());
    for (const auto& [pdb, per_node] : node_pdb_pods)
      for (const auto& [n, c] : per_node) pdb_pods[pdb][n] += c;
  } else {
    // kubectl stops the node's drain before a single eviction: everything stays.
    for (const auto& e : leaving) staying.push_back(e.pod);
    std::string list;
    for (const auto& b : blocking) list += (list.empty() ? "" : ", ") + b;
    std::string flag_list;
    for (const auto& f : flags) flag_list += (flag_list.empty() ? "" : " ") + f;
    add(findings_, Severity::kBlocker, "DrainBlockedByPods", "node/" + plan.name,
        fmt::format("the drain of {} stops before any eviction: {}", plan.name, list),
        fmt::format("move or delete these pods first, or accept their loss with {}", flag_list));
  }
  sim.pods = std::move(staying);
}

std::vector<int> Simulation::check_pdbs(std::vector<NodePlan*>& batch,
                                        std::map<int, std::map<int, int>>& pdb_pods) {
  std::vector<int> blocking;
  for (const auto& [pdb_index, per_node] : pdb_pods) {
    const auto& pdb = inv_.pdbs[pdb_index];
    int total = 0;
    for (const auto& [n, c] : per_node) total += c;
    int allowed = std::max(0, pdb.disruptions_allowed - deficit_[pdb_index]);
    int at_best = pdb.expected_pods - pdb.desired_healthy;
    std::string verdict = "ok", message, code;
    std::string rule = !pdb.min_available.empty()     ? "minAvailable " + pdb.min_available
                       : !pdb.max_unavailable.empty() ? "maxUnavailable " + pdb.max_unavailable
                                                      : "no minAvailable/maxUnavailable";
    if (!pdb.observed) {
      // No status yet: nothing to judge from; evictions answer 429 until it is processed.
      verdict = "waits";
      message = pdb.key() + " is not processed by the disruption controller yet (429 until it is)";
    } else if (at_best <= 0) {
      verdict = "blocks";
      message = fmt::format(
          "{} never allows a disruption ({}, {} expected pods): {} of its pods "
          "must be evicted",
          pdb.key(), rule, pdb.expected_pods, total);
    } else if (allowed == 0 && deficit_[pdb_index] == 0 && starting_[pdb_index] > 0) {
      // Replacements are on their way (after a drain, or a run stopped halfway): evictions
      // answer 429 until they are Ready, and the drain waits for them.
      verdict = "waits";
      message = fmt::format(
          "{} allows 0 disruptions now ({} healthy, {} needed) while {} of its pods are "
          "starting or being replaced: the drain waits for them",
          pdb.key(), pdb.current_healthy, pdb.desired_healthy, starting_[pdb_index]);
    } else if (allowed == 0) {
      verdict = "blocks";
      message = fmt::format(
          "{} allows 0 disruptions now ({} healthy, {} needed): {} of its pods "
          "must be evicted",
          pdb.key(), pdb.current_healthy - deficit_[pdb_index], pdb.desired_healthy, total);
    } else if (total > allowed) {
      verdict = "waits";
      message = fmt::format(
          "{} allows {} disruption(s) at a time and {} pods must go: the drain "
          "waits for replacements to become Ready",
          pdb.key(), allowed, total);
    }
    for (auto* plan : batch) {
      auto it = per_node.find(index_.at(plan->name));
      if (it == per_node.end()) continue;
      plan->drain.pdbs.push_back({pdb.key(), allowed, it->second, verdict, message});
    }
    std::string where;
    for (const auto& [n, c] : per_node) where += (where.empty() ? "" : ", ") + nodes_[n].info->name;
    if (verdict == "blocks") blocking.push_back(pdb_index);
    if (verdict == "blocks")
      add(findings_, Severity::kBlocker, "PdbBlocksDrain", "pdb/" + pdb.key(),
          message + " (draining " + where + ")",
          "scale the workload up or relax the PodDisruptionBudget; --disable-eviction deletes "
          "pods bypassing PDBs");
    else if (verdict == "waits")
      add(findings_, Severity::kWarning, "PdbSlowsDrain", "pdb/" + pdb.key(),
          message + " (draining " + where + ")", "");
  }
  return blocking;
}

void Simulation::place(std::vector<NodePlan*>& batch, std::vector<Evicted>& evicted) {
  std::vector<Evicted> comeback;
  for (const auto& e : evicted) {
    const auto& pod = inv_.pods[e.pod];
    nodes_[e.from].free += pod.finished() ? Resources{} : pod.requests;
    bool recreated = !pod.owner_kind.empty() && pod.owner_kind != "DaemonSet" && !pod.finished();
    if (recreated) comeback.push_back(e);
  }
  std::stable_sort(comeback.begin(), comeback.end(), [&](const Evicted& a, const Evicted& b) {
    return inv_.pods[a.pod].requests.cpu_millis > inv_.pods[b.pod].requests.cpu_millis;
  });
  std::map<int, std::vector<std::string>> unplaceable;  // node -> lines
  for (const auto& e : comeback) {
    const auto& pod = inv_.pods[e.pod];
    Placement p = find_node(pod);
    if (p.node >= 0) {
      nodes_[p.node].free -= pod.requests;
      nodes_[p.node].pods.push_back(e.pod);
      continue;
    }
    for (int pdb : pod.pdbs) ++deficit_[pdb];
    unplaceable[e.from].push_back(pod.key() + ": " + p.why_not);
  }
  for (auto* plan : batch) {
    auto it = unplaceable.find(index_.at(plan->name));
    if (it == unplaceable.end()) continue;
    plan->drain.capacity_ok = false;
    plan->drain.unplaceable = it->second;
    bool alone = schedulable_ <= static_cast<int>(batch.size());
    std::string first = it->second.front();
    add(findings_, alone ? Severity::kWarning : Severity::kBlocker, "InsufficientCapacity",
        "node/" + plan->name,
        fmt::format("{} pod(s) drained from {} fit on no remaining node (e.g. {})",
                    it->second.size(), plan->name, first),
        alone ? "" : "add capacity, lower --max-unavailable, or relax requests/taints");
    if (alone) findings_.back().message += "; they stay Pending until the node is uncordoned";
  }
}

void Simulation::run_batch(std::vector<NodePlan*> batch) {
  std::vector<Evicted> evicted;
  std::map<int, std::map<int, int>> pdb_pods;  // pdb -> node -> pods evicted
  for (auto* plan : batch) nodes_[index_.at(plan->name)].in_batch = true;
  for (auto* plan : batch) judge_node(*plan, index_.at(plan->name), evicted, pdb_pods);
  auto blocking = check_pdbs(batch, pdb_pods);
  if (!blocking.empty()) {
    // Evictions of these pods keep answering 429: they stay, the drain never finishes.
    std::vector<Evicted> gone;
    for (const auto& e : evicted) {
      const auto& pdbs = inv_.pods[e.pod].pdbs;
      bool held = std::any_of(pdbs.begin(), pdbs.end(), [&](int p) {
        return std::find(blocking.begin(), blocking.end(), p) != blocking.end();
      });
      if (held && inv_.pods[e.pod].phase == "Running")
        nodes_[e.from].pods.push_back(e.pod);
      else
        gone.push_back(e);
    }
    evicted = std::move(gone);
  }
  place(batch, evicted);
  for (auto* plan : batch) {
    auto& node = nodes_[index_.at(plan->name)];
    node.in_batch = false;
    // A node we cordoned (a run stopped halfway) is uncordoned at the end of its own upgrade.
    if (node.cordoned && node.info->ours.contains(std::string(cluster::kCordonedByUsAnnotation))) {
      node.cordoned = false;
      if (node.info->ready) ++schedulable_;
    }
  }
}

}  // namespace

void simulate_drains(const Inventory& inv, const DrainFlags& flags, std::vector<NodePlan>& nodes,
                     std::vector<Finding>& findings) {
  Simulation sim(inv, flags, findings);
  std::size_t i = 0;
  while (i < nodes.size()) {
    std::vector<NodePlan*> batch;
    int id = nodes[i].batch;
    while (i < nodes.size() && nodes[i].batch == id) batch.push_back(&nodes[i++]);
    sim.run_batch(std::move(batch));
  }
}

}  // namespace plan::internal
