#include <fmt/format.h>

#include <algorithm>

#include "pkg/plan/internal.h"
#include "pkg/version/package_version.h"

namespace plan::internal {
namespace {

std::string repo_line(const cluster::NodeFacts& f, kver::Minor m) {
  if (f.package_manager == "apt")
    return fmt::format(
        "'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
        "https://pkgs.k8s.io/core:/stable:/{}/deb/ /' in /etc/apt/sources.list.d/kubernetes.list",
        m.to_string());
  return fmt::format(
      "baseurl=https://pkgs.k8s.io/core:/stable:/{}/rpm/ in "
      "/etc/yum.repos.d/kubernetes.repo",
      m.to_string());
}

bool offers(const cluster::NodeFacts& f, const kver::Version& v) {
  return std::any_of(f.offered.begin(), f.offered.end(), [&](const std::string& text) {
    auto p = kver::parse_package_version(text);
    return p && p->version == v;
  });
}

bool offers_minor(const cluster::NodeFacts& f, kver::Minor m) {
  return std::any_of(f.offered.begin(), f.offered.end(), [&](const std::string& text) {
    auto p = kver::parse_package_version(text);
    return p && p->version.minor_line() == m;
  });
}

}  // namespace

void check_node_facts(const cluster::Inventory& inv, const std::vector<kver::Hop>& hops,
                      std::vector<Finding>& findings) {
  for (const auto& [node, f] : inv.node_facts) {
    std::string subject = "node/" + node;
    if (!f.gathered) {
      add(findings, Severity::kWarning, "NodeFactsMissing", subject,
          "could not inspect the node: " + f.error,
          "check that a privileged pod can run on it (kubectl upgrade plan --inspect-nodes -v=6)");
      continue;
    }
    kver::Minor first_minor = hops.empty() ? kver::Minor{} : hops.front().to.minor_line();
    if (f.legacy_repo) {
      add(findings, Severity::kBlocker, "LegacyPackageRepository", subject,
          fmt::format("{} uses the legacy Kubernetes package repository (apt.kubernetes.io / "
                      "yum.kubernetes.io), frozen since 2023-09-13 and gone since 2024-03-04",
                      f.repo_file.empty() ? "the node" : f.repo_file),
          fmt::format("move to pkgs.k8s.io: install its signing key and use {} "
                      "(kubernetes.io/docs/tasks/administer-cluster/kubeadm/"
                      "change-package-repository/)",
                      repo_line(f, first_minor)));
      continue;
    }
    if (f.repo_file.empty() || !f.repo_minor) {
      add(findings, Severity::kBlocker, "PackageRepositoryUnknown", subject,
          "no pkgs.k8s.io repository for Kubernetes found on the node",
          "configure " + repo_line(f, first_minor));
      continue;
    }
    if (!f.held.empty()) {
      std::string held;
      for (const auto& h : f.held) held += (held.empty() ? "" : ", ") + h;
      add(findings, Severity::kWarning, "PackagesHeld", subject,
          fmt::format("{} held (a plain install fails on held packages)", held),
          "nothing to do for kubectl upgrade node (it unholds, installs, holds again); for a "
          "manual upgrade run apt-mark unhold / dnf versionlock delete first");
    }
    for (const auto& hop : hops) {
      kver::Minor m = hop.to.minor_line();
      if (*f.repo_minor < m && hop.crosses_minor() && m == first_minor)
        add(findings, Severity::kWarning, "RepositoryOnOldMinor", subject,
            fmt::format("{} points at {}, the upgrade needs {}", f.repo_file,
                        f.repo_minor->to_string(), m.to_string()),
            fmt::format("kubectl upgrade node switches it (step 2); by hand: {}", repo_line(f, m)));
      if (offers_minor(f, m) && !offers(f, hop.to))
        add(findings, Severity::kBlocker, "TargetNotOffered", subject,
            fmt::format("the package repository offers no {} (kubeadm {})", hop.to.to_string(),
                        kver::apt_version_pattern(hop.to)),
            "choose a version the repository offers (--to), or fix the repository/mirror");
    }
  }
}

}  // namespace plan::internal
