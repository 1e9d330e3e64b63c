#include "tests/sim/model/pod_deletion.h"

#include "tests/sim/model/objects.h"

namespace sim {

using json = nlohmann::json;

Result<Stored> delete_pod(Cluster& cluster, const std::string& ns, const std::string& name,
                          int64_t grace_seconds, const std::string& uid_precondition,
                          bool dry_run) {
  const ResourceInfo& pods = *find_qualified("pods");
  auto current = cluster.store().get(pods, ns, name);
  if (!current) return current;
  const json& pod = current->json();
  if (!uid_precondition.empty() && pod["metadata"].value("uid", "") != uid_precondition) {
    return std::unexpected(
        conflict("", "pods", name,
                 "Precondition failed: UID in precondition: " + uid_precondition +
                     ", UID in object meta: " + pod["metadata"].value("uid", "")));
  }
  int64_t grace = grace_seconds >= 0
                      ? grace_seconds
                      : pod["spec"].value("terminationGracePeriodSeconds", int64_t{30});
  bool on_node = !pod["spec"].value("nodeName", "").empty();
  if (!on_node || pod_finished(pod)) grace = 0;
  if (dry_run) return current;
  if (grace == 0 && pod["metadata"].value("finalizers", json::array()).empty()) {
    cluster.logs().forget(pod["metadata"].value("uid", ""));
    return cluster.store().erase(pods, ns, name, uid_precondition);
  }
  return cluster.store().mutate(pods, ns, name, [&](json& p) -> Result<void> {
    auto now = std::chrono::system_clock::now();
    int64_t existing = p["metadata"].value("deletionGracePeriodSeconds", int64_t{-1});
    if (existing >= 0 && existing <= grace) return {};
    p["metadata"]["deletionTimestamp"] = rfc3339(now + std::chrono::seconds(grace));
    p["metadata"]["deletionGracePeriodSeconds"] = grace;
    return {};
  });
}

}  // namespace sim
