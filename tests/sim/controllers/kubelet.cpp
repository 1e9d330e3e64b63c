// The kubelets: node Ready and kubeletVersion from kubelet.json, Leases, the unschedulable and
// not-ready taints, mirror pods from the static pod manifests, and each pod's lifecycle
// (ContainerCreating -> Running, node-shell scripts, graceful termination).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

#include "tests/sim/controllers/controllers.h"
#include "tests/sim/controllers/events.h"
#include "tests/sim/controllers/object_access.h"
#include "tests/sim/controllers/shell_run.h"
#include "tests/sim/model/objects.h"
#include "tests/sim/model/scheduling.h"
#include "tests/sim/scenario/yaml_reader.h"

namespace sim {
namespace {

using controllers_detail::name_of;
using controllers_detail::ns_of;
using controllers_detail::res;
using controllers_detail::uid_of;

namespace fs = std::filesystem;
using json = nlohmann::json;

json read_json_file(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return nullptr;
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false);
  return j.is_discarded() ? json() : j;
}

bool has_taint(const json& taints, const std::string& key, const std::string& effect) {
  for (const auto& t : taints) {
    if (t.value("key", "") == key && t.value("effect", "") == effect) return true;
  }
  return false;
}

// Adds or removes a controller-managed taint; true when the list changed.
bool ensure_taint(json& node, const std::string& key, const std::string& effect, bool want,
                  WallTime now) {
  json taints = node["spec"].value("taints", json::array());
  bool have = has_taint(taints, key, effect);
  if (have == want) return false;
  if (want) {
    json t = {{"key", key}, {"effect", effect}};
    if (effect == "NoExecute") t["timeAdded"] = rfc3339(now);
    taints.push_back(t);
  } else {
    json kept = json::array();
    for (const auto& t : taints) {
      if (!(t.value("key", "") == key && t.value("effect", "") == effect)) kept.push_back(t);
    }
    taints = kept;
  }
  if (taints.empty())
    node["spec"].erase("taints");
  else
    node["spec"]["taints"] = taints;
  return true;
}

std::string log_text(const json& pod) {
  for (const auto& e : pod["spec"]["containers"][0].value("env", json::array())) {
    if (e.value("name", "") == "KUBE_SIM_LOG") return e.value("value", "");
  }
  return {};
}

std::string container_name(const json& pod) {
  return pod["spec"]["containers"][0].value("name", "");
}

}  // namespace

bool Controllers::kubelet_running(const std::string& node) const {
  auto it = kubelets_.find(node);
  return it == kubelets_.end() || it->second.state == "running";
}

