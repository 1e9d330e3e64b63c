#include "tests/sim/model/scheduling.h"

#include <fmt/format.h>

#include <algorithm>

#include "tests/sim/model/quantity.h"

namespace sim {
namespace {

using json = nlohmann::json;

bool preemption_helps(const std::string& reason) {
  return reason.starts_with("Insufficient") || reason == "Too many pods";
}

}  // namespace

bool tolerates(const json& tolerations, const json& taint) {
  if (!tolerations.is_array()) return false;
  std::string key = taint.value("key", "");
  std::string value = taint.value("value", "");
  std::string effect = taint.value("effect", "");
  for (const auto& t : tolerations) {
    std::string te = t.value("effect", "");
    if (!te.empty() && te != effect) continue;
    std::string op = t.value("operator", "Equal");
    std::string tk = t.value("key", "");
    if (tk.empty()) {
      if (op == "Exists") return true;
      continue;
    }
    if (tk != key) continue;
    if (op == "Exists" || t.value("value", "") == value) return true;
  }
  return false;
}

bool node_ready(const json& node) {
  for (const auto& c : node.value("status", json::object()).value("conditions", json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

json effective_taints(const json& node) {
  json taints = node.value("spec", json::object()).value("taints", json::array());
  auto add = [&](const char* key, const char* effect) {
    for (const auto& t : taints) {
      if (t.value("key", "") == key && t.value("effect", "") == effect) return;
    }
    taints.push_back({{"key", key}, {"effect", effect}});
  };
  if (node.value("spec", json::object()).value("unschedulable", false))
    add("node.kubernetes.io/unschedulable", "NoSchedule");
  if (!node_ready(node)) add("node.kubernetes.io/not-ready", "NoSchedule");
  return taints;
}

NodeUsage pod_requests(const json& pod) {
  NodeUsage u;
  u.pods = 1;
  for (const auto& c : pod.value("spec", json::object()).value("containers", json::array())) {
    const json req = c.value("resources", json::object()).value("requests", json::object());
    if (req.contains("cpu") && req["cpu"].is_string())
      u.cpu_millis += cpu_millis(req["cpu"].get<std::string>()).value_or(0);
    if (req.contains("memory") && req["memory"].is_string())
      u.memory_bytes += memory_bytes(req["memory"].get<std::string>()).value_or(0);
  }
  return u;
}

std::string unfit_reason(const json& pod, const json& node, const NodeUsage& usage) {
  const json& spec = pod.value("spec", json::object());
  const json tolerations = spec.value("tolerations", json::array());
  for (const auto& t : effective_taints(node)) {
    std::string effect = t.value("effect", "");
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    if (tolerates(tolerations, t)) continue;
    if (t.value("key", "") == "node.kubernetes.io/unschedulable")
      return "node(s) were unschedulable";
    return fmt::format("node(s) had untolerated taint {{{}: {}}}", t.value("key", ""),
                       t.value("value", ""));
  }
  const json labels = node["metadata"].value("labels", json::object());
  const json node_selector = spec.value("nodeSelector", json::object());
  for (const auto& [k, v] : node_selector.items()) {
    if (!labels.contains(k) || labels[k] != v)
      return "node(s) didn't match Pod's node affinity/selector";
  }
  const json alloc = node.value("status", json::object()).value("allocatable", json::object());
  NodeUsage want = pod_requests(pod);
  int64_t max_pods = std::atoll(alloc.value("pods", "110").c_str());
  if (usage.pods + 1 > max_pods) return "Too many pods";
  int64_t cpu = cpu_millis(alloc.value("cpu", "0")).value_or(0);
  if (want.cpu_millis > 0 && usage.cpu_millis + want.cpu_millis > cpu) return "Insufficient cpu";
  int64_t mem = memory_bytes(alloc.value("memory", "0")).value_or(0);
  if (want.memory_bytes > 0 && usage.memory_bytes + want.memory_bytes > mem)
    return "Insufficient memory";
  return {};
}

Placement place_pod(const json& pod, const std::vector<json>& nodes,
                    const std::map<std::string, NodeUsage>& usage) {
  std::map<std::string, int> reasons;
  std::optional<std::string> best;
  double best_score = 2.0;
  static const NodeUsage kEmpty;
  for (const auto& n : nodes) {
    std::string name = n["metadata"].value("name", "");
    auto it = usage.find(name);
    const NodeUsage& u = it == usage.end() ? kEmpty : it->second;
    std::string why = unfit_reason(pod, n, u);
    if (!why.empty()) {
      ++reasons[why];
      continue;
    }
    const json alloc = n.value("status", json::object()).value("allocatable", json::object());
    double cpu =
        static_cast<double>(std::max<int64_t>(1, cpu_millis(alloc.value("cpu", "1")).value_or(1)));
    double pods =
        static_cast<double>(std::max<int64_t>(1, std::atoll(alloc.value("pods", "110").c_str())));
    double score =
        std::max(static_cast<double>(u.cpu_millis) / cpu, static_cast<double>(u.pods) / pods);
    if (score < best_score) {
      best_score = score;
      best = name;
    }
  }
  if (best) return {best, ""};
  std::vector<std::string> parts, preempt;
  int helpful = 0;
  for (const auto& [why, count] : reasons) parts.push_back(fmt::format("{} {}", count, why));
  std::map<std::string, int> pre;
  for (const auto& [why, count] : reasons) {
    pre[preemption_helps(why) ? "No preemption victims found for incoming pod"
                              : "Preemption is not helpful for scheduling"] += count;
    helpful += preemption_helps(why) ? count : 0;
  }
  for (const auto& [why, count] : pre) preempt.push_back(fmt::format("{} {}", count, why));
  // kube-scheduler sorts the "<count> <reason>" strings themselves (sort.Strings).
  std::sort(parts.begin(), parts.end());
  std::sort(preempt.begin(), preempt.end());
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  std::string msg = fmt::format("0/{} nodes are available", nodes.size());
  if (!parts.empty()) msg += ": " + join(parts);
  msg += fmt::format(". preemption: 0/{} nodes are available", nodes.size());
  if (!preempt.empty()) msg += ": " + join(preempt);
  msg += ".";
  (void)helpful;
  return {std::nullopt, msg};
}

}  // namespace sim
