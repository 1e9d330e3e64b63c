#include "tests/sim/node/sandbox.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sim::node {

namespace fs = std::filesystem;

namespace {
// Tools the host may also have in /usr/bin: the emulation is bound over them, so that absolute
// paths (/usr/bin/kubectl) reach the emulation too and never the host's binary.
const char* const kOverlaidTools[] = {"apt-get", "apt-mark", "apt-cache", "apt",     "dnf",
                                      "yum",     "kubeadm",  "kubelet",   "kubectl", "systemctl"};
}  // namespace

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
    add({"--ro-bind", s.tools_dir.string(), "/run/kube-sim/bin"});
    std::error_code ec;
    for (const char* tool : kOverlaidTools) {
      fs::path host = fs::path("/usr/bin") / tool;
      if (fs::exists(host, ec) && !fs::is_directory(host, ec))
        add({"--ro-bind", (s.tools_dir / "kube-sim-nodetool").string(), host.string()});
    }
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
