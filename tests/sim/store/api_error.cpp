#include "tests/sim/store/api_error.h"

#include <fmt/format.h>

namespace sim {
namespace {

std::string qualified(const std::string& group, const std::string& resource) {
  return group.empty() ? resource : resource + "." + group;
}

ApiError make(int code, std::string reason, std::string message) {
  ApiError e;
  e.code = code;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return e;
}

}  // namespace

nlohmann::json ApiError::to_status() const {
  nlohmann::json s = {
      {"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
      {"status", "Failure"}, {"message", message}, {"reason", reason},
      {"code", code}};
  nlohmann::json details = nlohmann::json::object();
  if (!name.empty()) details["name"] = name;
  if (!group.empty()) details["group"] = group;
  if (!kind.empty()) details["kind"] = kind;
  if (!causes.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : causes) {
      nlohmann::json j = nlohmann::json::object();
      if (!c.reason.empty()) j["reason"] = c.reason;
      if (!c.message.empty()) j["message"] = c.message;
      if (!c.field.empty()) j["field"] = c.field;
      list.push_back(std::move(j));
    }
    details["causes"] = std::move(list);
  }
  if (retry_after_seconds > 0) details["retryAfterSeconds"] = retry_after_seconds;
  if (!details.empty()) s["details"] = std::move(details);
  if (reason.empty()) s.erase("reason");
  return s;
}

ApiError not_found(const std::string& group, const std::string& resource, const std::string& name) {
  auto e =
      make(404, "NotFound", fmt::format("{} \"{}\" not found", qualified(group, resource), name));
  e.name = name;
  e.group = group;
  e.kind = resource;
  return e;
}

ApiError already_exists(const std::string& group, const std::string& resource,
                        const std::string& name) {
  auto e = make(409, "AlreadyExists",
                fmt::format("{} \"{}\" already exists", qualified(group, resource), name));
  e.name = name;
  e.group = group;
  e.kind = resource;
  return e;
}

ApiError conflict(const std::string& group, const std::string& resource, const std::string& name,
                  const std::string& why) {
  auto e = make(409, "Conflict",
                fmt::format("Operation cannot be fulfilled on {} \"{}\": {}",
                            qualified(group, resource), name, why));
  e.name = name;
  e.group = group;
  e.kind = resource;
  return e;
}

ApiError invalid(const std::string& group, const std::string& kind, const std::string& name,
                 std::vector<ApiCause> causes) {
  std::string list;
  for (const auto& c : causes) {
    std::string one = c.field.empty() ? c.message : c.field + ": " + c.message;
    list += list.empty() ? one : ", " + one;
  }
  std::string message = causes.size() > 1
                            ? fmt::format("{} \"{}\" is invalid: [{}]", kind, name, list)
                            : fmt::format("{} \"{}\" is invalid: {}", kind, name, list);
  auto e = make(422, "Invalid", message);
  e.name = name;
  e.group = group;
  e.kind = kind;
  e.causes = std::move(causes);
  return e;
}

ApiError bad_request(const std::string& message) {
  return make(400, "BadRequest", message);
}

ApiError method_not_supported(const std::string& group, const std::string& resource,
                              const std::string& verb) {
  auto e = make(405, "MethodNotAllowed",
                fmt::format("{} is not supported on resources of kind \"{}\"", verb,
                            qualified(group, resource)));
  e.group = group;
  e.kind = resource;
  return e;
}

ApiError expired(const std::string& message) {
  return make(410, "Expired", message);
}

ApiError internal_error(const std::string& message) {
  auto e = make(500, "InternalError", "Internal error occurred: " + message);
  e.causes.push_back({.reason = "", .message = message, .field = ""});
  return e;
}

ApiError too_many_requests(const std::string& message, int retry_after_seconds) {
  auto e = make(429, "TooManyRequests", message);
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

ApiError unauthorized() {
  return make(401, "Unauthorized", "Unauthorized");
}

ApiError forbidden(const std::string& group, const std::string& resource, const std::string& name,
                   const std::string& why) {
  auto e = make(403, "Forbidden",
                fmt::format("{} \"{}\" is forbidden: {}", qualified(group, resource), name, why));
  e.name = name;
  e.group = group;
  e.kind = resource;
  return e;
}

ApiError service_unavailable(const std::string& message) {
  return make(503, "ServiceUnavailable", message);
}

ApiError request_entity_too_large(const std::string& message) {
  return make(413, "RequestEntityTooLarge", "Request entity too large: " + message);
}

ApiError unsupported_media_type(const std::string& content_type) {
  return make(415, "UnsupportedMediaType",
              fmt::format("the body of the request was in an unknown format - accepted media "
                          "types include: application/json, application/yaml ({})",
                          content_type));
}

ApiError not_acceptable(const std::string& accept) {
  return make(406, "NotAcceptable",
              fmt::format("only the following media types are accepted: application/json, "
                          "application/yaml ({})",
                          accept));
}

ApiCause required_field(const std::string& field) {
  return {.reason = "FieldValueRequired", .message = "Required value", .field = field};
}

ApiCause invalid_field(const std::string& field, const std::string& value,
                       const std::string& detail) {
  return {.reason = "FieldValueInvalid",
          .message = fmt::format("Invalid value: \"{}\": {}", value, detail),
          .field = field};
}

ApiCause unknown_field(const std::string& field) {
  return {.reason = "FieldValueInvalid",
          .message = fmt::format("unknown field \"{}\"", field),
          .field = field};
}

}  // namespace sim
