// The resource types kube-sim serves, as discovery describes them.
#pragma once

#include <string>
#include <vector>

namespace sim {

struct ResourceInfo {
  std::string group;     // "" for core
  std::string version;   // "v1"
  std::string resource;  // plural: "pods"
  std::string kind;      // "Pod"
  std::string singular;  // "pod"
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> subresources;  // "status", "log", "eviction", ...
  std::vector<std::string> categories;
  bool has_spec_generation = false;  // metadata.generation moves when spec changes

  // Store key: "pods", "deployments.apps".
  std::string qualified() const { return group.empty() ? resource : resource + "." + group; }
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  bool has_status_subresource() const;
};

// Every type served, core first.
const std::vector<ResourceInfo>& all_resources();
// nullptr when the group/version/resource is not served.
const ResourceInfo* find_resource(const std::string& group, const std::string& version,
                                  const std::string& resource);
// By store key ("pods", "deployments.apps"); nullptr when unknown.
const ResourceInfo* find_qualified(const std::string& qualified);
// By Kind and apiVersion ("Pod", "v1"); nullptr when unknown.
const ResourceInfo* find_kind(const std::string& api_version, const std::string& kind);

}  // namespace sim
