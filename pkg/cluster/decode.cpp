#include "pkg/cluster/decode.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

namespace cluster {
namespace {

const json& field(const json& j, std::string_view key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string str(const json& j, std::string_view key) {
  const json& v = field(j, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return "";
}

int integer(const json& j, std::string_view key) {
  const json& v = field(j, key);
  return v.is_number_integer() ? v.get<int>() : 0;
}

std::map<std::string, std::string> string_map(const json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out.emplace(k, v.get<std::string>());
  return out;
}

bool condition_true(const json& status, std::string_view type, std::string* reason = nullptr) {
  for (const auto& c : field(status, "conditions")) {
    if (str(c, "type") != type) continue;
    if (reason) *reason = str(c, "reason");
    return str(c, "status") == "True";
  }
  return false;
}

Resources resources_of(const json& map) {
  Resources r;
  if (auto cpu = parse_quantity(str(map, "cpu")))
    r.cpu_millis = static_cast<std::int64_t>(std::ceil(*cpu * 1000 - 1e-9));
  if (auto mem = parse_quantity(str(map, "memory")))
    r.memory_bytes = static_cast<std::int64_t>(std::ceil(*mem - 1e-9));
  return r;
}

Resources pod_requests(const json& spec) {
  Resources sum;
  for (const auto& c : field(spec, "containers"))
    sum += resources_of(field(field(c, "resources"), "requests"));
  for (const auto& c : field(spec, "initContainers")) {
    Resources init = resources_of(field(field(c, "resources"), "requests"));
    sum.cpu_millis = std::max(sum.cpu_millis, init.cpu_millis);
    sum.memory_bytes = std::max(sum.memory_bytes, init.memory_bytes);
  }
  sum += resources_of(field(spec, "overhead"));
  return sum;
}

}  // namespace

NodeInfo decode_node(const json& node) {
  NodeInfo n;
  const json& meta = field(node, "metadata");
  const json& spec = field(node, "spec");
  const json& status = field(node, "status");
  const json& info = field(status, "nodeInfo");
  n.name = str(meta, "name");
  n.created = str(meta, "creationTimestamp");
  n.labels = string_map(field(meta, "labels"));
  n.control_plane = n.labels.contains(std::string(kControlPlaneLabel));
  for (auto& [k, v] : string_map(field(meta, "annotations")))
    if (k.starts_with(kAnnotationPrefix)) n.ours.emplace(k, std::move(v));
  n.unschedulable =
      field(spec, "unschedulable").is_boolean() && field(spec, "unschedulable").get<bool>();
  for (const auto& t : field(spec, "taints"))
    n.taints.push_back({str(t, "key"), str(t, "value"), str(t, "effect")});
  n.kubelet_version_text = str(info, "kubeletVersion");
  if (auto v = kver::parse(n.kubelet_version_text)) n.kubelet = *v;
  n.os_image = str(info, "osImage");
  n.kernel = str(info, "kernelVersion");
  n.runtime = str(info, "containerRuntimeVersion");
  n.architecture = str(info, "architecture");
  n.ready = condition_true(status, "Ready", &n.ready_reason);
  if (n.ready) n.ready_reason.clear();
  n.allocatable = resources_of(field(status, "allocatable"));
  for (const auto& a : field(status, "addresses")) n.addresses.push_back(str(a, "address"));
  return n;
}

std::map<std::string, std::string> pod_labels(const json& pod) {
  return string_map(field(field(pod, "metadata"), "labels"));
}

PodSummary decode_pod(const json& pod, const std::vector<PdbInfo>& pdbs) {
  PodSummary p;
  const json& meta = field(pod, "metadata");
  const json& spec = field(pod, "spec");
  const json& status = field(pod, "status");
  p.ns = str(meta, "namespace");
  p.name = str(meta, "name");
  p.node = str(spec, "nodeName");
  p.phase = str(status, "phase");
  for (const auto& ref : field(meta, "ownerReferences")) {
    if (field(ref, "controller").is_boolean() && field(ref, "controller").get<bool>()) {
      p.owner_kind = str(ref, "kind");
      p.owner_name = str(ref, "name");
    }
  }
  p.mirror = field(field(meta, "annotations"), kMirrorAnnotation).is_string();
  p.terminating = field(meta, "deletionTimestamp").is_string();
  p.ready = condition_true(status, "Ready");
  for (const auto& v : field(spec, "volumes"))
    if (field(v, "emptyDir").is_object()) p.emptydir = true;
  p.requests = pod_requests(spec);
  for (const auto& t : field(spec, "tolerations")) {
    // The admission defaults (not-ready/unreachable, NoExecute, 300 s) only matter on NotReady
    // nodes, which never receive pods in the plan's simulation: not kept, to save memory.
    std::string key = str(t, "key");
    if ((key == "node.kubernetes.io/not-ready" || key == "node.kubernetes.io/unreachable") &&
        str(t, "effect") == "NoExecute")
      continue;
    std::string op = str(t, "operator");
    p.tolerations.push_back(
        {str(t, "key"), op.empty() ? "Equal" : op, str(t, "value"), str(t, "effect")});
  }
  p.node_selector = string_map(field(spec, "nodeSelector"));
  auto labels = pod_labels(pod);
  auto own = labels.find(std::string(kOwnPodLabel));
  p.ours = own != labels.end() && own->second == kOwnPodLabelValue;
  for (std::size_t i = 0; i < pdbs.size(); ++i)
    if (pdbs[i].ns == p.ns && pdbs[i].selector.matches(labels))
      p.pdbs.push_back(static_cast<int>(i));
  return p;
}

LabelSelector decode_selector(const json& selector) {
  LabelSelector s;
  if (!selector.is_object()) return s;
  s.null = false;
  s.match_labels = string_map(field(selector, "matchLabels"));
  for (const auto& e : field(selector, "matchExpressions")) {
    LabelRequirement r{str(e, "key"), str(e, "operator"), {}};
    for (const auto& v : field(e, "values"))
      if (v.is_string()) r.values.push_back(v.get<std::string>());
    s.match_expressions.push_back(std::move(r));
  }
  return s;
}

PdbInfo decode_pdb(const json& pdb) {
  PdbInfo p;
  const json& meta = field(pdb, "metadata");
  const json& spec = field(pdb, "spec");
  const json& status = field(pdb, "status");
  p.ns = str(meta, "namespace");
  p.name = str(meta, "name");
  p.selector = decode_selector(field(spec, "selector"));
  p.min_available = str(spec, "minAvailable");
  p.max_unavailable = str(spec, "maxUnavailable");
  p.disruptions_allowed = integer(status, "disruptionsAllowed");
  p.current_healthy = integer(status, "currentHealthy");
  p.desired_healthy = integer(status, "desiredHealthy");
  p.expected_pods = integer(status, "expectedPods");
  p.observed = integer(status, "observedGeneration") >= integer(meta, "generation");
  return p;
}

std::optional<ControlPlanePod> decode_control_plane_pod(const json& pod) {
  const json& meta = field(pod, "metadata");
  if (str(meta, "namespace") != "kube-system") return std::nullopt;
  auto labels = string_map(field(meta, "labels"));
  if (labels["tier"] != "control-plane" || labels["component"].empty()) return std::nullopt;
  if (!field(field(meta, "annotations"), kMirrorAnnotation).is_string()) return std::nullopt;
  ControlPlanePod c;
  c.component = labels["component"];
  c.pod = str(meta, "name");
  c.node = str(field(pod, "spec"), "nodeName");
  const json& containers = field(field(pod, "spec"), "containers");
  if (containers.is_array() && !containers.empty()) c.image = str(containers[0], "image");
  if (c.component != "etcd")
    if (auto v = kver::parse_image(c.image)) c.version = *v;
  c.phase = str(field(pod, "status"), "phase");
  c.ready = condition_true(field(pod, "status"), "Ready");
  return c;
}

Lease decode_lease(const json& lease) {
  const json& spec = field(lease, "spec");
  return Lease{true, str(spec, "holderIdentity"), str(spec, "renewTime"),
               integer(spec, "leaseDurationSeconds")};
}

KubeadmConfig decode_kubeadm_config(const json& config_map) {
  KubeadmConfig k;
  k.found = true;
  std::string text = str(field(config_map, "data"), "ClusterConfiguration");
  if (text.empty()) {
    k.error = "kube-system/kubeadm-config has no ClusterConfiguration key";
    return k;
  }
  try {
    YAML::Node doc = YAML::Load(text);
    if (doc["kubernetesVersion"])
      k.kubernetes_version_text = doc["kubernetesVersion"].as<std::string>();
    if (doc["controlPlaneEndpoint"])
      k.control_plane_endpoint = doc["controlPlaneEndpoint"].as<std::string>();
  } catch (const YAML::Exception& e) {
    k.error = std::string("kube-system/kubeadm-config ClusterConfiguration is not valid YAML: ") +
              e.what();
    return k;
  }
  if (auto v = kver::parse(k.kubernetes_version_text)) {
    k.kubernetes_version = *v;
  } else {
    k.error = "kube-system/kubeadm-config kubernetesVersion: " + v.error().message;
  }
  return k;
}

std::string workload_image(const json& workload, std::string_view container) {
  const json& containers =
      field(field(field(field(workload, "spec"), "template"), "spec"), "containers");
  if (!containers.is_array() || containers.empty()) return "";
  for (const auto& c : containers)
    if (str(c, "name") == container) return str(c, "image");
  return str(containers[0], "image");
}

}  // namespace cluster
