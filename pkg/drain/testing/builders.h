// Fixture builders for tests of pkg/drain, pkg/nodeshell and pkg/upgrade:
//   PodBuilder("web-1").in("shop").on("w1").owned_by("ReplicaSet", "web-5d8").json()
// Test support only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ku::testing {

using json = nlohmann::json;

class PodBuilder {
 public:
  explicit PodBuilder(std::string name) {
    pod_ = {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", std::move(name)}, {"namespace", "default"}}},
            {"spec", {{"containers", json::array({{{"name", "main"}, {"image", "app:1"}}})}}},
            {"status", {{"phase", "Running"}}}};
  }
  PodBuilder& in(const std::string& ns) { return set("/metadata/namespace", ns); }
  PodBuilder& on(const std::string& node) { return set("/spec/nodeName", node); }
  PodBuilder& phase(const std::string& p) { return set("/status/phase", p); }
  PodBuilder& label(const std::string& k, const std::string& v) {
    pod_["metadata"]["labels"][k] = v;
    return *this;
  }
  PodBuilder& annotate(const std::string& k, const std::string& v) {
    pod_["metadata"]["annotations"][k] = v;
    return *this;
  }
  PodBuilder& owned_by(const std::string& kind, const std::string& name) {
    pod_["metadata"]["ownerReferences"].push_back(
        {{"apiVersion", kind == "DaemonSet" || kind == "ReplicaSet" ? "apps/v1" : "v1"},
         {"kind", kind},
         {"name", name},
         {"controller", true}});
    return *this;
  }
  PodBuilder& replicaset(const std::string& name = "web-5d8") {
    return owned_by("ReplicaSet", name);
  }
  PodBuilder& daemonset(const std::string& name = "kube-proxy") {
    return owned_by("DaemonSet", name);
  }
  PodBuilder& mirror() { return annotate("kubernetes.io/config.mirror", "0123abcd"); }
  PodBuilder& emptydir() {
    pod_["spec"]["volumes"].push_back({{"name", "scratch"}, {"emptyDir", json::object()}});
    return *this;
  }
  PodBuilder& deleted_at(const std::string& rfc3339) {
    return set("/metadata/deletionTimestamp", rfc3339);
  }
  PodBuilder& ours() { return label("app.kubernetes.io/managed-by", "kubectl-upgrade"); }
  json json_() const { return pod_; }
  operator json() const { return pod_; }

 private:
  PodBuilder& set(const std::string& pointer, const std::string& v) {
    pod_[json::json_pointer(pointer)] = v;
    return *this;
  }
  json pod_;
};

inline json node_json(const std::string& name, const std::string& kubelet = "v1.35.2",
                      bool ready = true, bool control_plane = false) {
  json n = {
      {"apiVersion", "v1"},
      {"kind", "Node"},
      {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
      {"spec", json::object()},
      {"status",
       {{"nodeInfo", {{"kubeletVersion", kubelet}}},
        {"conditions", json::array({{{"type", "Ready"}, {"status", ready ? "True" : "False"}}})}}}};
  if (control_plane) n["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] = "";
  return n;
}

inline json pdb_json(const std::string& ns, const std::string& name, const json& match_labels,
                     int allowed, int healthy, int desired, int expected) {
  return {{"apiVersion", "policy/v1"},
          {"kind", "PodDisruptionBudget"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"minAvailable", desired}, {"selector", {{"matchLabels", match_labels}}}}},
          {"status",
           {{"disruptionsAllowed", allowed},
            {"currentHealthy", healthy},
            {"desiredHealthy", desired},
            {"expectedPods", expected}}}};
}

}  // namespace ku::testing
