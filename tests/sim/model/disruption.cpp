#include "tests/sim/model/disruption.h"

#include <algorithm>
#include <cmath>

#include "tests/sim/model/objects.h"

namespace sim {

int scaled_value(const nlohmann::json& v, int total, bool round_up) {
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (!s.empty() && s.back() == '%') {
      double pct = std::atof(s.substr(0, s.size() - 1).c_str());
      double raw = pct * total / 100.0;
      return static_cast<int>(round_up ? std::ceil(raw) : std::floor(raw));
    }
    return std::atoi(s.c_str());
  }
  return 0;
}

PdbStatus compute_pdb_status(const nlohmann::json& pdb, const std::vector<nlohmann::json>& pods,
                             std::optional<int> expected_scale) {
  PdbStatus s;
  const auto& spec = pdb.value("spec", nlohmann::json::object());
  int pod_count = static_cast<int>(pods.size());
  if (spec.contains("maxUnavailable")) {
    s.expected_pods = expected_scale.value_or(pod_count);
    int max_unavailable = scaled_value(spec["maxUnavailable"], s.expected_pods, true);
    s.desired_healthy = std::max(0, s.expected_pods - max_unavailable);
  } else if (spec.contains("minAvailable")) {
    const auto& min = spec["minAvailable"];
    if (min.is_number_integer() ||
        (min.is_string() && min.get<std::string>().find('%') == std::string::npos)) {
      s.expected_pods = pod_count;
      s.desired_healthy = scaled_value(min, pod_count, true);
    } else {
      s.expected_pods = expected_scale.value_or(pod_count);
      s.desired_healthy = scaled_value(min, s.expected_pods, true);
    }
  } else {
    s.expected_pods = pod_count;
    s.desired_healthy = pod_count;
  }
  for (const auto& p : pods) {
    if (!pod_deleting(p) && pod_ready(p)) ++s.current_healthy;
  }
  s.disruptions_allowed = std::max(0, s.current_healthy - s.desired_healthy);
  return s;
}

nlohmann::json pdb_status_json(const PdbStatus& s, int64_t observed_generation) {
  return {{"observedGeneration", observed_generation},
          {"disruptionsAllowed", s.disruptions_allowed},
          {"currentHealthy", s.current_healthy},
          {"desiredHealthy", s.desired_healthy},
          {"expectedPods", s.expected_pods},
          {"conditions",
           {{{"type", "DisruptionAllowed"},
             {"status", s.disruptions_allowed > 0 ? "True" : "False"},
             {"reason", s.disruptions_allowed > 0 ? "SufficientPods" : "InsufficientPods"},
             {"message", ""},
             {"observedGeneration", observed_generation},
             {"lastTransitionTime", now_rfc3339()}}}}};
}

}  // namespace sim
