// Applies one request and the RestConfig's TLS/proxy/timeout settings to a libcurl easy handle.
// Owns what libcurl borrows (the header list) until clear_secrets() or destruction.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>

#include "pkg/kube/internal/http_transport.h"
#include "pkg/kube/rest_config.h"

namespace kube::detail {

class CurlSetup {
 public:
  CurlSetup(CURL* handle, const RestConfig& config, const std::string& ca_pem)
      : h_(handle), config_(config), ca_pem_(ca_pem) {}
  ~CurlSetup() { clear_secrets(); }
  CurlSetup(const CurlSetup&) = delete;
  CurlSetup& operator=(const CurlSetup&) = delete;

  void request(const HttpRequest& request, std::chrono::milliseconds connect_timeout);
  // Frees the header list (it holds the Authorization header) and wipes the key blob options.
  void clear_secrets();

 private:
  void url_and_server_name(const std::string& url);
  void tls(const HttpRequest& request);
  void proxy(const std::string& url);

  CURL* h_;
  const RestConfig& config_;
  const std::string& ca_pem_;
  curl_slist* headers_ = nullptr;
  std::string url_;
  std::string connect_to_;
  curl_slist* connect_to_list_ = nullptr;
  std::string proxy_;
};

// The proxy Go's http.ProxyFromEnvironment would pick for `url` (empty = direct), given the
// environment; loopback hosts never go through a proxy. socks5:// becomes socks5h://.
std::string proxy_for(const std::string& url, const RestConfig& config, std::string* no_proxy);

}  // namespace kube::detail
