// The node scripts, rendered from validated values (quote.h) and nothing else. Each script finds
// the package manager itself (apt, dnf or yum, kubernetes-facts.md section 3), so the same text is
// what --dry-run prints and what runs. Lines `ku.KEY=VALUE` in the output are facts (facts.h).
//
// Exit codes of our own checks (the tools' own codes pass through otherwise):
//   3 no pkgs.k8s.io repository file   4 legacy apt/yum.kubernetes.io repository
//   5 the repository offers no package for the target   6 unknown package manager
#pragma once

#include <string>
#include <vector>

#include "pkg/kube/error.h"
#include "pkg/version/version.h"

namespace nodeshell {

inline constexpr int kExitNoRepo = 3;
inline constexpr int kExitLegacyRepo = 4;
inline constexpr int kExitNotOffered = 5;
inline constexpr int kExitUnknownPackageManager = 6;

// Read-only: OS, package manager, repo file and minor, installed/held/offered versions, binaries.
std::string gather_facts_script();
// Points the pkgs.k8s.io repo file at the target's minor, refreshes the package index, prints the
// offered versions (ku.available.*). Refuses a legacy repository.
kube::Result<std::string> switch_repo_script(const kver::Version& target);
// Unhold, install the exact version the repo lists for `target`, hold again (also when the install
// fails); prints the installed binaries' versions (ku.bin.*).
kube::Result<std::string> install_packages_script(const std::vector<std::string>& packages,
                                                  const kver::Version& target);
// First control plane: `kubeadm upgrade plan vT` then `kubeadm upgrade apply vT --yes`;
// elsewhere `kubeadm upgrade node`.
kube::Result<std::string> kubeadm_upgrade_script(bool first_control_plane,
                                                 const kver::Version& target);
// daemon-reload, then restart the kubelet as the very last command.
std::string restart_kubelet_script();

// The fix for a legacy repository, for messages.
inline constexpr const char* kChangeRepoDoc =
    "https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/change-package-repository/";

}  // namespace nodeshell
