// Turning a non-2xx HTTP answer into a Status, as client-go's rest.Request does: a Status body is
// used as sent; anything else becomes the generic Status for the HTTP code
// (apimachinery errors.NewGenericServerResponse), naming verb, resource and name.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "pkg/kube/error.h"

namespace kube::detail {

// Reads a string / integer member, or "" / 0 when it is missing or of another type.
std::string text(const nlohmann::json& object, const char* key);
int number(const nlohmann::json& object, const char* key);

// Status from a decoded `kind: Status` object; nullopt when `object` is not one.
std::optional<Status> status_from_json(const nlohmann::json& object);

// verb: the HTTP method; path: the API path (gives resource and name); retry_after: the
// Retry-After header's value (seconds) or empty.
Status status_from_response(long code, std::string_view body, std::string_view verb,
                            std::string_view path, std::string_view retry_after);

}  // namespace kube::detail
