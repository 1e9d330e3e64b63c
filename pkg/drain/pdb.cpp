#include "pkg/drain/pdb.h"

#include <set>

namespace drain {
namespace {

std::string int_or_string(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

bool expression_matches(const json& expr, const json& labels) {
  std::string key = expr.value("key", "");
  std::string op = expr.value("operator", "");
  bool has = labels.contains(key);
  std::set<std::string> values;
  for (const json& v : expr.value("values", json::array())) values.insert(v.get<std::string>());
  if (op == "Exists") return has;
  if (op == "DoesNotExist") return !has;
  bool in = has && labels[key].is_string() && values.contains(labels[key].get<std::string>());
  if (op == "In") return in;
  if (op == "NotIn") return !in;
  return false;  // unknown operator: select nothing rather than too much
}

}  // namespace

PdbInfo pdb_info(const json& pdb) {
  PdbInfo i;
  i.ns = pdb.value("/metadata/namespace"_json_pointer, std::string());
  i.name = pdb.value("/metadata/name"_json_pointer, std::string());
  const json status = pdb.value("status", json::object());
  i.disruptions_allowed = status.value("disruptionsAllowed", 0);
  i.current_healthy = status.value("currentHealthy", 0);
  i.desired_healthy = status.value("desiredHealthy", 0);
  i.expected_pods = status.value("expectedPods", 0);
  const json spec = pdb.value("spec", json::object());
  if (spec.contains("minAvailable")) i.rule = "minAvailable " + int_or_string(spec["minAvailable"]);
  if (spec.contains("maxUnavailable"))
    i.rule = "maxUnavailable " + int_or_string(spec["maxUnavailable"]);
  return i;
}

bool selector_matches(const json& selector, const json& labels) {
  if (selector.is_null()) return false;
  const json match_labels = selector.value("matchLabels", json::object());
  for (const auto& [k, v] : match_labels.items())
    if (!labels.contains(k) || labels[k] != v) return false;
  for (const json& expr : selector.value("matchExpressions", json::array()))
    if (!expression_matches(expr, labels)) return false;
  return true;
}

kube::Result<std::vector<PdbInfo>> pdbs_for(kube::Client& client, const json& pod) {
  PodRef ref = pod_ref(pod);
  const json labels = pod.value("/metadata/labels"_json_pointer, json::object());
  std::vector<PdbInfo> out;
  auto listed = client.list(
      "/apis/policy/v1/namespaces/" + ref.ns + "/poddisruptionbudgets", {}, [&](const json& pdb) {
        if (selector_matches(pdb.value("/spec/selector"_json_pointer, json()), labels))
          out.push_back(pdb_info(pdb));
        return true;
      });
  if (!listed)
    return std::unexpected(listed.error().wrap("listing PodDisruptionBudgets in " + ref.ns));
  return out;
}

std::optional<std::string> pdb_name_from_status(const kube::Status& status) {
  static const std::string prefix = "The disruption budget ";
  for (const auto& cause : status.causes) {
    auto at = cause.message.find(prefix);
    if (at == std::string::npos) continue;
    auto rest = cause.message.substr(at + prefix.size());
    auto end = rest.find(' ');
    return rest.substr(0, end);
  }
  return std::nullopt;
}

std::string explain(const PdbInfo& p) {
  std::string s = "PodDisruptionBudget " + p.key() + " allows " +
                  std::to_string(p.disruptions_allowed) + " disruption" +
                  (p.disruptions_allowed == 1 ? "" : "s");
  s += " (";
  if (!p.rule.empty()) s += p.rule + "; ";
  s += std::to_string(p.current_healthy) + " healthy, " + std::to_string(p.desired_healthy) +
       " required, " + std::to_string(p.expected_pods) + " expected)";
  return s;
}

std::string unblock_hint(const PdbInfo& p) {
  std::string s;
  if (p.current_healthy < p.desired_healthy || p.expected_pods <= p.desired_healthy) {
    s = "it needs more healthy pods than it can have with one evicted: scale the workload up (" +
        std::to_string(p.desired_healthy + 1) + " or more healthy pods) or relax " + p.rule;
  } else {
    s = "it allows an eviction once every covered pod is healthy; check why some are not Ready";
  }
  return s + " (kubectl -n " + p.ns + " get pdb " + p.name +
         "); --disable-eviction deletes the pods regardless of PDBs";
}

}  // namespace drain
