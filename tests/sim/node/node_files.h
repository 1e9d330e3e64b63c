// The files of a node root the node side reads and writes (shared by the library and the tools):
// installed packages, the running kubelet, the repo file, the package universe, the node's
// sim.json. Paths here are relative to a node root ("/" inside the sandbox).
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/node/spec.h"

namespace sim::node {

namespace fs = std::filesystem;

inline constexpr const char* kPackagesFile = "var/lib/kube-sim/packages.json";
inline constexpr const char* kKubeletFile = "var/lib/kube-sim/kubelet.json";
inline constexpr const char* kAptList = "etc/apt/sources.list.d/kubernetes.list";
inline constexpr const char* kYumRepo = "etc/yum.repos.d/kubernetes.repo";
inline constexpr const char* kAptLists = "var/lib/apt/lists/kube-sim-kubernetes.json";
inline constexpr const char* kManifestsDir = "etc/kubernetes/manifests";
inline constexpr const char* kKubeletConfig = "var/lib/kubelet/config.yaml";

std::expected<nlohmann::json, std::string> read_json(const fs::path& path);
// Writes via a temporary file and rename, so readers never see half a file.
std::expected<void, std::string> write_json(const fs::path& path, const nlohmann::json& value);
std::expected<std::string, std::string> read_text(const fs::path& path);
std::expected<void, std::string> write_text(const fs::path& path, const std::string& text);

struct InstalledPackage {
  std::string version;  // "1.35.2-1.1"
  bool held = false;
};
using Packages = std::map<std::string, InstalledPackage>;
std::expected<Packages, std::string> read_packages(const fs::path& root);
std::expected<void, std::string> write_packages(const fs::path& root, const Packages& packages);

struct KubeletState {
  std::string version;  // running version "v1.35.2"
  std::string state;    // running | restarting | failed
  std::string since;    // RFC3339
};
std::expected<KubeletState, std::string> read_kubelet(const fs::path& root);
std::expected<void, std::string> write_kubelet(const fs::path& root, const KubeletState& state);

std::string rfc3339(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point parse_rfc3339(const std::string& text);

// What the node's Kubernetes repo file says.
struct RepoFile {
  enum class Kind { none, pkgs, legacy, other } kind = Kind::none;
  std::string url;                     // apt: the deb URL; yum: baseurl
  std::string minor;                   // "v1.35" for pkgs.k8s.io layouts
  std::vector<std::string> excludes;   // yum/dnf exclude=
  std::string repo_id = "kubernetes";  // yum/dnf section name
};
RepoFile read_repo_file(const fs::path& root, PackageManager pm);
std::string apt_repo_line(const std::string& minor, bool legacy);
std::string yum_repo_text(const std::string& minor, bool legacy);

// DIR/repo/versions.json: minor -> package versions without revision ("1.35.2").
std::expected<RepoUniverse, std::string> read_universe(const fs::path& repo_dir);

// sim.json: the NodeSpec (with faults) as JSON.
nlohmann::json spec_to_json(const NodeSpec& spec);
NodeSpec spec_from_json(const nlohmann::json& j);

std::string to_string(PackageManager pm);
PackageManager package_manager_from(const std::string& name);  // "apt" | "dnf" | "yum"

}  // namespace sim::node
