// The cluster side of `systemctl restart kubelet`: after the restart delay the kubelet runs the
// installed version, unless it fails (fault, or newer than every API server).
#pragma once

#include <chrono>
#include <filesystem>

#include "tests/sim/node/cluster_effects.h"

namespace sim::node {

inline constexpr double kDefaultKubeletRestartSeconds = 5.0;

void advance_kubelets(const std::filesystem::path& state_dir, ClusterEffects& effects,
                      std::chrono::system_clock::time_point now, TickReport& report);

}  // namespace sim::node
