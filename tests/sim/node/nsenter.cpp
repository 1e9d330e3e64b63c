#include "tests/sim/node/nsenter.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace sim::node {

using json = nlohmann::json;

std::vector<std::string> container_argv(const json& pod) {
  std::vector<std::string> argv;
  const json& containers = pod.value("/spec/containers"_json_pointer, json::array());
  if (containers.empty()) return argv;
  for (const char* key : {"command", "args"})
    for (auto& a : containers[0].value(key, json::array()))
      if (a.is_string()) argv.push_back(a.get<std::string>());
  return argv;
}

namespace {

// util-linux opens the namespaces in this order, so the first one that fails is reported.
const std::vector<std::pair<std::string, std::string>> kNamespaceOrder{
    {"user", "user"}, {"cgroup", "cgroup"}, {"ipc", "ipc"},   {"uts", "uts"},
    {"net", "net"},   {"pid", "pid"},       {"mount", "mnt"}, {"time", "time"}};

const std::map<char, std::string> kShortFlags{{'m', "mount"},  {'u', "uts"}, {'i', "ipc"},
                                              {'n', "net"},    {'p', "pid"}, {'U', "user"},
                                              {'C', "cgroup"}, {'T', "time"}};

struct Parsed {
  std::string target;
  std::set<std::string> namespaces;
  std::vector<std::string> command;
  std::string error;
};

Parsed parse_flags(const std::vector<std::string>& argv) {
  Parsed p;
  std::size_t i = 1;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--target" || a == "-t") {
      if (i + 1 < argv.size()) p.target = argv[++i];
    } else if (a.starts_with("--target=")) {
      p.target = a.substr(9);
    } else if (a.starts_with("--") && a.size() > 2) {
      std::string name = a.substr(2);
      if (name == "mnt") name = "mount";
      p.namespaces.insert(name);
    } else if (a.starts_with("-t") && a.size() > 2) {
      p.target = a.substr(2);
    } else if (a.starts_with("-") && a.size() > 1) {
      for (char c : a.substr(1)) {
        auto f = kShortFlags.find(c);
        if (f == kShortFlags.end()) {
          p.error = fmt::format(
              "nsenter: invalid option -- '{}'\nTry 'nsenter --help' for more information.\n", c);
          return p;
        }
        p.namespaces.insert(f->second);
      }
    } else {
      break;  // the program
    }
  }
  p.command.assign(argv.begin() + static_cast<long>(std::min(i, argv.size())), argv.end());
  return p;
}

std::string first_namespace(const std::set<std::string>& chosen) {
  for (auto& [name, file] : kNamespaceOrder)
    if (chosen.contains(name)) return file;
  return "mnt";
}

}  // namespace

NsenterCall parse_nsenter(const json& pod) {
  NsenterCall call;
  Parsed p = parse_flags(container_argv(pod));
  if (!p.error.empty()) {
    call.error = p.error;
    call.exit_code = 1;
    return call;
  }
  if (p.command.empty()) p.command = {"/bin/sh"};  // nsenter runs ${SHELL} without a program
  call.command = p.command;
  const json& spec = pod.value("spec", json::object());
  bool host_pid = spec.value("hostPID", false);
  bool privileged = pod.value("/spec/containers/0/securityContext/privileged"_json_pointer, false);
  std::string ns = first_namespace(p.namespaces);
  if (!privileged) {
    call.exit_code = 1;
    // With hostPID, PID 1 is the node's init and its namespace files cannot be opened without
    // privileges; without it, PID 1 is in the pod itself: opening works, joining does not.
    call.error =
        host_pid
            ? fmt::format("nsenter: cannot open /proc/{}/ns/{}: Permission denied\n", p.target, ns)
            : fmt::format(
                  "nsenter: reassociate to namespace 'ns/{}' failed: Operation not permitted\n",
                  ns);
    return call;
  }
  call.host_mount = host_pid && p.target == "1" && p.namespaces.contains("mount");
  return call;
}

}  // namespace sim::node
