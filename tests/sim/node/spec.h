// What the node side of kube-sim needs to know about one node: a plain struct the API side fills
// from the scenario, plus the node-level faults and the package universe (what pkgs.k8s.io offers).
//
// Versions are written without a leading "v" in packages ("1.35.2") and with it for Kubernetes
// component versions ("v1.35.2"); the helpers below accept both.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sim::node {

enum class PackageManager { apt, dnf, yum };

// Node-level faults (scenario `faults:` section, per node or for all nodes). Durations are in
// scenario seconds, i.e. before `sim.timeScale` is applied; 0 means "not set".
struct Faults {
  // The package repository cannot be reached: `apt-get update` / `dnf makecache` / installs fail
  // the way the real tools fail on a network error.
  bool repo_unreachable = false;
  // `systemctl restart kubelet`: the kubelet takes this long to come back (default 5 s).
  double kubelet_restart_seconds = 0;
  // `systemctl restart kubelet`: the kubelet never comes back (kubelet.json state "failed",
  // the Node stays NotReady).
  bool kubelet_restart_fails = false;
  // A node-shell script is SIGKILLed (exit 137) this many seconds after it started.
  double kill_script_after_seconds = 0;
  // A node-shell script is SIGKILLed when it runs a command line starting with this text
  // (e.g. "kubeadm upgrade apply"); the command itself does not run.
  std::string kill_script_at_command;
  // `kubeadm upgrade apply` crashes (SIGKILL) after rewriting the kube-apiserver manifest and
  // before the other components: a half-applied control plane.
  bool kubeadm_apply_crashes = false;
  // The API outage while `kubeadm upgrade apply` restarts the API server (default 3 s).
  double api_outage_seconds = 0;
};

struct NodeSpec {
  std::string name;                  // "cp1"
  bool control_plane = false;        // has /etc/kubernetes/manifests/*.yaml
  bool first_control_plane = false;  // holds /etc/kubernetes/admin.conf
  std::string kubernetes_version;    // control-plane components' version, "v1.35.2"
  std::string kubelet_version;       // installed and running kubelet, "v1.35.2"
  std::string kubeadm_version;       // installed kubeadm package; empty = kubelet_version
  std::string kubectl_version;       // installed kubectl package; empty = kubelet_version
  std::string repo_minor;            // repo file points at this minor ("v1.35"); empty = kubelet's
  bool legacy_repo = false;          // apt.kubernetes.io / yum.kubernetes.io instead of pkgs.k8s.io
  bool held = true;                  // kubeadm, kubelet, kubectl held (apt-mark hold / versionlock)
  PackageManager package_manager = PackageManager::apt;
  std::string os_image;  // empty = "Ubuntu 24.04.1 LTS" (apt) / "Rocky Linux 9.4 (Blue Onyx)"
  std::string control_plane_endpoint = "cp.kube-sim.local:6443";  // written into kubeconfigs
  std::string internal_ip = "10.0.0.10";  // the node's InternalIP, written into manifests
  double time_scale = 1.0;                // sim.timeScale: every delay is multiplied by it
  Faults faults;
};

// What the package repository offers, per minor, as pkgs.k8s.io does: {"v1.35": {"1.35.0", ...}}.
// Package revisions are "-1.1" for apt and "-150500.1.1" for rpm, as pkgs.k8s.io builds them.
struct RepoUniverse {
  std::map<std::string, std::vector<std::string>> versions_by_minor;
};

// A universe with patches 0..N of each minor in [first, last] ("v1.34", "v1.37", 3).
RepoUniverse make_universe(const std::string& first_minor, const std::string& last_minor,
                           int patches_per_minor);

}  // namespace sim::node
