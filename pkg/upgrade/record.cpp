#include "pkg/upgrade/record.h"

namespace upgrade {
namespace {
constexpr const char* kNames[kStepCount] = {"preflight",
                                            "facts",
                                            "repo",
                                            "kubeadm-package",
                                            "kubeadm-upgrade",
                                            "drain",
                                            "kubelet-package",
                                            "kubelet-restart",
                                            "uncordon",
                                            "done"};
}

const char* step_name(StepId s) {
  return kNames[static_cast<int>(s)];
}

std::string step_label(StepId s) {
  return std::to_string(static_cast<int>(s)) + "-" + step_name(s);
}

std::optional<StepId> parse_step(const std::string& label) {
  for (int i = 0; i < kStepCount; ++i)
    if (label == step_label(static_cast<StepId>(i))) return static_cast<StepId>(i);
  return std::nullopt;
}

int NodeRecord::resume_from(const std::string& for_target) const {
  if (target != for_target || !step) return 0;
  int s = static_cast<int>(*step);
  return state == "done" ? s + 1 : s;
}

NodeRecord read_record(const kube::json& node) {
  const kube::json a = node.value("/metadata/annotations"_json_pointer, kube::json::object());
  auto get = [&](const char* k) {
    auto it = a.find(k);
    return it != a.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  NodeRecord r;
  r.target = get(kTargetKey);
  r.from = get(kFromKey);
  r.role = parse_role(get(kRoleKey));
  r.step = parse_step(get(kStepKey));
  r.state = get(kStateKey);
  r.last_error = get(kLastErrorKey);
  r.updated = get(kUpdatedKey);
  r.started = get(kStartedKey);
  r.flags = get(kFlagsKey);
  r.cordoned_by_us = get(kCordonedKey) == "true";
  return r;
}

}  // namespace upgrade
