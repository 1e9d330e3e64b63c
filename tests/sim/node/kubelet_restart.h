// The cluster side of `systemctl restart kubelet`: after the restart delay the kubelet runs the
// installed version, unless it fails (fault, or newer than every API server). A failed kubelet is
// retried every RestartSec (kubeadm's unit: Restart=always, RestartSec=10) and runs again once
// the cause is gone.
#pragma once

#include <chrono>
#include <filesystem>

#include "tests/sim/node/cluster_effects.h"

namespace sim::node {

inline constexpr double kDefaultKubeletRestartSeconds = 5.0;
inline constexpr double kKubeletRestartSecSeconds = 10.0;  // scaled by the time scale

void advance_kubelets(const std::filesystem::path& state_dir, ClusterEffects& effects,
                      std::chrono::system_clock::time_point now, TickReport& report);

}  // namespace sim::node
