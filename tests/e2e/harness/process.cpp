#include "tests/e2e/harness/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

extern char** environ;

namespace e2e {
namespace {

std::vector<std::string> merged_env(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> all;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) all[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : all) out.push_back(k + "=" + v);
  return out;
}

struct Spawned {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;
};

Spawned spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              bool want_stdin) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto env_strings = merged_env(env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  Spawned s;
  int rc = posix_spawnp(&s.pid, argv[0].c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    s.pid = -1;
    return s;
  }
  s.out = out[0];
  s.err = err[0];
  if (want_stdin) {
    s.in = in[1];
  } else {
    close(in[1]);
  }
  return s;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads both pipes until EOF or `deadline`; returns false on timeout.
bool drain(int out_fd, int err_fd, std::string& out, std::string& err,
           std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    int n = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (n < 0 && errno != EINTR) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? out : err).append(buf, static_cast<size_t>(got));
      } else {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  return true;
}

}  // namespace

RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult r;
  if (argv.empty()) return r;
  Spawned s = spawn(argv, options.env, !options.stdin_data.empty());
  if (s.pid < 0) {
    r.err = "cannot start " + argv[0] + ": " + std::strerror(errno);
    return r;
  }
  if (s.in >= 0) {
    std::thread writer([fd = s.in, data = options.stdin_data] {
      size_t off = 0;
      while (off < data.size()) {
        ssize_t n = write(fd, data.data() + off, data.size() - off);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      close(fd);
    });
    writer.detach();
  }
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  if (!drain(s.out, s.err, r.out, r.err, deadline)) {
    r.timed_out = true;
    kill(-s.pid, SIGKILL);
  }
  close(s.out);
  close(s.err);
  int status = 0;
  waitpid(s.pid, &status, 0);
  r.exit_code = decode_status(status);
  return r;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& env) {
  Spawned s = spawn(argv, env, false);
  if (s.pid < 0) return;
  pid_ = s.pid;
  out_fd_ = s.out;
  err_fd_ = s.err;
  reader_ = std::thread([this] {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    int open = 2;
    char buf[65536];
    while (open > 0) {
      if (poll(fds, 2, 200) < 0 && errno != EINTR) break;
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        ssize_t got = read(fds[i].fd, buf, sizeof buf);
        std::lock_guard lock(mu_);
        if (got > 0) {
          (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(got));
        } else {
          fds[i].fd = -1;
          --open;
        }
      }
    }
  });
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0 && !exited_) stop(SIGKILL, std::chrono::seconds(5));
  if (reader_.joinable()) reader_.join();
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

std::string BackgroundProcess::out() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string BackgroundProcess::err() const {
  std::lock_guard lock(mu_);
  return err_;
}

void BackgroundProcess::reap(int status) {
  exited_ = true;
  exit_code_ = decode_status(status);
}

bool BackgroundProcess::running() {
  if (pid_ <= 0 || exited_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reap(status);
    return false;
  }
  return true;
}

bool BackgroundProcess::wait_for_output(const std::string& text,
                                        std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (out().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return out().find(text) != std::string::npos;
}

RunResult BackgroundProcess::stop(int sig, std::chrono::milliseconds grace) {
  RunResult r;
  if (pid_ > 0 && !exited_) {
    kill(pid_, sig);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!exited_) {
      r.timed_out = true;
      kill(-pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      reap(status);
    }
  }
  if (reader_.joinable()) reader_.join();
  r.exit_code = exit_code_;
  r.out = out();
  r.err = err();
  return r;
}

}  // namespace e2e
