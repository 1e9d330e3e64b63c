// The files kubeadm writes on a node, generated for a version: static pod manifests, the kubelet
// configuration, kubeconfigs. Shared by lay_out() and the emulated kubeadm.
#pragma once

#include <string>
#include <vector>

namespace sim::node {

// The control-plane components with a static pod manifest, in the order kubeadm upgrades them.
const std::vector<std::string>& control_plane_components();  // etcd, kube-apiserver, ...

// A real-looking kubeadm static pod manifest. `version` is the Kubernetes version ("v1.35.2");
// etcd gets etcd_version_for(version).
std::string static_pod_manifest(const std::string& component, const std::string& version,
                                const std::string& node_ip);

// The image a manifest for `component` at `version` carries
// ("registry.k8s.io/kube-apiserver:v1.35.2").
std::string component_image(const std::string& component, const std::string& version);

// The image tag in a manifest's text (first `image:` line), "" when absent.
std::string manifest_image_tag(const std::string& manifest_text);

std::string kubelet_config_yaml();
std::string kubeadm_flags_env(const std::string& version);
std::string kubeconfig(const std::string& user, const std::string& server);

}  // namespace sim::node
