// The drain flags shared by `node` and `cluster` (kubectl drain's names and defaults).
#pragma once

#include <cxxopts.hpp>

namespace cli {

void add_drain_flags(cxxopts::Options& o);
// The flags of a command that runs node shells: --shell-namespace, --shell-image.
void add_node_shell_flags(cxxopts::Options& o);
// --kubelet-timeout: how long the restarted kubelet may take (step 7).
void add_kubelet_timeout_flag(cxxopts::Options& o);

}  // namespace cli
