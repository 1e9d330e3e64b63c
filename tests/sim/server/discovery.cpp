#include "tests/sim/server/discovery.h"

#include <map>
#include <set>
#include <vector>

#include "tests/sim/model/objects.h"
#include "tests/sim/store/resources.h"

namespace sim {
namespace {

using json = nlohmann::json;

json verbs_for(const ResourceInfo& r) {
  json v = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
  (void)r;
  return v;
}

json subresource_entry(const ResourceInfo& r, const std::string& sub) {
  json e = {{"name", r.resource + "/" + sub},
            {"singularName", ""},
            {"namespaced", r.namespaced},
            {"kind", r.kind},
            {"verbs", {"get", "patch", "update"}}};
  if (sub == "log") e["verbs"] = {"get"};
  if (sub == "proxy") {
    e["kind"] = "NodeProxyOptions";
    e["verbs"] = {"create", "delete", "get", "patch", "update"};
  }
  if (sub == "finalize") e["verbs"] = {"update"};
  if (sub == "eviction") {
    e["group"] = "policy";
    e["version"] = "v1";
    e["kind"] = "Eviction";
    e["verbs"] = {"create"};
  }
  if (sub == "binding") {
    e["kind"] = "Binding";
    e["verbs"] = {"create"};
  }
  if (sub == "scale") {
    e["group"] = "autoscaling";
    e["version"] = "v1";
    e["kind"] = "Scale";
  }
  if (sub == "ephemeralcontainers") e["verbs"] = {"get", "patch", "update"};
  return e;
}

json resource_list(const std::string& group, const std::string& version) {
  json resources = json::array();
  for (const auto& r : all_resources()) {
    if (r.group != group || r.version != version) continue;
    json e = {{"name", r.resource},
              {"singularName", r.singular},
              {"namespaced", r.namespaced},
              {"kind", r.kind},
              {"verbs", verbs_for(r)},
              {"storageVersionHash", fake_digest(r.qualified()).substr(0, 11) + "="}};
    if (!r.short_names.empty()) e["shortNames"] = r.short_names;
    if (!r.categories.empty()) e["categories"] = r.categories;
    resources.push_back(e);
    for (const auto& sub : r.subresources) resources.push_back(subresource_entry(r, sub));
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group.empty() ? version : group + "/" + version},
          {"resources", resources}};
}

std::map<std::string, std::set<std::string>> groups() {
  std::map<std::string, std::set<std::string>> out;
  std::vector<std::string> order;
  for (const auto& r : all_resources()) {
    if (!r.group.empty()) out[r.group].insert(r.version);
  }
  return out;
}

json group_entry(const std::string& name, const std::set<std::string>& versions) {
  json vs = json::array();
  for (const auto& v : versions) vs.push_back({{"groupVersion", name + "/" + v}, {"version", v}});
  return {{"name", name}, {"versions", vs}, {"preferredVersion", vs[0]}};
}

json openapi_gv(const std::string& group, const std::string& version) {
  json paths = json::object();
  json field_validation = {{"name", "fieldValidation"},
                           {"in", "query"},
                           {"description",
                            "fieldValidation instructs the server on how to handle objects in the "
                            "request containing unknown or duplicate fields."},
                           {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
  for (const auto& r : all_resources()) {
    if (r.group != group || r.version != version) continue;
    std::string prefix = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    std::string collection =
        prefix + (r.namespaced ? "/namespaces/{namespace}/" : "/") + r.resource;
    json gvk = {{"group", group}, {"version", version}, {"kind", r.kind}};
    json op = {{"x-kubernetes-group-version-kind", gvk},
               {"parameters", {field_validation}},
               {"responses", {{"200", {{"description", "OK"}}}}}};
    paths[collection] = {{"post", op}};
    paths[collection + "/{name}"] = {{"put", op}, {"patch", op}};
  }
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "unversioned"}}},
          {"paths", paths},
          {"components", {{"schemas", json::object()}}}};
}

}  // namespace

std::optional<json> openapi_v3_document(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  std::map<std::string, std::pair<std::string, std::string>> gvs;
  for (const auto& r : all_resources()) {
    std::string key = r.group.empty() ? "api/" + r.version : "apis/" + r.group + "/" + r.version;
    gvs[key] = {r.group, r.version};
  }
  if (p == "/openapi/v3") {
    json paths = json::object();
    for (const auto& [key, gv] : gvs) {
      paths[key] = {
          {"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + fake_digest(key).substr(0, 16)}};
    }
    return json{{"paths", paths}};
  }
  for (const auto& [key, gv] : gvs) {
    if (p == "/openapi/v3/" + key) return openapi_gv(gv.first, gv.second);
  }
  return std::nullopt;
}

std::optional<json> discovery_document(const std::string& path, const std::string& server_address) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/api") {
    return json{{"kind", "APIVersions"},
                {"versions", {"v1"}},
                {"serverAddressByClientCIDRs",
                 {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
  }
  if (p == "/api/v1") return resource_list("", "v1");
  auto all = groups();
  if (p == "/apis") {
    json list = json::array();
    for (const auto& [name, versions] : all) list.push_back(group_entry(name, versions));
    return json{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", list}};
  }
  for (const auto& [name, versions] : all) {
    if (p == "/apis/" + name) {
      json g = group_entry(name, versions);
      g["kind"] = "APIGroup";
      g["apiVersion"] = "v1";
      return g;
    }
    for (const auto& v : versions) {
      if (p == "/apis/" + name + "/" + v) return resource_list(name, v);
    }
  }
  return std::nullopt;
}

}  // namespace sim
