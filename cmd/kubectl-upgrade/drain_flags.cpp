#include "cmd/kubectl-upgrade/drain_flags.h"

#include "cmd/kubectl-upgrade/flags.h"
#include "pkg/nodeshell/pod_spec.h"

namespace cli {

void add_drain_flags(cxxopts::Options& o) {
  flags::add_bool(o, "ignore-daemonsets", "Ignore DaemonSet-managed pods.", true);
  flags::add_bool(o, "delete-emptydir-data",
                  "Continue even if there are pods using emptyDir (local data that will be "
                  "deleted when the node is drained).");
  flags::add_bool(o, "force", "Continue even if there are pods that do not declare a controller.");
  flags::add_int(o, "grace-period",
                 "Period of time in seconds given to each pod to terminate gracefully. If "
                 "negative, the default value specified in the pod will be used.",
                 -1);
  flags::add_bool(o, "disable-eviction",
                  "Force drain to use delete, even if eviction is supported. This will bypass "
                  "checking PodDisruptionBudgets, use with caution.");
  flags::add_string(o, "pod-selector", "Label selector to filter pods on the node");
  flags::add_int(o, "skip-wait-for-delete-timeout",
                 "If pod DeletionTimestamp older than N seconds, skip waiting for the pod. "
                 "Seconds must be greater than 0 to skip.");
  flags::add_string(o, "drain-timeout",
                    "The length of time to wait for the drain of one node before giving up "
                    "(e.g. 5m, 1h).",
                    "15m");
  flags::add_string(o, "on-drain-timeout",
                    "What to do with the node when the drain times out: \"restore\" (make it "
                    "schedulable again, unless it was cordoned before) or \"keep-cordoned\".",
                    "restore");
}

void add_node_shell_flags(cxxopts::Options& o) {
  const nodeshell::ShellOptions defaults;  // one default, the library's
  flags::add_string(o, "shell-namespace",
                    "Namespace of the privileged pods that run the upgrade steps on the nodes.",
                    defaults.ns);
  flags::add_string(o, "shell-image", "Image of the privileged pods that run on the nodes.",
                    defaults.image);
}

void add_kubelet_timeout_flag(cxxopts::Options& o) {
  flags::add_string(o, "kubelet-timeout",
                    "How long the restarted kubelet may take to report the target version and "
                    "Ready before the step fails (the node stays cordoned, the record lets a "
                    "re-run resume).",
                    "5m");
}

}  // namespace cli
