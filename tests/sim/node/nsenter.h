// What `nsenter` in a node-shell pod would do, decided from the pod spec alone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sim::node {

// The first container's command followed by its args.
std::vector<std::string> container_argv(const nlohmann::json& pod);

struct NsenterCall {
  std::vector<std::string> command;  // what runs after `--`, e.g. {"sh", "-c", SCRIPT}
  bool host_mount =
      false;          // the command sees the node's filesystem (hostPID + --mount + privileged)
  std::string error;  // non-empty: what nsenter prints instead, and exits with exit_code
  int exit_code = 0;
};

// Accepts --target 1 / --target=1 / -t 1 / -t1, --mount/-m, --uts/-u, --ipc/-i, --net/-n,
// --pid/-p and combined short flags (-muinp), then an optional `--` and the command.
NsenterCall parse_nsenter(const nlohmann::json& pod);

}  // namespace sim::node
