#include "tests/unit/kube/test_server.h"

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>
#include <stdexcept>

#include "tests/unit/kube/test_pki.h"

namespace kube::testing {
namespace {

X509* read_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

EVP_PKEY* read_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

bool setup_tls(SSL_CTX& ctx) {
  const TestPki& pki = TestPki::get();
  X509* cert = read_cert(pki.server.cert);
  EVP_PKEY* key = read_key(pki.server.key);
  bool ok = SSL_CTX_use_certificate(&ctx, cert) == 1 && SSL_CTX_use_PrivateKey(&ctx, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  X509_STORE* store = X509_STORE_new();
  X509* ca = read_cert(pki.ca.cert);
  X509_STORE_add_cert(store, ca);
  X509_free(ca);
  SSL_CTX_set_cert_store(&ctx, store);
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);  // ask for a client cert, don't require it
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  // Deliberately no SSL_CTX_set_session_id_context, like kube-sim: a resumed TLS session then
  // fails with "internal error", so the tests prove the client never resumes sessions.
  return ok;
}

std::string peer_cn(const SSL* ssl) {
  if (!ssl) return {};
  X509* peer = SSL_get1_peer_certificate(ssl);
  if (!peer) return {};
  char cn[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
  X509_free(peer);
  return cn;
}

}  // namespace

TestServer::TestServer() : server_(std::make_unique<httplib::SSLServer>(setup_tls)) {
  if (!server_->is_valid()) throw std::runtime_error("test server TLS setup failed");
  server_->set_tcp_nodelay(true);
  auto handle = [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); };
  server_->Get(".*", handle);
  server_->Post(".*", handle);
  server_->Put(".*", handle);
  server_->Patch(".*", handle);
  server_->Delete(".*", handle);
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TestServer::~TestServer() {
  server_->stop();
  thread_.join();
}

void TestServer::serve(const httplib::Request& req, httplib::Response& res) {
  SeenRequest seen{req.method, req.path, {}, {}, req.body, peer_cn(req.ssl)};
  for (const auto& [k, v] : req.params) seen.query[k] = v;
  for (const auto& [k, v] : req.headers) seen.headers.emplace(k, v);
  Handler handler;
  {
    std::lock_guard lock(mu_);
    seen_.push_back(seen);
    handler = handler_;
  }
  if (handler) {
    handler(seen, res);
  } else {
    res.set_content("{}", "application/json");
  }
}

std::string status_json(int code, const std::string& reason, const std::string& message,
                        const std::string& details_json) {
  std::string out = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)";
  out += R"("message":")" + message + R"(","reason":")" + reason + R"(",)";
  if (!details_json.empty()) out += R"("details":)" + details_json + ",";
  out += R"("code":)" + std::to_string(code) + "}";
  return out;
}

}  // namespace kube::testing
