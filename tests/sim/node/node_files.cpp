#include "tests/sim/node/node_files.h"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

namespace sim::node {

std::expected<std::string, std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(fmt::format("cannot read {}", path.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::expected<void, std::string> write_text(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return std::unexpected(fmt::format("cannot write {}", path.string()));
    out << text;
    if (!out.flush()) return std::unexpected(fmt::format("cannot write {}", path.string()));
  }
  fs::rename(tmp, path, ec);
  if (ec) return std::unexpected(fmt::format("cannot write {}: {}", path.string(), ec.message()));
  return {};
}

std::expected<nlohmann::json, std::string> read_json(const fs::path& path) {
  auto text = read_text(path);
  if (!text) return std::unexpected(text.error());
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) return std::unexpected(fmt::format("{} is not valid JSON", path.string()));
  return j;
}

std::expected<void, std::string> write_json(const fs::path& path, const nlohmann::json& value) {
  return write_text(path, value.dump(2) + "\n");
}

std::expected<Packages, std::string> read_packages(const fs::path& root) {
  auto j = read_json(root / kPackagesFile);
  if (!j) return std::unexpected(j.error());
  Packages out;
  for (auto& [name, p] : j->items()) {
    out[name] = InstalledPackage{p.value("version", ""), p.value("held", false)};
  }
  return out;
}

std::expected<void, std::string> write_packages(const fs::path& root, const Packages& packages) {
  nlohmann::json j = nlohmann::json::object();
  for (auto& [name, p] : packages) j[name] = {{"version", p.version}, {"held", p.held}};
  return write_json(root / kPackagesFile, j);
}

std::expected<KubeletState, std::string> read_kubelet(const fs::path& root) {
  auto j = read_json(root / kKubeletFile);
  if (!j) return std::unexpected(j.error());
  return KubeletState{j->value("version", ""), j->value("state", "running"), j->value("since", "")};
}

std::expected<void, std::string> write_kubelet(const fs::path& root, const KubeletState& s) {
  return write_json(root / kKubeletFile,
                    {{"version", s.version}, {"state", s.state}, {"since", s.since}});
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms % 1000);
}

std::chrono::system_clock::time_point parse_rfc3339(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) < 6) {
    return {};
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  auto secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::milliseconds(millis);
}

namespace {

RepoFile classify(const std::string& url) {
  RepoFile r;
  r.url = url;
  static const std::regex minor_re(R"(/core:/stable:/(v\d+\.\d+)/)");
  std::smatch m;
  if (url.find("apt.kubernetes.io") != std::string::npos ||
      url.find("yum.kubernetes.io") != std::string::npos ||
      url.find("packages.cloud.google.com") != std::string::npos) {
    r.kind = RepoFile::Kind::legacy;
  } else if (std::regex_search(url, m, minor_re)) {
    r.kind = RepoFile::Kind::pkgs;
    r.minor = m[1];
  } else {
    r.kind = RepoFile::Kind::other;
  }
  return r;
}

RepoFile read_apt_list(const fs::path& root) {
  auto text = read_text(root / kAptList);
  if (!text) return {};
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    static const std::regex url_re(R"((https?://\S+))");
    std::smatch m;
    if (std::regex_search(line, m, url_re)) return classify(m[1]);
  }
  return {};
}

RepoFile read_yum_repo(const fs::path& root) {
  auto text = read_text(root / kYumRepo);
  if (!text) return {};
  std::istringstream in(*text);
  std::string line, section, baseurl;
  std::vector<std::string> excludes;
  bool enabled = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      section = line.substr(1, line.find(']') - 1);
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "baseurl") baseurl = value;
    if (key == "enabled") enabled = value != "0";
    if (key == "exclude") {
      std::istringstream words(value);
      std::string w;
      while (words >> w) excludes.push_back(w);
    }
  }
  if (baseurl.empty() || !enabled) return {};
  RepoFile r = classify(baseurl);
  r.excludes = excludes;
  r.repo_id = section;
  return r;
}

}  // namespace

RepoFile read_repo_file(const fs::path& root, PackageManager pm) {
  return pm == PackageManager::apt ? read_apt_list(root) : read_yum_repo(root);
}

std::string apt_repo_line(const std::string& minor, bool legacy) {
  if (legacy) {
    return "deb [signed-by=/etc/apt/keyrings/kubernetes-archive-keyring.gpg] "
           "https://apt.kubernetes.io/ "
           "kubernetes-xenial main\n";
  }
  return fmt::format(
      "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
      "https://pkgs.k8s.io/core:/stable:/{}/deb/ /\n",
      minor);
}

