#include "pkg/kube/internal/http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>

#include "pkg/kube/internal/curl_options.h"

namespace kube::detail {
namespace {

std::once_flag curl_init_once;

struct Exchange {
  HttpResponse response;
  const BodySink* sink = nullptr;
  bool stopped_by_sink = false;
  std::string sink_failure;  // what() of an exception the sink threw
  const std::function<bool()>* cancelled = nullptr;
  bool cancelled_hit = false;
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {  // a new status line: forget earlier (100, proxy) headers
    ex->response.headers.clear();
    auto sp = line.find(' ');
    ex->response.code = sp == std::string_view::npos ? 0 : std::atol(line.data() + sp + 1);
    auto sp2 = sp == std::string_view::npos ? sp : line.find(' ', sp + 1);
    ex->response.reason = sp2 == std::string_view::npos ? reason_phrase(ex->response.code)
                                                        : std::string(line.substr(sp2 + 1));
    while (!ex->response.reason.empty() && ex->response.reason.back() == ' ') {
      ex->response.reason.pop_back();
    }
    if (ex->response.reason.empty()) ex->response.reason = reason_phrase(ex->response.code);
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    ex->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view chunk(data, size * count);
  bool ok = ex->response.code >= 200 && ex->response.code < 300;
  if (ex->sink && ok) {
    // No exception may cross libcurl's C frames: a throwing sink ends the transfer instead.
    bool more = false;
    try {
      more = (*ex->sink)(chunk);
    } catch (const std::exception& e) {
      ex->sink_failure = e.what();
    } catch (...) {
      ex->sink_failure = "unknown exception";
    }
    if (!more) {
      ex->stopped_by_sink = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR, which we treat as a clean end
    }
    return chunk.size();
  }
  ex->response.body.append(chunk);
  return chunk.size();
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->cancelled && *ex->cancelled && (*ex->cancelled)()) {
    ex->cancelled_hit = true;
    return 1;
  }
  return 0;
}

Error map_curl_error(CURLcode code, long os_errno, const std::string& url, const char* detail,
                     std::chrono::milliseconds timeout) {
  std::string where = host_port(url);
  std::string why = detail && *detail ? detail : curl_easy_strerror(code);
  Error e;
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNRESET) {  // accepted, then reset before TLS: a server going down
        e = Error::transport(
            "Unable to connect to the server " + where + ": connection reset by peer",
            "the server may be restarting; try again");
        e.failure = TransportFailure::kReset;
        return e;
      }
      if (os_errno != 0 && os_errno != ECONNREFUSED) {  // unreachable network or host, ...
        e = Error::transport(
            "Unable to connect to the server " + where + ": " +
                std::error_code(static_cast<int>(os_errno), std::generic_category()).message(),
            "check the network path to the server");
        return e;
      }
      e = Error::transport("The connection to the server " + where +
                               " was refused - did you specify the right host or port?",
                           "check that the API server is running and that --server or the "
                           "kubeconfig points at it");
      e.failure = TransportFailure::kRefused;
      return e;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      e = Error::transport("Unable to connect to the server " + where + ": " + why,
                           "check the server name in the kubeconfig and your DNS");
      e.failure = TransportFailure::kDns;
      return e;
    case CURLE_OPERATION_TIMEDOUT:
      e = Error::transport(
          "Unable to connect to the server " + where + ": timed out" +
              (timeout.count() > 0 ? " after " + std::to_string(timeout.count()) + "ms" : "") +
              " (" + why + ")",
          "check the network path to the server, or raise --request-timeout");
      e.failure = TransportFailure::kTimeout;
      return e;
    case CURLE_PEER_FAILED_VERIFICATION:
      e = Error::transport("Unable to connect to the server " + where +
                               ": tls: failed to verify certificate: " + why,
                           "check certificate-authority(-data) and tls-server-name in the "
                           "kubeconfig, or pass --certificate-authority");
      e.failure = TransportFailure::kTls;
      return e;
    case CURLE_SSL_CONNECT_ERROR:
      if (why.find("reset") != std::string::npos ||
          why.find("SSL_ERROR_SYSCALL") != std::string::npos ||
          why.find("unexpected eof") != std::string::npos) {
        // The peer went away during the handshake (an API server restarting): a reset.
        e = Error::transport("Unable to connect to the server " + where +
                                 ": the connection was closed or reset during the TLS handshake (" +
                                 why + ")",
                             "the server may be restarting; try again");
        e.failure = TransportFailure::kReset;
        return e;
      }
      [[fallthrough]];
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      e = Error::transport(
          "Unable to connect to the server " + where + ": TLS handshake failed: " + why,
          "check the client certificate and key for this user and the "
          "server's certificate");
      e.failure = TransportFailure::kTls;
      return e;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      e = Error::transport("Unable to connect to the server " + where +
                               ": the connection was closed or reset (" + why + ")",
                           "the server may be restarting; try again");
      e.failure = TransportFailure::kReset;
      return e;
    default:
      return Error::transport("Unable to connect to the server " + where + ": " + why);
  }
}

