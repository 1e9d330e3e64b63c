#include "tests/sim/node/kubelet_restart.h"

#include <fmt/format.h>

#include <optional>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/node_files.h"
#include "tests/sim/node/semver.h"

namespace sim::node {

namespace {

std::optional<Semver> newest_api_server(ClusterEffects& effects) {
  auto cluster = effects.read_cluster();
  if (!cluster) return std::nullopt;
  std::optional<Semver> newest;
  for (auto& [node, v] : cluster->api_server_versions) {
    auto s = parse_semver(v);
    if (s && (!newest || *s > *newest)) newest = s;
  }
  return newest;
}

}  // namespace

void advance_kubelets(const fs::path& state_dir, ClusterEffects& effects,
                      std::chrono::system_clock::time_point now, TickReport& report) {
  std::error_code ec;
  std::optional<std::optional<Semver>> api;  // read once per tick, only when needed
  for (auto& dir : fs::directory_iterator(state_dir / "nodes", ec)) {
    const fs::path root = dir.path() / "root";
    auto kubelet = read_kubelet(root);
    // kubeadm's kubelet.service has Restart=always: systemd retries a failed kubelet every
    // RestartSec, so it comes back by itself once the cause is gone (fault cleared, API upgraded).
    bool retry = kubelet && kubelet->state == "failed";
    if (!kubelet || (kubelet->state != "restarting" && !retry)) continue;
    auto sim = read_json(dir.path() / "sim.json");
    NodeSpec spec = sim ? spec_from_json(*sim) : NodeSpec{};
    double seconds = spec.faults.kubelet_restart_seconds > 0 ? spec.faults.kubelet_restart_seconds
                                                             : kDefaultKubeletRestartSeconds;
    if (retry) seconds = kKubeletRestartSecSeconds;
    auto delay =
        std::chrono::milliseconds(static_cast<long long>(seconds * spec.time_scale * 1000));
    if (now < parse_rfc3339(kubelet->since) + delay) continue;
    auto packages = read_packages(root);
    std::optional<Semver> installed;
    if (packages && packages->contains("kubelet"))
      installed = parse_semver(packages->at("kubelet").version);
    if (!api) api = newest_api_server(effects);
    bool newer_than_api = installed && *api && installed->minor > (*api)->minor;
    if (spec.faults.kubelet_restart_fails || !installed || newer_than_api) {
      if (retry) {  // failed again: the next try is RestartSec later; nothing changed
        kubelet->since = rfc3339(now);
        if (auto w = write_kubelet(root, *kubelet); !w) report.problems.push_back(w.error());
        continue;
      }
      kubelet->state = "failed";
      if (newer_than_api)
        report.problems.push_back(
            fmt::format("node {}: kubelet {} is newer than the newest API server {}",
                        dir.path().filename().string(), installed->v(), (*api)->v()));
    } else {
      kubelet->state = "running";
      kubelet->version = installed->v();
    }
    kubelet->since = rfc3339(now);
    if (auto w = write_kubelet(root, *kubelet); !w) {
      report.problems.push_back(w.error());
      continue;
    }
    report.kubelets_changed.push_back(dir.path().filename().string());
  }
}

}  // namespace sim::node
