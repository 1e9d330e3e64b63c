// What may enter a node script, and how. DESIGN.md section 2: every value is validated against a
// strict pattern first and shell-quoted anyway; node names never enter a script.
#pragma once

#include <string>
#include <string_view>

#include "pkg/kube/error.h"

namespace nodeshell {

// 'text' for POSIX sh: single quotes, an embedded ' written as '\''.
std::string shell_quote(std::string_view text);

// kubeadm, kubelet, kubectl, cri-tools, kubernetes-cni: the only packages we install.
kube::Result<std::string> checked_package(std::string_view name);
// A package-repository URL of pkgs.k8s.io's layout on any host (mirrors):
// https://HOST[:PORT]/PATH with HOST a DNS name and PATH of [A-Za-z0-9._~:/-] only.
kube::Result<std::string> checked_repo_url(std::string_view url);
// A DNS host name (lower case, labels of [a-z0-9-], dots), optionally :PORT.
kube::Result<std::string> checked_host(std::string_view host);
// A container image reference: [registry[:port]/]path[:tag][@sha256:hex], no spaces or quotes.
kube::Result<std::string> checked_image(std::string_view image);
// A Kubernetes namespace name (DNS-1123 label).
kube::Result<std::string> checked_namespace(std::string_view ns);

}  // namespace nodeshell