std::string yum_repo_text(const std::string& minor, bool legacy) {
  if (legacy) {
    return "[kubernetes]\nname=Kubernetes\n"
           "baseurl=https://packages.cloud.google.com/yum/repos/kubernetes-el7-$basearch\n"
           "enabled=1\ngpgcheck=1\n"
           "gpgkey=https://packages.cloud.google.com/yum/doc/rpm-package-key.gpg\n"
           "exclude=kubelet kubeadm kubectl\n";
  }
  return fmt::format(
      "[kubernetes]\nname=Kubernetes\nbaseurl=https://pkgs.k8s.io/core:/stable:/{0}/rpm/"
      "\nenabled=1\ngpgcheck=1\n"
      "gpgkey=https://pkgs.k8s.io/core:/stable:/{0}/rpm/repodata/repomd.xml.key\n"
      "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n",
      minor);
}

std::expected<RepoUniverse, std::string> read_universe(const fs::path& repo_dir) {
  auto j = read_json(repo_dir / "versions.json");
  if (!j) return std::unexpected(j.error());
  RepoUniverse u;
  for (auto& [minor, versions] : j->items())
    u.versions_by_minor[minor] = versions.get<std::vector<std::string>>();
  return u;
}

std::string to_string(PackageManager pm) {
  switch (pm) {
    case PackageManager::apt:
      return "apt";
    case PackageManager::dnf:
      return "dnf";
    case PackageManager::yum:
      return "yum";
  }
  return "apt";
}

PackageManager package_manager_from(const std::string& name) {
  if (name == "dnf") return PackageManager::dnf;
  if (name == "yum") return PackageManager::yum;
  return PackageManager::apt;
}

nlohmann::json spec_to_json(const NodeSpec& s) {
  const Faults& f = s.faults;
  return {{"name", s.name},
          {"controlPlane", s.control_plane},
          {"firstControlPlane", s.first_control_plane},
          {"kubernetesVersion", s.kubernetes_version},
          {"kubeletVersion", s.kubelet_version},
          {"kubeadmVersion", s.kubeadm_version},
          {"kubectlVersion", s.kubectl_version},
          {"repoMinor", s.repo_minor},
          {"legacyRepo", s.legacy_repo},
          {"held", s.held},
          {"packageManager", to_string(s.package_manager)},
          {"osImage", s.os_image},
          {"controlPlaneEndpoint", s.control_plane_endpoint},
          {"internalIP", s.internal_ip},
          {"timeScale", s.time_scale},
          {"faults",
           {{"repoUnreachable", f.repo_unreachable},
            {"kubeletRestartSeconds", f.kubelet_restart_seconds},
            {"kubeletRestartFails", f.kubelet_restart_fails},
            {"killScriptAfterSeconds", f.kill_script_after_seconds},
            {"killScriptAtCommand", f.kill_script_at_command},
            {"kubeadmApplyCrashes", f.kubeadm_apply_crashes},
            {"apiOutageSeconds", f.api_outage_seconds}}}};
}

NodeSpec spec_from_json(const nlohmann::json& j) {
  NodeSpec s;
  s.name = j.value("name", "");
  s.control_plane = j.value("controlPlane", false);
  s.first_control_plane = j.value("firstControlPlane", false);
  s.kubernetes_version = j.value("kubernetesVersion", "");
  s.kubelet_version = j.value("kubeletVersion", "");
  s.kubeadm_version = j.value("kubeadmVersion", "");
  s.kubectl_version = j.value("kubectlVersion", "");
  s.repo_minor = j.value("repoMinor", "");
  s.legacy_repo = j.value("legacyRepo", false);
  s.held = j.value("held", true);
  s.package_manager = package_manager_from(j.value("packageManager", "apt"));
  s.os_image = j.value("osImage", "");
  s.control_plane_endpoint = j.value("controlPlaneEndpoint", s.control_plane_endpoint);
  s.internal_ip = j.value("internalIP", s.internal_ip);
  s.time_scale = j.value("timeScale", 1.0);
  auto f = j.value("faults", nlohmann::json::object());
  s.faults.repo_unreachable = f.value("repoUnreachable", false);
  s.faults.kubelet_restart_seconds = f.value("kubeletRestartSeconds", 0.0);
  s.faults.kubelet_restart_fails = f.value("kubeletRestartFails", false);
  s.faults.kill_script_after_seconds = f.value("killScriptAfterSeconds", 0.0);
  s.faults.kill_script_at_command = f.value("killScriptAtCommand", "");
  s.faults.kubeadm_apply_crashes = f.value("kubeadmApplyCrashes", false);
  s.faults.api_outage_seconds = f.value("apiOutageSeconds", 0.0);
  return s;
}

}  // namespace sim::node
