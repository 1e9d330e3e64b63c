// apt-get, apt, apt-mark, apt-cache as on an Ubuntu kubeadm node with the pkgs.k8s.io repo.
// Texts follow apt's (apt-private/private-install.cc, private-cacheset.cc,
// apt-pkg/acquire-item.cc).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "tests/sim/node/tools/tool_env.h"

namespace sim::node::tools {

namespace {

constexpr int kAptError = 100;
const std::set<std::string> kKubePackages{"kubeadm", "kubelet", "kubectl", "cri-tools",
                                          "kubernetes-cni"};

struct AptOptions {
  bool yes = false;
  bool allow_held = false;
  bool allow_downgrades = false;
  std::vector<std::string> words;  // command and its arguments
};

AptOptions parse(const std::vector<std::string>& args) {
  AptOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-y" || a == "--yes" || a == "--assume-yes" || a == "-qy" || a == "-yq")
      o.yes = true;
    else if (a == "--allow-change-held-packages")
      o.allow_held = true;
    else if (a == "--allow-downgrades")
      o.allow_downgrades = true;
    else if (a == "-o" || a == "-c" || a == "-t")
      ++i;  // option with a value
    else if (a.starts_with("-"))
      continue;  // -q, --no-install-recommends, ...
    else
      o.words.push_back(a);
  }
  return o;
}

std::string deb(const std::string& plain) {
  return plain + "-" + deb_revision();
}

// What `apt-get update` last fetched: {"source", "minor"}.
struct Lists {
  std::string source;
  std::string minor;
};
Lists read_lists(const ToolEnv& env) {
  auto j = read_json(env.root / kAptLists);
  if (!j) return {};
  return {j->value("source", ""), j->value("minor", "")};
}

std::vector<std::string> candidates(const ToolEnv& env, const std::string& package) {
  std::vector<std::string> out;
  Lists lists = read_lists(env);
  if (lists.minor.empty() || !kKubePackages.contains(package)) return out;
  auto minor = parse_minor(lists.minor);
  for (auto& v : env.offered(lists.minor)) {
    if (package == "kubernetes-cni") continue;
    if (package == "cri-tools" && minor && v != fmt::format("{}.{}.0", minor->major, minor->minor))
      continue;
    out.push_back(deb(v));
  }
  if (package == "kubernetes-cni" && !lists.minor.empty()) out.push_back(deb("1.7.1"));
  std::sort(out.begin(), out.end(),
            [](auto& a, auto& b) { return parse_semver(a) > parse_semver(b); });
  return out;
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  return url.substr(start, url.find('/', start) - start);
}

int update(ToolEnv& env) {
  RepoFile repo = read_repo_file(env.root, PackageManager::apt);
  if (repo.kind == RepoFile::Kind::none) {
    std::cout << "Reading package lists...\n";
    write_json(env.root / kAptLists, {{"source", ""}, {"minor", ""}});
    return 0;
  }
  if (repo.kind == RepoFile::Kind::legacy) {
    std::cout << "Ign:1 https://packages.cloud.google.com/apt kubernetes-xenial InRelease\n"
                 "Err:2 https://packages.cloud.google.com/apt kubernetes-xenial Release\n"
                 "  404  Not Found [IP: 142.250.74.110 443]\nReading package lists...\n";
    std::cerr << "E: The repository 'https://apt.kubernetes.io kubernetes-xenial Release' does not "
                 "have a Release "
                 "file.\nN: Updating from such a repository can't be done securely, and is "
                 "therefore disabled by "
                 "default.\nN: See apt-secure(8) manpage for repository creation and user "
                 "configuration details.\n";
    write_json(env.root / kAptLists, {{"source", repo.url}, {"minor", ""}});
    return kAptError;
  }
  std::string base = repo.url;
  if (!base.empty() && base.back() == '/') base.pop_back();
  if (env.spec.faults.repo_unreachable) {
    // apt treats a network failure as a warning: exit 0, and the old lists stay in use.
    std::cout << fmt::format(
        "Err:1 {}  InRelease\n  Could not resolve '{}'\nReading package lists...\n", base,
        host_of(base));
    std::cerr << fmt::format(
        "W: Failed to fetch {}/InRelease  Could not resolve '{}'\n"
        "W: Some index files failed to download. They have been ignored, or old ones used "
        "instead.\n",
        base, host_of(base));
    return 0;
  }
  if (repo.kind == RepoFile::Kind::other || env.offered(repo.minor).empty()) {
    std::cout << fmt::format(
        "Err:1 {}  InRelease\n  403  Forbidden [IP: 34.107.204.206 443]\nReading package "
        "lists...\n",
        base);
    std::cerr << fmt::format(
        "E: Failed to fetch {}/InRelease  403  Forbidden [IP: 34.107.204.206 443]\n"
        "E: The repository '{}  InRelease' is not signed.\n"
        "N: Updating from such a repository can't be done securely, and is therefore disabled by "
        "default.\n"
        "N: See apt-secure(8) manpage for repository creation and user configuration details.\n",
        base, base);
    return kAptError;
  }
  std::cout << fmt::format("Get:1 {}  InRelease [1,224 B]\nGet:2 {}  Packages [{} B]\n", base, base,
                           4096 + 512 * env.offered(repo.minor).size())
            << "Fetched 6,092 B in 1s (6,101 B/s)\nReading package lists...\n";
  write_json(env.root / kAptLists, {{"source", repo.url}, {"minor", repo.minor}});
  return 0;
}

struct Change {
  std::string name, from, to;
};

// Resolves "kubeadm=1.36.2-1.1" / "kubeadm='1.36.*'" / "kubeadm" to a version apt would install.
std::expected<Change, std::string> resolve(ToolEnv& env, const Packages& installed,
                                           const std::string& arg) {
  auto eq = arg.find('=');
  std::string name = arg.substr(0, eq);
  std::string wanted = eq == std::string::npos ? "" : arg.substr(eq + 1);
  auto list = candidates(env, name);
  if (list.empty()) return std::unexpected(fmt::format("E: Unable to locate package {}", name));
  std::string to = list.front();
  if (!wanted.empty()) {
    auto hit = std::find_if(list.begin(), list.end(),
                            [&](auto& v) { return v == wanted || fnmatch_version(wanted, v); });
    if (hit == list.end())
      return std::unexpected(fmt::format("E: Version '{}' for '{}' was not found", wanted, name));
    to = *hit;
  }
  std::string from = installed.contains(name) ? installed.at(name).version : "";
  return Change{name, from, to};
}

void print_names(const char* title, const std::vector<Change>& changes) {
  if (changes.empty()) return;
  std::cout << title << "\n ";
  for (auto& c : changes) std::cout << ' ' << c.name;
  std::cout << '\n';
}

int install(ToolEnv& env, const AptOptions& o) {
  std::cout
      << "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";
  auto pkgs = read_packages(env.root);
  Packages installed = pkgs ? *pkgs : Packages{};
  std::vector<Change> changes, held, upgrades, downgrades, fresh;
  for (std::size_t i = 1; i < o.words.size(); ++i) {
    auto c = resolve(env, installed, o.words[i]);
    if (!c) {
      std::cerr << c.error() << '\n';
      return kAptError;
    }
    if (c->from == c->to) {
      std::cout << fmt::format("{} is already the newest version ({}).\n", c->name, c->to);
      continue;
    }
    changes.push_back(*c);
    if (installed.contains(c->name) && installed.at(c->name).held) held.push_back(*c);
    if (c->from.empty())
      fresh.push_back(*c);
    else if (parse_semver(c->to) < parse_semver(c->from))
      downgrades.push_back(*c);
    else
      upgrades.push_back(*c);
  }
  print_names("The following held packages will be changed:", held);
  print_names("The following packages will be upgraded:", upgrades);
  print_names("The following packages will be DOWNGRADED:", downgrades);
  print_names("The following NEW packages will be installed:", fresh);
  std::cout << fmt::format(
      "{} upgraded, {} newly installed, {} downgraded, 0 to remove and 0 not upgraded.\n",
      upgrades.size(), fresh.size(), downgrades.size());
  if (changes.empty()) return 0;
  if (!held.empty() && !o.allow_held && o.yes) {
    std::cerr
        << "E: Held packages were changed and -y was used without --allow-change-held-packages.\n";
    return kAptError;
  }
  if (!downgrades.empty() && !o.allow_downgrades && o.yes) {
    std::cerr << "E: Packages were downgraded and -y was used without --allow-downgrades.\n";
    return kAptError;
  }
  if (!o.yes) {
    std::cout << "Do you want to continue? [Y/n] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (!answer.empty() && answer != "y" && answer != "Y")) {
      std::cout << "Abort.\n";
      return 1;
    }
  }
  Lists lists = read_lists(env);
  std::string base = lists.source;
  if (!base.empty() && base.back() == '/') base.pop_back();
  if (env.spec.faults.repo_unreachable) {
    for (auto& c : changes)
      std::cerr << fmt::format(
          "E: Failed to fetch {}/amd64/{}_{}_amd64.deb  Could not resolve '{}'\n", base, c.name,
          c.to, host_of(base));
    std::cerr << "E: Unable to fetch some archives, maybe run apt-get update or try with "
                 "--fix-missing?\n";
    return kAptError;
  }
  int n = 0;
  for (auto& c : changes)
    std::cout << fmt::format("Get:{} {}  {} {} [9,842 kB]\n", ++n, base, c.name, c.to);
  std::cout << "Fetched 9,842 kB in 1s (9,842 kB/s)\n(Reading database ... 71234 files and "
               "directories currently installed.)\n";
  for (auto& c : changes) {
    std::cout << fmt::format("Preparing to unpack .../{}_{}_amd64.deb ...\n", c.name, c.to);
    if (c.from.empty())
      std::cout << fmt::format("Unpacking {} ({}) ...\n", c.name, c.to);
    else
      std::cout << fmt::format("Unpacking {} ({}) over ({}) ...\n", c.name, c.to, c.from);
    installed[c.name].version = c.to;
  }
  for (auto& c : changes) std::cout << fmt::format("Setting up {} ({}) ...\n", c.name, c.to);
  if (auto w = write_packages(env.root, installed); !w) {
    std::cerr << "E: " << w.error() << '\n';
    return kAptError;
  }
  return 0;
}

}  // namespace

