#include "tests/sim/server/request.h"

#include <vector>

namespace sim {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

ApiError page_not_found() {
  ApiError e;
  e.code = 404;
  e.reason = "NotFound";
  e.message = "the server could not find the requested resource";
  return e;
}

}  // namespace

Result<ApiRequest> parse_resource_path(const std::string& method, const std::string& path,
                                       bool watch) {
  auto parts = split_path(path);
  ApiRequest r;
  size_t i = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    r.version = parts[1];
    i = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    r.group = parts[1];
    r.version = parts[2];
    i = 3;
  } else {
    return std::unexpected(page_not_found());
  }
  // /api/v1/namespaces/NS/status and /finalize are the namespace's own subresources.
  bool namespace_subresource = parts.size() == i + 3 && parts[i] == "namespaces" &&
                               (parts[i + 2] == "status" || parts[i + 2] == "finalize");
  if (parts.size() > i + 2 && parts[i] == "namespaces" && !namespace_subresource) {
    r.ns = parts[i + 1];
    i += 2;
  }
  if (i >= parts.size()) return std::unexpected(page_not_found());
  r.resource = parts[i++];
  if (i < parts.size()) r.name = parts[i++];
  if (i < parts.size()) r.subresource = parts[i++];
  if (i < parts.size()) return std::unexpected(page_not_found());
  r.info = find_resource(r.group, r.version, r.resource);
  if (r.info == nullptr) return std::unexpected(page_not_found());
  if (!r.info->namespaced && !r.ns.empty()) return std::unexpected(page_not_found());
  if (!r.subresource.empty()) {
    bool known = false;
    for (const auto& s : r.info->subresources) known |= s == r.subresource;
    if (!known) return std::unexpected(page_not_found());
  }
  bool collection = r.name.empty();
  if (method == "GET" || method == "HEAD")
    r.verb = collection ? (watch ? "watch" : "list") : "get";
  else if (method == "POST")
    r.verb = "create";
  else if (method == "PUT")
    r.verb = "update";
  else if (method == "PATCH")
    r.verb = "patch";
  else if (method == "DELETE")
    r.verb = collection ? "deletecollection" : "delete";
  else
    return std::unexpected(method_not_supported(r.group, r.resource, method));
  return r;
}

}  // namespace sim
