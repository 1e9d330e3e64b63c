// What an API request asks for, parsed from its method and path like the apiserver's
// RequestInfoFactory: /api/v1/namespaces/NS/pods/NAME/SUB, /apis/G/V/..., discovery paths.
#pragma once

#include <string>

#include "tests/sim/store/api_error.h"
#include "tests/sim/store/resources.h"

namespace sim {

struct ApiRequest {
  std::string verb;  // get list watch create update patch delete deletecollection
  std::string group, version, resource, ns, name, subresource;
  const ResourceInfo* info = nullptr;
  std::string qualified_name() const { return ns.empty() ? name : ns + "/" + name; }
};

// `watch` is the value of the watch query parameter. 404 Status for unknown paths/resources.
Result<ApiRequest> parse_resource_path(const std::string& method, const std::string& path,
                                       bool watch);

}  // namespace sim