int apt_get_main(ToolEnv& env, const std::vector<std::string>& args) {
  AptOptions o = parse(args);
  if (o.words.empty()) {
    std::cerr << "E: Invalid operation (none given); see apt-get(8)\n";
    return kAptError;
  }
  const std::string& cmd = o.words.front();
  if (cmd == "update") return update(env);
  if (cmd == "install") return install(env, o);
  std::cerr << fmt::format("E: Invalid operation {}\n", cmd);
  return kAptError;
}

int apt_main(ToolEnv& env, const std::vector<std::string>& args) {
  std::cerr
      << "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n";
  return apt_get_main(env, args);
}

int apt_mark_main(ToolEnv& env, const std::vector<std::string>& args) {
  AptOptions o = parse(args);
  if (o.words.empty()) {
    std::cerr << "E: No command given; see apt-mark(8)\n";
    return kAptError;
  }
  auto pkgs = read_packages(env.root);
  Packages installed = pkgs ? *pkgs : Packages{};
  const std::string& cmd = o.words.front();
  if (cmd == "showhold") {
    for (auto& [name, p] : installed)
      if (p.held) std::cout << name << '\n';
    return 0;
  }
  if (cmd != "hold" && cmd != "unhold") {
    std::cerr << fmt::format("E: Invalid operation {}\n", cmd);
    return kAptError;
  }
  bool hold = cmd == "hold";
  for (std::size_t i = 1; i < o.words.size(); ++i) {
    const std::string& name = o.words[i];
    if (!installed.contains(name)) {
      std::cerr << fmt::format("E: Unable to locate package {}\n", name);
      return kAptError;
    }
    auto& p = installed[name];
    if (p.held == hold)
      std::cout << name << (hold ? " was already set on hold.\n" : " was already not on hold.\n");
    else if (hold)
      std::cout << name << " set on hold.\n";
    else
      std::cout << "Canceled hold on " << name << ".\n";
    p.held = hold;
  }
  write_packages(env.root, installed);
  return 0;
}

