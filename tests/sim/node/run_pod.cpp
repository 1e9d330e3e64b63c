#include "tests/sim/node/run_pod.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <optional>
#include <thread>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/nsenter.h"
#include "tests/sim/node/sandbox.h"

namespace sim::node {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kTailBytes = 2048;
constexpr int kTailLines = 80;

// The last 80 lines / 2048 bytes, as the kubelet's FallbackToLogsOnError takes them.
std::string log_tail(const std::string& log) {
  std::string tail = log.size() > kTailBytes ? log.substr(log.size() - kTailBytes) : log;
  int lines = 0;
  for (std::size_t i = tail.size(); i > 0; --i) {
    if (tail[i - 1] == '\n' && i != tail.size() && ++lines >= kTailLines) return tail.substr(i);
  }
  return tail;
}

fs::path default_tools_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return exe.parent_path() / "kube-sim-node-tools";
}

PodOutcome finish(int exit_code, const std::string& log, const json& pod) {
  PodOutcome o;
  o.exit_code = exit_code;
  o.reason = exit_code == 0 ? "Completed" : "Error";
  const json& c = pod["spec"]["containers"][0];
  if (exit_code != 0 && c.value("terminationMessagePolicy", "File") == "FallbackToLogsOnError")
    o.message = log_tail(log);
  return o;
}

struct Deadlines {
  std::optional<Clock::time_point> active;  // activeDeadlineSeconds (real seconds)
  std::optional<Clock::time_point> fault;   // faults.killScriptAfterSeconds (scaled)
};

Deadlines deadlines_of(const json& pod, const NodeSpec& spec, Clock::time_point start) {
  Deadlines d;
  if (auto s = pod["spec"].value("activeDeadlineSeconds", 0); s > 0)
    d.active = start + std::chrono::seconds(s);
  if (double f = spec.faults.kill_script_after_seconds; f > 0)
    d.fault = start + std::chrono::milliseconds(static_cast<long long>(f * spec.time_scale * 1000));
  return d;
}

// Streams the child's output to the sink until it exits, killing it on cancel or deadline.
PodOutcome supervise(const Child& child, const json& pod, const Deadlines& d,
                     const OutputSink& sink, const std::atomic<bool>& cancel) {
  std::string log;
  bool killed = false, deadline = false, cancelled = false;
  char buf[4096];
  for (;;) {
    pollfd p{child.output_fd, POLLIN, 0};
    int r = ::poll(&p, 1, 50);
    if (r > 0) {
      ssize_t n = ::read(child.output_fd, buf, sizeof buf);
      if (n > 0) {
        log.append(buf, n);
        if (sink) sink(std::string_view(buf, n));
        continue;
      }
      if (n == 0) break;  // every writer gone: the sandbox ended
    }
    auto now = Clock::now();
    if (!killed &&
        (cancel.load() || (d.active && now >= *d.active) || (d.fault && now >= *d.fault))) {
      cancelled = cancel.load();
      deadline = !cancelled && d.active && now >= *d.active;
      ::kill(child.pid,
             SIGKILL);  // bwrap's pid 1 dies with it (--die-with-parent), and the namespace
      killed = true;
    }
  }
  ::close(child.output_fd);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  PodOutcome o = finish(exit_code_of(status), log, pod);
  o.deadline_exceeded = deadline;
  o.cancelled = cancelled;
  return o;
}

}  // namespace

bool is_node_shell_pod(const json& pod) {
  auto argv = container_argv(pod);
  return !argv.empty() && fs::path(argv[0]).filename() == "nsenter";
}

PodOutcome run_pod(const NodeEnv& env, const json& pod, const OutputSink& sink,
                   const std::atomic<bool>& cancel) {
  NsenterCall call = parse_nsenter(pod);
  if (!call.error.empty()) {
    if (sink) sink(call.error);
    return finish(call.exit_code, call.error, pod);
  }
  NodePaths paths = node_paths(env.state_dir, env.node);
  auto sim = read_json(paths.sim_json);
  NodeSpec spec = sim ? spec_from_json(*sim) : NodeSpec{};
  SandboxSpec sandbox;
  sandbox.bwrap = env.bwrap;
  sandbox.root = paths.root;
  sandbox.sim_json = paths.sim_json;
  sandbox.repo = paths.repo;
  sandbox.requests = paths.requests;
  sandbox.tools_dir = env.tools_dir.empty() ? default_tools_dir() : env.tools_dir;
  sandbox.tools = node_tool_names(to_string(spec.package_manager));
  sandbox.node_bin = paths.dir / "bin";
  sandbox.masked = paths.dir / "masked";
  sandbox.hostname = env.node;
  if (auto r = prepare_node_bin(sandbox.node_bin, sandbox.masked, sandbox.tools); !r) {
    std::string msg = fmt::format("kube-sim: preparing node {}: {}\n", env.node, r.error());
    if (sink) sink(msg);
    return finish(128, msg, pod);
  }
  if (!call.host_mount) {
    // Privileged without hostPID: nsenter joined the pod's own namespaces, so the command runs in
    // the container's image, which has none of the node's files or tools.
    sandbox.root = paths.dir / "container-root";
    sandbox.sim_json = sandbox.repo = sandbox.requests = sandbox.tools_dir = fs::path();
    std::error_code ec;
    fs::create_directories(sandbox.root / "usr", ec);
    for (const char* d : {"proc", "dev", "tmp", "root", "etc"})
      fs::create_directories(sandbox.root / d, ec);
    for (const char* l : {"bin", "lib", "lib64", "sbin"})
      if (!fs::is_symlink(sandbox.root / l))
        fs::create_directory_symlink(std::string("usr/") + l, sandbox.root / l, ec);
  }
  auto child = spawn(bwrap_argv(sandbox, call.command));
  if (!child) {
    std::string msg =
        fmt::format("kube-sim: starting the sandbox for node {}: {}\n", env.node, child.error());
    if (sink) sink(msg);
    return finish(128, msg, pod);
  }
  return supervise(*child, pod, deadlines_of(pod, spec, Clock::now()), sink, cancel);
}

}  // namespace sim::node
