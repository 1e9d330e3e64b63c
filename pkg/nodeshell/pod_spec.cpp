#include "pkg/nodeshell/pod_spec.h"

#include "pkg/drain/options.h"

namespace nodeshell {

json shell_pod(const std::string& node, const std::string& script, const std::string& purpose,
               const std::string& run_id, const std::string& ns, const std::string& image,
               std::chrono::seconds active_deadline) {
  json container = {
      {"name", kContainerName},
      {"image", image},
      {"command",
       {"nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--", "sh", "-c",
        script}},
      {"securityContext", {{"privileged", true}}},
      {"terminationMessagePolicy", "FallbackToLogsOnError"},
      {"resources", {{"requests", {{"cpu", "10m"}, {"memory", "16Mi"}}}}},
  };
  return {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"generateName", "kubectl-upgrade-" + purpose + "-"},
        {"namespace", ns},
        {"labels",
         {{drain::kManagedByLabel, drain::kManagedByValue},
          {kComponentLabel, kComponentValue},
          {kPurposeLabel, purpose},
          {kRunLabel, run_id}}}}},
      {"spec",
       {{"nodeName", node},
        {"hostPID", true},
        {"hostNetwork", true},
        {"hostIPC", true},
        {"restartPolicy", "Never"},
        {"activeDeadlineSeconds", active_deadline.count()},
        {"terminationGracePeriodSeconds", 30},
        {"enableServiceLinks", false},
        {"automountServiceAccountToken", false},
        {"tolerations", json::array({{{"operator", "Exists"}}})},
        {"containers", json::array({container})}}},
  };
}

}  // namespace nodeshell