int apt_cache_main(ToolEnv& env, const std::vector<std::string>& args) {
  AptOptions o = parse(args);
  if (o.words.empty()) {
    std::cerr << "E: No command given; see apt-cache(8)\n";
    return kAptError;
  }
  const std::string& cmd = o.words.front();
  auto pkgs = read_packages(env.root);
  Packages installed = pkgs ? *pkgs : Packages{};
  std::string source = read_lists(env).source;
  if (!source.empty() && source.back() == '/') source.pop_back();
  for (std::size_t i = 1; i < o.words.size(); ++i) {
    const std::string& name = o.words[i];
    auto list = candidates(env, name);
    if (cmd == "madison") {
      if (list.empty()) std::cerr << fmt::format("N: Unable to locate package {}\n", name);
      for (auto& v : list)
        std::cout << fmt::format("{:>10} | {} | {}  Packages\n", name, v, source);
    } else if (cmd == "policy") {
      bool have = installed.contains(name);
      if (list.empty() && !have)
        continue;  // apt-cache policy prints nothing for an unknown package
      std::string inst = have ? installed.at(name).version : "(none)";
      std::cout << fmt::format("{}:\n  Installed: {}\n  Candidate: {}\n  Version table:\n", name,
                               inst, list.empty() ? inst : list.front());
      bool listed_installed = false;
      for (auto& v : list) {
        bool mine = v == inst;
        listed_installed |= mine;
        std::cout << fmt::format(" {} {} 500\n        500 {}  Packages\n", mine ? "***" : "   ", v,
                                 source);
        if (mine) std::cout << "        100 /var/lib/dpkg/status\n";
      }
      if (have && !listed_installed)
        std::cout << fmt::format(" *** {} 100\n        100 /var/lib/dpkg/status\n", inst);
    } else {
      std::cerr << fmt::format("E: Invalid operation {}\n", cmd);
      return kAptError;
    }
  }
  return 0;
}

}  // namespace sim::node::tools