int Controllers::sync_nodes() {
  int writes = 0;
  Store& store = c_.store();
  const Scenario& s = c_.scenario();
  for (const auto& spec : s.nodes) {
    KubeletSeen seen{spec.kubelet_version, spec.ready ? "running" : "failed"};
    if (s.sim.node_roots) {
      json k =
          read_json_file(node_root(c_.state_dir(), spec.name) / "var/lib/kube-sim/kubelet.json");
      if (k.is_object()) {
        seen.version = k.value("version", seen.version);
        seen.state = spec.ready ? k.value("state", "running") : "failed";
      }
    }
    bool ready = seen.state == "running";
    auto prev = kubelets_.find(spec.name);
    bool restarted = prev != kubelets_.end() && prev->second.state != "running" && ready;
    kubelets_[spec.name] = seen;
    auto node = store.get(res("nodes"), "", spec.name);
    if (!node) continue;
    const json& n = node->json();
    bool was_ready = node_ready(n);
    std::string version = n["status"]["nodeInfo"].value("kubeletVersion", "");
    bool unschedulable = n["spec"].value("unschedulable", false);
    json taints = n["spec"].value("taints", json::array());
    bool taints_ok =
        has_taint(taints, "node.kubernetes.io/unschedulable", "NoSchedule") == unschedulable &&
        has_taint(taints, "node.kubernetes.io/not-ready", "NoSchedule") == !ready;
    bool status_ok = was_ready == ready && (!ready || version == seen.version);
    // The kubelet reports its status at least every 5 minutes (nodeStatusReportFrequency).
    auto beat = status_beats_.find(spec.name);
    bool beat_due = ready && (beat == status_beats_.end() || due(beat->second, 300));
    if (beat_due) status_beats_[spec.name] = std::chrono::steady_clock::now();
    if (status_ok && taints_ok && !beat_due) continue;
    WallTime t =
        std::chrono::system_clock::now();  // node status is always current, even in settle()
    auto updated = store.mutate(res("nodes"), "", spec.name, [&](json& o) -> Result<void> {
      ensure_taint(o, "node.kubernetes.io/unschedulable", "NoSchedule",
                   o["spec"].value("unschedulable", false), t);
      ensure_taint(o, "node.kubernetes.io/not-ready", "NoSchedule", !ready, t);
      ensure_taint(o, "node.kubernetes.io/not-ready", "NoExecute", !ready, t);
      if (ready) o["status"]["nodeInfo"]["kubeletVersion"] = seen.version;
      for (auto& c : o["status"]["conditions"]) {
        if (ready) c["lastHeartbeatTime"] = rfc3339(t);
        if (c.value("type", "") != "Ready") continue;
        if (ready != (c.value("status", "") == "True")) {
          c = ready ? node_ready_condition(true, t, t, "KubeletReady",
                                           "kubelet is posting ready status")
                    : node_ready_condition(false, t, t, "NodeStatusUnknown",
                                           "Kubelet stopped posting node status.");
          if (!ready) c["status"] = "Unknown";
        }
      }
      return {};
    });
    if (!updated) continue;
    ++writes;
    const json& after = updated->json();
    if (was_ready && !ready) {
      record_event(store, after, "Normal", "NodeNotReady",
                   fmt::format("Node {} status is now: NodeNotReady", spec.name),
                   {"node-controller", ""});
    }
    if ((restarted || !was_ready) && ready) {
      record_event(store, after, "Normal", "Starting", "Starting kubelet.", {"kubelet", spec.name});
      record_event(store, after, "Normal", "NodeReady",
                   fmt::format("Node {} status is now: NodeReady", spec.name),
                   {"kubelet", spec.name});
    }
    bool was_cordoned = has_taint(taints, "node.kubernetes.io/unschedulable", "NoSchedule");
    if (unschedulable != was_cordoned) {
      record_event(store, after, "Normal", unschedulable ? "NodeNotSchedulable" : "NodeSchedulable",
                   fmt::format("Node {} status is now: {}", spec.name,
                               unschedulable ? "NodeNotSchedulable" : "NodeSchedulable"),
                   {"kubelet", spec.name});
    }
  }
  // Leases: the kubelet's heartbeat.
  for (const auto& spec : s.nodes) {
    if (!kubelet_running(spec.name)) continue;
    auto it = leases_.find(spec.name);
    if (it != leases_.end() && !due(it->second, s.sim.heartbeat_seconds)) continue;
    leases_[spec.name] = std::chrono::steady_clock::now();
    if (instant_) continue;
    store.mutate(res("leases.coordination.k8s.io"), "kube-node-lease", spec.name,
                 [&](json& l) -> Result<void> {
                   l["spec"]["renewTime"] = rfc3339_micro(std::chrono::system_clock::now());
                   return {};
                 });
  }
  return writes;
}

