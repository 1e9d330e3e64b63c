// The three patch kinds of the apiserver, applied to a JSON object.
//
// - application/merge-patch+json: RFC 7386.
// - application/strategic-merge-patch+json: maps merge, `null` deletes, lists are replaced except
//   the ones Kubernetes merges by key (containers by name, conditions by type, ...), with the
//   `$patch`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives.
// - application/json-patch+json: RFC 6902.
// A patch document that is not valid JSON is a 400; one that cannot be applied is a 422, as the
// apiserver answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/store/api_error.h"

namespace sim {

enum class PatchType { kMerge, kStrategicMerge, kJson };

// From a request's Content-Type; 415 for anything else (server-side apply is not served).
Result<PatchType> patch_type_from_content_type(const std::string& content_type);

// `kind` and `name` only shape error messages.
Result<nlohmann::json> apply_patch(PatchType type, const nlohmann::json& original,
                                   const std::string& patch_body, const std::string& kind,
                                   const std::string& name);

nlohmann::json strategic_merge(const nlohmann::json& original, const nlohmann::json& patch);

}  // namespace sim
