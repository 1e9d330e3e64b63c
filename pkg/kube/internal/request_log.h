// -v=6..9 request logging in kubectl's (< 1.33) round_trippers.go shape:
//   6: "GET https://host/api/v1/nodes 200 OK in 5 milliseconds"
//   7: "GET <url>", "Request Headers:" (Authorization masked), "Response Status: 200 OK in 5 ..."
//   8: plus "Response Headers:", "Request Body:" / "Response Body:" cut at 1024 characters
//   9: the request as a curl command line (masked), the full status line, bodies in full
// Nothing secret is ever formatted: Authorization values are masked before they reach a line.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/kube/client_factory.h"
#include "pkg/kube/internal/http_transport.h"

namespace kube::detail {

// "Bearer <masked>", "Basic <masked>" or "<masked>" for Authorization-like headers; else value.
std::string masked_header_value(std::string_view name, std::string_view value);
std::string truncate_body(std::string_view body, int verbosity);

class RequestLog {
 public:
  RequestLog(int verbosity, LogSink sink) : verbosity_(verbosity), sink_(std::move(sink)) {}
  bool enabled() const { return verbosity_ >= 6 && sink_ != nullptr; }
  void before(const HttpRequest& request) const;
  void after(const HttpRequest& request, const HttpResponse* response,
             std::chrono::milliseconds took, const std::string& logged_body) const;
  void failed(const HttpRequest& request, const Error& error, std::chrono::milliseconds took) const;

 private:
  void line(int level, const std::string& text) const;
  int verbosity_;
  LogSink sink_;
};

}  // namespace kube::detail