int Controllers::sync_mirror_pods() {
  int writes = 0;
  Store& store = c_.store();
  const Scenario& s = c_.scenario();
  if (!s.sim.node_roots) return 0;
  for (const auto& spec : s.nodes) {
    fs::path dir = node_root(c_.state_dir(), spec.name) / "etc/kubernetes/manifests";
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || !kubelet_running(spec.name)) continue;
    auto node = store.get(res("nodes"), "", spec.name);
    if (!node) continue;
    std::set<std::string> wanted;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".yaml") continue;
      std::string path = entry.path().string();
      auto mtime = fs::last_write_time(entry.path(), ec);
      auto& cache = manifests_[path];
      if (cache.hash.empty() || cache.mtime != mtime) {
        std::ifstream in(entry.path());
        std::stringstream ss;
        ss << in.rdbuf();
        try {
          cache.pod = scenario_yaml::to_json(YAML::Load(ss.str()));
        } catch (const YAML::Exception&) {
          continue;  // a half-written manifest: the real kubelet also waits for a valid one
        }
        cache.hash = fake_digest(ss.str()).substr(0, 32);
        cache.mtime = mtime;
      }
      if (!cache.pod.is_object() || !cache.pod.contains("spec")) continue;
      std::string component = cache.pod["metadata"].value("name", entry.path().stem().string());
      std::string name = component + "-" + spec.name;
      wanted.insert(name);
      auto existing = store.get(res("pods"), "kube-system", name);
      if (existing && existing->json()["metadata"]
                              .value("annotations", json::object())
                              .value("kubernetes.io/config.hash", "") == cache.hash)
        continue;
      if (existing) {
        store.erase(res("pods"), "kube-system", name);
        ++writes;
      }
      json pod = cache.pod;
      pod["apiVersion"] = "v1";
      pod["kind"] = "Pod";
      pod["metadata"]["name"] = name;
      pod["metadata"]["namespace"] = "kube-system";
      pod["metadata"]["annotations"]["kubernetes.io/config.hash"] = cache.hash;
      pod["metadata"]["annotations"]["kubernetes.io/config.mirror"] = cache.hash;
      pod["metadata"]["annotations"]["kubernetes.io/config.seen"] = rfc3339_nano(now());
      pod["metadata"]["annotations"]["kubernetes.io/config.source"] = "file";
      json owner = owner_reference(node->json());
      owner.erase("blockOwnerDeletion");
      pod["metadata"]["ownerReferences"] = {owner};
      if (instant_) pod["metadata"]["creationTimestamp"] = rfc3339(as_of_);
      pod["spec"]["nodeName"] = spec.name;
      if (!pod["spec"].contains("restartPolicy")) pod["spec"]["restartPolicy"] = "Always";
      if (!pod["spec"].contains("tolerations"))
        pod["spec"]["tolerations"] = {{{"operator", "Exists"}, {"effect", "NoExecute"}}};
      for (auto& c : pod["spec"]["containers"]) {
        if (!c.contains("terminationMessagePath"))
          c["terminationMessagePath"] = "/dev/termination-log";
        if (!c.contains("terminationMessagePolicy")) c["terminationMessagePolicy"] = "File";
      }
      pod["status"] = {{"phase", "Pending"}, {"qosClass", "Burstable"}};
      set_pod_bound(pod, spec.name, now());
      set_pod_creating(pod, spec.internal_ip, now());
      set_pod_running(pod, spec.internal_ip, now());
      if (store.create(res("pods"), pod)) ++writes;
      if (component == "kube-apiserver" && spec.first_control_plane) {
        const json containers = pod["spec"].value("containers", json::array());
        std::string image = containers.empty() ? "" : containers[0].value("image", "");
        auto colon = image.rfind(':');
        if (colon != std::string::npos) c_.set_api_server_version(image.substr(colon + 1));
      }
    }
    for (const auto& p : store.all(res("pods"), "kube-system")) {
      const json& pod = p.json();
      if (pod["spec"].value("nodeName", "") != spec.name) continue;
      if (!pod["metadata"]
               .value("annotations", json::object())
               .contains("kubernetes.io/config.mirror"))
        continue;
      if (wanted.contains(name_of(pod))) continue;
      if (store.erase(res("pods"), "kube-system", name_of(pod))) ++writes;
    }
  }
  return writes;
}

std::string Controllers::next_pod_ip(const json& node) {
  std::string cidr = node["spec"].value("podCIDR", "10.244.0.0/24");
  std::string base = cidr.substr(0, cidr.rfind('.'));
  int& last = pod_ips_[name_of(node)];
  last = last >= 253 ? 2 : std::max(last + 1, 2);
  return fmt::format("{}.{}", base, last);
}

int Controllers::run_kubelets() {
  int writes = 0;
  std::set<std::string> seen;
  for (const auto& s : c_.store().all(res("pods"))) {
    const json& pod = s.json();
    seen.insert(uid_of(pod));
    std::string node = pod["spec"].value("nodeName", "");
    if (node.empty() || !kubelet_running(node)) continue;
    if (pod["metadata"]
            .value("annotations", json::object())
            .contains("kubernetes.io/config.mirror"))
      continue;
    writes += run_pod(pod);
  }
  for (auto it = pods_.begin(); it != pods_.end();) {
    it = seen.contains(it->first) ? std::next(it) : pods_.erase(it);
  }
  for (auto it = shells_.begin(); it != shells_.end();) {
    if (seen.contains(it->first)) {
      ++it;
      continue;
    }
    it->second->cancel = true;
    it = shells_.erase(it);
  }
  return writes;
}

