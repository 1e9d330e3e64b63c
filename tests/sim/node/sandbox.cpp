#include "tests/sim/node/sandbox.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace sim::node {

namespace fs = std::filesystem;

const std::vector<std::string>& all_tool_names() {
  static const std::vector<std::string> names{"apt-get", "apt-mark", "apt-cache", "apt",
                                              "dnf",     "yum",      "kubeadm",   "kubelet",
                                              "kubectl", "systemctl"};
  return names;
}

std::vector<std::string> node_tool_names(const std::string& pm) {
  std::vector<std::string> t{"kubeadm", "kubelet", "kubectl", "systemctl"};
  if (pm == "apt") t.insert(t.end(), {"apt-get", "apt-mark", "apt-cache", "apt"});
  if (pm == "dnf") t.insert(t.end(), {"dnf", "yum"});  // RHEL 8+: yum is dnf
  if (pm == "yum") t.push_back("yum");
  return t;
}

std::expected<void, std::string> prepare_node_bin(const fs::path& node_bin, const fs::path& masked,
                                                  const std::vector<std::string>& tools) {
  // Idempotent and additive: sandboxes of other pods on this node may have the folder bound now.
  std::error_code ec;
  fs::create_directories(node_bin, ec);
  if (ec)
    return std::unexpected(fmt::format("cannot create {}: {}", node_bin.string(), ec.message()));
  for (const auto& t : tools)
    if (!fs::is_symlink(node_bin / t)) fs::create_symlink("kube-sim-nodetool", node_bin / t, ec);
  if (!fs::exists(node_bin / "kube-sim-nodetool"))
    std::ofstream mount_point(node_bin / "kube-sim-nodetool");
  if (fs::exists(masked)) return {};
  { std::ofstream empty(masked); }
  fs::permissions(masked,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read,
                  ec);
  if (ec)
    return std::unexpected(fmt::format("cannot create {}: {}", masked.string(), ec.message()));
  return {};
}

std::vector<std::string> bwrap_argv(const SandboxSpec& s, const std::vector<std::string>& command) {
  std::vector<std::string> a{
      s.bwrap.string(),
      // every namespace, no capabilities: root inside cannot remount or escape
      "--unshare-all", "--unshare-user", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
      "--hostname", s.hostname.empty() ? "node" : s.hostname, "--bind", s.root.string(), "/",
      "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
      "--dev", "/dev"};
  auto add = [&](std::initializer_list<std::string> more) { a.insert(a.end(), more); };
  // Debian's /usr/bin/awk and friends are symlinks through /etc/alternatives.
  add({"--ro-bind-try", "/etc/alternatives", "/etc/alternatives", "--dir", "/run/kube-sim"});
  if (!s.sim_json.empty()) add({"--ro-bind", s.sim_json.string(), "/run/kube-sim/node.json"});
  if (!s.repo.empty()) add({"--ro-bind", s.repo.string(), "/run/kube-sim/repo"});
  if (!s.requests.empty()) add({"--bind", s.requests.string(), "/run/kube-sim/requests"});
  if (!s.tools_dir.empty()) {
    std::string binary = (s.tools_dir / "kube-sim-nodetool").string();
    add({"--ro-bind", s.node_bin.string(), "/run/kube-sim/bin", "--ro-bind", binary,
         "/run/kube-sim/bin/kube-sim-nodetool"});
  }
  // /usr/bin/<tool> is the node's emulation or nothing: never the host's apt-get or kubectl.
  std::error_code ec;
  for (const auto& tool : all_tool_names()) {
    fs::path host = fs::path("/usr/bin") / tool;
    if (!fs::exists(host, ec) || fs::is_directory(host, ec)) continue;
    bool mine =
        !s.tools_dir.empty() && std::find(s.tools.begin(), s.tools.end(), tool) != s.tools.end();
    add({"--ro-bind", mine ? (s.tools_dir / "kube-sim-nodetool").string() : s.masked.string(),
         host.string()});
  }
  add({"--setenv", "PATH", kSandboxPath, "--setenv", "HOME", "/root", "--setenv", "LANG", "C.UTF-8",
       "--setenv", "HOSTNAME", s.hostname, "--chdir", "/root", "--"});
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

std::expected<Child, std::string> spawn(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return std::unexpected(fmt::format("pipe: {}", std::strerror(errno)));
  std::vector<char*> args;
  for (auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  char* env[] = {nullptr};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::unexpected(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::syscall(SYS_close_range, 3U, ~0U, 0U);  // no host file descriptor reaches the sandbox
    ::execve(args[0], args.data(), env);
    const char* msg = "kube-sim: cannot start bubblewrap\n";
    [[maybe_unused]] auto n = ::write(2, msg, std::strlen(msg));
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{pid, fds[0]};
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace sim::node
