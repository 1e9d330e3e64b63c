#include "pkg/nodeshell/facts.h"

#include <sstream>

namespace nodeshell {
namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

PackageManager manager_of(const std::string& s) {
  if (s == "apt") return PackageManager::kApt;
  if (s == "dnf") return PackageManager::kDnf;
  if (s == "yum") return PackageManager::kYum;
  return PackageManager::kUnknown;
}

void apply(NodeFacts& f, const std::string& key, const std::string& value) {
  static const std::string installed = "installed.", available = "available.";
  if (key == "os.id")
    f.os_id = value;
  else if (key == "os.version_id")
    f.os_version_id = value;
  else if (key == "os.pretty_name")
    f.os_pretty_name = value;
  else if (key == "pkg.manager")
    f.package_manager = manager_of(value);
  else if (key == "repo.file")
    f.repo_file = value;
  else if (key == "repo.present")
    f.repo_present = value == "true";
  else if (key == "repo.line")
    f.repo_line = value;
  else if (key == "repo.legacy")
    f.repo_legacy = value == "true";
  else if (key == "repo.exclude")
    f.repo_exclude = value;
  else if (key == "repo.minor") {
    if (auto m = kver::parse_minor(value)) f.repo_minor = *m;
  } else if (key.starts_with(installed)) {
    f.installed[key.substr(installed.size())] = value == "(none)" ? "" : value;
  } else if (key.starts_with(available)) {
    f.available[key.substr(available.size())] = words(value);
  } else if (key == "held") {
    for (auto& w : words(value)) f.held.insert(w);
  } else if (key == "bin.kubeadm")
    f.kubeadm_version = value;
  else if (key == "bin.kubelet")
    f.kubelet_version = value;
  else if (key == "bin.kubectl")
    f.kubectl_version = value;
  else if (key == "node.control_plane")
    f.control_plane = value == "true";
  else if (key == "node.admin_conf")
    f.admin_conf = value == "true";
  else if (key == "end")
    f.complete = true;
}

}  // namespace

const char* to_string(PackageManager pm) {
  switch (pm) {
    case PackageManager::kApt:
      return "apt";
    case PackageManager::kDnf:
      return "dnf";
    case PackageManager::kYum:
      return "yum";
    case PackageManager::kUnknown:
      return "unknown";
  }
  return "unknown";
}

kube::Result<NodeFacts> parse_facts(std::string_view output) {
  NodeFacts f;
  std::istringstream in{std::string(output)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.starts_with("ku.")) continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    apply(f, line.substr(3, eq - 3), line.substr(eq + 1));
  }
  if (!f.complete)
    return std::unexpected(kube::Error::decode(
        "the node's facts are incomplete (the gather-facts script did not reach its end)"));
  return f;
}

std::optional<std::string> NodeFacts::offered(const std::string& package,
                                              const kver::Version& target) const {
  auto it = available.find(package);
  if (it == available.end()) return std::nullopt;
  std::optional<kver::PackageVersion> best;
  std::string best_text;
  for (const auto& text : it->second) {
    auto pv = kver::parse_package_version(text);
    if (!pv || pv->legacy || pv->version != target) continue;
    if (!best || pv->revision > best->revision) best = *pv, best_text = text;
  }
  if (!best) return std::nullopt;
  return best_text;
}

std::optional<kver::Version> NodeFacts::installed_version(const std::string& package) const {
  auto it = installed.find(package);
  if (it == installed.end() || it->second.empty()) return std::nullopt;
  auto pv = kver::parse_package_version(it->second);
  if (!pv) return std::nullopt;
  return pv->version;
}

}  // namespace nodeshell
