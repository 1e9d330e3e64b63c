// One HTTPS exchange through libcurl, with the TLS, proxy and timeout settings of a RestConfig.
// Thread-safe: easy handles come from a pool (each keeps its connection cache, so connections are
// reused across calls and threads). Transport failures come back as Error kTransport with
// kubectl's wording; HTTP answers of any code come back as HttpResponse.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/kube/error.h"
#include "pkg/kube/rest_config.h"

namespace kube::detail {

struct TlsIdentity {  // client certificate for this request (from files, data or exec)
  std::string cert_pem;
  std::string key_pem;  // secret
};

struct HttpRequest {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool has_body = false;
  TlsIdentity identity;
  std::chrono::milliseconds timeout{0};  // whole request; 0 = none
  bool streaming = false;  // watch/log: no compression, so bytes arrive as the server sends them
};

struct HttpResponse {
  long code = 0;
  std::string reason;  // "OK" (from the status line, or the standard phrase for HTTP/2)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                                 // empty when streamed to a sink
  std::string header(std::string_view name) const;  // first value, case-insensitive
};

// Receives body bytes of a 2xx answer as they arrive; false stops the transfer (not an error).
using BodySink = std::function<bool(std::string_view)>;

class HttpTransport {
 public:
  HttpTransport(const RestConfig& config, std::chrono::milliseconds connect_timeout,
                std::function<bool()> cancelled);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // `sink` set: 2xx bodies go to it; other codes are collected into response.body.
  Result<HttpResponse> perform(const HttpRequest& request, const BodySink* sink = nullptr);

 private:
  struct Pool;
  const RestConfig& config_;
  std::chrono::milliseconds connect_timeout_;
  std::function<bool()> cancelled_;
  std::string ca_pem_;  // loaded once: CA data, or the CA file's content
  std::string ca_error_;
  std::unique_ptr<Pool> pool_;
};

std::string reason_phrase(long code);
// "host:port" of a URL, with the default port filled in (for error messages).
std::string host_port(std::string_view url);

}  // namespace kube::detail
