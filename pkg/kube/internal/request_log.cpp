#include "pkg/kube/internal/request_log.h"

#include <algorithm>
#include <cctype>

namespace kube::detail {
namespace {

bool is_authorization(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "authorization" || lower == "proxy-authorization";
}

}  // namespace

std::string masked_header_value(std::string_view name, std::string_view value) {
  if (!is_authorization(name)) return std::string(value);
  auto space = value.find(' ');
  if (space != std::string_view::npos) {
    std::string scheme(value.substr(0, space));
    std::string lower = scheme;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "bearer" || lower == "basic") return scheme + " <masked>";
  }
  return "<masked>";
}

std::string truncate_body(std::string_view body, int verbosity) {
  if (verbosity >= 9 || body.size() <= 1024) return std::string(body);
  return std::string(body.substr(0, 1024)) + " [truncated " + std::to_string(body.size() - 1024) +
         " chars]";
}

void RequestLog::line(int level, const std::string& text) const {
  if (verbosity_ >= level && sink_) sink_(level, text);
}

// The shapes of kubectl 1.32's round_trippers.go: 6 = one line per request; 7 = the request
// line and headers, then "Response Status:"; 8 = plus response headers and bodies; 9 = the
// request as a curl command instead of the header block, then the status line in full.
void RequestLog::before(const HttpRequest& request) const {
  if (!enabled()) return;
  if (request.has_body) line(8, "Request Body: " + truncate_body(request.body, verbosity_));
  if (verbosity_ >= 9) {
    std::string curl = "curl -v -X" + request.method + " ";
    for (const auto& [k, v] : request.headers) {
      curl += " -H \"" + k + ": " + masked_header_value(k, v) + "\"";
    }
    line(9, curl + " '" + request.url + "'");
  } else if (verbosity_ >= 7) {
    line(7, request.method + " " + request.url);
    line(7, "Request Headers:");
    for (const auto& [k, v] : request.headers)
      line(7, "    " + k + ": " + masked_header_value(k, v));
  }
}

void RequestLog::after(const HttpRequest& request, const HttpResponse* response,
                       std::chrono::milliseconds took, const std::string& logged_body) const {
  if (!enabled()) return;
  std::string status = std::to_string(response->code) +
                       (response->reason.empty() ? "" : " " + response->reason) + " in " +
                       std::to_string(took.count()) + " milliseconds";
  if (verbosity_ == 7 || verbosity_ == 8) {
    line(7, "Response Status: " + status);
  } else {
    line(6, request.method + " " + request.url + " " + status);
  }
  if (verbosity_ >= 8) {
    line(8, "Response Headers:");
    for (const auto& [k, v] : response->headers) {
      line(8, "    " + k + ": " + masked_header_value(k, v));
    }
  }
  if (!logged_body.empty()) line(8, "Response Body: " + truncate_body(logged_body, verbosity_));
}

void RequestLog::failed(const HttpRequest& request, const Error& error,
                        std::chrono::milliseconds took) const {
  if (!enabled()) return;
  line(6, request.method + " " + request.url + "  in " + std::to_string(took.count()) +
              " milliseconds (" + error.message + ")");
}

}  // namespace kube::detail
