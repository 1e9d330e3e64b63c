#include "tests/sim/scenario/scenario.h"

#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/sim/scenario/yaml_reader.h"

namespace sim {
namespace {

using scenario_yaml::LoadError;
using scenario_yaml::Reader;

const std::regex kVersion(R"(v\d+\.\d+\.\d+(-[0-9A-Za-z.\-]+)?)");

void check_version(const Reader& r, const std::string& key, const std::string& v) {
  if (!std::regex_match(v, kVersion)) r.fail(key, "\"" + v + "\" is not a version like v1.35.2");
}

int minor_number(const std::string& version) {
  static const std::regex re(R"(v\d+\.(\d+)\..*)");
  std::smatch m;
  return std::regex_match(version, m, re) ? std::stoi(m[1].str()) : 35;
}

// kubeadm's CoreDNS and etcd versions per minor (the same table as the node side's).
std::string default_coredns(const std::string& version) {
  int minor = minor_number(version);
  if (minor <= 30) return "v1.11.1";
  if (minor <= 32) return "v1.11.3";
  if (minor == 33) return "v1.12.0";
  if (minor == 34) return "v1.12.1";
  if (minor == 35) return "v1.12.4";
  return "v1.13.1";
}

std::string default_etcd(const std::string& version) {
  int minor = minor_number(version);
  if (minor <= 29) return "3.5.10-0";
  if (minor <= 31) return "3.5.15-0";
  if (minor == 32) return "3.5.16-0";
  if (minor == 33) return "3.5.21-0";
  if (minor == 34) return "3.6.4-0";
  if (minor == 35) return "3.6.5-0";
  return fmt::format("3.6.{}-0", minor - 29);
}

ClusterSpec read_cluster(const Reader& r) {
  r.only({"name", "apiServerVersion", "kubernetesVersion", "kubeProxyVersion", "coreDNSVersion",
          "etcdVersion", "imageRepository", "podSubnet", "serviceSubnet"});
  ClusterSpec c;
  c.name = r.str("name", c.name);
  c.api_server_version = r.str("apiServerVersion", c.api_server_version);
  check_version(r, "apiServerVersion", c.api_server_version);
  c.kubernetes_version = r.str("kubernetesVersion", c.api_server_version);
  check_version(r, "kubernetesVersion", c.kubernetes_version);
  c.kube_proxy_version = r.str("kubeProxyVersion", c.kubernetes_version);
  check_version(r, "kubeProxyVersion", c.kube_proxy_version);
  c.coredns_version = r.str("coreDNSVersion", default_coredns(c.kubernetes_version));
  c.etcd_version = r.str("etcdVersion", default_etcd(c.kubernetes_version));
  c.image_repository = r.str("imageRepository", c.image_repository);
  c.pod_subnet = r.str("podSubnet", c.pod_subnet);
  c.service_subnet = r.str("serviceSubnet", c.service_subnet);
  return c;
}

SimSettings read_sim(const Reader& r) {
  r.only({"timeScale", "tickSeconds", "podStartSeconds", "podStopSeconds", "heartbeatSeconds",
          "kubeletRestartSeconds", "controllers", "nodeRoots"});
  SimSettings s;
  s.time_scale = r.number("timeScale", s.time_scale);
  if (s.time_scale <= 0 || s.time_scale > 100) r.fail("timeScale", "must be in (0, 100]");
  s.tick_seconds = r.number("tickSeconds", s.tick_seconds);
  if (s.tick_seconds < 0.01 || s.tick_seconds > 10) r.fail("tickSeconds", "must be in [0.01, 10]");
  s.pod_start_seconds = r.number("podStartSeconds", s.pod_start_seconds);
  s.pod_stop_seconds = r.number("podStopSeconds", s.pod_stop_seconds);
  s.heartbeat_seconds = r.number("heartbeatSeconds", s.heartbeat_seconds);
  s.kubelet_restart_seconds = r.number("kubeletRestartSeconds", s.kubelet_restart_seconds);
  s.controllers = r.boolean("controllers", s.controllers);
  s.node_roots = r.boolean("nodeRoots", s.node_roots);
  return s;
}

FaultSpec read_faults(const Reader& r) {
  r.only({"apiOutage", "evictionErrors", "pdbNeverAllows", "nodes"});
  FaultSpec f;
  if (r.has("apiOutage")) {
    Reader o = r.child("apiOutage");
    o.only({"refusedSeconds", "unavailableSeconds", "onKubeadmApply"});
    f.outage_refused_seconds = o.number("refusedSeconds", 0);
    f.outage_unavailable_seconds = o.number("unavailableSeconds", 0);
    f.outage_on_kubeadm_apply = o.boolean("onKubeadmApply", true);
  }
  f.eviction_errors = r.string_list("evictionErrors");
  f.pdb_never_allows = r.string_list("pdbNeverAllows");
  f.node_faults = r.json("nodes", nlohmann::json::object());
  return f;
}

std::string default_os_image(const std::string& pm) {
  if (pm == "dnf") return "Rocky Linux 9.4 (Blue Onyx)";
  if (pm == "yum") return "CentOS Linux 7 (Core)";
  return "Ubuntu 24.04.1 LTS";
}

std::string default_kernel(const std::string& pm) {
  if (pm == "dnf") return "5.14.0-427.42.1.el9_4.x86_64";
  if (pm == "yum") return "3.10.0-1160.119.1.el7.x86_64";
  return "6.8.0-48-generic";
}

NodeSpec read_node(const Reader& r, const ClusterSpec& cluster, int index) {
  r.only({"name", "role", "first", "kubeletVersion", "osImage", "kernelVersion", "containerRuntime",
          "packageManager", "repoMinor", "legacyRepo", "packages", "holds", "capacity", "taints",
          "labels", "unschedulable", "ready", "internalIP"});
  NodeSpec n;
  n.name = r.required_str("name");
  std::string role = r.str("role", "worker");
  if (role != "control-plane" && role != "worker") {
    r.fail("role", "must be control-plane or worker, not \"" + role + "\"");
  }
  n.control_plane = role == "control-plane";
  n.first_control_plane = r.boolean("first", false);
  if (n.first_control_plane && !n.control_plane)
    r.fail("first", "only a control-plane node can be the first one");
  n.kubelet_version = r.str("kubeletVersion", cluster.kubernetes_version);
  check_version(r, "kubeletVersion", n.kubelet_version);
  n.package_manager = r.str("packageManager", "apt");
  if (n.package_manager != "apt" && n.package_manager != "dnf" && n.package_manager != "yum") {
    r.fail("packageManager", "must be apt, dnf or yum");
  }
  n.os_image = r.str("osImage", default_os_image(n.package_manager));
  n.kernel_version = r.str("kernelVersion", default_kernel(n.package_manager));
  n.container_runtime = r.str("containerRuntime", n.container_runtime);
  n.repo_minor = r.str("repoMinor", minor_of(n.kubelet_version));
  if (minor_of(n.repo_minor + ".0") != n.repo_minor) r.fail("repoMinor", "must look like v1.35");
  n.legacy_repo = r.boolean("legacyRepo", false);
  std::string pv = package_version(n.kubelet_version, n.package_manager, n.legacy_repo);
  n.packages = {{"kubeadm", pv}, {"kubelet", pv}, {"kubectl", pv}};
  for (const auto& [k, v] : r.string_map("packages")) n.packages[k] = v;
  n.holds = r.has("holds") ? r.string_list("holds")
                           : (n.package_manager == "apt"
                                  ? std::vector<std::string>{"kubeadm", "kubelet", "kubectl"}
                                  : std::vector<std::string>{});
  if (r.has("capacity")) {
    Reader c = r.child("capacity");
    c.only({"cpu", "memory", "pods"});
    n.cpu = c.str("cpu", n.cpu);
    n.memory = c.str("memory", n.memory);
    n.max_pods = c.integer("pods", n.max_pods);
  }
  nlohmann::json default_taints = nlohmann::json::array();
  if (n.control_plane) {
    default_taints.push_back(
        {{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}});
  }
  n.taints = r.json("taints", default_taints);
  if (!n.taints.is_array()) r.fail("taints", "must be a list of {key, value, effect}");
  for (const auto& t : n.taints) {
    if (!t.is_object() || !t.contains("key") || !t.contains("effect"))
      r.fail("taints", "each taint needs key and effect");
  }
  n.labels = r.string_map("labels");
  n.unschedulable = r.boolean("unschedulable", false);
  n.ready = r.boolean("ready", true);
  n.internal_ip = r.str("internalIP", fmt::format("10.0.{}.{}", index / 250, 10 + index % 250));
  return n;
}

PdbSpec read_pdb(const Reader& r, const std::string& default_name, const std::string& default_ns,
                 const std::map<std::string, std::string>& default_selector) {
  r.only({"name", "namespace", "selector", "minAvailable", "maxUnavailable"});
  PdbSpec p;
  p.name = default_name.empty() ? r.required_str("name") : r.str("name", default_name);
  p.ns = r.str("namespace", default_ns);
  p.selector = r.has("selector") ? r.string_map("selector") : default_selector;
  if (p.selector.empty()) r.fail_here("a PodDisruptionBudget needs a selector");
  p.min_available = r.int_or_percent("minAvailable");
  p.max_unavailable = r.int_or_percent("maxUnavailable");
  if (p.min_available.has_value() == p.max_unavailable.has_value()) {
    r.fail_here("a PodDisruptionBudget needs exactly one of minAvailable and maxUnavailable");
  }
  return p;
}

WorkloadSpec read_workload(const Reader& r) {
  r.only({"kind", "name", "namespace", "replicas", "image", "requests", "labels", "nodeSelector",
          "tolerations", "emptyDir", "node", "terminationGracePeriodSeconds", "logs", "pdb",
          "phase"});
  WorkloadSpec w;
  w.kind = r.required_str("kind");
  if (w.kind != "Deployment" && w.kind != "DaemonSet" && w.kind != "Pod") {
    r.fail("kind", "must be Deployment, DaemonSet or Pod, not \"" + w.kind + "\"");
  }
  w.name = r.required_str("name");
  w.ns = r.str("namespace", w.ns);
  w.replicas = r.integer("replicas", w.kind == "Deployment" ? 1 : 0);
  if (w.replicas < 0) r.fail("replicas", "must not be negative");
  w.image = r.str("image", w.image);
  if (r.has("requests")) {
    Reader q = r.child("requests");
    q.only({"cpu", "memory"});
    w.cpu_request = q.str("cpu", "");
    w.memory_request = q.str("memory", "");
  }
  w.labels = r.string_map("labels");
  if (w.labels.empty()) w.labels["app"] = w.name;
  w.node_selector = r.string_map("nodeSelector");
  w.tolerations = r.json("tolerations", nlohmann::json::array());
  if (!w.tolerations.is_array()) r.fail("tolerations", "must be a list");
  w.empty_dir = r.boolean("emptyDir", false);
  w.node = r.str("node", "");
  w.termination_grace_seconds = r.integer("terminationGracePeriodSeconds", 30);
  w.logs = r.string_list("logs");
  w.phase = r.str("phase", "");
  if (!w.phase.empty() && w.phase != "Succeeded" && w.phase != "Failed") {
    r.fail("phase", "must be Succeeded or Failed (finished bare pods)");
  }
  if (r.has("pdb")) w.pdb = read_pdb(r.child("pdb"), w.name, w.ns, w.labels);
  return w;
}

ScaleSpec read_scale(const Reader& r) {
  r.only({"nodes", "pods", "namespaces", "controlPlanes"});
  ScaleSpec s;
  s.nodes = r.integer("nodes", 0);
  s.pods = r.integer("pods", 0);
  s.namespaces = r.integer("namespaces", s.namespaces);
  s.control_planes = r.integer("controlPlanes", s.control_planes);
  if (s.nodes < 0 || s.pods < 0 || s.namespaces < 1 || s.control_planes < 1) {
    r.fail_here("scale: nodes and pods must be >= 0, namespaces and controlPlanes >= 1");
  }
  if (s.control_planes > s.nodes && s.nodes > 0) r.fail("controlPlanes", "cannot exceed nodes");
  return s;
}

void check_references(const Scenario& s, const Reader& root) {
  std::set<std::string> names;
  for (const auto& n : s.nodes) {
    if (!names.insert(n.name).second) root.fail("nodes", "duplicate node name \"" + n.name + "\"");
  }
  int firsts = 0;
  for (const auto& n : s.nodes) firsts += n.first_control_plane ? 1 : 0;
  if (firsts > 1) root.fail("nodes", "more than one node is marked first: true");
  for (const auto& w : s.workloads) {
    if (!w.node.empty() && !names.contains(w.node)) {
      root.fail("workloads", "workload \"" + w.name + "\" names node \"" + w.node +
                                 "\", which the scenario does not have");
    }
  }
}

}  // namespace

const NodeSpec* Scenario::first_control_plane() const {
  for (const auto& n : nodes) {
    if (n.first_control_plane) return &n;
  }
  return nullptr;
}

std::string minor_of(const std::string& version) {
  static const std::regex re(R"((v\d+\.\d+)\.\d+.*)");
  std::smatch m;
  return std::regex_match(version, m, re) ? m[1].str() : std::string();
}

std::string package_version(const std::string& version, const std::string& package_manager,
                            bool legacy) {
  std::string bare = version.starts_with("v") ? version.substr(1) : version;
  if (legacy) return bare + (package_manager == "apt" ? "-00" : "-0");
  return bare + (package_manager == "apt" ? "-1.1" : "-150500.1.1");
}

std::expected<Scenario, std::string> parse_scenario(const std::string& yaml_text,
                                                    const std::filesystem::path& file) {
  try {
    YAML::Node doc = YAML::Load(yaml_text);
    if (!doc.IsMap()) {
      return std::unexpected(file.string() + ":1:1: a scenario must be a YAML mapping");
    }
    Reader root(file, doc, "scenario");
    root.only({"cluster", "sim", "faults", "nodes", "namespaces", "workloads", "pdbs", "scale"});
    Scenario s;
    s.file = file;
    if (root.has("cluster"))
      s.cluster = read_cluster(root.child("cluster"));
    else {
      s.cluster.kubernetes_version = s.cluster.kube_proxy_version = s.cluster.api_server_version;
      s.cluster.coredns_version = default_coredns(s.cluster.kubernetes_version);
      s.cluster.etcd_version = default_etcd(s.cluster.kubernetes_version);
    }
    if (root.has("sim")) s.sim = read_sim(root.child("sim"));
    if (root.has("faults")) s.faults = read_faults(root.child("faults"));
    int index = 0;
    for (const auto& n : root.list("nodes")) s.nodes.push_back(read_node(n, s.cluster, index++));
    if (s.first_control_plane() == nullptr) {
      for (auto& n : s.nodes) {
        if (n.control_plane) {
          n.first_control_plane = true;
          break;
        }
      }
    }
    for (const auto& n : root.list("namespaces")) {
      n.only({"name", "labels"});
      s.namespaces.push_back({n.required_str("name"), n.string_map("labels")});
    }
    for (const auto& w : root.list("workloads")) s.workloads.push_back(read_workload(w));
    for (const auto& p : root.list("pdbs")) s.pdbs.push_back(read_pdb(p, "", "default", {}));
    if (root.has("scale")) s.scale = read_scale(root.child("scale"));
    for (int i = 0; i < s.scale.nodes; ++i) {
      NodeSpec n;
      bool cp = i < s.scale.control_planes;
      n.name = cp ? fmt::format("scale-cp-{}", i + 1)
                  : fmt::format("scale-w-{:05d}", i - s.scale.control_planes + 1);
      n.control_plane = cp;
      n.first_control_plane = i == 0 && s.first_control_plane() == nullptr;
      n.kubelet_version = s.cluster.kubernetes_version;
      n.repo_minor = minor_of(n.kubelet_version);
      std::string pv = package_version(n.kubelet_version, "apt", false);
      n.packages = {{"kubeadm", pv}, {"kubelet", pv}, {"kubectl", pv}};
      n.holds = {"kubeadm", "kubelet", "kubectl"};
      n.cpu = "32";
      n.memory = "128Gi";
      n.max_pods = 250;
      if (cp)
        n.taints = nlohmann::json::array(
            {{{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}});
      int index = static_cast<int>(s.nodes.size());
      n.internal_ip =
          fmt::format("10.{}.{}.{}", 1 + index / 62500, (index / 250) % 250, 10 + index % 250);
      s.nodes.push_back(std::move(n));
    }
    if (s.nodes.empty() && s.scale.nodes == 0) {
      root.fail_here("a scenario needs nodes (or a scale section)");
    }
    check_references(s, root);
    return s;
  } catch (const LoadError& e) {
    return std::unexpected(e.message);
  } catch (const YAML::Exception& e) {
    return std::unexpected(
        fmt::format("{}:{}:{}: {}", file.string(), e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

std::expected<Scenario, std::string> load_scenario(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return std::unexpected(file.string() + ": cannot read the scenario file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), file);
}

}  // namespace sim
