#include "tests/sim/node/layout.h"

#include <fmt/format.h>

#include <set>

#include "tests/sim/node/manifests.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/semver.h"

namespace sim::node {

NodePaths node_paths(const fs::path& state_dir, const std::string& node) {
  NodePaths p;
  p.dir = state_dir / "nodes" / node;
  p.root = p.dir / "root";
  p.sim_json = p.dir / "sim.json";
  p.requests = state_dir / "requests" / node;
  p.repo = state_dir / "repo";
  return p;
}

// kubeadm's constants.SupportedEtcdVersion and CoreDNSVersion per minor. Minors up to 1.34 follow
// kubeadm's tables; later ones are this sim's assumption (etcd stays on 3.6.x).
std::string etcd_version_for(const std::string& kubernetes_version) {
  auto v = parse_semver(kubernetes_version);
  int minor = v ? v->minor : 35;
  if (minor <= 29) return "3.5.10-0";
  if (minor <= 31) return "3.5.15-0";
  if (minor == 32) return "3.5.16-0";
  if (minor == 33) return "3.5.21-0";
  if (minor == 34) return "3.6.4-0";
  if (minor == 35) return "3.6.5-0";
  return fmt::format("3.6.{}-0", minor - 29);
}

std::string coredns_version_for(const std::string& kubernetes_version) {
  auto v = parse_semver(kubernetes_version);
  int minor = v ? v->minor : 35;
  if (minor <= 30) return "v1.11.1";
  if (minor <= 32) return "v1.11.3";
  if (minor == 33) return "v1.12.0";
  if (minor == 34) return "v1.12.1";
  if (minor == 35) return "v1.12.4";
  return "v1.13.1";
}

RepoUniverse make_universe(const std::string& first_minor, const std::string& last_minor,
                           int patches) {
  RepoUniverse u;
  auto first = parse_minor(first_minor), last = parse_minor(last_minor);
  if (!first || !last) return u;
  for (int m = first->minor; m <= last->minor; ++m) {
    auto& list = u.versions_by_minor[fmt::format("v{}.{}", first->major, m)];
    for (int p = 0; p <= patches; ++p) list.push_back(fmt::format("{}.{}.{}", first->major, m, p));
  }
  return u;
}

std::expected<void, std::string> write_universe(const fs::path& state_dir,
                                                const RepoUniverse& universe) {
  nlohmann::json j = nlohmann::json::object();
  for (auto& [minor, versions] : universe.versions_by_minor) j[minor] = versions;
  return write_json(state_dir / "repo" / "versions.json", j);
}

std::expected<Faults, std::string> faults_for(const nlohmann::json& node_faults,
                                              const std::string& node) {
  static const std::set<std::string> known{"repoUnreachable",     "kubeletRestartSeconds",
                                           "kubeletRestartFails", "killScriptAfterSeconds",
                                           "killScriptAtCommand", "kubeadmApplyCrashes",
                                           "apiOutageSeconds"};
  nlohmann::json merged = nlohmann::json::object();
  for (const char* key : {"*", node.c_str()}) {
    if (!node_faults.is_object() || !node_faults.contains(key)) continue;
    const auto& entry = node_faults.at(key);
    if (!entry.is_object())
      return std::unexpected(fmt::format("faults.nodes.{}: expected a mapping", key));
    for (auto& [k, v] : entry.items()) {
      if (!known.contains(k))
        return std::unexpected(
            fmt::format("faults.nodes.{}: unknown node fault {:?} (known: repoUnreachable, "
                        "kubeletRestartSeconds, kubeletRestartFails, killScriptAfterSeconds, "
                        "killScriptAtCommand, kubeadmApplyCrashes, apiOutageSeconds)",
                        key, k));
      merged[k] = v;
    }
  }
  NodeSpec probe;
  try {
    probe = spec_from_json({{"faults", merged}});
  } catch (const nlohmann::json::exception& e) {
    return std::unexpected(fmt::format("faults.nodes for node {}: {}", node, e.what()));
  }
  return probe.faults;
}

std::expected<void, std::string> write_sim_json(const fs::path& state_dir, const NodeSpec& spec) {
  return write_json(node_paths(state_dir, spec.name).sim_json, spec_to_json(spec));
}

namespace {

std::string os_release(const NodeSpec& spec) {
  if (spec.package_manager == PackageManager::apt) {
    return "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\n"
           "VERSION=\"24.04.1 LTS (Noble "
           "Numbat)\"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n"
           "HOME_URL=\"https://www.ubuntu.com/\"\nUBUNTU_CODENAME=noble\n";
  }
  if (spec.package_manager == PackageManager::yum) {
    return "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\n"
           "VERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 "
           "(Core)\"\nCPE_NAME=\"cpe:/o:centos:centos:7\"\n";
  }
  return "NAME=\"Rocky Linux\"\nVERSION=\"9.4 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos "
         "fedora\"\n"
         "VERSION_ID=\"9.4\"\nPLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue "
         "Onyx)\"\n"
         "CPE_NAME=\"cpe:/o:rocky:rocky:9::baseos\"\n";
}

std::string package_version(const std::string& version, PackageManager pm) {
  auto v = parse_semver(version);
  std::string plain = v ? v->str() : version;
  return plain + "-" + (pm == PackageManager::apt ? deb_revision() : rpm_revision());
}

// The filesystem skeleton: mount points for bubblewrap and merged-/usr symlinks like a modern
// distro.
std::expected<void, std::string> skeleton(const fs::path& root) {
  std::error_code ec;
  for (const char* dir :
       {"usr", "proc", "dev", "tmp", "root", "run", "etc", "var/tmp", "var/log", "opt"}) {
    fs::create_directories(root / dir, ec);
    if (ec)
      return std::unexpected(
          fmt::format("cannot create {}: {}", (root / dir).string(), ec.message()));
  }
  fs::permissions(root / "tmp", fs::perms::all | fs::perms::sticky_bit, ec);
  for (const char* link : {"bin", "sbin", "lib", "lib32", "lib64"}) {
    fs::path p = root / link;
    if (!fs::is_symlink(p)) fs::create_directory_symlink(std::string("usr/") + link, p, ec);
  }
  return {};
}

std::expected<void, std::string> all(
    std::initializer_list<std::expected<void, std::string>> results) {
  for (auto& r : results)
    if (!r) return r;
  return {};
}

std::expected<void, std::string> packages_and_kubelet(const fs::path& root, const NodeSpec& spec) {
  auto pm = spec.package_manager;
  std::string kubelet = spec.kubelet_version;
  std::string kubeadm = spec.kubeadm_version.empty() ? kubelet : spec.kubeadm_version;
  std::string kubectl = spec.kubectl_version.empty() ? kubelet : spec.kubectl_version;
  auto minor = parse_semver(kubelet).value_or(Semver{1, 35, 0});
  Packages pkgs{
      {"kubeadm", {package_version(kubeadm, pm), spec.held}},
      {"kubelet", {package_version(kubelet, pm), spec.held}},
      {"kubectl", {package_version(kubectl, pm), spec.held}},
      {"cri-tools", {package_version(fmt::format("{}.{}.0", minor.major, minor.minor), pm), false}},
      {"kubernetes-cni", {package_version("1.7.1", pm), false}},
  };
  return all({write_packages(root, pkgs),
              write_kubelet(root, {parse_semver(kubelet).value_or(minor).v(), "running",
                                   rfc3339(std::chrono::system_clock::now())})});
}

std::expected<void, std::string> repo_file(const fs::path& root, const NodeSpec& spec) {
  std::string minor = spec.repo_minor;
  if (minor.empty())
    minor = parse_semver(spec.kubelet_version).value_or(Semver{1, 35, 0}).minor_v();
  if (spec.package_manager == PackageManager::apt) {
    // A provisioned node has run `apt-get update` once: its lists match its repo file.
    auto r = write_text(root / kAptList, apt_repo_line(minor, spec.legacy_repo));
    if (!r) return r;
    nlohmann::json lists = {
        {"source", spec.legacy_repo
                       ? "https://apt.kubernetes.io/ kubernetes-xenial"
                       : fmt::format("https://pkgs.k8s.io/core:/stable:/{}/deb/", minor)},
        {"minor", spec.legacy_repo ? "" : minor}};
    return write_json(root / kAptLists, lists);
  }
  return write_text(root / kYumRepo, yum_repo_text(minor, spec.legacy_repo));
}

std::expected<void, std::string> kubeadm_files(const fs::path& root, const NodeSpec& spec) {
  std::string server = spec.control_plane_endpoint;
  auto r = all({write_text(root / kKubeletConfig, kubelet_config_yaml()),
                write_text(root / "var/lib/kubelet/kubeadm-flags.env",
                           kubeadm_flags_env(spec.kubelet_version)),
                write_text(root / "etc/kubernetes/kubelet.conf",
                           kubeconfig("system:node:" + spec.name, server))});
  if (!r || !spec.control_plane) return r;
  for (const auto& c : control_plane_components()) {
    r = write_text(root / kManifestsDir / (c + ".yaml"),
                   static_pod_manifest(c, spec.kubernetes_version, spec.internal_ip));
    if (!r) return r;
  }
  r = all({write_text(root / "etc/kubernetes/controller-manager.conf",
                      kubeconfig("system:kube-controller-manager", server)),
           write_text(root / "etc/kubernetes/scheduler.conf",
                      kubeconfig("system:kube-scheduler", server)),
           // kubeadm join --control-plane writes admin.conf too; super-admin.conf (1.29+) only on
           // `init`.
           write_text(root / "etc/kubernetes/admin.conf", kubeconfig("kubernetes-admin", server))});
  if (!r || !spec.first_control_plane) return r;
  return write_text(root / "etc/kubernetes/super-admin.conf",
                    kubeconfig("kubernetes-super-admin", server));
}

}  // namespace

std::expected<void, std::string> lay_out(const fs::path& state_dir, const NodeSpec& spec) {
  if (spec.name.empty()) return std::unexpected("laying out a node: the spec has no name");
  if (!parse_semver(spec.kubelet_version))
    return std::unexpected(fmt::format("laying out node {}: kubelet version {:?} is not a version",
                                       spec.name, spec.kubelet_version));
  if (spec.control_plane && !parse_semver(spec.kubernetes_version))
    return std::unexpected(
        fmt::format("laying out node {}: control-plane version {:?} is not a version", spec.name,
                    spec.kubernetes_version));
  NodePaths p = node_paths(state_dir, spec.name);
  std::error_code ec;
  fs::create_directories(p.requests, ec);
  if (ec)
    return std::unexpected(fmt::format("cannot create {}: {}", p.requests.string(), ec.message()));
  auto r = all({skeleton(p.root), write_sim_json(state_dir, spec),
                write_text(p.root / "etc/os-release", os_release(spec)),
                write_text(p.root / "etc/hostname", spec.name + "\n"),
                write_text(p.root / "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                write_text(p.root / "etc/group", "root:x:0:\n")});
  if (!r) return r;
  r = all(
      {packages_and_kubelet(p.root, spec), repo_file(p.root, spec), kubeadm_files(p.root, spec)});
  if (!r) return std::unexpected(fmt::format("laying out node {}: {}", spec.name, r.error()));
  return {};
}

}  // namespace sim::node
