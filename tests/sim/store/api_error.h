// API errors as the real kube-apiserver shapes them (kubernetes-facts.md section 8).
//
// Every failure the sim answers is a `Status` object. The helpers below build the exact messages
// the apiserver uses (k8s.io/apimachinery/pkg/api/errors), so kubectl prints the same sentences.
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sim {

struct ApiCause {
  std::string reason;  // serialized under "reason" (Go's StatusCause.Type)
  std::string message;
  std::string field;
};

struct ApiError {
  int code = 500;
  std::string reason;   // NotFound, Conflict, Invalid, ...
  std::string message;  // the sentence kubectl prints
  std::string name;     // details.name
  std::string group;    // details.group
  std::string kind;     // details.kind (resource plural for NotFound/Conflict, Kind for Invalid)
  std::vector<ApiCause> causes;
  int retry_after_seconds = 0;

  nlohmann::json to_status() const;
};

template <class T>
using Result = std::expected<T, ApiError>;

// `resource` is the plural resource name and `group` its API group ("" for core), as the
// apiserver's qualified resource: pods "x" not found / deployments.apps "x" not found.
ApiError not_found(const std::string& group, const std::string& resource, const std::string& name);
ApiError already_exists(const std::string& group, const std::string& resource,
                        const std::string& name);
ApiError conflict(const std::string& group, const std::string& resource, const std::string& name,
                  const std::string& why);
// `kind` is the object's Kind ("Pod"); each cause is a field.Error.
ApiError invalid(const std::string& group, const std::string& kind, const std::string& name,
                 std::vector<ApiCause> causes);
ApiError bad_request(const std::string& message);
ApiError method_not_supported(const std::string& group, const std::string& resource,
                              const std::string& verb);
ApiError expired(const std::string& message);
ApiError internal_error(const std::string& message);
ApiError too_many_requests(const std::string& message, int retry_after_seconds);
ApiError unauthorized();
ApiError forbidden(const std::string& group, const std::string& resource, const std::string& name,
                   const std::string& why);
ApiError service_unavailable(const std::string& message);
ApiError request_entity_too_large(const std::string& message);
ApiError unsupported_media_type(const std::string& content_type);
ApiError not_acceptable(const std::string& accept);

// A field.Error cause, e.g. required("spec.containers") -> FieldValueRequired "Required value".
ApiCause required_field(const std::string& field);
ApiCause invalid_field(const std::string& field, const std::string& value,
                       const std::string& detail);
ApiCause unknown_field(const std::string& field);

}  // namespace sim
