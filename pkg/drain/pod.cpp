#include "pkg/drain/pod.h"

#include <chrono>
#include <cstdio>

#include "pkg/drain/options.h"

namespace drain {

PodRef pod_ref(const json& pod) {
  const json& m = pod.value("metadata", json::object());
  return {m.value("namespace", ""), m.value("name", ""), m.value("uid", "")};
}

std::optional<OwnerRef> controller_of(const json& pod) {
  const json refs = pod.value("/metadata/ownerReferences"_json_pointer, json::array());
  for (const json& r : refs)
    if (r.value("controller", false)) return OwnerRef{r.value("kind", ""), r.value("name", "")};
  return std::nullopt;
}

bool is_finished(const json& pod) {
  std::string phase = pod.value("/status/phase"_json_pointer, std::string());
  return phase == "Succeeded" || phase == "Failed";
}

bool has_emptydir(const json& pod) {
  for (const json& v : pod.value("/spec/volumes"_json_pointer, json::array()))
    if (v.contains("emptyDir")) return true;
  return false;
}

bool is_mirror(const json& pod) {
  return pod.value("/metadata/annotations"_json_pointer, json::object())
      .contains("kubernetes.io/config.mirror");
}

std::string label(const json& pod, const std::string& key) {
  const json labels = pod.value("/metadata/labels"_json_pointer, json::object());
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

bool is_ours(const json& pod) {
  return label(pod, kManagedByLabel) == kManagedByValue;
}

std::optional<long long> parse_rfc3339(const std::string& text) {
  int y, mo, d, h, mi, s;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  auto day = std::chrono::sys_days{std::chrono::year{y} / mo / d};
  return std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count() +
         h * 3600LL + mi * 60LL + s;
}

std::optional<long long> deletion_timestamp(const json& pod) {
  auto ts = pod.value("/metadata/deletionTimestamp"_json_pointer, std::string());
  if (ts.empty()) return std::nullopt;
  return parse_rfc3339(ts);
}

}  // namespace drain
