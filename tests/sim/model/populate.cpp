#include "tests/sim/model/populate.h"

#include <fmt/format.h>

#include "tests/sim/model/disruption.h"
#include "tests/sim/model/objects.h"

namespace sim {
namespace {

using json = nlohmann::json;
using std::chrono::hours;

const ResourceInfo& res(const char* q) {
  return *find_qualified(q);
}

std::expected<void, std::string> put(Cluster& c, const char* resource, json obj) {
  auto s = c.store().create(res(resource), std::move(obj));
  if (!s) return std::unexpected("creating " + std::string(resource) + ": " + s.error().message);
  return {};
}

json with_created(json obj, WallTime t) {
  obj["metadata"]["creationTimestamp"] = rfc3339(t);
  return obj;
}

json labels_of(const std::map<std::string, std::string>& m) {
  json out = json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

json configmap(const std::string& ns, const std::string& name, json data, WallTime t) {
  return with_created({{"apiVersion", "v1"},
                       {"kind", "ConfigMap"},
                       {"metadata", {{"name", name}, {"namespace", ns}}},
                       {"data", std::move(data)}},
                      t);
}

json service(const std::string& ns, const std::string& name, const std::string& ip, json ports,
             json selector, json labels, WallTime t) {
  json spec = {{"type", "ClusterIP"},
               {"clusterIP", ip},
               {"clusterIPs", {ip}},
               {"ports", ports},
               {"sessionAffinity", "None"},
               {"ipFamilies", {"IPv4"}},
               {"ipFamilyPolicy", "SingleStack"},
               {"internalTrafficPolicy", "Cluster"}};
  if (!selector.is_null()) spec["selector"] = selector;
  return with_created({{"apiVersion", "v1"},
                       {"kind", "Service"},
                       {"metadata", {{"name", name}, {"namespace", ns}, {"labels", labels}}},
                       {"spec", spec},
                       {"status", {{"loadBalancer", json::object()}}}},
                      t);
}

json deployment(const std::string& ns, const std::string& name, int replicas, json labels,
                json pod_template, WallTime t) {
  pod_template["metadata"]["labels"] = labels;
  return with_created({{"apiVersion", "apps/v1"},
                       {"kind", "Deployment"},
                       {"metadata",
                        {{"name", name},
                         {"namespace", ns},
                         {"labels", labels},
                         {"annotations", {{"deployment.kubernetes.io/revision", "1"}}}}},
                       {"spec",
                        {{"replicas", replicas},
                         {"selector", {{"matchLabels", labels}}},
                         {"template", pod_template},
                         {"revisionHistoryLimit", 10},
                         {"progressDeadlineSeconds", 600},
                         {"strategy",
                          {{"type", "RollingUpdate"},
                           {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}}}}},
                       {"status", json::object()}},
                      t);
}

json daemonset(const std::string& ns, const std::string& name, json labels, json pod_template,
               WallTime t) {
  pod_template["metadata"]["labels"] = labels;
  return with_created({{"apiVersion", "apps/v1"},
                       {"kind", "DaemonSet"},
                       {"metadata",
                        {{"name", name},
                         {"namespace", ns},
                         {"labels", labels},
                         {"annotations", {{"deprecated.daemonset.template.generation", "1"}}}}},
                       {"spec",
                        {{"selector", {{"matchLabels", labels}}},
                         {"template", pod_template},
                         {"revisionHistoryLimit", 10},
                         {"updateStrategy",
                          {{"type", "RollingUpdate"},
                           {"rollingUpdate", {{"maxUnavailable", 1}, {"maxSurge", 0}}}}}}},
                       {"status", json::object()}},
                      t);
}

json pdb_object(const PdbSpec& p, WallTime t) {
  json spec = {{"selector", {{"matchLabels", labels_of(p.selector)}}}};
  auto int_or_pct = [](const std::string& v) -> json {
    if (!v.empty() && v.back() == '%') return v;
    return std::stoi(v);
  };
  if (p.min_available) spec["minAvailable"] = int_or_pct(*p.min_available);
  if (p.max_unavailable) spec["maxUnavailable"] = int_or_pct(*p.max_unavailable);
  return with_created({{"apiVersion", "policy/v1"},
                       {"kind", "PodDisruptionBudget"},
                       {"metadata", {{"name", p.name}, {"namespace", p.ns}}},
                       {"spec", spec},
                       {"status", pdb_status_json(PdbStatus{}, 1)}},
                      t);
}

json kube_proxy_template(const ClusterSpec& cluster) {
  json container = {{"name", "kube-proxy"},
                    {"image", kubeadm_image(cluster, "kube-proxy", cluster.kube_proxy_version)},
                    {"imagePullPolicy", "IfNotPresent"},
                    {"command",
                     {"/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                      "--hostname-override=$(NODE_NAME)"}},
                    {"securityContext", {{"privileged", true}}},
                    {"resources", json::object()},
                    {"terminationMessagePath", "/dev/termination-log"},
                    {"terminationMessagePolicy", "File"}};
  json spec = {{"containers", {container}},
               {"hostNetwork", true},
               {"priorityClassName", "system-node-critical"},
               {"priority", 2000001000},
               {"serviceAccountName", "kube-proxy"},
               {"serviceAccount", "kube-proxy"},
               {"nodeSelector", {{"kubernetes.io/os", "linux"}}},
               {"restartPolicy", "Always"},
               {"terminationGracePeriodSeconds", 30},
               {"dnsPolicy", "ClusterFirst"},
               {"schedulerName", "default-scheduler"},
               {"securityContext", json::object()},
               {"tolerations", json::array({{{"operator", "Exists"}}})}};
  for (const auto& t : daemonset_tolerations()) spec["tolerations"].push_back(t);
  return {{"metadata", json::object()}, {"spec", spec}};
}

json coredns_template(const ClusterSpec& cluster) {
  json container = {
      {"name", "coredns"},
      {"image", kubeadm_image(cluster, "coredns/coredns", cluster.coredns_version)},
      {"imagePullPolicy", "IfNotPresent"},
      {"args", {"-conf", "/etc/coredns/Corefile"}},
      {"resources",
       {{"limits", {{"memory", "170Mi"}}}, {"requests", {{"cpu", "100m"}, {"memory", "70Mi"}}}}},
      {"terminationMessagePath", "/dev/termination-log"},
      {"terminationMessagePolicy", "File"}};
  json spec = {{"containers", {container}},
               {"priorityClassName", "system-cluster-critical"},
               {"priority", 2000000000},
               {"serviceAccountName", "coredns"},
               {"serviceAccount", "coredns"},
               {"dnsPolicy", "Default"},
               {"nodeSelector", {{"kubernetes.io/os", "linux"}}},
               {"restartPolicy", "Always"},
               {"terminationGracePeriodSeconds", 30},
               {"schedulerName", "default-scheduler"},
               {"securityContext", json::object()},
               {"tolerations",
                {{{"key", "CriticalAddonsOnly"}, {"operator", "Exists"}},
                 {{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}},
                 {{"key", "node.kubernetes.io/not-ready"},
                  {"operator", "Exists"},
                  {"effect", "NoExecute"},
                  {"tolerationSeconds", 300}},
                 {{"key", "node.kubernetes.io/unreachable"},
                  {"operator", "Exists"},
                  {"effect", "NoExecute"},
                  {"tolerationSeconds", 300}}}}};
  return {{"metadata", json::object()}, {"spec", spec}};
}

std::expected<void, std::string> populate_system(Cluster& c, WallTime born) {
  const Scenario& s = c.scenario();
  const ClusterSpec& cl = s.cluster;
  std::map<std::string, std::map<std::string, std::string>> namespaces = {
      {"default", {}}, {"kube-system", {}}, {"kube-public", {}}, {"kube-node-lease", {}}};
  for (const auto& n : s.namespaces) {
    for (const auto& [k, v] : n.labels) namespaces[n.name][k] = v;
    namespaces.try_emplace(n.name);
  }
  for (const auto& w : s.workloads) namespaces.try_emplace(w.ns);
  for (const auto& p : s.pdbs) namespaces.try_emplace(p.ns);
  for (int i = 0; i < s.scale.namespaces && s.scale.nodes > 0; ++i)
    namespaces.try_emplace(fmt::format("load-{:02d}", i));
  for (const auto& [name, labels] : namespaces) {
    if (auto ok = put(c, "namespaces", with_created(make_namespace(name, labels), born)); !ok)
      return ok;
    json sa = {{"apiVersion", "v1"},
               {"kind", "ServiceAccount"},
               {"metadata", {{"name", "default"}, {"namespace", name}}}};
    if (auto ok = put(c, "serviceaccounts", with_created(sa, born)); !ok) return ok;
  }
  json kubeadm_config = {
      {"ClusterConfiguration", cluster_configuration_yaml(cl, cl.kubernetes_version)}};
  if (auto ok =
          put(c, "configmaps", configmap("kube-system", "kubeadm-config", kubeadm_config, born));
      !ok)
    return ok;
  if (auto ok = put(c, "configmaps",
                    configmap("kube-system", "kubelet-config",
                              {{"kubelet", kubelet_configuration_yaml()}}, born));
      !ok)
    return ok;
  json proxy_conf = {
      {"config.conf",
       "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: " +
           cl.pod_subnet + "\nmode: \"\"\n"},
      {"kubeconfig.conf",
       "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: "
       "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: "
       "https://cp.kube-sim.local:6443\n  name: default\n"}};
  if (auto ok = put(c, "configmaps", configmap("kube-system", "kube-proxy", proxy_conf, born)); !ok)
    return ok;
  json corefile = {{"Corefile",
                    ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    "
                    "kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n      "
                    " fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus "
                    ":9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n  "
                    "  cache 30\n    loop\n    reload\n    loadbalance\n}\n"}};
  if (auto ok = put(c, "configmaps", configmap("kube-system", "coredns", corefile, born)); !ok)
    return ok;
  if (auto ok = put(c, "configmaps",
                    configmap("kube-public", "cluster-info",
                              {{"kubeconfig",
                                "apiVersion: v1\nclusters:\n- cluster:\n    server: "
                                "https://cp.kube-sim.local:6443\n  name: \"\"\nkind: Config\n"}},
                              born));
      !ok)
    return ok;
  if (auto ok = put(
          c, "services",
          service("default", "kubernetes", "10.96.0.1",
                  {{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", 6443}}},
                  nullptr, {{"component", "apiserver"}, {"provider", "kubernetes"}}, born));
      !ok)
    return ok;
  json dns_ports = {
      {{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}, {"targetPort", 53}},
      {{"name", "dns-tcp"}, {"port", 53}, {"protocol", "TCP"}, {"targetPort", 53}},
      {{"name", "metrics"}, {"port", 9153}, {"protocol", "TCP"}, {"targetPort", 9153}}};
  if (auto ok =
          put(c, "services",
              service("kube-system", "kube-dns", "10.96.0.10", dns_ports, {{"k8s-app", "kube-dns"}},
                      {{"k8s-app", "kube-dns"}, {"kubernetes.io/name", "CoreDNS"}}, born));
      !ok)
    return ok;
  for (const char* sa : {"kube-proxy", "coredns"}) {
    json o = {{"apiVersion", "v1"},
              {"kind", "ServiceAccount"},
              {"metadata", {{"name", sa}, {"namespace", "kube-system"}}}};
    if (auto ok = put(c, "serviceaccounts", with_created(o, born)); !ok) return ok;
  }
  if (auto ok = put(c, "daemonsets.apps",
                    daemonset("kube-system", "kube-proxy", {{"k8s-app", "kube-proxy"}},
                              kube_proxy_template(cl), born));
      !ok)
    return ok;
  return put(c, "deployments.apps",
             deployment("kube-system", "coredns", 2, {{"k8s-app", "kube-dns"}},
                        coredns_template(cl), born));
}

std::expected<void, std::string> populate_node(Cluster& c, const NodeSpec& n, int index,
                                               WallTime born) {
  if (auto ok = put(c, "nodes", make_node(n, index, born)); !ok) return ok;
  auto node = c.store().get(res("nodes"), "", n.name);
  json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata",
                 {{"name", n.name},
                  {"namespace", "kube-node-lease"},
                  {"ownerReferences", {owner_reference(node->json(), false)}}}},
                {"spec",
                 {{"holderIdentity", n.name},
                  {"leaseDurationSeconds", 40},
                  {"renewTime", rfc3339_micro(std::chrono::system_clock::now())}}}};
  lease["metadata"]["ownerReferences"][0].erase("blockOwnerDeletion");
  lease["metadata"]["ownerReferences"][0].erase("controller");
  if (auto ok = put(c, "leases.coordination.k8s.io", with_created(lease, born)); !ok) return ok;
  json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata",
       {{"name",
         fmt::format("{}.{:x}", n.name,
                     std::chrono::duration_cast<std::chrono::nanoseconds>(born.time_since_epoch())
                         .count())},
        {"namespace", "default"}}},
      {"involvedObject",
       {{"kind", "Node"}, {"name", n.name}, {"uid", node->json()["metadata"].value("uid", "")}}},
      {"reason", "RegisteredNode"},
      {"message", fmt::format("Node {} event: Registered Node {} in Controller", n.name, n.name)},
      {"source", {{"component", "node-controller"}}},
      {"firstTimestamp", rfc3339(born)},
      {"lastTimestamp", rfc3339(born)},
      {"count", 1},
      {"type", "Normal"},
      {"reportingComponent", "node-controller"},
      {"reportingInstance", ""},
      {"eventTime", nullptr}};
  return put(c, "events", with_created(event, born));
}

std::expected<void, std::string> populate_workloads(Cluster& c, WallTime born) {
  for (const auto& w : c.scenario().workloads) {
    json tmpl = make_pod_template(w);
    json labels = labels_of(w.labels);
    if (w.kind == "Deployment") {
      if (auto ok =
              put(c, "deployments.apps", deployment(w.ns, w.name, w.replicas, labels, tmpl, born));
          !ok)
        return ok;
    } else if (w.kind == "DaemonSet") {
      if (auto ok = put(c, "daemonsets.apps", daemonset(w.ns, w.name, labels, tmpl, born)); !ok)
        return ok;
    } else {
      json pod = make_pod(tmpl, w.ns, w.name, nullptr);
      if (!w.node.empty()) pod["spec"]["nodeName"] = w.node;
      if (!w.phase.empty()) pod["metadata"]["annotations"]["kube-sim/finished-phase"] = w.phase;
      if (auto ok = put(c, "pods", with_created(pod, born)); !ok) return ok;
    }
    if (w.pdb) {
      if (auto ok = put(c, "poddisruptionbudgets.policy", pdb_object(*w.pdb, born)); !ok) return ok;
    }
  }
  for (const auto& p : c.scenario().pdbs) {
    if (auto ok = put(c, "poddisruptionbudgets.policy", pdb_object(p, born)); !ok) return ok;
  }
  return {};
}

// The generated scale mode: pods of ReplicaSets written directly, Running, spread round-robin
// over the workers (a scheduler pass over 150,000 pods x 5,000 nodes would take minutes).
std::expected<void, std::string> populate_scale(Cluster& c, WallTime born) {
  const ScaleSpec& sc = c.scenario().scale;
  if (sc.pods == 0) return {};
  std::vector<const NodeSpec*> workers;
  std::map<std::string, int> node_index;
  int idx = 0;
  for (const auto& n : c.scenario().nodes) {
    node_index[n.name] = idx++;
    if (!n.control_plane) workers.push_back(&n);
  }
  if (workers.empty()) return std::unexpected("scale: no worker nodes for the pods");
  const int per_rs = 30;
  int rs_count = (sc.pods + per_rs - 1) / per_rs;
  std::map<std::string, int> pods_on_node;
  int made = 0;
  for (int r = 0; r < rs_count && made < sc.pods; ++r) {
    std::string ns = fmt::format("load-{:02d}", r % sc.namespaces);
    std::string app = fmt::format("app-{:05d}", r);
    WorkloadSpec w;
    w.kind = "Deployment";
    w.name = app;
    w.ns = ns;
    w.replicas = std::min(per_rs, sc.pods - made);
    w.cpu_request = "10m";
    w.memory_request = "16Mi";
    w.labels = {{"app", app}};
    json labels = {{"app", app}};
    json dep_obj = deployment(ns, app, w.replicas, labels, make_pod_template(w), born);
    // The hash the Deployment controller computes, so that it adopts this ReplicaSet.
    std::string hash = template_hash(dep_obj["spec"]["template"]);
    json tmpl = dep_obj["spec"]["template"];
    tmpl["metadata"]["labels"]["pod-template-hash"] = hash;
    if (auto ok = put(c, "deployments.apps", dep_obj); !ok) return ok;
    auto dep = c.store().get(res("deployments.apps"), ns, app);
    json rs = {{"apiVersion", "apps/v1"},
               {"kind", "ReplicaSet"},
               {"metadata",
                {{"name", app + "-" + hash},
                 {"namespace", ns},
                 {"labels", tmpl["metadata"]["labels"]},
                 {"ownerReferences", {owner_reference(dep->json())}},
                 {"annotations",
                  {{"deployment.kubernetes.io/revision", "1"},
                   {"deployment.kubernetes.io/desired-replicas", std::to_string(w.replicas)}}}}},
               {"spec",
                {{"replicas", w.replicas},
                 {"selector", {{"matchLabels", tmpl["metadata"]["labels"]}}},
                 {"template", tmpl}}},
               {"status",
                {{"replicas", w.replicas},
                 {"fullyLabeledReplicas", w.replicas},
                 {"readyReplicas", w.replicas},
                 {"availableReplicas", w.replicas},
                 {"observedGeneration", 1}}}};
    if (auto ok = put(c, "replicasets.apps", with_created(rs, born)); !ok) return ok;
    auto rs_stored = c.store().get(res("replicasets.apps"), ns, app + "-" + hash);
    for (int i = 0; i < w.replicas; ++i, ++made) {
      const NodeSpec* node = workers[static_cast<size_t>(made) % workers.size()];
      json pod = make_pod(tmpl, ns, fmt::format("{}-{}-{}", app, hash, random_suffix()),
                          rs_stored->json());
      pod["metadata"]["uid"] = new_uid();
      set_pod_bound(pod, node->name, born);
      set_pod_creating(pod, node->internal_ip, born);
      int n_on = ++pods_on_node[node->name];
      set_pod_running(pod,
                      fmt::format("10.{}.{}.{}", 100 + node_index[node->name] / 250,
                                  node_index[node->name] % 250, 1 + n_on % 254),
                      born);
      // Five random characters collide now and then among 150,000 names: draw again, as a
      // controller does after an AlreadyExists.
      json created = with_created(pod, born);
      auto stored = c.store().create(res("pods"), created);
      for (int retry = 0; !stored && stored.error().code == 409 && retry < 10; ++retry) {
        created["metadata"]["name"] = fmt::format("{}-{}-{}", app, hash, random_suffix());
        stored = c.store().create(res("pods"), created);
      }
      if (!stored) return std::unexpected("creating pods: " + stored.error().message);
    }
    c.store().mutate(res("deployments.apps"), ns, app, [&](json& d) -> Result<void> {
      d["status"] = {{"observedGeneration", 1},
                     {"replicas", w.replicas},
                     {"updatedReplicas", w.replicas},
                     {"readyReplicas", w.replicas},
                     {"availableReplicas", w.replicas}};
      return {};
    });
  }
  return {};
}

}  // namespace

std::string kubeadm_image(const ClusterSpec& cluster, const std::string& component,
                          const std::string& tag) {
  return cluster.image_repository + "/" + component + ":" + tag;
}

std::string cluster_configuration_yaml(const ClusterSpec& cl, const std::string& version) {
  return fmt::format(
      "apiServer: {{}}\napiVersion: kubeadm.k8s.io/v1beta4\ncaCertificateValidityPeriod: "
      "87600h0m0s\n"
      "certificateValidityPeriod: 8760h0m0s\ncertificatesDir: /etc/kubernetes/pki\nclusterName: "
      "kubernetes\n"
      "controlPlaneEndpoint: cp.kube-sim.local:6443\ncontrollerManager: {{}}\ndns: {{}}\n"
      "encryptionAlgorithm: RSA-2048\netcd:\n  local:\n    dataDir: "
      "/var/lib/etcd\nimageRepository: {}\n"
      "kind: ClusterConfiguration\nkubernetesVersion: {}\nnetworking:\n  dnsDomain: cluster.local\n"
      "  podSubnet: {}\n  serviceSubnet: {}\nproxy: {{}}\nscheduler: {{}}\n",
      cl.image_repository, version, cl.pod_subnet, cl.service_subnet);
}

std::string kubelet_configuration_yaml() {
  return "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: "
         "false\n"
         "  webhook:\n    cacheTTL: 0s\n    enabled: true\n  x509:\n    clientCAFile: "
         "/etc/kubernetes/pki/ca.crt\n"
         "authorization:\n  mode: Webhook\ncgroupDriver: systemd\nclusterDNS:\n- "
         "10.96.0.10\nclusterDomain: cluster.local\n"
         "containerRuntimeEndpoint: \"\"\ncpuManagerReconcilePeriod: 0s\nhealthzBindAddress: "
         "127.0.0.1\nhealthzPort: 10248\n"
         "kind: KubeletConfiguration\nrotateCertificates: true\nruntimeRequestTimeout: "
         "0s\nshutdownGracePeriod: 0s\n"
         "staticPodPath: /etc/kubernetes/manifests\nstreamingConnectionIdleTimeout: "
         "0s\nsyncFrequency: 0s\n";
}

std::expected<void, std::string> populate(Cluster& c, WallTime now) {
  WallTime born = now - hours(24 * 45);
  if (auto ok = populate_system(c, born); !ok) return ok;
  int index = 0;
  for (const auto& n : c.scenario().nodes) {
    WallTime t = born + std::chrono::minutes(n.control_plane ? index : 30 + index);
    if (auto ok = populate_node(c, n, index++, t); !ok) return ok;
  }
  if (auto ok = populate_workloads(c, now - hours(24 * 10)); !ok) return ok;
  return populate_scale(c, now - hours(24 * 10));
}

}  // namespace sim
