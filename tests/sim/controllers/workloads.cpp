// Deployment -> ReplicaSet -> Pod, DaemonSet, garbage collection and PDB status.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "tests/sim/controllers/controllers.h"
#include "tests/sim/controllers/events.h"
#include "tests/sim/controllers/object_access.h"
#include "tests/sim/model/objects.h"
#include "tests/sim/model/pdb_eval.h"
#include "tests/sim/model/pod_deletion.h"
#include "tests/sim/model/scheduling.h"

namespace sim {
namespace {

using controllers_detail::name_of;
using controllers_detail::ns_of;
using controllers_detail::res;
using controllers_detail::uid_of;

using json = nlohmann::json;

// Objects by the uid of their controller, built once per pass (not once per owner).
class OwnerIndex {
 public:
  explicit OwnerIndex(const std::vector<Stored>& items) {
    for (const auto& s : items) {
      std::string uid = controller_uid(s.json());
      if (!uid.empty()) by_owner_[uid].push_back(&s.json());
    }
  }
  std::vector<json> owned_by(const std::string& uid) const {
    std::vector<json> out;
    auto it = by_owner_.find(uid);
    if (it != by_owner_.end()) {
      for (const json* j : it->second) out.push_back(*j);
    }
    return out;
  }

 private:
  std::unordered_map<std::string, std::vector<const json*>> by_owner_;
};

bool active(const json& pod) {
  return !pod_deleting(pod) && !pod_finished(pod);
}

json with_label(json pod_template, const std::string& key, const std::string& value) {
  pod_template["metadata"]["labels"][key] = value;
  return pod_template;
}

int write_status(Store& store, const ResourceInfo& r, const json& obj, json status) {
  if (obj.value("status", json::object()) == status) return 0;
  auto s = store.mutate(r, ns_of(obj), name_of(obj), [&](json& o) -> Result<void> {
    o["status"] = status;
    return {};
  });
  return s ? 1 : 0;
}

}  // namespace

int Controllers::sync_deployments() {
  int writes = 0;
  Store& store = c_.store();
  auto all_rs = store.all(res("replicasets.apps"));
  OwnerIndex rs_index(all_rs);
  for (const auto& s : store.all(res("deployments.apps"))) {
    const json& d = s.json();
    if (pod_deleting(d)) continue;
    json tmpl = d["spec"].value("template", json::object());
    std::string hash = template_hash(tmpl);
    int replicas = d["spec"].value("replicas", 1);
    auto owned = rs_index.owned_by(uid_of(d));
    const json* current = nullptr;
    int revision = 0;
    for (const auto& rs : owned) {
      revision = std::max(revision, std::atoi(rs["metadata"]
                                                  .value("annotations", json::object())
                                                  .value("deployment.kubernetes.io/revision", "0")
                                                  .c_str()));
      if (rs["metadata"].value("labels", json::object()).value("pod-template-hash", "") == hash)
        current = &rs;
    }
    if (current == nullptr) {
      json labels = tmpl["metadata"].value("labels", json::object());
      labels["pod-template-hash"] = hash;
      json selector = d["spec"].value("selector", json::object());
      selector["matchLabels"]["pod-template-hash"] = hash;
      json rs = {{"apiVersion", "apps/v1"},
                 {"kind", "ReplicaSet"},
                 {"metadata",
                  {{"name", name_of(d) + "-" + hash},
                   {"namespace", ns_of(d)},
                   {"labels", labels},
                   {"annotations",
                    {{"deployment.kubernetes.io/revision", std::to_string(revision + 1)},
                     {"deployment.kubernetes.io/desired-replicas", std::to_string(replicas)},
                     {"deployment.kubernetes.io/max-replicas", std::to_string(replicas + 1)}}},
                   {"ownerReferences", {owner_reference(d)}}}},
                 {"spec",
                  {{"replicas", replicas},
                   {"selector", selector},
                   {"template", with_label(tmpl, "pod-template-hash", hash)}}},
                 {"status", {{"replicas", 0}}}};
      if (instant_) rs["metadata"]["creationTimestamp"] = rfc3339(as_of_);
      if (store.create(res("replicasets.apps"), rs)) {
        ++writes;
        record_event(
            store, d, "Normal", "ScalingReplicaSet",
            fmt::format("Scaled up replica set {}-{} from 0 to {}", name_of(d), hash, replicas),
            {"deployment-controller", ""});
        store.mutate(res("deployments.apps"), ns_of(d), name_of(d), [&](json& o) -> Result<void> {
          o["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
              std::to_string(revision + 1);
          return {};
        });
      }
      continue;
    }
    for (const auto& rs : owned) {
      int want = &rs == current ? replicas : 0;
      if (rs["spec"].value("replicas", 0) == want) continue;
      store.mutate(res("replicasets.apps"), ns_of(rs), name_of(rs), [&](json& o) -> Result<void> {
        o["spec"]["replicas"] = want;
        return {};
      });
      ++writes;
      record_event(store, d, "Normal", "ScalingReplicaSet",
                   fmt::format("Scaled {} replica set {} from {} to {}",
                               want > rs["spec"].value("replicas", 0) ? "up" : "down", name_of(rs),
                               rs["spec"].value("replicas", 0), want),
                   {"deployment-controller", ""});
    }
    int total = 0, ready = 0, available = 0;
    for (const auto& rs : owned) {
      total += rs["status"].value("replicas", 0);
      ready += rs["status"].value("readyReplicas", 0);
      available += rs["status"].value("availableReplicas", 0);
    }
    int updated = current->value("status", json::object()).value("replicas", 0);
    json status = {{"observedGeneration", d["metadata"].value("generation", 1)},
                   {"replicas", total},
                   {"updatedReplicas", updated},
                   {"readyReplicas", ready},
                   {"availableReplicas", available}};
    if (total - available > 0) status["unavailableReplicas"] = total - available;
    std::string ts = d.value("status", json::object()).contains("conditions")
                         ? d["status"]["conditions"][0].value("lastTransitionTime", rfc3339(now()))
                         : rfc3339(now());
    bool is_available = available >= replicas - 1 || available >= replicas;
    status["conditions"] = {
        {{"type", "Available"},
         {"status", is_available ? "True" : "False"},
         {"reason", is_available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"},
         {"message", is_available ? "Deployment has minimum availability."
                                  : "Deployment does not have minimum availability."},
         {"lastUpdateTime", ts},
         {"lastTransitionTime", ts}},
        {{"type", "Progressing"},
         {"status", "True"},
         {"reason", "NewReplicaSetAvailable"},
         {"message",
          fmt::format("ReplicaSet \"{}\" has successfully progressed.", name_of(*current))},
         {"lastUpdateTime", ts},
         {"lastTransitionTime", ts}}};
    if (d.value("status", json::object()).contains("conditions")) {
      // Keep the old timestamps when nothing else moved, so idle deployments are not rewritten.
      json old = d["status"];
      json cmp = status;
      if (old.value("conditions", json::array()).size() == 2) cmp["conditions"] = old["conditions"];
      if (cmp == old) continue;
    }
    writes += write_status(store, res("deployments.apps"), d, status);
  }
  return writes;
}

int Controllers::sync_replicasets() {
  int writes = 0;
  Store& store = c_.store();
  auto pods = store.all(res("pods"));
  OwnerIndex pod_index(pods);
  for (const auto& s : store.all(res("replicasets.apps"))) {
    const json& rs = s.json();
    if (pod_deleting(rs)) continue;
    int replicas = rs["spec"].value("replicas", 1);
    auto owned = pod_index.owned_by(uid_of(rs));
    std::vector<json> live;
    for (const auto& p : owned) {
      if (active(p)) live.push_back(p);
    }
    int have = static_cast<int>(live.size());
    for (int i = have; i < replicas; ++i) {
      json pod =
          make_pod(rs["spec"]["template"], ns_of(rs), name_of(rs) + "-" + random_suffix(), rs);
      if (instant_) pod["metadata"]["creationTimestamp"] = rfc3339(as_of_);
      if (auto created = store.create(res("pods"), pod)) {
        ++writes;
        record_event(store, rs, "Normal", "SuccessfulCreate",
                     "Created pod: " + name_of(created->json()), {"replicaset-controller", ""});
      }
    }
    if (have > replicas) {
      // Unscheduled first, then not ready, then the newest.
      std::sort(live.begin(), live.end(), [](const json& a, const json& b) {
        auto rank = [](const json& p) {
          return p["spec"].value("nodeName", "").empty() ? 0 : pod_ready(p) ? 2 : 1;
        };
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return a["metadata"].value("creationTimestamp", "") >
               b["metadata"].value("creationTimestamp", "");
      });
      for (int i = 0; i < have - replicas; ++i) {
        if (delete_pod(c_, ns_of(live[static_cast<size_t>(i)]),
                       name_of(live[static_cast<size_t>(i)]), -1, "", false)) {
          ++writes;
          record_event(store, rs, "Normal", "SuccessfulDelete",
                       "Deleted pod: " + name_of(live[static_cast<size_t>(i)]),
                       {"replicaset-controller", ""});
        }
      }
    }
    int ready = 0;
    for (const auto& p : live) ready += pod_ready(p) ? 1 : 0;
    json status = {{"replicas", std::min(have, std::max(have, 0))},
                   {"fullyLabeledReplicas", have},
                   {"readyReplicas", ready},
                   {"availableReplicas", ready},
                   {"observedGeneration", rs["metadata"].value("generation", 1)}};
    writes += write_status(store, res("replicasets.apps"), rs, status);
  }
  return writes;
}

int Controllers::sync_daemonsets() {
  int writes = 0;
  Store& store = c_.store();
  auto nodes = store.all(res("nodes"));
  auto pods = store.all(res("pods"));
  OwnerIndex pod_index(pods);
  for (const auto& s : store.all(res("daemonsets.apps"))) {
    const json& ds = s.json();
    if (pod_deleting(ds)) continue;
    json tmpl = ds["spec"].value("template", json::object());
    std::string hash = template_hash(tmpl);
    auto owned = pod_index.owned_by(uid_of(ds));
    int desired = 0, current = 0, ready = 0, updated = 0;
    std::vector<json> outdated;
    bool all_ready = true;
    const json tolerations = tmpl.value("spec", json::object()).value("tolerations", json::array());
    for (const auto& ns : nodes) {
      const json& node = ns.json();
      std::string node_name = name_of(node);

      bool should_run = true, should_continue = true;
      for (const auto& t : effective_taints(node)) {
        std::string effect = t.value("effect", "");
        if (effect != "NoSchedule" && effect != "NoExecute") continue;
        if (tolerates(tolerations, t)) continue;
        should_run = false;
        if (effect == "NoExecute") should_continue = false;
      }
      const json labels = node["metadata"].value("labels", json::object());
      const json selector = tmpl["spec"].value("nodeSelector", json::object());
      for (const auto& [k, v] : selector.items()) {
        if (!labels.contains(k) || labels[k] != v) should_run = should_continue = false;
      }
      std::vector<json> here;
      for (const auto& p : owned) {
        if (active(p) && p["spec"].value("nodeName", "") == node_name) here.push_back(p);
      }
      if (should_run) ++desired;
      if (!should_continue) {
        for (const auto& p : here) {
          if (delete_pod(c_, ns_of(p), name_of(p), -1, "", false)) ++writes;
        }
        continue;
      }
      if (here.empty() && should_run) {
        json pod = make_pod(with_label(with_label(tmpl, "controller-revision-hash", hash),
                                       "pod-template-generation",
                                       std::to_string(ds["metadata"].value("generation", 1))),
                            ns_of(ds), name_of(ds) + "-" + random_suffix(), ds);
        pod["spec"]["nodeName"] = node_name;
        json field = {
            {"key", "metadata.name"}, {"operator", "In"}, {"values", json::array({node_name})}};
        json term = {{"matchFields", json::array({field})}};
        json required = {{"nodeSelectorTerms", json::array({term})}};
        pod["spec"]["affinity"] = {
            {"nodeAffinity", {{"requiredDuringSchedulingIgnoredDuringExecution", required}}}};
        if (instant_) pod["metadata"]["creationTimestamp"] = rfc3339(as_of_);
        if (auto created = store.create(res("pods"), pod)) {
          ++writes;
          record_event(store, ds, "Normal", "SuccessfulCreate",
                       "Created pod: " + name_of(created->json()), {"daemonset-controller", ""});
        }
        all_ready = false;
        continue;
      }
      for (const auto& p : here) {
        ++current;
        if (pod_ready(p))
          ++ready;
        else
          all_ready = false;
        if (p["metadata"].value("labels", json::object()).value("controller-revision-hash", "") ==
            hash)
          ++updated;
        else
          outdated.push_back(p);
      }
    }
    // Rolling update, maxUnavailable 1: replace one outdated pod once every other pod is ready.
    if (!outdated.empty() && all_ready &&
        delete_pod(c_, ns_of(outdated[0]), name_of(outdated[0]), -1, "", false))
      ++writes;
    json status = {{"desiredNumberScheduled", desired},
                   {"currentNumberScheduled", current},
                   {"numberReady", ready},
                   {"updatedNumberScheduled", updated},
                   {"numberAvailable", ready},
                   {"numberMisscheduled", 0},
                   {"observedGeneration", ds["metadata"].value("generation", 1)}};
    if (desired - ready > 0) status["numberUnavailable"] = desired - ready;
    writes += write_status(store, res("daemonsets.apps"), ds, status);
  }
  return writes;
}

int Controllers::collect_garbage() {
  int writes = 0;
  Store& store = c_.store();
  std::set<std::string> owners;
  for (const char* kind : {"deployments.apps", "replicasets.apps", "daemonsets.apps",
                           "statefulsets.apps", "jobs.batch", "nodes"}) {
    for (const auto& s : store.all(res(kind))) owners.insert(uid_of(s.json()));
  }
  for (const char* kind : {"replicasets.apps", "pods", "leases.coordination.k8s.io"}) {
    for (const auto& s : store.all(res(kind))) {
      const json& o = s.json();
      const json refs = o["metadata"].value("ownerReferences", json::array());
      if (refs.empty() || pod_deleting(o)) continue;
      bool any_alive = std::any_of(refs.begin(), refs.end(), [&](const json& r) {
        return owners.contains(r.value("uid", ""));
      });
      if (any_alive) continue;
      bool ok = std::string(kind) == "pods"
                    ? delete_pod(c_, ns_of(o), name_of(o), -1, "", false).has_value()
                    : store.erase(res(kind), ns_of(o), name_of(o)).has_value();
      writes += ok ? 1 : 0;
    }
  }
  return writes;
}

int Controllers::sync_pdbs() {
  int writes = 0;
  Store& store = c_.store();
  for (const auto& s : store.all(res("poddisruptionbudgets.policy"))) {
    const json& pdb = s.json();
    PdbStatus st = evaluate_pdb(store, pdb, c_.faults());
    const json old = pdb.value("status", json::object());
    int64_t gen = pdb["metadata"].value("generation", int64_t{1});
    if (old.value("disruptionsAllowed", -1) == st.disruptions_allowed &&
        old.value("currentHealthy", -1) == st.current_healthy &&
        old.value("desiredHealthy", -1) == st.desired_healthy &&
        old.value("expectedPods", -1) == st.expected_pods &&
        old.value("observedGeneration", int64_t{-1}) == gen) {
      continue;
    }
    writes +=
        write_status(store, res("poddisruptionbudgets.policy"), pdb, pdb_status_json(st, gen));
  }
  return writes;
}

}  // namespace sim
