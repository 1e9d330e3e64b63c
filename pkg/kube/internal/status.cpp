#include "pkg/kube/internal/status.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace kube::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// "/api/v1/namespaces/ns/pods/p/log" -> resource "pods", name "p" (subresource ignored);
// group-qualified as client-go prints it: "deployments.apps".
void resource_and_name(std::string_view path, std::string& resource, std::string& name) {
  auto seg = segments(path);
  size_t i = 0;
  std::string group;
  if (i < seg.size() && seg[i] == "api") {
    i += 2;
  } else if (i < seg.size() && seg[i] == "apis") {
    if (i + 1 < seg.size()) group = seg[i + 1];
    i += 3;
  } else {
    return;
  }
  if (i + 1 < seg.size() && seg[i] == "namespaces" && i + 2 < seg.size()) i += 2;
  if (i < seg.size()) resource = seg[i];
  if (i + 1 < seg.size()) name = seg[i + 1];
  if (!group.empty() && !resource.empty()) resource += "." + group;
}

std::optional<int> parse_seconds(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

// Field readers that never throw: a malformed answer yields empty values, not an exception.
std::string text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int number(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::optional<Status> status_from_json(const nlohmann::json& object) {
  if (!object.is_object() || text(object, "kind") != "Status") return std::nullopt;
  Status s;
  s.code = number(object, "code");
  s.reason = text(object, "reason");
  s.message = text(object, "message");
  if (auto d = object.find("details"); d != object.end() && d->is_object()) {
    s.kind = text(*d, "kind");
    s.name = text(*d, "name");
    if (auto r = d->find("retryAfterSeconds"); r != d->end() && r->is_number_integer()) {
      s.retry_after_seconds = r->get<int>();
    }
    if (auto causes = d->find("causes"); causes != d->end() && causes->is_array()) {
      for (const auto& c : *causes) {
        if (!c.is_object()) continue;
        s.causes.push_back({text(c, "reason"), text(c, "message"), text(c, "field")});
      }
    }
  }
  return s;
}

Status status_from_response(long code, std::string_view body, std::string_view verb,
                            std::string_view path, std::string_view retry_after) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (auto s = status_from_json(doc)) {
    if (s->code == 0) s->code = static_cast<int>(code);
    if (!s->retry_after_seconds) s->retry_after_seconds = parse_seconds(retry_after);
    return *s;
  }
  std::string server(body.substr(0, std::min<size_t>(body.size(), 1024)));
  while (!server.empty() && std::isspace(static_cast<unsigned char>(server.back())))
    server.pop_back();
  Status s;
  s.code = static_cast<int>(code);
  s.reason = "Unknown";
  s.message = "the server responded with the status code " + std::to_string(code) +
              " but did not return more information";
  switch (code) {
    case 409:
      s.reason = verb == "POST" ? "AlreadyExists" : "Conflict";
      s.message = "the server reported a conflict";
      break;
    case 404:
      s.reason = "NotFound";
      s.message = "the server could not find the requested resource";
      break;
    case 400:
      s.reason = "BadRequest";
      s.message = "the server rejected our request for an unknown reason";
      break;
    case 401:
      s.reason = "Unauthorized";
      s.message = "the server has asked for the client to provide credentials";
      break;
    case 403:
      s.reason = "Forbidden";
      s.message = server;
      break;
    case 405:
      s.reason = "MethodNotAllowed";
      s.message = "the server does not allow this method on the requested resource";
      break;
    case 422:
      s.reason = "Invalid";
      s.message = "the server rejected our request due to an error in our request";
      break;
    case 503:
      s.reason = "ServiceUnavailable";
      s.message = "the server is currently unable to handle the request";
      break;
    case 504:
      s.reason = "Timeout";
      s.message =
          "the server was unable to return a response in the time allotted, but may still be "
          "processing the request";
      break;
    case 429:
      s.reason = "TooManyRequests";
      s.message = "the server has received too many requests and has asked us to try again later";
      break;
    default:
      if (code >= 500) {
        s.reason = "InternalError";
        s.message =
            "an error on the server (\"" + server + "\") has prevented the request from succeeding";
      }
  }
  std::string resource, name;
  resource_and_name(path, resource, name);
  s.kind = resource;
  s.name = name;
  if (!resource.empty()) {
    s.message += " (" + lower(verb) + " " + resource + (name.empty() ? "" : " " + name) + ")";
  }
  if (!server.empty()) s.causes.push_back({"UnexpectedServerResponse", server, ""});
  s.retry_after_seconds = parse_seconds(retry_after);
  return s;
}

}  // namespace kube::detail
