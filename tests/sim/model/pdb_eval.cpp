#include "tests/sim/model/pdb_eval.h"

#include <map>

#include "tests/sim/model/objects.h"
#include "tests/sim/store/selector.h"

namespace sim {
namespace {

using json = nlohmann::json;

std::string meta_str(const json& o, const char* f) {
  return o["metadata"].value(f, "");
}

std::optional<int> expected_scale(const Store& store, const std::vector<json>& pods) {
  const auto* rs_info = find_qualified("replicasets.apps");
  const auto* dep_info = find_qualified("deployments.apps");
  const auto* sts_info = find_qualified("statefulsets.apps");
  std::map<std::string, int> scales;  // controller uid -> replicas
  for (const auto& p : pods) {
    std::string ns = meta_str(p, "namespace");
    for (const auto& ref : p["metadata"].value("ownerReferences", json::array())) {
      if (!ref.value("controller", false)) continue;
      std::string kind = ref.value("kind", "");
      std::string name = ref.value("name", "");
      if (kind == "ReplicaSet") {
        auto rs = store.get(*rs_info, ns, name);
        if (!rs) return std::nullopt;
        const json& rsj = rs->json();
        bool by_deployment = false;
        for (const auto& r2 : rsj["metadata"].value("ownerReferences", json::array())) {
          if (r2.value("controller", false) && r2.value("kind", "") == "Deployment") {
            auto d = store.get(*dep_info, ns, r2.value("name", ""));
            if (!d) return std::nullopt;
            scales[r2.value("uid", "")] = d->json()["spec"].value("replicas", 1);
            by_deployment = true;
          }
        }
        if (!by_deployment) scales[ref.value("uid", "")] = rsj["spec"].value("replicas", 1);
      } else if (kind == "StatefulSet") {
        auto s = store.get(*sts_info, ns, name);
        if (!s) return std::nullopt;
        scales[ref.value("uid", "")] = s->json()["spec"].value("replicas", 1);
      } else {
        return std::nullopt;
      }
    }
  }
  if (scales.empty()) return std::nullopt;
  int total = 0;
  for (const auto& [uid, n] : scales) total += n;
  return total;
}

}  // namespace

std::vector<Stored> pdbs_for_pod(const Store& store, const json& pod) {
  std::vector<Stored> out;
  const json labels = pod["metadata"].value("labels", json::object());
  for (const auto& s :
       store.all(*find_qualified("poddisruptionbudgets.policy"), meta_str(pod, "namespace"))) {
    auto sel = LabelSelector::from_object(s.json()["spec"].value("selector", json()));
    if (sel && !sel->empty() && sel->matches(labels)) out.push_back(s);
  }
  return out;
}

PdbStatus evaluate_pdb(const Store& store, const json& pdb, const Faults& faults) {
  std::string ns = meta_str(pdb, "namespace");
  std::vector<json> pods;
  auto sel = LabelSelector::from_object(pdb["spec"].value("selector", json()));
  if (sel && !sel->empty()) {
    for (const auto& s : store.all(*find_qualified("pods"), ns)) {
      if (sel->matches(s.json()["metadata"].value("labels", json::object())))
        pods.push_back(s.json());
    }
  }
  PdbStatus st = compute_pdb_status(pdb, pods, expected_scale(store, pods));
  if (faults.pdb_never_allows(ns + "/" + meta_str(pdb, "name"))) st.disruptions_allowed = 0;
  return st;
}

}  // namespace sim
