// dnf (Rocky/RHEL 8+, DNF 4) and yum (CentOS 7, yum 3) with the pkgs.k8s.io rpm repo, whose
// `exclude=` line hides the Kubernetes packages unless --disableexcludes=kubernetes is given.
// DNF texts follow dnf's behave tests (dnf-behave-tests) and libdnf; yum 3 texts are UNVERIFIED.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "tests/sim/node/tools/tool_env.h"

namespace sim::node::tools {

namespace {

struct DnfOptions {
  bool yes = false;
  bool show_duplicates = false;
  bool installed_only = false;                // list --installed
  bool version = false;                       // --version
  std::vector<std::string> disable_excludes;  // repo ids, "all", "main"
  std::vector<std::string> words;
};

DnfOptions parse(const std::vector<std::string>& args) {
  DnfOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-y" || a == "--assumeyes")
      o.yes = true;
    else if (a == "--showduplicates")
      o.show_duplicates = true;
    else if (a == "--installed" ||
             (a == "installed" && o.words.size() == 1 && o.words[0] == "list"))
      o.installed_only = true;
    else if (a == "--version")
      o.version = true;
    else if (a.starts_with("--disableexcludes="))
      o.disable_excludes.push_back(a.substr(18));
    else if (a == "--disableexcludes" && i + 1 < args.size())
      o.disable_excludes.push_back(args[++i]);
    else if (a.starts_with("--setopt=disable_excludes="))
      o.disable_excludes.push_back(a.substr(26));
    else if (a == "--setopt" && i + 1 < args.size() && args[i + 1].starts_with("disable_excludes="))
      o.disable_excludes.push_back(args[++i].substr(17));
    else if (a.starts_with("-"))
      continue;
    else
      o.words.push_back(a);
  }
  return o;
}

bool is_yum3(const ToolEnv& env, const std::string& tool) {
  return tool == "yum" && env.spec.package_manager == PackageManager::yum;
}

std::string rpm(const std::string& plain) {
  return plain + "-" + rpm_revision();
}

// Loads the repo metadata; prints dnf's failure and returns false when it cannot.
bool load_metadata(const ToolEnv& env, const RepoFile& repo, bool yum3) {
  if (repo.kind == RepoFile::Kind::none) return true;
  std::string base = repo.url;
  if (!base.empty() && base.back() == '/') base.pop_back();
  std::string reason;
  if (repo.kind == RepoFile::Kind::legacy) {
    base = "https://packages.cloud.google.com/yum/repos/kubernetes-el7-x86_64";
    reason = fmt::format("Status code: 404 for {}/repodata/repomd.xml (IP: 142.250.74.110)", base);
  } else if (env.spec.faults.repo_unreachable) {
    reason = fmt::format(
        "Curl error (6): Couldn't resolve host name for {}/repodata/repomd.xml [Could not resolve "
        "host: pkgs.k8s.io]",
        base);
  } else if (repo.kind == RepoFile::Kind::other || env.offered(repo.minor).empty()) {
    reason = fmt::format("Status code: 403 for {}/repodata/repomd.xml (IP: 34.107.204.206)", base);
  }
  if (reason.empty()) {
    if (!yum3)
      std::cout << "Kubernetes                                       25 kB/s |  9.4 kB     00:00\n";
    return true;
  }
  if (yum3) {
    std::cerr << fmt::format(
        "{}/repodata/repomd.xml: [Errno 14] HTTPS Error 404 - Not Found\nTrying other mirror.\n"
        "One of the configured repositories failed (Kubernetes),\n and yum doesn't have enough "
        "cached data to continue.\n",
        base);
    return false;
  }
  std::cout << "Kubernetes                                      0.0  B/s |   0  B     00:00\n";
  std::cerr << fmt::format(
      "Errors during downloading metadata for repository '{0}':\n  - {1}\n"
      "Error: Failed to download metadata for repo '{0}': Cannot download repomd.xml: Cannot "
      "download repodata/repomd.xml: All mirrors were tried\n",
      repo.repo_id, reason);
  return false;
}

bool excluded(const RepoFile& repo, const DnfOptions& o, const std::string& name) {
  if (std::find(repo.excludes.begin(), repo.excludes.end(), name) == repo.excludes.end())
    return false;
  for (auto& d : o.disable_excludes)
    if (d == "all" || d == repo.repo_id) return false;
  return true;
}

std::vector<std::string> available(const ToolEnv& env, const RepoFile& repo,
                                   const std::string& name) {
  std::vector<std::string> out;
  if (repo.kind != RepoFile::Kind::pkgs) return out;
  if (name != "kubeadm" && name != "kubelet" && name != "kubectl") return out;
  for (auto& v : env.offered(repo.minor)) out.push_back(rpm(v));
  std::sort(out.begin(), out.end(),
            [](auto& a, auto& b) { return parse_semver(a) < parse_semver(b); });
  return out;
}

// "kubeadm-1.36.2", "kubeadm-1.36.2-150500.1.1", "kubeadm-1.36.*", "kubeadm"
std::pair<std::string, std::string> split_spec(const std::string& spec) {
  for (std::size_t i = 0; i + 1 < spec.size(); ++i)
    if (spec[i] == '-' && std::isdigit(static_cast<unsigned char>(spec[i + 1])))
      return {spec.substr(0, i), spec.substr(i + 1)};
  return {spec, ""};
}

int no_match(bool yum3, const std::string& spec, bool was_excluded) {
  if (yum3) {
    std::cout << fmt::format("No package {} available.\n", spec);
    std::cerr << "Error: Nothing to do\n";
    return 1;
  }
  if (was_excluded)
    std::cout << fmt::format(
        "All matches were filtered out by exclude filtering for argument: {}\n", spec);
  else
    std::cout << fmt::format("No match for argument: {}\n", spec);
  std::cerr << fmt::format("Error: Unable to find a match: {}\n", spec);
  return 1;
}

int install(ToolEnv& env, const DnfOptions& o, bool yum3) {
  RepoFile repo = read_repo_file(env.root, env.spec.package_manager == PackageManager::apt
                                               ? PackageManager::dnf
                                               : env.spec.package_manager);
  if (!load_metadata(env, repo, yum3)) return 1;
  auto pkgs = read_packages(env.root);
  Packages installed = pkgs ? *pkgs : Packages{};
  struct Change {
    std::string name, from, to;
  };
  std::vector<Change> changes;
  for (std::size_t i = 1; i < o.words.size(); ++i) {
    auto [name, wanted] = split_spec(o.words[i]);
    auto list = available(env, repo, name);
    bool was_excluded = !list.empty() && excluded(repo, o, name);
    if (was_excluded) list.clear();
    std::string to;
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      std::string plain = parse_semver(*it)->str();
      if (wanted.empty() || *it == wanted || plain == wanted || fnmatch_version(wanted, *it)) {
        to = *it;
        break;
      }
    }
    if (to.empty()) return no_match(yum3, o.words[i], was_excluded);
    std::string from = installed.contains(name) ? installed.at(name).version : "";
    if (from == to) {
      std::cout << fmt::format("Package {}-{}.x86_64 is already installed.\n", name, to);
      continue;
    }
    changes.push_back({name, from, to});
  }
  std::cout << "Dependencies resolved.\n";
  if (changes.empty()) {
    std::cout << "Nothing to do.\nComplete!\n";
    return 0;
  }
  std::cout << "Upgrading:\n";
  for (auto& c : changes)
    std::cout << fmt::format(" {:<16}x86_64    {:<24}kubernetes    11 M\n", c.name, c.to);
  std::cout << fmt::format("\nTransaction Summary\nUpgrade  {} Package(s)\n\n", changes.size());
  if (!o.yes) {
    std::cout << "Is this ok [y/N]: " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y")) {
      std::cout << "Operation aborted.\n";
      return 1;
    }
  }
  std::cout << "Running transaction\n";
  for (auto& c : changes) {
    std::cout << fmt::format("  Upgrading        : {}-{}.x86_64\n", c.name, c.to);
    installed[c.name].version = c.to;
  }
  std::cout << "\nUpgraded:\n";
  for (auto& c : changes) std::cout << fmt::format("  {}-{}.x86_64\n", c.name, c.to);
  std::cout << "\nComplete!\n";
  write_packages(env.root, installed);
  return 0;
}