int Controllers::run_pod(const json& pod) {
  Store& store = c_.store();
  const Scenario& sc = c_.scenario();
  std::string uid = uid_of(pod), ns = ns_of(pod), name = name_of(pod);
  std::string node_name = pod["spec"].value("nodeName", "");
  auto now_steady = std::chrono::steady_clock::now();
  auto found = pods_.find(uid);
  if (pod_deleting(pod)) {
    PodTrack& t = pods_[uid];
    if (found == pods_.end() || t.stage != PodTrack::Stage::kTerminating) {
      t = {PodTrack::Stage::kTerminating, now_steady};
      if (auto sh = shells_.find(uid); sh != shells_.end()) sh->second->cancel = true;
      if (!pod_finished(pod)) {
        store.mutate(res("pods"), ns, name, [&](json& p) -> Result<void> {
          set_pod_terminating(p, now());
          return {};
        });
        record_event(store, pod, "Normal", "Killing",
                     fmt::format("Stopping container {}", container_name(pod)),
                     {"kubelet", node_name},
                     fmt::format("spec.containers{{{}}}", container_name(pod)));
      }
      return 1;
    }
    double grace =
        static_cast<double>(pod["metadata"].value("deletionGracePeriodSeconds", int64_t{30}));
    if (!due(t.since, std::min(grace, sc.sim.pod_stop_seconds))) return 0;
    if (auto sh = shells_.find(uid); sh != shells_.end() && !sh->second->done) return 0;
    c_.logs().forget(uid);
    shells_.erase(uid);
    pods_.erase(uid);
    return store.erase(res("pods"), ns, name, uid) ? 1 : 0;
  }
  if (pod_finished(pod)) return 0;
  if (found == pods_.end()) {
    if (pod_phase(pod) == "Running") {
      pods_[uid] = {PodTrack::Stage::kRunning, now_steady};
      return 0;
    }
    auto node = store.get(res("nodes"), "", node_name);
    if (!node) return 0;
    std::string host_ip = node->json()["status"]["addresses"][0].value("address", "");
    store.mutate(res("pods"), ns, name, [&](json& p) -> Result<void> {
      set_pod_creating(p, host_ip, now());
      return {};
    });
    pods_[uid] = {PodTrack::Stage::kCreating, now_steady};
    if (!instant_) return 1;
    found = pods_.find(uid);
  }
  PodTrack& t = found->second;
  if (t.stage != PodTrack::Stage::kCreating || !due(t.since, sc.sim.pod_start_seconds)) return 0;
  auto node = store.get(res("nodes"), "", node_name);
  if (!node) return 0;
  std::string finished =
      pod["metadata"].value("annotations", json::object()).value("kube-sim/finished-phase", "");
  bool host_network = pod["spec"].value("hostNetwork", false);
  std::string ip = host_network ? node->json()["status"]["addresses"][0].value("address", "")
                                : next_pod_ip(node->json());
  t = {PodTrack::Stage::kRunning, now_steady};
  std::string container = container_name(pod);
  std::string field = fmt::format("spec.containers{{{}}}", container);
  EventSource kubelet{"kubelet", node_name};
  if (!instant_) {
    record_event(store, pod, "Normal", "Pulled",
                 fmt::format("Container image \"{}\" already present on machine",
                             pod["spec"]["containers"][0].value("image", "")),
                 kubelet, field);
    record_event(store, pod, "Normal", "Created", fmt::format("Created container: {}", container),
                 kubelet, field);
    record_event(store, pod, "Normal", "Started", fmt::format("Started container {}", container),
                 kubelet, field);
  }
  if (!finished.empty()) {
    store.mutate(res("pods"), ns, name, [&](json& p) -> Result<void> {
      set_pod_running(p, ip, now());
      int code = finished == "Succeeded" ? 0 : 1;
      set_pod_terminated(p, code, code == 0 ? "Completed" : "Error", "", now());
      return {};
    });
    return 1;
  }
  c_.logs().append(uid, container, log_text(pod));
  store.mutate(res("pods"), ns, name, [&](json& p) -> Result<void> {
    set_pod_running(p, ip, now());
    return {};
  });
  if (node_side_.is_node_shell_pod(pod)) {
    auto run = std::make_unique<ShellRun>();
    run->ns = ns;
    run->name = name;
    run->container = container;
    ShellRun* raw = run.get();
    PodLogs* logs = &c_.logs();
    NodeSide* side = &node_side_;
    run->thread = std::thread([raw, logs, side, node_name, pod, uid, container] {
      raw->outcome = side->run_pod(
          node_name, pod,
          [&](std::string_view chunk) { logs->append(uid, container, std::string(chunk)); },
          raw->cancel);
      raw->done = true;
    });
    shells_[uid] = std::move(run);
  }
  return 1;
}

int Controllers::finish_shell_pods() {
  int writes = 0;
  for (auto it = shells_.begin(); it != shells_.end();) {
    ShellRun& run = *it->second;
    if (!run.done) {
      ++it;
      continue;
    }
    const std::string uid = it->first;
    c_.logs().set_finished(uid, run.container, true);
    if (!run.outcome.cancelled) {
      ShellOutcome o = run.outcome;
      auto done = c_.store().mutate(res("pods"), run.ns, run.name, [&](json& p) -> Result<void> {
        if (p["metadata"].value("uid", "") != uid)
          return std::unexpected(conflict("", "pods", run.name, "replaced"));
        std::string reason = o.reason == "DeadlineExceeded" ? "Error" : o.reason;
        set_pod_terminated(p, o.exit_code,
                           reason.empty() ? (o.exit_code == 0 ? "Completed" : "Error") : reason,
                           o.message, now());
        if (o.reason == "DeadlineExceeded") {
          p["status"]["reason"] = "DeadlineExceeded";
          p["status"]["message"] = "Pod was active on the node longer than the specified deadline";
        }
        return {};
      });
      writes += done ? 1 : 0;
    }
    it = shells_.erase(it);
  }
  return writes;
}

}  // namespace sim
