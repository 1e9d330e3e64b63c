#include "tests/sim/server/http_util.h"

namespace sim {

bool RequestContext::wants_table() const {
  std::string accept = req.get_header_value("Accept");
  return accept.find("as=Table") != std::string::npos;
}

void send_raw_json(httplib::Response& res, int code, std::string body) {
  res.status = code;
  res.set_content(std::move(body), "application/json");
}

void send_json(httplib::Response& res, int code, const nlohmann::json& body) {
  send_raw_json(res, code, body.dump());
}

void send_error(httplib::Response& res, const ApiError& e) {
  if (e.code == 429 && e.retry_after_seconds > 0) {
    res.set_header("Retry-After", std::to_string(e.retry_after_seconds));
  }
  send_json(res, e.code, e.to_status());
}

void add_warning(httplib::Response& res, const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  res.set_header("Warning", "299 - \"" + escaped + "\"");
}

Result<nlohmann::json> decode_body(const httplib::Request& req) {
  if (req.body.size() > kMaxRequestBytes) {
    return std::unexpected(request_entity_too_large("limit is 3145728"));
  }
  std::string ct = req.get_header_value("Content-Type");
  if (!ct.empty() && ct.find("json") == std::string::npos && ct.find("*/*") == std::string::npos) {
    return std::unexpected(unsupported_media_type(ct));
  }
  if (req.body.empty()) {
    return std::unexpected(bad_request("the body of the request was empty"));
  }
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    return std::unexpected(bad_request(
        "couldn't get version/kind; json parse error: invalid character looking for beginning "
        "of value"));
  }
  if (!j.is_object()) {
    return std::unexpected(bad_request(
        "couldn't get version/kind; json parse error: json: cannot unmarshal " +
        std::string(j.type_name()) +
        " into Go value of type struct { APIVersion string "
        "\"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }"));
  }
  return j;
}

}  // namespace sim
