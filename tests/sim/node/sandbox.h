// The bubblewrap sandbox a node-shell command runs in, and the child process that runs it.
// Internal to ku_simnode (run_pod.cpp and the sandbox tests use it).
#pragma once

#include <sys/types.h>

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace sim::node {

struct SandboxSpec {
  std::filesystem::path bwrap = "/usr/bin/bwrap";
  std::filesystem::path root;       // becomes "/" (read-write)
  std::filesystem::path sim_json;   // -> /run/kube-sim/node.json (read-only); empty = none
  std::filesystem::path repo;       // -> /run/kube-sim/repo (read-only); empty = none
  std::filesystem::path requests;   // -> /run/kube-sim/requests (read-write); empty = none
  std::filesystem::path tools_dir;  // holds kube-sim-nodetool; empty = no tools in the sandbox
  // The commands this node has (apt-get... on Debian-like nodes, dnf/yum on RHEL-like ones):
  // symlinks in `node_bin` -> /run/kube-sim/bin, first on PATH, and bound over the host's
  // /usr/bin/<tool>. The host's other emulated names in /usr/bin are masked with an empty,
  // non-executable file.
  std::vector<std::string> tools;
  std::filesystem::path node_bin;  // a folder run_pod prepares (prepare_node_bin)
  std::filesystem::path masked;    // an empty 0644 file
  std::string hostname;
};

// Every name the multi-call tool answers to.
const std::vector<std::string>& all_tool_names();
// The names a node with this package manager has.
std::vector<std::string> node_tool_names(
    const std::string& package_manager);  // "apt" | "dnf" | "yum"
// Fills `node_bin` with symlinks for `tools` and a mount point for the binary; creates `masked`.
std::expected<void, std::string> prepare_node_bin(const std::filesystem::path& node_bin,
                                                  const std::filesystem::path& masked,
                                                  const std::vector<std::string>& tools);

inline constexpr const char* kSandboxPath =
    "/run/kube-sim/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The bwrap command line running `command` (e.g. {"sh", "-c", script}) in the sandbox.
std::vector<std::string> bwrap_argv(const SandboxSpec& spec,
                                    const std::vector<std::string>& command);

// A started child: its pid and the read end of a pipe carrying its stdout and stderr.
struct Child {
  pid_t pid = -1;
  int output_fd = -1;
};

// Starts argv with stdin from /dev/null, stdout+stderr into one pipe, an empty environment and
// no other inherited file descriptors.
std::expected<Child, std::string> spawn(const std::vector<std::string>& argv);

// Exit code in the shell's convention: the status, or 128 + signal.
int exit_code_of(int wait_status);

}  // namespace sim::node
