#include "pkg/drain/cordon.h"

#include "pkg/kube/paths.h"

namespace drain {

kube::Result<CordonResult> cordon(kube::Client& client, const std::string& node,
                                  const std::map<std::string, std::string>& annotations) {
  // The resourceVersion in the patch makes it conditional: if someone cordons between our read and
  // our write we get a 409, read again and find the node cordoned (not by us).
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto got = client.get(kube::paths::node(node));
    if (!got) return std::unexpected(got.error().wrap("cordoning node " + node));
    if (got->value("/spec/unschedulable"_json_pointer, false)) return CordonResult{false};
    kube::json patch = {{"spec", {{"unschedulable", true}}}};
    patch["metadata"]["resourceVersion"] =
        got->value("/metadata/resourceVersion"_json_pointer, std::string());
    for (const auto& [k, v] : annotations) patch["metadata"]["annotations"][k] = v;
    auto done = client.patch(kube::paths::node(node), kube::PatchType::kStrategicMerge, patch);
    if (done) return CordonResult{true};
    if (!done.error().conflict())
      return std::unexpected(done.error().wrap("cordoning node " + node));
  }
  return std::unexpected(
      kube::Error::transport("cordoning node " + node + ": the node kept changing (5 conflicts)",
                             "run the command again"));
}

kube::Result<void> uncordon(kube::Client& client, const std::string& node,
                            const std::vector<std::string>& annotations) {
  kube::json patch = {{"spec", {{"unschedulable", nullptr}}}};
  for (const auto& k : annotations) patch["metadata"]["annotations"][k] = nullptr;
  auto done = client.patch(kube::paths::node(node), kube::PatchType::kStrategicMerge, patch);
  if (!done) return std::unexpected(done.error().wrap("uncordoning node " + node));
  return {};
}

}  // namespace drain
