#include "pkg/kube/internal/curl_options.h"

#include <array>
#include <filesystem>
#include <system_error>

namespace kube::detail {
namespace {

std::string url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || !out) return {};
  std::string s(out);
  curl_free(out);
  return s;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]" || host == "::1" ||
         (host.size() > 10 && host.ends_with(".localhost"));
}

void blob(CURL* h, CURLoption option, const std::string& pem) {
  curl_blob b{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
  curl_easy_setopt(h, option, &b);
}

}  // namespace

std::string proxy_for(const std::string& url, const RestConfig& config, std::string* no_proxy) {
  std::string proxy = config.proxy_url;
  const Environment& env = config.env;
  if (proxy.empty()) {
    bool https = url.rfind("https://", 0) == 0;
    auto pick = [&](const char* upper, const char* lower) {
      auto v = env.get(upper);
      if (!v || v->empty()) v = env.get(lower);
      return v.value_or("");
    };
    proxy = https ? pick("HTTPS_PROXY", "https_proxy") : pick("HTTP_PROXY", "http_proxy");
    *no_proxy = pick("NO_PROXY", "no_proxy");
    CURLU* u = curl_url();
    std::string host;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK)
      host = url_part(u, CURLUPART_HOST);
    curl_url_cleanup(u);
    if (is_loopback(host)) return {};
  }
  if (proxy.empty()) return {};
  if (proxy.find("://") == std::string::npos) proxy = "http://" + proxy;
  if (proxy.rfind("socks5://", 0) == 0) proxy = "socks5h://" + proxy.substr(9);
  return proxy;
}

void CurlSetup::url_and_server_name(const std::string& url) {
  url_ = url;
  if (config_.tls.server_name.empty()) return;
  CURLU* u = curl_url();
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    std::string host = url_part(u, CURLUPART_HOST);
    std::string port = url_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (host != config_.tls.server_name) {
      // Ask for the TLS name in the URL (SNI and name check) but connect to the real host.
      connect_to_ = config_.tls.server_name + ":" + port + ":" + host + ":" + port;
      curl_url_set(u, CURLUPART_HOST, config_.tls.server_name.c_str(), 0);
      url_ = url_part(u, CURLUPART_URL);
    }
  }
  curl_url_cleanup(u);
}

void CurlSetup::tls(const HttpRequest& request) {
  curl_easy_setopt(h_, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  // No TLS session resumption, as client-go (no ClientSessionCache): servers that verify client
  // certificates without a session id context (cpp-httplib based ones) fail resumed handshakes.
  curl_easy_setopt(h_, CURLOPT_SSL_SESSIONID_CACHE, 0L);
  if (config_.tls.insecure) {
    curl_easy_setopt(h_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h_, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!ca_pem_.empty()) {  // a configured CA replaces the system roots
    curl_easy_setopt(h_, CURLOPT_CAINFO, nullptr);
    curl_easy_setopt(h_, CURLOPT_CAPATH, nullptr);
    blob(h_, CURLOPT_CAINFO_BLOB, ca_pem_);
  } else {
    const Environment& env = config_.env;
    std::string file = env.get("SSL_CERT_FILE").value_or("");
    static constexpr std::array kBundles = {"/etc/ssl/certs/ca-certificates.crt",
                                            "/etc/pki/tls/certs/ca-bundle.crt",
                                            "/etc/ssl/ca-bundle.pem",
                                            "/etc/pki/tls/cacert.pem",
                                            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
                                            "/etc/ssl/cert.pem"};
    std::error_code ec;
    for (const char* candidate : kBundles) {
      if (!file.empty()) break;
      if (std::filesystem::exists(candidate, ec)) file = candidate;
    }
    if (!file.empty()) curl_easy_setopt(h_, CURLOPT_CAINFO, file.c_str());
    std::string dir = env.get("SSL_CERT_DIR").value_or("");
    curl_easy_setopt(h_, CURLOPT_CAPATH, dir.empty() ? nullptr : dir.c_str());
  }
  if (!request.identity.cert_pem.empty()) {
    curl_easy_setopt(h_, CURLOPT_SSLCERTTYPE, "PEM");
    blob(h_, CURLOPT_SSLCERT_BLOB, request.identity.cert_pem);
    curl_easy_setopt(h_, CURLOPT_SSLKEYTYPE, "PEM");
    blob(h_, CURLOPT_SSLKEY_BLOB, request.identity.key_pem);
  }
}

void CurlSetup::proxy(const std::string& url) {
  std::string no_proxy;
  proxy_ = proxy_for(url, config_, &no_proxy);
  // Always set: an empty string stops libcurl reading the process environment itself.
  curl_easy_setopt(h_, CURLOPT_PROXY, proxy_.c_str());
  if (!no_proxy.empty()) curl_easy_setopt(h_, CURLOPT_NOPROXY, no_proxy.c_str());
}

void CurlSetup::request(const HttpRequest& request, std::chrono::milliseconds connect_timeout) {
  url_and_server_name(request.url);
  curl_easy_setopt(h_, CURLOPT_URL, url_.c_str());
  if (!connect_to_.empty()) {
    connect_to_list_ = curl_slist_append(nullptr, connect_to_.c_str());
    curl_easy_setopt(h_, CURLOPT_CONNECT_TO, connect_to_list_);
  }
  curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h_, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  if (request.timeout.count() > 0) {
    curl_easy_setopt(h_, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  }
  if (!config_.disable_compression && !request.streaming)
    curl_easy_setopt(h_, CURLOPT_ACCEPT_ENCODING, "gzip");
  if (request.method == "GET") {
    curl_easy_setopt(h_, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.has_body || request.method == "POST") {
    curl_easy_setopt(h_, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    headers_ = curl_slist_append(headers_, line.c_str());
  }
  headers_ = curl_slist_append(headers_, "Expect:");
  curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers_);
  tls(request);
  proxy(request.url);
}

void CurlSetup::clear_secrets() {
  if (headers_) {
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers_);
    headers_ = nullptr;
  }
  if (connect_to_list_) {
    curl_easy_setopt(h_, CURLOPT_CONNECT_TO, nullptr);
    curl_slist_free_all(connect_to_list_);
    connect_to_list_ = nullptr;
  }
  curl_easy_setopt(h_, CURLOPT_SSLKEY_BLOB, nullptr);
}

}  // namespace kube::detail
