#include "tests/sim/store/resources.h"

#include <algorithm>

namespace sim {

bool ResourceInfo::has_status_subresource() const {
  return std::ranges::find(subresources, "status") != subresources.end();
}

const std::vector<ResourceInfo>& all_resources() {
  static const std::vector<ResourceInfo> kAll = {
      {"",
       "v1",
       "namespaces",
       "Namespace",
       "namespace",
       false,
       {"ns"},
       {"status", "finalize"},
       {},
       false},
      {"", "v1", "nodes", "Node", "node", false, {"no"}, {"status", "proxy"}, {}, false},
      {"",
       "v1",
       "pods",
       "Pod",
       "pod",
       true,
       {"po"},
       {"status", "log", "eviction", "binding", "ephemeralcontainers"},
       {"all"},
       false},
      {"", "v1", "events", "Event", "event", true, {"ev"}, {}, {}, false},
      {"", "v1", "configmaps", "ConfigMap", "configmap", true, {"cm"}, {}, {}, false},
      {"", "v1", "secrets", "Secret", "secret", true, {}, {}, {}, false},
      {"", "v1", "services", "Service", "service", true, {"svc"}, {"status"}, {"all"}, false},
      {"",
       "v1",
       "serviceaccounts",
       "ServiceAccount",
       "serviceaccount",
       true,
       {"sa"},
       {},
       {},
       false},
      {"", "v1", "endpoints", "Endpoints", "endpoints", true, {"ep"}, {}, {}, false},
      {"apps",
       "v1",
       "deployments",
       "Deployment",
       "deployment",
       true,
       {"deploy"},
       {"status", "scale"},
       {"all"},
       true},
      {"apps",
       "v1",
       "replicasets",
       "ReplicaSet",
       "replicaset",
       true,
       {"rs"},
       {"status", "scale"},
       {"all"},
       true},
      {"apps",
       "v1",
       "daemonsets",
       "DaemonSet",
       "daemonset",
       true,
       {"ds"},
       {"status"},
       {"all"},
       true},
      {"apps",
       "v1",
       "statefulsets",
       "StatefulSet",
       "statefulset",
       true,
       {"sts"},
       {"status", "scale"},
       {"all"},
       true},
      {"batch", "v1", "jobs", "Job", "job", true, {}, {"status"}, {"all"}, true},
      {"policy",
       "v1",
       "poddisruptionbudgets",
       "PodDisruptionBudget",
       "poddisruptionbudget",
       true,
       {"pdb"},
       {"status"},
       {},
       true},
      {"coordination.k8s.io", "v1", "leases", "Lease", "lease", true, {}, {}, {}, false},
  };
  return kAll;
}

const ResourceInfo* find_resource(const std::string& group, const std::string& version,
                                  const std::string& resource) {
  for (const auto& r : all_resources()) {
    if (r.group == group && r.version == version && r.resource == resource) return &r;
  }
  return nullptr;
}

const ResourceInfo* find_qualified(const std::string& qualified) {
  for (const auto& r : all_resources()) {
    if (r.qualified() == qualified) return &r;
  }
  return nullptr;
}

const ResourceInfo* find_kind(const std::string& api_version, const std::string& kind) {
  for (const auto& r : all_resources()) {
    if (r.api_version() == api_version && r.kind == kind) return &r;
  }
  return nullptr;
}

}  // namespace sim
