#include "tests/sim/server/api_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <iostream>

#include "tests/sim/server/discovery.h"
#include "tests/sim/server/handlers.h"

namespace sim {
namespace {

using json = nlohmann::json;

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

X509* pem_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

EVP_PKEY* pem_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

std::string common_name(X509* cert) {
  char buf[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
  return buf;
}

bool is_public_path(const std::string& path) {
  return path == "/version" || path == "/healthz" || path == "/livez" || path == "/readyz" ||
         path.starts_with("/healthz/") || path.starts_with("/livez/") ||
         path.starts_with("/readyz/");
}

void dispatch(RequestContext& c) {
  const std::string& sub = c.api.subresource;
  if (c.api.info->resource == "pods" && sub == "log") {
    if (c.api.verb != "get")
      return send_error(c.res, method_not_supported("", "pods/log", c.api.verb));
    return handle_pod_log(c);
  }
  if (c.api.info->resource == "pods" && sub == "eviction") {
    if (c.api.verb != "create")
      return send_error(c.res, method_not_supported("policy", "pods/eviction", c.api.verb));
    return handle_eviction(c);
  }
  if (c.api.info->resource == "pods" && sub == "binding") {
    if (c.api.verb != "create")
      return send_error(c.res, method_not_supported("", "pods/binding", c.api.verb));
    return handle_binding(c);
  }
  if (!sub.empty() && sub != "status") {
    return send_error(c.res,
                      method_not_supported(c.api.group, c.api.resource + "/" + sub, c.api.verb));
  }
  if (c.api.verb == "get") return handle_get(c);
  if (c.api.verb == "list") return handle_list(c);
  if (c.api.verb == "watch") return handle_watch(c);
  if (c.api.verb == "create") return handle_create(c);
  if (c.api.verb == "update") return handle_update(c);
  if (c.api.verb == "patch") return handle_patch(c);
  if (c.api.verb == "delete") return handle_delete(c);
  if (c.api.verb == "deletecollection") return handle_delete_collection(c);
  send_error(c.res, method_not_supported(c.api.group, c.api.resource, c.api.verb));
}

void health(httplib::Response& res, const std::string& path, bool verbose) {
  std::string name = path.substr(1);
  if (!verbose) {
    res.status = 200;
    res.set_content("ok", "text/plain; charset=utf-8");
    return;
  }
  std::string body;
  for (const char* check :
       {"ping", "log", "etcd", "poststarthook/start-apiserver-admission-initializer"}) {
    body += fmt::format("[+]{} ok\n", check);
  }
  body += name + " check passed\n";
  res.status = 200;
  res.set_content(body, "text/plain; charset=utf-8");
}

}  // namespace

ApiServer::ApiServer(Cluster& cluster, Pki pki, ServerOptions options)
    : cluster_(cluster), pki_(std::move(pki)), options_(options) {}

ApiServer::~ApiServer() {
  stop();
}

std::string ApiServer::authenticate(const void* request) const {
  const auto& req = *static_cast<const httplib::Request*>(request);
  if (req.ssl != nullptr) {
    X509* peer = SSL_get1_peer_certificate(const_cast<SSL*>(req.ssl));
    if (peer != nullptr) {
      bool ok = SSL_get_verify_result(req.ssl) == X509_V_OK;
      std::string cn = common_name(peer);
      X509_free(peer);
      if (ok && !cn.empty()) return cn;
    }
  }
  std::string auth = req.get_header_value("Authorization");
  if (auth.starts_with("Bearer ")) {
    return auth.substr(7) == pki_.token ? kTokenUser : "!invalid";
  }
  return {};
}

void ApiServer::route(const void* request, void* response) {
  const auto& req = *static_cast<const httplib::Request*>(request);
  auto& res = *static_cast<httplib::Response*>(response);
  if (options_.access_log) std::cerr << "kube-sim: " << req.method << " " << req.target << "\n";
  bool admin_path = req.path.starts_with("/sim/");
  if (!admin_path && steady_ms() < unavailable_until_ms_.load()) {
    ++outage_unavailable_answers_;
    return send_error(res,
                      service_unavailable("the server is currently unable to handle the request"));
  }
  std::string user = authenticate(&req);
  if (user == "!invalid") return send_error(res, unauthorized());
  if (user.empty() && !is_public_path(req.path)) {
    // kubeadm keeps anonymous auth on; system:anonymous may read only health and version.
    ApiError e;
    e.code = 403;
    e.reason = "Forbidden";
    e.message = fmt::format("forbidden: User \"system:anonymous\" cannot {} path \"{}\"",
                            req.method == "GET" ? "get" : "access", req.path);
    return send_error(res, e);
  }
  if (req.path == "/version" || req.path == "/version/")
    return send_json(res, 200, cluster_.version_info());
  if (req.path.starts_with("/healthz") || req.path.starts_with("/livez") ||
      req.path.starts_with("/readyz")) {
    return health(res, req.path, req.has_param("verbose"));
  }
  if (admin_path) {
    if (user != kAdminUser) {
      ApiError e;
      e.code = 403;
      e.reason = "Forbidden";
      e.message = "the kube-sim admin endpoints are for the admin client certificate only";
      return send_error(res, e);
    }
    if (req.path == "/sim/faults" && req.method == "GET") {
      return send_json(res, 200, faults_json());
    }
    if (req.path == "/sim/faults" && req.method == "POST") {
      auto body = decode_body(req);
      if (!body) return send_error(res, body.error());
      if (body->contains("nodes")) {
        if (!(*body)["nodes"].is_object())
          return send_error(res, bad_request("nodes: expected a mapping of node name to faults"));
        if (auto set = cluster_.set_node_faults((*body)["nodes"]); !set)
          return send_error(res, bad_request(set.error()));
      }
      cluster_.faults().apply(*body);
      if (body->contains("apiOutage") && (*body)["apiOutage"].is_object()) {
        const json& o = (*body)["apiOutage"];
        cluster_.trigger_outage(o.value("refusedSeconds", 0.0), o.value("unavailableSeconds", 0.0));
      }
      return send_json(res, 200, faults_json());
    }
    if (req.path == "/sim/compact" && req.method == "POST") {
      cluster_.store().compact();
      return send_json(res, 200,
                       {{"resourceVersion", std::to_string(cluster_.store().resource_version())}});
    }
    return send_error(res, not_found("", "sim", req.path));
  }
  std::string address = fmt::format("127.0.0.1:{}", port_);
  if (auto doc = discovery_document(req.path, address)) return send_json(res, 200, *doc);
  if (auto doc = openapi_v3_document(req.path)) return send_json(res, 200, *doc);
  if (req.path.starts_with("/openapi/")) {
    ApiError e;
    e.code = 404;
    e.reason = "NotFound";
    e.message = "the server could not find the requested resource";
    return send_error(res, e);
  }
  std::string watch = req.has_param("watch") ? req.get_param_value("watch") : "";
  std::string follow = req.has_param("follow") ? req.get_param_value("follow") : "";
  if (watch == "true" || watch == "1" || follow == "true" || follow == "1") {
    // cpp-httplib gzips when the client accepts it (Go always does), and a gzip stream holds
    // small watch events and log lines back. Streams go out uncompressed, as the apiserver's do.
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
  }
  auto api = parse_resource_path(req.method, req.path, watch == "true" || watch == "1");
  if (!api) return send_error(res, api.error());
  RequestContext ctx{cluster_, req, res, *api, user, stopping_};
  dispatch(ctx);
}

std::expected<int, std::string> ApiServer::start() {
  auto setup = [this](SSL_CTX& ctx) {
    X509* cert = pem_cert(pki_.server_cert_pem);
    EVP_PKEY* key = pem_key(pki_.server_key_pem);
    bool ok = cert != nullptr && key != nullptr && SSL_CTX_use_certificate(&ctx, cert) == 1 &&
              SSL_CTX_use_PrivateKey(&ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) return false;
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    std::string ca = pki_.ca_cert_file().string();
    if (SSL_CTX_load_verify_locations(&ctx, ca.c_str(), nullptr) != 1) return false;
    SSL_CTX_set_client_CA_list(&ctx, SSL_load_client_CA_file(ca.c_str()));
    // Client certificates are optional: token users have none.
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    return true;
  };
  server_ = std::make_unique<httplib::SSLServer>(setup);
  if (!server_->is_valid())
    return std::unexpected("setting up TLS with " + pki_.dir.string() + " failed");
  size_t threads = options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_keep_alive_max_count(10000);
  server_->set_keep_alive_timeout(30);
  server_->set_read_timeout(30);
  server_->set_write_timeout(30);
  server_->set_payload_max_length(16 * 1024 * 1024);
  server_->set_tcp_nodelay(true);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { route(&req, &res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_error(res, internal_error("kube-sim: " + what));
      });
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return std::unexpected("cannot bind 127.0.0.1 to a free port");
  } else {
    if (!server_->bind_to_port("127.0.0.1", options_.port)) {
      return std::unexpected(fmt::format("cannot bind 127.0.0.1:{} (in use?)", options_.port));
    }
    port_ = options_.port;
  }
  cluster_.set_outage_hook(
      [this](std::chrono::milliseconds refused, std::chrono::milliseconds unavailable) {
        outage(refused, unavailable);
      });
  listener_ = std::thread([this] { listen_thread(); });
  return port_;
}

void ApiServer::listen_thread() {
  server_->listen_after_bind();
}

nlohmann::json ApiServer::faults_json() const {
  nlohmann::json j = cluster_.faults().to_json();
  j["apiOutages"] = {{"started", outages_started_.load()},
                     {"unavailableAnswers", outage_unavailable_answers_.load()},
                     {"active", in_outage_.load() || steady_ms() < unavailable_until_ms_.load()}};
  return j;
}

void ApiServer::outage(std::chrono::milliseconds refused, std::chrono::milliseconds unavailable) {
  std::lock_guard lock(mu_);
  ++outages_started_;
  std::cerr << "kube-sim: API outage: connections refused for " << refused.count()
            << " ms, then 503 for " << unavailable.count() << " ms\n";
  int64_t until = steady_ms() + (refused + unavailable).count();
  unavailable_until_ms_ = std::max(unavailable_until_ms_.load(), until);
  if (shutdown_ || in_outage_) return;
  in_outage_ = true;
  if (outage_thread_.joinable()) outage_thread_.join();  // the previous one has finished
  outage_thread_ = std::thread([this, refused] {
    std::lock_guard guard(restart_mu_);
    stopping_ = true;
    cluster_.store().wake_all();
    cluster_.logs().wake_all();
    server_->stop();
    if (listener_.joinable()) listener_.join();
    auto until = std::chrono::steady_clock::now() + refused;
    while (!shutdown_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stopping_ = false;
    if (!shutdown_) {
      for (int attempt = 0; attempt < 50 && !server_->bind_to_port("127.0.0.1", port_); ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      listener_ = std::thread([this] { listen_thread(); });
    }
    in_outage_ = false;
  });
}

void ApiServer::stop() {
  if (shutdown_.exchange(true)) return;
  cluster_.set_outage_hook({});
  std::thread outage;
  {
    std::lock_guard lock(mu_);
    outage = std::move(outage_thread_);
  }
  if (outage.joinable()) outage.join();
  std::lock_guard guard(restart_mu_);
  stopping_ = true;
  cluster_.store().wake_all();
  cluster_.logs().wake_all();
  if (server_) server_->stop();
  if (listener_.joinable()) listener_.join();
}

}  // namespace sim
