#include "tests/sim/model/objects.h"

#include <fmt/format.h>
#include <openssl/evp.h>

namespace sim {
namespace {

using json = nlohmann::json;

json labels_json(const std::map<std::string, std::string>& labels) {
  json out = json::object();
  for (const auto& [k, v] : labels) out[k] = v;
  return out;
}

json condition(const std::string& type, bool status, WallTime t, const std::string& reason = {},
               const std::string& message = {}) {
  json c = {{"type", type},
            {"status", status ? "True" : "False"},
            {"lastProbeTime", nullptr},
            {"lastTransitionTime", rfc3339(t)}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

void set_condition(json& pod, const std::string& type, bool status, WallTime t,
                   const std::string& reason = {}, const std::string& message = {}) {
  json& conds = pod["status"]["conditions"];
  if (!conds.is_array()) conds = json::array();
  for (auto& c : conds) {
    if (c.value("type", "") == type) {
      bool was = c.value("status", "") == "True";
      json fresh = condition(type, status, was == status ? WallTime{} : t, reason, message);
      if (was == status) fresh["lastTransitionTime"] = c["lastTransitionTime"];
      c = fresh;
      return;
    }
  }
  conds.push_back(condition(type, status, t, reason, message));
}

json container_status(const json& container, const json& state, bool ready, bool started,
                      const std::string& pod_uid) {
  std::string image = container.value("image", "");
  json s = {{"name", container.value("name", "")},
            {"state", state},
            {"lastState", json::object()},
            {"ready", ready},
            {"restartCount", 0},
            {"image", image},
            {"imageID", ""},
            {"started", started}};
  if (!state.contains("waiting")) {
    s["imageID"] = image.substr(0, image.rfind(':')) + "@sha256:" + fake_digest(image);
    s["containerID"] = "containerd://" + fake_digest(pod_uid + container.value("name", ""));
  }
  return s;
}

void set_container_states(json& pod, const json& state, bool ready, bool started) {
  json statuses = json::array();
  std::string uid = pod["metadata"].value("uid", "");
  for (const auto& c : pod["spec"].value("containers", json::array())) {
    statuses.push_back(container_status(c, state, ready, started, uid));
  }
  pod["status"]["containerStatuses"] = statuses;
}

}  // namespace

std::string fake_digest(const std::string& seed) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(seed.data(), seed.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

std::string template_hash(const json& pod_template) {
  std::string hex = fake_digest(pod_template.dump()).substr(0, 10);
  static const char* kSafe = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (char ch : hex) out += kSafe[static_cast<unsigned char>(ch) % 27];
  return out;
}

json make_namespace(const std::string& name, const std::map<std::string, std::string>& labels) {
  json l = labels_json(labels);
  l["kubernetes.io/metadata.name"] = name;
  return {{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", name}, {"labels", l}}},
          {"spec", {{"finalizers", {"kubernetes"}}}},
          {"status", {{"phase", "Active"}}}};
}

json node_ready_condition(bool ready, WallTime heartbeat, WallTime transition,
                          const std::string& reason, const std::string& message) {
  return {{"type", "Ready"},
          {"status", ready ? "True" : "False"},
          {"lastHeartbeatTime", rfc3339(heartbeat)},
          {"lastTransitionTime", rfc3339(transition)},
          {"reason", reason},
          {"message", message}};
}

json make_node(const NodeSpec& spec, int index, WallTime created) {
  json labels = {{"beta.kubernetes.io/arch", "amd64"},
                 {"beta.kubernetes.io/os", "linux"},
                 {"kubernetes.io/arch", "amd64"},
                 {"kubernetes.io/hostname", spec.name},
                 {"kubernetes.io/os", "linux"}};
  if (spec.control_plane) {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  for (const auto& [k, v] : spec.labels) labels[k] = v;
  std::string cidr = fmt::format("10.244.{}.0/24", index);
  json capacity = {{"cpu", spec.cpu},       {"ephemeral-storage", "101203600Ki"},
                   {"hugepages-1Gi", "0"},  {"hugepages-2Mi", "0"},
                   {"memory", spec.memory}, {"pods", std::to_string(spec.max_pods)}};
  json spec_json = {{"podCIDR", cidr}, {"podCIDRs", {cidr}}};
  if (!spec.taints.empty()) spec_json["taints"] = spec.taints;
  if (spec.unschedulable) spec_json["unschedulable"] = true;
  json conditions = json::array();
  for (const char* type : {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
    std::string t = type;
    std::string reason = "KubeletHasSufficient" + (t == "MemoryPressure" ? std::string("Memory")
                                                   : t == "DiskPressure" ? std::string("Disk")
                                                                         : std::string("PID"));
    std::string what = t == "MemoryPressure" ? "sufficient memory available"
                       : t == "DiskPressure" ? "no disk pressure"
                                             : "sufficient PID available";
    conditions.push_back({{"type", t},
                          {"status", "False"},
                          {"lastHeartbeatTime", rfc3339(created)},
                          {"lastTransitionTime", rfc3339(created)},
                          {"reason", reason},
                          {"message", "kubelet has " + what}});
  }
  conditions.push_back(
      spec.ready
          ? node_ready_condition(true, created, created, "KubeletReady",
                                 "kubelet is posting ready status")
          : node_ready_condition(false, created, created, "KubeletNotReady",
                                 "container runtime status check may not have completed yet"));
  std::string id = fake_digest(spec.name).substr(0, 32);
  return {
      {"apiVersion", "v1"},
      {"kind", "Node"},
      {"metadata",
       {{"name", spec.name},
        {"labels", labels},
        {"creationTimestamp", rfc3339(created)},
        {"annotations",
         {{"kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/containerd/containerd.sock"},
          {"node.alpha.kubernetes.io/ttl", "0"},
          {"volumes.kubernetes.io/controller-managed-attach-detach", "true"}}}}},
      {"spec", spec_json},
      {"status",
       {{"capacity", capacity},
        {"allocatable", capacity},
        {"conditions", conditions},
        {"addresses",
         {{{"type", "InternalIP"}, {"address", spec.internal_ip}},
          {{"type", "Hostname"}, {"address", spec.name}}}},
        {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
        {"nodeInfo",
         {{"machineID", id},
          {"systemUUID", id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
                             id.substr(16, 4) + "-" + id.substr(20, 12)},
          {"bootID", fake_digest(spec.name + "boot").substr(0, 32)},
          {"kernelVersion", spec.kernel_version},
          {"osImage", spec.os_image},
          {"containerRuntimeVersion", spec.container_runtime},
          {"kubeletVersion", spec.kubelet_version},
          {"kubeProxyVersion", ""},
          {"operatingSystem", "linux"},
          {"architecture", "amd64"}}},
        {"images", json::array()}}}};
}

json daemonset_tolerations() {
  json t = json::array();
  for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
    t.push_back({{"key", key}, {"operator", "Exists"}, {"effect", "NoExecute"}});
  }
  for (const char* key : {"node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                          "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"}) {
    t.push_back({{"key", key}, {"operator", "Exists"}, {"effect", "NoSchedule"}});
  }
  return t;
}

json make_pod_template(const WorkloadSpec& w) {
  json container = {{"name", w.name},
                    {"image", w.image},
                    {"imagePullPolicy", "IfNotPresent"},
                    {"resources", json::object()},
                    {"terminationMessagePath", "/dev/termination-log"},
                    {"terminationMessagePolicy", "File"}};
  json requests = json::object();
  if (!w.cpu_request.empty()) requests["cpu"] = w.cpu_request;
  if (!w.memory_request.empty()) requests["memory"] = w.memory_request;
  if (!requests.empty()) container["resources"] = {{"requests", requests}};
  json spec = {{"containers", {container}},
               {"restartPolicy", w.kind == "Pod" ? "Never" : "Always"},
               {"terminationGracePeriodSeconds", w.termination_grace_seconds},
               {"dnsPolicy", "ClusterFirst"},
               {"serviceAccountName", "default"},
               {"serviceAccount", "default"},
               {"securityContext", json::object()},
               {"schedulerName", "default-scheduler"},
               {"enableServiceLinks", true},
               {"priority", 0},
               {"preemptionPolicy", "PreemptLowerPriority"}};
  json tolerations = w.tolerations;
  if (w.kind == "DaemonSet") {
    for (const auto& t : daemonset_tolerations()) tolerations.push_back(t);
  } else {
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      tolerations.push_back({{"key", key},
                             {"operator", "Exists"},
                             {"effect", "NoExecute"},
                             {"tolerationSeconds", 300}});
    }
  }
  spec["tolerations"] = tolerations;
  if (!w.node_selector.empty()) spec["nodeSelector"] = labels_json(w.node_selector);
  if (w.empty_dir) {
    spec["volumes"] = {{{"name", "scratch"}, {"emptyDir", json::object()}}};
    spec["containers"][0]["volumeMounts"] = {{{"name", "scratch"}, {"mountPath", "/scratch"}}};
  }
  if (!w.logs.empty()) {
    std::string text;
    for (const auto& l : w.logs) text += l + "\n";
    spec["containers"][0]["env"] = {{{"name", "KUBE_SIM_LOG"}, {"value", text}}};
  }
  return {{"metadata", {{"labels", labels_json(w.labels)}}}, {"spec", spec}};
}

json owner_reference(const json& owner, bool controller) {
  return {{"apiVersion", owner.value("apiVersion", "")},
          {"kind", owner.value("kind", "")},
          {"name", owner["metadata"].value("name", "")},
          {"uid", owner["metadata"].value("uid", "")},
          {"controller", controller},
          {"blockOwnerDeletion", true}};
}

json make_pod(const json& pod_template, const std::string& ns, const std::string& name,
              const json& owner) {
  json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  pod["metadata"] = pod_template.value("metadata", json::object());
  pod["metadata"]["name"] = name;
  pod["metadata"]["namespace"] = ns;
  if (!owner.is_null()) pod["metadata"]["ownerReferences"] = {owner_reference(owner)};
  pod["spec"] = pod_template.value("spec", json::object());
  pod["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
  const auto& containers = pod["spec"].value("containers", json::array());
  if (!containers.empty() && containers[0].contains("resources") &&
      containers[0]["resources"].contains("requests")) {
    pod["status"]["qosClass"] = "Burstable";
  }
  return pod;
}

void set_pod_unschedulable(json& pod, const std::string& message, WallTime now) {
  pod["status"]["phase"] = "Pending";
  set_condition(pod, "PodScheduled", false, now, "Unschedulable", message);
}

void set_pod_bound(json& pod, const std::string& node, WallTime now) {
  pod["spec"]["nodeName"] = node;
  set_condition(pod, "PodScheduled", true, now);
}

void set_pod_creating(json& pod, const std::string& host_ip, WallTime now) {
  json& st = pod["status"];
  st["phase"] = "Pending";
  st["hostIP"] = host_ip;
  st["hostIPs"] = {{{"ip", host_ip}}};
  st["startTime"] = rfc3339(now);
  set_condition(pod, "PodReadyToStartContainers", false, now);
  set_condition(pod, "Initialized", true, now);
  set_condition(
      pod, "Ready", false, now, "ContainersNotReady",
      "containers with unready status: [" + pod["spec"]["containers"][0].value("name", "") + "]");
  set_condition(
      pod, "ContainersReady", false, now, "ContainersNotReady",
      "containers with unready status: [" + pod["spec"]["containers"][0].value("name", "") + "]");
  set_condition(pod, "PodScheduled", true, now);
  set_container_states(pod, {{"waiting", {{"reason", "ContainerCreating"}}}}, false, false);
}

void set_pod_running(json& pod, const std::string& pod_ip, WallTime now) {
  json& st = pod["status"];
  st["phase"] = "Running";
  st["podIP"] = pod_ip;
  st["podIPs"] = {{{"ip", pod_ip}}};
  if (!st.contains("startTime")) st["startTime"] = rfc3339(now);
  set_condition(pod, "PodReadyToStartContainers", true, now);
  set_condition(pod, "Initialized", true, now);
  set_condition(pod, "Ready", true, now);
  set_condition(pod, "ContainersReady", true, now);
  set_condition(pod, "PodScheduled", true, now);
  set_container_states(pod, {{"running", {{"startedAt", rfc3339(now)}}}}, true, true);
}

void set_pod_terminating(json& pod, WallTime now) {
  set_condition(
      pod, "Ready", false, now, "ContainersNotReady",
      "containers with unready status: [" + pod["spec"]["containers"][0].value("name", "") + "]");
  set_condition(
      pod, "ContainersReady", false, now, "ContainersNotReady",
      "containers with unready status: [" + pod["spec"]["containers"][0].value("name", "") + "]");
  for (auto& cs : pod["status"]["containerStatuses"]) cs["ready"] = false;
}

void set_pod_terminated(json& pod, int exit_code, const std::string& reason,
                        const std::string& message, WallTime now) {
  json& st = pod["status"];
  st["phase"] = exit_code == 0 ? "Succeeded" : "Failed";
  std::string started = rfc3339(now);
  if (st.contains("containerStatuses") && !st["containerStatuses"].empty()) {
    const auto& s0 = st["containerStatuses"][0]["state"];
    if (s0.contains("running")) started = s0["running"].value("startedAt", started);
  }
  std::string uid = pod["metadata"].value("uid", "");
  json statuses = json::array();
  for (const auto& c : pod["spec"].value("containers", json::array())) {
    json term = {{"exitCode", exit_code},
                 {"reason", reason},
                 {"startedAt", started},
                 {"finishedAt", rfc3339(now)},
                 {"containerID", "containerd://" + fake_digest(uid + c.value("name", ""))}};
    if (!message.empty()) term["message"] = message;
    statuses.push_back(container_status(c, {{"terminated", term}}, false, false, uid));
  }
  st["containerStatuses"] = statuses;
  set_condition(pod, "PodReadyToStartContainers", false, now);
  set_condition(pod, "Ready", false, now, "PodCompleted");
  set_condition(pod, "ContainersReady", false, now, "PodCompleted");
}

bool pod_ready(const json& pod) {
  const auto& st = pod.value("status", json::object());
  for (const auto& c : st.value("conditions", json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

std::string pod_phase(const json& pod) {
  return pod.value("status", json::object()).value("phase", "");
}

bool pod_finished(const json& pod) {
  std::string p = pod_phase(pod);
  return p == "Succeeded" || p == "Failed";
}

bool pod_deleting(const json& pod) {
  return pod["metadata"].contains("deletionTimestamp");
}

namespace {

// The controller ownerReference, without copying the list (called for every pod on every tick).
const json* controller_ref(const json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end()) return nullptr;
  auto refs = m->find("ownerReferences");
  if (refs == m->end() || !refs->is_array()) return nullptr;
  for (const auto& o : *refs) {
    auto c = o.find("controller");
    if (c != o.end() && c->is_boolean() && c->get<bool>()) return &o;
  }
  return nullptr;
}

}  // namespace

std::string controller_kind(const json& obj) {
  const json* ref = controller_ref(obj);
  return ref != nullptr ? ref->value("kind", "") : std::string();
}

std::string controller_uid(const json& obj) {
  const json* ref = controller_ref(obj);
  return ref != nullptr ? ref->value("uid", "") : std::string();
}

}  // namespace sim
