#include "pkg/kube/rest_client.h"

#include <algorithm>
#include <chrono>

#include "pkg/kube/internal/rest_client_impl.h"
#include "pkg/kube/internal/status.h"

namespace kube {
namespace {

std::function<bool()> cancel_check(const ClientOptions& o) {
  if (!o.cancelled && !o.cancel_flag) return {};
  return
      [fn = o.cancelled, flag = o.cancel_flag] { return (flag && flag->load()) || (fn && fn()); };
}

// What to do next for the answers a user can act on.
std::string hint_for(int code, const RestConfig& c) {
  std::string who = c.user_name.empty() ? "" : " of user \"" + c.user_name + "\"";
  switch (code) {
    case 401:
      return "the server refused the credentials" + who +
             ": renew them (token, certificate or exec plugin login) and try again";
    case 403:
      return "the credentials" + who +
             " lack the RBAC permission for this request: ask a cluster admin to grant it";
    default:
      return {};
  }
}

int verbosity(const RestConfig& c, const ClientOptions& o) {
  return o.verbosity >= 0 ? o.verbosity : c.verbosity;
}

}  // namespace

std::string query_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string encode_query(const Query& query) {
  std::string out;
  for (const auto& [k, v] : query) {
    out += out.empty() ? "?" : "&";
    out += query_escape(k) + "=" + query_escape(v);
  }
  return out;
}

std::vector<std::string> warning_texts(std::string_view value) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < value.size()) {
    size_t open = value.find('"', i);
    if (open == std::string_view::npos) break;
    std::string text;
    size_t j = open + 1;
    for (; j < value.size() && value[j] != '"'; ++j) {
      if (value[j] == '\\' && j + 1 < value.size()) ++j;
      text += value[j];
    }
    out.push_back(text);
    // Skip an optional quoted date, then move past the next comma.
    size_t comma = value.find(',', j);
    size_t next_quote = value.find('"', j + 1);
    while (next_quote != std::string_view::npos && comma != std::string_view::npos &&
           next_quote < comma) {
      size_t close = value.find('"', next_quote + 1);
      if (close == std::string_view::npos) break;
      comma = value.find(',', close);
      next_quote = value.find('"', close + 1);
    }
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return out;
}

RestClient::Impl::Impl(RestConfig c, ClientOptions o)
    : config(std::move(c)), options(std::move(o)), log(verbosity(config, options), options.log) {
  if (!options.clock) options.clock = real_clock();
  transport = std::make_unique<detail::HttpTransport>(config, options.connect_timeout,
                                                      cancel_check(options));
  auth = std::make_unique<detail::Authenticator>(config, options.clock, options.stdin_is_terminal);
}

void RestClient::Impl::warn(const detail::HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name.size() != 7 || (name[0] != 'W' && name[0] != 'w') ||
        std::string_view(name).substr(1) != "arning") {
      continue;
    }
    for (const auto& text : warning_texts(value)) {
      std::lock_guard lock(warned_mu_);
      if (warned_.insert(text).second && options.warning) options.warning(text);
    }
  }
}

Result<detail::HttpResponse> RestClient::Impl::attempt(const Call& call,
                                                       const detail::Credentials& creds) {
  detail::HttpRequest request;
  request.method = call.method;
  request.url = config.server + call.path + encode_query(call.query);
  request.headers.emplace_back("Accept", "application/json, */*");
  request.headers.emplace_back("User-Agent", options.user_agent);
  if (call.body) {
    request.has_body = true;
    // Invalid UTF-8 (a log tail in an Event message) is replaced, never thrown about.
    request.body = call.body->dump(-1, ' ', false, json::error_handler_t::replace);
    request.headers.emplace_back("Content-Type", call.content_type);
  }
  request.headers.insert(request.headers.end(), creds.headers.begin(), creds.headers.end());
  request.identity = creds.identity;
  request.streaming = call.streaming;
  if (!call.streaming) {
    request.timeout =
        options.request_timeout.count() > 0 ? options.request_timeout : config.request_timeout;
  }
  log.before(request);
  auto start = std::chrono::steady_clock::now();
  auto response = transport->perform(request, call.sink);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (!response) {
    log.failed(request, response.error(), took);
    return response;
  }
  log.after(request, &*response, took, response->body);
  warn(*response);
  return response;
}

Result<detail::HttpResponse> RestClient::Impl::send(const Call& call) {
  auto creds = auth->credentials();
  if (!creds) return std::unexpected(creds.error());
  bool has_credentials = !creds->identity.cert_pem.empty() ||
                         std::any_of(creds->headers.begin(), creds->headers.end(),
                                     [](const auto& h) { return h.first == "Authorization"; });
  if (has_credentials && config.server.rfind("https://", 0) != 0) {
    return std::unexpected(
        Error::config("refusing to send credentials to " + config.server + " over plain http",
                      "use an https:// server URL for user \"" + config.user_name + "\""));
  }
  auto response = attempt(call, *creds);
  if (response && response->code == 401 && auth->unauthorized(*creds)) {
    creds = auth->credentials();
    if (!creds) return std::unexpected(creds.error());
    response = attempt(call, *creds);
  }
  if (!response) return response;
  if (response->code < 200 || response->code > 299) {
    Error e = Error::api(detail::status_from_response(response->code, response->body, call.method,
                                                      call.path, response->header("Retry-After")));
    e.hint = hint_for(e.status.code, config);
    return std::unexpected(std::move(e));
  }
  return response;
}

Result<json> RestClient::Impl::send_json(const Call& call) {
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  if (response->body.empty()) return json::object();
  json doc = json::parse(response->body, nullptr, false);
  if (doc.is_discarded()) {
    return std::unexpected(Error::decode("decoding the answer to " + call.method + " " + call.path +
                                         ": the server did not send JSON"));
  }
  return doc;
}

RestClient::RestClient(RestConfig config, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(options))) {}

RestClient::~RestClient() = default;

}  // namespace kube
