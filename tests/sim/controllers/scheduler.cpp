// The scheduler: binds pending pods to nodes that fit (model/scheduling.h); pods that fit nowhere
// stay Pending with PodScheduled=False and a FailedScheduling event worded like kube-scheduler's.
#include <fmt/format.h>

#include "tests/sim/controllers/controllers.h"
#include "tests/sim/controllers/events.h"
#include "tests/sim/controllers/object_access.h"
#include "tests/sim/model/objects.h"
#include "tests/sim/model/scheduling.h"

namespace sim {
namespace {

using controllers_detail::res;

using json = nlohmann::json;

}  // namespace

int Controllers::schedule() {
  Store& store = c_.store();
  std::vector<json> pending;
  std::map<std::string, NodeUsage> usage;
  for (const auto& s : store.all(res("pods"))) {
    const json& p = s.json();
    if (pod_finished(p)) continue;
    std::string node = p["spec"].value("nodeName", "");
    if (!node.empty()) {
      NodeUsage u = pod_requests(p);
      auto& total = usage[node];
      total.cpu_millis += u.cpu_millis;
      total.memory_bytes += u.memory_bytes;
      total.pods += 1;
    } else if (!pod_deleting(p) &&
               p["spec"].value("schedulerName", "default-scheduler") == "default-scheduler") {
      pending.push_back(p);
    }
  }
  if (pending.empty()) return 0;
  std::vector<json> nodes;
  for (const auto& s : store.all(res("nodes"))) nodes.push_back(s.json());
  int writes = 0;
  for (const auto& pod : pending) {
    std::string ns = pod["metadata"].value("namespace", "");
    std::string name = pod["metadata"].value("name", "");
    std::string uid = pod["metadata"].value("uid", "");
    Placement placement = place_pod(pod, nodes, usage);
    if (placement.node) {
      auto bound = store.mutate(res("pods"), ns, name, [&](json& p) -> Result<void> {
        if (!p["spec"].value("nodeName", "").empty())
          return std::unexpected(conflict("", "pods", name, "already bound"));
        set_pod_bound(p, *placement.node, now());
        return {};
      });
      if (!bound) continue;
      ++writes;
      NodeUsage u = pod_requests(pod);
      auto& total = usage[*placement.node];
      total.cpu_millis += u.cpu_millis;
      total.memory_bytes += u.memory_bytes;
      total.pods += 1;
      unschedulable_.erase(uid);
      unschedulable_at_.erase(uid);
      record_event(store, bound->json(), "Normal", "Scheduled",
                   fmt::format("Successfully assigned {}/{} to {}", ns, name, *placement.node),
                   {"default-scheduler", ""});
      continue;
    }
    // Retry quietly; repeat the event (count + 1) at most every 10 scenario seconds.
    auto last = unschedulable_.find(uid);
    bool changed = last == unschedulable_.end() || last->second != placement.message;
    if (!changed && !due(unschedulable_at_[uid], 10)) continue;
    unschedulable_[uid] = placement.message;
    unschedulable_at_[uid] = std::chrono::steady_clock::now();
    if (changed) {
      store.mutate(res("pods"), ns, name, [&](json& p) -> Result<void> {
        set_pod_unschedulable(p, placement.message, now());
        return {};
      });
      ++writes;
    }
    if (!instant_)
      record_event(store, pod, "Warning", "FailedScheduling", placement.message,
                   {"default-scheduler", ""});
  }
  return writes;
}

}  // namespace sim
