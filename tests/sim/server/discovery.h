// Discovery documents: /api, /apis, /api/v1, /apis/G, /apis/G/V (the legacy, non-aggregated
// forms; kubectl falls back to them when the server does not answer with APIGroupDiscoveryList).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sim {

// The document for a discovery path, or nullopt when `path` is not a discovery path.
std::optional<nlohmann::json> discovery_document(const std::string& path,
                                                 const std::string& server_address);

// /openapi/v3 and /openapi/v3/<api/v1|apis/G/V>: just enough OpenAPI v3 for kubectl to see that
// the server validates fields itself (every PATCH operation takes `fieldValidation`), so
// `kubectl apply/create -f` send fieldValidation=Strict instead of validating client-side.
std::optional<nlohmann::json> openapi_v3_document(const std::string& path);

}  // namespace sim