int list(ToolEnv& env, const DnfOptions& o, bool yum3) {
  RepoFile repo = read_repo_file(env.root, env.spec.package_manager == PackageManager::apt
                                               ? PackageManager::dnf
                                               : env.spec.package_manager);
  if (!load_metadata(env, repo, yum3)) return 1;
  auto pkgs = read_packages(env.root);
  Packages installed = pkgs ? *pkgs : Packages{};
  std::string inst_text, avail_text;
  for (std::size_t i = 1; i < o.words.size(); ++i) {
    const std::string& name = o.words[i];
    if (installed.contains(name))
      inst_text +=
          fmt::format("{:<32}{:<36}@kubernetes\n", name + ".x86_64", installed.at(name).version);
    auto avail = excluded(repo, o, name) || o.installed_only ? std::vector<std::string>{}
                                                             : available(env, repo, name);
    if (!o.show_duplicates && !avail.empty()) avail = {avail.back()};
    for (auto& v : avail)
      avail_text += fmt::format("{:<32}{:<36}{}\n", name + ".x86_64", v, repo.repo_id);
  }
  if (inst_text.empty() && avail_text.empty()) {
    std::cerr << "Error: No matching Packages to list\n";
    return 1;
  }
  if (!inst_text.empty()) std::cout << "Installed Packages\n" << inst_text;
  if (!avail_text.empty()) std::cout << "Available Packages\n" << avail_text;
  return 0;
}

int dnf_like(ToolEnv& env, const std::vector<std::string>& args, const std::string& tool) {
  DnfOptions o = parse(args);
  bool yum3 = is_yum3(env, tool);
  if (o.version) {
    std::cout << (yum3 ? "3.4.3\n"
                       : "4.14.0\n  Installed: dnf-0:4.14.0-9.el9.noarch at Mon 01 Jul 2024 "
                         "10:00:00 AM GMT\n");
    return 0;
  }
  if (o.words.empty()) {
    std::cerr << "Error: No command given. See \"" << tool << " --help\".\n";
    return 1;
  }
  const std::string& cmd = o.words.front();
  if (cmd == "install" || cmd == "upgrade" || cmd == "update") return install(env, o, yum3);
  if (cmd == "list") return list(env, o, yum3);
  if (cmd == "makecache") {
    RepoFile repo = read_repo_file(env.root, env.spec.package_manager == PackageManager::apt
                                                 ? PackageManager::dnf
                                                 : env.spec.package_manager);
    if (!load_metadata(env, repo, yum3)) return 1;
    std::cout << "Metadata cache created.\n";
    return 0;
  }
  if (cmd == "clean") {
    std::cout << "0 files removed\n";
    return 0;
  }
  std::cerr << fmt::format("No such command: {}. Please use /usr/bin/{} --help\n", cmd, tool);
  return 1;
}

}  // namespace

int dnf_main(ToolEnv& env, const std::vector<std::string>& args) {
  return dnf_like(env, args, "dnf");
}
int yum_main(ToolEnv& env, const std::vector<std::string>& args) {
  return dnf_like(env, args, "yum");
}

}  // namespace sim::node::tools
