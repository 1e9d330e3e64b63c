// Pre-flight: what must hold before the first change (kubeadm's own preflight plus the policy).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "pkg/plan/internal.h"
#include "pkg/version/releases.h"

namespace plan::internal {
namespace {

// Seconds since the epoch of an RFC 3339 UTC time ("2026-11-26T10:00:00Z", fractions allowed).
std::optional<long long> epoch_seconds(const std::string& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  std::chrono::year_month_day day{std::chrono::year(y), std::chrono::month(mo),
                                  std::chrono::day(d)};
  if (!day.ok()) return std::nullopt;
  return std::chrono::sys_days(day).time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL +
         s;
}

void control_plane_health(const cluster::Inventory& inv, std::vector<Finding>& out) {
  for (const auto& n : inv.nodes) {
    if (!n.control_plane || n.ready) continue;
    add(out, Severity::kBlocker, "ControlPlaneNotReady", "node/" + n.name,
        fmt::format("control-plane node {} is not Ready ({})", n.name,
                    n.ready_reason.empty() ? "no Ready condition" : n.ready_reason),
        fmt::format("bring it back to Ready first (kubectl describe node {})", n.name));
  }
  if (inv.control_plane_pods.empty()) {
    add(out, Severity::kBlocker, "NoControlPlanePods", "cluster",
        "no control-plane mirror pods (kube-system, tier=control-plane) were found",
        "kubectl-upgrade upgrades kubeadm clusters; check that this is one and that kube-system "
        "pods are readable");
    return;
  }
  static const std::vector<std::string> kComponents = {"kube-apiserver", "kube-controller-manager",
                                                       "kube-scheduler"};
  for (const auto& n : inv.nodes) {
    if (!n.control_plane) continue;
    for (const auto& c : kComponents) {
      auto it = std::find_if(inv.control_plane_pods.begin(), inv.control_plane_pods.end(),
                             [&](const auto& p) { return p.node == n.name && p.component == c; });
      if (it == inv.control_plane_pods.end())
        add(out, Severity::kBlocker, "ControlPlanePodMissing", "node/" + n.name,
            fmt::format("no {} mirror pod on control-plane node {}", c, n.name),
            fmt::format("check /etc/kubernetes/manifests/{}.yaml and the kubelet on {}", c,
                        n.name));
    }
  }
  for (const auto& p : inv.control_plane_pods)
    if (p.phase != "Running" || !p.ready)
      add(out, Severity::kBlocker, "ControlPlanePodNotRunning", "pod/kube-system/" + p.pod,
          fmt::format("{} on {} is {}{}", p.component, p.node, p.phase.empty() ? "?" : p.phase,
                      p.ready ? "" : " and not Ready"),
          fmt::format("fix it first (kubectl -n kube-system describe pod {})", p.pod));
}

void versions_consistent(const cluster::Inventory& inv, std::vector<Finding>& out) {
  std::set<std::string> seen;
  std::string where;
  auto note = [&](const std::string& what, const std::string& v) {
    if (v.empty()) return;
    seen.insert(v);
    where += (where.empty() ? "" : ", ") + what + " " + v;
  };
  note("/version", inv.server_version ? inv.server_version->to_string() : inv.server_git_version);
  for (const auto& p : inv.control_plane_pods)
    if (p.component == "kube-apiserver")
      note("kube-apiserver on " + p.node, p.version ? p.version->to_string() : p.image);
  if (!inv.kubeadm_config.found) {
    add(out, Severity::kBlocker, "KubeadmConfigMissing", "configmap/kube-system/kubeadm-config",
        "ConfigMap kube-system/kubeadm-config is missing: kubeadm upgrade needs it",
        "kubectl-upgrade upgrades kubeadm clusters; restore it with kubeadm init phase "
        "upload-config kubeadm");
  } else if (!inv.kubeadm_config.kubernetes_version) {
    add(out, Severity::kBlocker, "KubeadmConfigUnreadable", "configmap/kube-system/kubeadm-config",
        inv.kubeadm_config.error, "fix ClusterConfiguration.kubernetesVersion in the ConfigMap");
  } else {
    note("kubeadm-config", inv.kubeadm_config.kubernetes_version->to_string());
  }
  if (seen.size() > 1)
    add(out, Severity::kBlocker, "VersionsInconsistent", "cluster",
        "the control plane does not agree on its version: " + where,
        "an upgrade was interrupted: finish it on the control planes that lag (kubectl upgrade "
        "status shows where it stopped) before planning the next one");
}

void cordons_and_lock(const cluster::Inventory& inv, std::vector<Finding>& out) {
  for (const auto& n : inv.nodes) {
    if (n.unschedulable && !n.cordoned_by_us())
      add(out, Severity::kBlocker, "CordonedBySomeoneElse", "node/" + n.name,
          fmt::format("{} is cordoned, and not by kubectl-upgrade", n.name),
          fmt::format("find out why, then kubectl uncordon {} (kubectl-upgrade only uncordons "
                      "nodes it cordoned itself)",
                      n.name));
    else if (!n.ready && !n.control_plane)
      add(out, Severity::kWarning, "NodeNotReady", "node/" + n.name,
          fmt::format("{} is not Ready ({}): its upgrade cannot be verified", n.name,
                      n.ready_reason.empty() ? "no Ready condition" : n.ready_reason),
          "");
  }
  if (!inv.lock.found || inv.lock.holder.empty()) return;
  auto renewed = epoch_seconds(inv.lock.renew_time);
  auto now = epoch_seconds(inv.observed_at);
  bool expired = renewed && now && *renewed + inv.lock.duration_seconds < *now;
  std::string lease = fmt::format("lease/{}/{}", cluster::kLockNamespace, cluster::kLockName);
  if (inv.lock.holder_process_gone)
    add(out, Severity::kWarning, "StaleUpgradeLock", lease,
        fmt::format("the upgrade lock is held by {}, a process of this host that no longer runs "
                    "(renewed {})",
                    inv.lock.holder, inv.lock.renew_time),
        "the next kubectl upgrade on this host takes it over and resumes from the records");
  else if (expired)
    add(out, Severity::kWarning, "StaleUpgradeLock", lease,
        fmt::format("the upgrade lock held by {} expired (renewed {})", inv.lock.holder,
                    inv.lock.renew_time),
        "the next kubectl upgrade takes it over");
  else
    add(out, Severity::kBlocker, "UpgradeLockHeld", lease,
        fmt::format("an upgrade is running: the lock is held by {} (renewed {})", inv.lock.holder,
                    inv.lock.renew_time),
        "wait for it (kubectl upgrade status); if it died, the lock expires " +
            std::to_string(inv.lock.duration_seconds) + "s after its last renewal");
}

void kubelets_too_old(const cluster::Inventory& inv, const kver::HopPath& path,
                      std::vector<Finding>& out) {
  const kver::Version& next = path.hops.front().to;
  for (const auto& n : inv.nodes) {
    if (!n.kubelet || !kver::kubelet_blocks_target(*n.kubelet, next)) continue;
    add(out, Severity::kBlocker, "KubeletTooOld", "node/" + n.name,
        fmt::format("kubelet {} on {} would be more than {} minors behind a {} control plane",
                    n.kubelet->to_string(), n.name, kver::max_kubelet_skew(*n.kubelet),
                    next.to_string()),
        fmt::format(
            "upgrade {} to the cluster's version {} first (kubectl upgrade node {} --to {})",
            n.name, path.current.to_string(), n.name, path.current.to_string()));
  }
}

void removed_apis(const cluster::Inventory& inv, const kver::HopPath& path,
                  std::vector<Finding>& out) {
  for (const auto& api :
       kver::removed_between(path.current.minor_line(), path.target.minor_line())) {
    auto served =
        std::find_if(inv.removed_apis.begin(), inv.removed_apis.end(),
                     [&](const auto& s) { return s.group_version == api.group_version(); });
    if (served == inv.removed_apis.end() || !served->served) continue;
    int objects = 0;
    for (const auto& [r, c] : served->objects) objects += c;
    if (objects == 0) continue;
    add(out, Severity::kWarning, "RemovedApiInUse", "api/" + api.group_version(),
        fmt::format("{} ({}) is no longer served from {}; the cluster stores {} such objects "
                    "({} last applied with {}). Stored objects stay readable through {}; "
                    "manifests and clients that use {} break",
                    api.group_version(), api.kinds, api.removed_in.to_string(), objects,
                    served->applied_with_it, api.group_version(), api.replacement,
                    api.group_version()),
        "migrate manifests and clients to " + api.replacement +
            " (Deprecated API Migration Guide, kubernetes.io/docs/reference/using-api/"
            "deprecation-guide/)");
  }
}

}  // namespace

void preflight(const cluster::Inventory& inv, const std::optional<kver::HopPath>& path,
               std::vector<Finding>& findings) {
  control_plane_health(inv, findings);
  versions_consistent(inv, findings);
  cordons_and_lock(inv, findings);
  if (path) {
    kubelets_too_old(inv, *path, findings);
    removed_apis(inv, *path, findings);
  }
}

}  // namespace plan::internal
