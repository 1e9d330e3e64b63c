// RestClient's insides, shared by rest_client.cpp (one request) and rest_client_ops.cpp (the
// verbs).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "pkg/kube/internal/auth.h"
#include "pkg/kube/internal/http_transport.h"
#include "pkg/kube/internal/request_log.h"
#include "pkg/kube/rest_client.h"

namespace kube {

struct RestClient::Impl {
  struct Call {
    std::string method;
    std::string path;
    Query query;
    const json* body = nullptr;
    std::string content_type = "application/json";
    bool streaming = false;  // watch/log: no request timeout, 2xx body to `sink`
    const detail::BodySink* sink = nullptr;
  };

  Impl(RestConfig config, ClientOptions options);

  // One request: credentials, logging, warnings, the 401 exec retry; non-2xx -> Error kApi.
  Result<detail::HttpResponse> send(const Call& call);
  Result<json> send_json(const Call& call);

  RestConfig config;
  ClientOptions options;
  std::unique_ptr<detail::HttpTransport> transport;
  std::unique_ptr<detail::Authenticator> auth;
  detail::RequestLog log;

 private:
  Result<detail::HttpResponse> attempt(const Call& call, const detail::Credentials& creds);
  void warn(const detail::HttpResponse& response);
  std::mutex warned_mu_;
  std::set<std::string> warned_;
};

// The texts inside `Warning:` header values (RFC 7234: `299 - "text"`, comma-separated).
std::vector<std::string> warning_texts(std::string_view header_value);

}  // namespace kube