std::string read_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "unable to read certificate-authority " + path + ": " +
             std::error_code(errno, std::generic_category()).message();
    return {};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

struct HttpTransport::Pool {
  std::mutex mu;
  std::vector<CURL*> idle;
  ~Pool() {
    for (CURL* h : idle) curl_easy_cleanup(h);
  }
  CURL* take() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        curl_easy_reset(h);  // keeps the connection cache
        return h;
      }
    }
    return curl_easy_init();
  }
  void give_back(CURL* h) {
    std::lock_guard lock(mu);
    idle.push_back(h);
  }
};

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

HttpTransport::HttpTransport(const RestConfig& config, std::chrono::milliseconds connect_timeout,
                             std::function<bool()> cancelled)
    : config_(config),
      connect_timeout_(connect_timeout),
      cancelled_(std::move(cancelled)),
      pool_(std::make_unique<Pool>()) {
  std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!config.tls.ca_data.empty()) {
    ca_pem_ = config.tls.ca_data;
  } else if (!config.tls.ca_file.empty()) {
    ca_pem_ = read_file(config.tls.ca_file, &ca_error_);
  }
}

HttpTransport::~HttpTransport() = default;

Result<HttpResponse> HttpTransport::perform(const HttpRequest& request, const BodySink* sink) {
  if (!ca_error_.empty()) return std::unexpected(Error::config(ca_error_));
  CURL* h = pool_->take();
  if (!h) return std::unexpected(Error::transport("cannot create a libcurl handle"));
  Exchange ex;
  ex.sink = sink;
  ex.cancelled = &cancelled_;
  char errbuf[CURL_ERROR_SIZE] = {0};
  CurlSetup setup(h, config_, ca_pem_);
  setup.request(request, connect_timeout_);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
  CURLcode rc = curl_easy_perform(h);
  setup.clear_secrets();
  long os_errno = 0;  // tells a refused connection from a reset one
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  pool_->give_back(h);
  if (ex.cancelled_hit) {
    return std::unexpected(
        Error::cancelled(request.method + " " + host_port(request.url) + ": cancelled"));
  }
  if (!ex.sink_failure.empty()) {
    return std::unexpected(Error::decode("processing the answer to " + request.method + " " +
                                         host_port(request.url) + ": " + ex.sink_failure));
  }
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && ex.stopped_by_sink)) {
    // A 2xx stream cut after headers (server restart) is still a transport failure.
    return std::unexpected(map_curl_error(rc, os_errno, request.url, errbuf, request.timeout));
  }
  return std::move(ex.response);
}

std::string reason_phrase(long code) {
  switch (code) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string host_port(std::string_view url) {
  bool https = url.rfind("https://", 0) == 0;
  auto start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  std::string host(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
  auto at = host.rfind('@');
  if (at != std::string::npos) host = host.substr(at + 1);
  bool has_port = host.rfind(':') != std::string::npos && host.back() != ']';
  if (!has_port) host += https ? ":443" : ":80";
  return host;
}

}  // namespace kube::detail
