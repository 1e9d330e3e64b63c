// kubelet --version, kubectl version --client and systemctl for the kubelet unit. The running
// kubelet lives in /var/lib/kube-sim/kubelet.json; the cluster side finishes restarts.
#include <fmt/format.h>

#include <iostream>

#include "tests/sim/node/tools/tool_env.h"

namespace sim::node::tools {

namespace {

std::string unit_of(std::string name) {
  if (name.ends_with(".service")) name.erase(name.size() - 8);
  return name;
}

bool known_unit(const std::string& unit) {
  return unit == "kubelet" || unit == "containerd" || unit == "crio" || unit == "systemd-resolved";
}

// systemctl's ActiveState for the kubelet: active, activating (restart in progress), failed,
// inactive.
std::string active_state(const ToolEnv& env, const std::string& unit) {
  if (unit != "kubelet") return "active";
  auto k = read_kubelet(env.root);
  if (!k || k->state == "running") return "active";
  if (k->state == "restarting") return "activating";
  if (k->state == "stopped") return "inactive";
  return "failed";
}

int set_kubelet(const ToolEnv& env, const std::string& state) {
  auto k = read_kubelet(env.root);
  KubeletState s = k ? *k : KubeletState{};
  s.state = state;
  s.since = today_rfc3339();
  if (auto w = write_kubelet(env.root, s); !w) {
    std::cerr << "Failed to restart kubelet.service: " << w.error() << '\n';
    return 1;
  }
  return 0;
}

int status(const ToolEnv& env, const std::string& unit) {
  std::string state = active_state(env, unit);
  auto k = read_kubelet(env.root);
  std::cout << fmt::format(
      "● {0}.service - {0}\n     Loaded: loaded (/usr/lib/systemd/system/{0}.service; enabled; "
      "preset: enabled)\n    Drop-In: /usr/lib/systemd/system/{0}.service.d\n"
      "             └─10-kubeadm.conf\n     Active: {1} since {2}\n",
      unit,
      state == "active"       ? "active (running)"
      : state == "activating" ? "activating (auto-restart)"
                              : state,
      k ? k->since : "");
  return state == "active" ? 0 : 3;
}

}  // namespace

int systemctl_main(ToolEnv& env, const std::vector<std::string>& args) {
  std::vector<std::string> words;
  for (auto& a : args)
    if (!a.starts_with("-")) words.push_back(a);
  if (words.empty()) {
    std::cerr << "systemctl: this node emulation supports daemon-reload, restart, start, stop, "
                 "is-active, status\n";
    return 1;
  }
  const std::string& verb = words.front();
  if (verb == "daemon-reload") return 0;
  if (words.size() < 2) {
    std::cerr << fmt::format("Too few arguments.\n");
    return 1;
  }
  int rc = 0;
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::string unit = unit_of(words[i]);
    if (!known_unit(unit)) {
      if (verb == "is-active") {
        std::cout << "inactive\n";
        rc = 3;
        continue;
      }
      std::cerr << fmt::format("Failed to {} {}.service: Unit {}.service not found.\n", verb, unit,
                               unit);
      return 5;
    }
    if (verb == "is-active") {
      std::string s = active_state(env, unit);
      std::cout << s << '\n';
      if (s != "active") rc = 3;
    } else if (verb == "status") {
      rc = status(env, unit);
    } else if (unit != "kubelet") {
      continue;  // containerd & co: nothing to emulate
    } else if (verb == "restart" || verb == "try-restart" || verb == "reload-or-restart") {
      rc = set_kubelet(env, "restarting");
    } else if (verb == "start") {
      if (active_state(env, unit) != "active") rc = set_kubelet(env, "restarting");
    } else if (verb == "stop") {
      rc = set_kubelet(env, "stopped");
    } else if (verb == "enable" || verb == "disable") {
      continue;
    } else {
      std::cerr << fmt::format("Unknown command verb '{}'.\n", verb);
      return 1;
    }
  }
  return rc;
}

int kubelet_main(ToolEnv& env, const std::vector<std::string>& args) {
  auto v = env.installed("kubelet");
  if (!v) {
    std::cerr << "sh: 1: kubelet: not found\n";
    return 127;
  }
  for (auto& a : args)
    if (a == "--version" || a == "--version=true") {
      std::cout << "Kubernetes " << v->v() << '\n';
      return 0;
    }
  std::cerr
      << "kube-sim: the kubelet runs as a systemd unit here; use `systemctl restart kubelet`\n";
  return 1;
}

int kubectl_main(ToolEnv& env, const std::vector<std::string>& args) {
  auto v = env.installed("kubectl");
  if (!v) {
    std::cerr << "sh: 1: kubectl: not found\n";
    return 127;
  }
  bool version = !args.empty() && args[0] == "version";
  bool client = false, json = false, yaml = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--client" || args[i] == "--client=true") client = true;
    if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size())
      json = args[i + 1] == "json", yaml = args[i + 1] == "yaml";
    if (args[i] == "-ojson" || args[i] == "--output=json") json = true;
  }
  if (version && client) {
    if (json) {
      std::cout << fmt::format(
          "{{\n  \"clientVersion\": {{\n    \"major\": \"{}\",\n    \"minor\": \"{}\",\n    "
          "\"gitVersion\": \"{}\",\n    \"gitTreeState\": \"clean\",\n    \"compiler\": \"gc\",\n"
          "    \"platform\": \"linux/amd64\"\n  }},\n  \"kustomizeVersion\": \"v5.7.1\"\n}}\n",
          v->major, v->minor, v->v());
    } else if (yaml) {
      std::cout << fmt::format(
          "clientVersion:\n  gitVersion: {}\n  major: \"{}\"\n  minor: \"{}\"\n"
          "kustomizeVersion: v5.7.1\n",
          v->v(), v->major, v->minor);
    } else {
      std::cout << fmt::format("Client Version: {}\nKustomize Version: v5.7.1\n", v->v());
    }
    return 0;
  }
  // The sandbox has no network: a kubectl talking to the API server from the node cannot connect.
  std::cerr << fmt::format(
      "The connection to the server {} was refused - did you specify the right host or port?\n",
      env.spec.control_plane_endpoint);
  return 1;
}

}  // namespace sim::node::tools
