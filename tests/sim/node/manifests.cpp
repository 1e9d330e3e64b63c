#include "tests/sim/node/manifests.h"

#include <fmt/format.h>

#include <regex>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/semver.h"

namespace sim::node {

const std::vector<std::string>& control_plane_components() {
  static const std::vector<std::string> c{"etcd", "kube-apiserver", "kube-controller-manager",
                                          "kube-scheduler"};
  return c;
}

std::string component_image(const std::string& component, const std::string& version) {
  if (component == "etcd") return "registry.k8s.io/etcd:" + etcd_version_for(version);
  return fmt::format("registry.k8s.io/{}:{}", component, version);
}

std::string manifest_image_tag(const std::string& text) {
  static const std::regex image_re(R"(image:\s*\S+:(\S+))");
  std::smatch m;
  if (std::regex_search(text, m, image_re)) return m[1];
  return "";
}

namespace {

std::string header(const std::string& component, const std::string& annotations) {
  return fmt::format(
      "apiVersion: v1\nkind: Pod\nmetadata:\n{}  labels:\n    component: {}\n    tier: "
      "control-plane\n"
      "  name: {}\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - {}\n",
      annotations, component, component, component);
}

std::string probe(const std::string& kind, const std::string& host, const std::string& path,
                  int port, const std::string& scheme, int delay, int failures) {
  return fmt::format(
      "    {}:\n      failureThreshold: {}\n      httpGet:\n        host: {}\n        path: {}\n   "
      "     port: {}\n"
      "        scheme: {}\n      initialDelaySeconds: {}\n      periodSeconds: 10\n      "
      "timeoutSeconds: 15\n",
      kind, failures, host, path, port, scheme, delay);
}

std::string footer(const std::string& volumes) {
  return "  hostNetwork: true\n  priority: 2000001000\n  priorityClassName: system-node-critical\n"
         "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  volumes:\n" +
         volumes + "status: {}\n";
}

std::string host_path_volume(const std::string& name, const std::string& path,
                             const std::string& type) {
  return fmt::format("  - hostPath:\n      path: {}\n      type: {}\n    name: {}\n", path, type,
                     name);
}

std::string mount(const std::string& name, const std::string& path, bool ro) {
  return fmt::format("    - mountPath: {}\n      name: {}\n{}", path, name,
                     ro ? "      readOnly: true\n" : "");
}

std::string apiserver(const std::string& version, const std::string& ip) {
  std::string s =
      header("kube-apiserver", fmt::format("  annotations:\n    kubeadm.kubernetes.io/"
                                           "kube-apiserver.advertise-address.endpoint: {}:6443\n",
                                           ip));
  for (const char* flag :
       {"--advertise-address={IP}",
        "--allow-privileged=true",
        "--authorization-mode=Node,RBAC",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--enable-admission-plugins=NodeRestriction",
        "--enable-bootstrap-token-auth=true",
        "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
        "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--secure-port=6443",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
        "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
        "--service-cluster-ip-range=10.96.0.0/12",
        "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key"}) {
    s += std::regex_replace(fmt::format("    - {}\n", flag), std::regex("\\{IP\\}"), ip);
  }
  s += fmt::format("    image: {}\n    imagePullPolicy: IfNotPresent\n",
                   component_image("kube-apiserver", version));
  s += probe("livenessProbe", ip, "/livez", 6443, "HTTPS", 10, 8);
  s += "    name: kube-apiserver\n";
  s += probe("readinessProbe", ip, "/readyz", 6443, "HTTPS", 0, 3);
  s += "    resources:\n      requests:\n        cpu: 250m\n";
  s += probe("startupProbe", ip, "/livez", 6443, "HTTPS", 10, 24);
  s += "    volumeMounts:\n" + mount("ca-certs", "/etc/ssl/certs", true) +
       mount("etc-ca-certificates", "/etc/ca-certificates", true) +
       mount("k8s-certs", "/etc/kubernetes/pki", true);
  return s + footer(host_path_volume("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate") +
                    host_path_volume("etc-ca-certificates", "/etc/ca-certificates",
                                     "DirectoryOrCreate") +
                    host_path_volume("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate"));
}

std::string controller_manager(const std::string& version) {
  std::string s = header("kube-controller-manager", "");
  for (const char* flag :
       {"--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--bind-address=127.0.0.1", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--cluster-name=kubernetes", "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
        "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
        "--controllers=*,bootstrapsigner,tokencleaner",
        "--kubeconfig=/etc/kubernetes/controller-manager.conf", "--leader-elect=true",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--root-ca-file=/etc/kubernetes/pki/ca.crt",
        "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
        "--use-service-account-credentials=true"}) {
    s += fmt::format("    - {}\n", flag);
  }
  s += fmt::format("    image: {}\n    imagePullPolicy: IfNotPresent\n",
                   component_image("kube-controller-manager", version));
  s += probe("livenessProbe", "127.0.0.1", "/healthz", 10257, "HTTPS", 10, 8);
  s += "    name: kube-controller-manager\n    resources:\n      requests:\n        cpu: 200m\n";
  s += probe("startupProbe", "127.0.0.1", "/healthz", 10257, "HTTPS", 10, 24);
  s += "    volumeMounts:\n" + mount("k8s-certs", "/etc/kubernetes/pki", true) +
       mount("kubeconfig", "/etc/kubernetes/controller-manager.conf", true);
  return s + footer(host_path_volume("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate") +
                    host_path_volume("kubeconfig", "/etc/kubernetes/controller-manager.conf",
                                     "FileOrCreate"));
}

std::string scheduler(const std::string& version) {
  std::string s = header("kube-scheduler", "");
  for (const char* flag :
       {"--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf", "--bind-address=127.0.0.1",
        "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"}) {
    s += fmt::format("    - {}\n", flag);
  }
  s += fmt::format("    image: {}\n    imagePullPolicy: IfNotPresent\n",
                   component_image("kube-scheduler", version));
  s += probe("livenessProbe", "127.0.0.1", "/livez", 10259, "HTTPS", 10, 8);
  s += "    name: kube-scheduler\n";
  s += probe("readinessProbe", "127.0.0.1", "/readyz", 10259, "HTTPS", 0, 3);
  s += "    resources:\n      requests:\n        cpu: 100m\n";
  s += probe("startupProbe", "127.0.0.1", "/livez", 10259, "HTTPS", 10, 24);
  s += "    volumeMounts:\n" + mount("kubeconfig", "/etc/kubernetes/scheduler.conf", true);
  return s +
         footer(host_path_volume("kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate"));
}

std::string etcd(const std::string& version, const std::string& ip) {
  std::string s = header(
      "etcd",
      fmt::format(
          "  annotations:\n    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://{}:2379\n",
          ip));
  for (const char* flag :
       {"--advertise-client-urls=https://{IP}:2379",
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt", "--client-cert-auth=true",
        "--data-dir=/var/lib/etcd", "--feature-gates=InitialCorruptCheck=true",
        "--initial-advertise-peer-urls=https://{IP}:2380",
        "--key-file=/etc/kubernetes/pki/etcd/server.key",
        "--listen-client-urls=https://127.0.0.1:2379,https://{IP}:2379",
        "--listen-metrics-urls=http://127.0.0.1:2381", "--listen-peer-urls=https://{IP}:2380",
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt", "--peer-client-cert-auth=true",
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--snapshot-count=10000",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt"}) {
    s += std::regex_replace(fmt::format("    - {}\n", flag), std::regex("\\{IP\\}"), ip);
  }
  s += fmt::format("    image: {}\n    imagePullPolicy: IfNotPresent\n",
                   component_image("etcd", version));
  s += probe("livenessProbe", "127.0.0.1", "/livez", 2381, "HTTP", 10, 8);
  s += "    name: etcd\n";
  s += probe("readinessProbe", "127.0.0.1", "/readyz", 2381, "HTTP", 0, 3);
  s += "    resources:\n      requests:\n        cpu: 100m\n        memory: 100Mi\n";
  s += probe("startupProbe", "127.0.0.1", "/readyz", 2381, "HTTP", 10, 24);
  s += "    volumeMounts:\n" + mount("etcd-data", "/var/lib/etcd", false) +
       mount("etcd-certs", "/etc/kubernetes/pki/etcd", false);
  return s +
         footer(host_path_volume("etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate") +
                host_path_volume("etcd-data", "/var/lib/etcd", "DirectoryOrCreate"));
}

}  // namespace

std::string static_pod_manifest(const std::string& component, const std::string& version,
                                const std::string& ip) {
  if (component == "kube-apiserver") return apiserver(version, ip);
  if (component == "kube-controller-manager") return controller_manager(version);
  if (component == "kube-scheduler") return scheduler(version);
  return etcd(version, ip);
}

std::string kubelet_config_yaml() {
  return "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: "
         "false\n"
         "  webhook:\n    cacheTTL: 0s\n    enabled: true\n  x509:\n    clientCAFile: "
         "/etc/kubernetes/pki/ca.crt\n"
         "authorization:\n  mode: Webhook\n  webhook:\n    cacheAuthorizedTTL: 0s\n    "
         "cacheUnauthorizedTTL: 0s\n"
         "cgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n"
         "containerRuntimeEndpoint: \"\"\ncpuManagerReconcilePeriod: 0s\nhealthzBindAddress: "
         "127.0.0.1\n"
         "healthzPort: 10248\nkind: KubeletConfiguration\nlogging: {}\nmemorySwap: {}\n"
         "nodeStatusReportFrequency: 0s\nnodeStatusUpdateFrequency: 0s\nrotateCertificates: true\n"
         "runtimeRequestTimeout: 0s\nshutdownGracePeriod: 0s\nshutdownGracePeriodCriticalPods: 0s\n"
         "staticPodPath: /etc/kubernetes/manifests\nstreamingConnectionIdleTimeout: "
         "0s\nsyncFrequency: 0s\n"
         "volumeStatsAggPeriod: 0s\n";
}

std::string kubeadm_flags_env(const std::string&) {
  return "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/"
         "containerd.sock "
         "--pod-infra-container-image=registry.k8s.io/pause:3.10\"\n";
}

std::string kubeconfig(const std::string& user, const std::string& server) {
  // Certificate data is a placeholder: nothing in the sim authenticates with it.
  return fmt::format(
      "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "
      "S1VCRS1TSU0tUExBQ0VIT0xERVI=\n"
      "    server: https://{1}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: "
      "kubernetes\n"
      "    user: {0}\n  name: {0}@kubernetes\ncurrent-context: {0}@kubernetes\nkind: "
      "Config\npreferences: {{}}\n"
      "users:\n- name: {0}\n  user:\n    client-certificate-data: S1VCRS1TSU0tUExBQ0VIT0xERVI=\n"
      "    client-key-data: S1VCRS1TSU0tUExBQ0VIT0xERVI=\n",
      user, server);
}

}  // namespace sim::node
