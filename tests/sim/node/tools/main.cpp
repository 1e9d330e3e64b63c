// kube-sim-nodetool: the emulated node commands, one binary called through symlinks
// (apt-get, apt-mark, apt-cache, apt, dnf, yum, kubeadm, kubelet, kubectl, systemctl).
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tests/sim/node/tools/tool_env.h"

namespace {

using namespace sim::node::tools;

const std::map<std::string, ToolMain> kTools{
    {"apt-get", apt_get_main},     {"apt", apt_main},         {"apt-mark", apt_mark_main},
    {"apt-cache", apt_cache_main}, {"dnf", dnf_main},         {"yum", yum_main},
    {"kubeadm", kubeadm_main},     {"kubelet", kubelet_main}, {"kubectl", kubectl_main},
    {"systemctl", systemctl_main}};

// Fault: the node-shell script is killed when it reaches this command (the whole process group, as
// when the pod's container is killed).
void kill_if_faulted(const ToolEnv& env, const std::string& tool,
                     const std::vector<std::string>& args) {
  const std::string& at = env.spec.faults.kill_script_at_command;
  if (at.empty()) return;
  std::string line = tool;
  for (auto& a : args) line += " " + a;
  if (line.starts_with(at)) {
    std::cout.flush();
    ::kill(0, SIGKILL);
    ::raise(SIGKILL);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string tool = std::filesystem::path(argv[0]).filename().string();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (tool == "kube-sim-nodetool" && !args.empty()) {  // kube-sim-nodetool apt-get update
    tool = args.front();
    args.erase(args.begin());
  }
  auto it = kTools.find(tool);
  if (it == kTools.end()) {
    std::cerr << "kube-sim-nodetool: unknown tool \"" << tool << "\"; call it as one of:";
    for (auto& [name, _] : kTools) std::cerr << ' ' << name;
    std::cerr << '\n';
    return 127;
  }
  ToolEnv env = ToolEnv::from_environment();
  kill_if_faulted(env, tool, args);
  int rc = it->second(env, args);
  std::cout.flush();
  return rc;
}
