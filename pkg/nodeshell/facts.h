// What the read-only "gather facts" script (scripts.h) learns about a node, parsed from its output:
// one `ku.KEY=VALUE` line per fact (other lines are ignored), ending with `ku.end=1`.
// Shared with the plan helper: NodeFacts is plain data, parse_facts is pure.
//
//   ku.os.id=ubuntu                      ku.pkg.manager=apt|dnf|yum|unknown
//   ku.os.version_id=24.04               ku.repo.file=/etc/apt/sources.list.d/kubernetes.list
//   ku.os.pretty_name=Ubuntu 24.04 LTS   ku.repo.present=true|false
//   ku.repo.line=deb [signed-by=...] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /
//   ku.repo.minor=v1.35                  ku.repo.legacy=true|false
//   ku.repo.exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni        (yum/dnf)
//   ku.installed.kubeadm=1.35.2-1.1      (empty: not installed)
//   ku.held=kubeadm kubectl kubelet      (apt-mark showhold)
//   ku.available.kubeadm=1.35.0-1.1 1.35.1-1.1 1.35.2-1.1
//   ku.bin.kubeadm=v1.35.2  ku.bin.kubelet=v1.35.2  ku.bin.kubectl=v1.35.2
//   ku.node.control_plane=true|false     ku.node.admin_conf=true|false
//   ku.end=1
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/kube/error.h"
#include "pkg/version/package_version.h"

namespace nodeshell {

enum class PackageManager { kUnknown, kApt, kDnf, kYum };
const char* to_string(PackageManager pm);

struct NodeFacts {
  std::string os_id;          // "ubuntu", "rocky", ...
  std::string os_version_id;  // "24.04"
  std::string os_pretty_name;
  PackageManager package_manager = PackageManager::kUnknown;

  std::string repo_file;
  bool repo_present = false;
  std::string repo_line;                  // the deb line or baseurl= line
  std::optional<kver::Minor> repo_minor;  // pkgs.k8s.io minor the repo points at
  bool repo_legacy = false;               // apt.kubernetes.io / yum.kubernetes.io
  std::string repo_exclude;               // yum/dnf exclude= line (the "hold")

  std::map<std::string, std::string> installed;               // package -> version, "" = none
  std::set<std::string> held;                                 // apt-mark showhold
  std::map<std::string, std::vector<std::string>> available;  // package -> versions offered

  std::string kubeadm_version;  // `kubeadm version -o short`, "v1.35.2"
  std::string kubelet_version;  // `kubelet --version`
  std::string kubectl_version;  // `kubectl version --client`
  bool control_plane = false;   // /etc/kubernetes/manifests/kube-apiserver.yaml exists
  bool admin_conf = false;      // /etc/kubernetes/admin.conf exists
  bool complete = false;        // the script reached its end

  // The exact package version the repo offers for `target` ("1.36.0-1.1"), if any; the highest
  // revision when several.
  std::optional<std::string> offered(const std::string& package, const kver::Version& target) const;
  // The Kubernetes version a package is installed at.
  std::optional<kver::Version> installed_version(const std::string& package) const;
};

// Errors if the output is not from the facts script or it did not finish.
kube::Result<NodeFacts> parse_facts(std::string_view output);
// A machine-readable `ku.key=value` line of a script's output: parsed, not shown to people.
inline bool is_fact_line(std::string_view line) {
  return line.starts_with("ku.");
}

}  // namespace nodeshell
