#include "pkg/kube/internal/auth.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>

#include "pkg/kube/internal/base64.h"

namespace kube::detail {
namespace {

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.erase(0, 1);
  return s;
}

// Header names allow only RFC 7230 token characters; client-go percent-encodes the rest of an
// extra key (headerKeyEscape), e.g. "example.com/scopes" -> "example.com%2fscopes".
std::string header_key_escape(std::string_view key) {
  static constexpr std::string_view kTokenPunct = "!#$&'*+-.^_`|~";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || (kTokenPunct.find(static_cast<char>(c)) != std::string_view::npos)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void impersonation(const Impersonation& who, Credentials& out) {
  if (!who.user.empty()) out.headers.emplace_back("Impersonate-User", who.user);
  if (!who.uid.empty()) out.headers.emplace_back("Impersonate-Uid", who.uid);
  for (const auto& g : who.groups) out.headers.emplace_back("Impersonate-Group", g);
  for (const auto& [key, values] : who.extra) {
    for (const auto& v : values)
      out.headers.emplace_back("Impersonate-Extra-" + header_key_escape(key), v);
  }
}

}  // namespace

Authenticator::Authenticator(const RestConfig& config, std::shared_ptr<Clock> clock,
                             bool stdin_is_terminal)
    : config_(config), clock_(std::move(clock)) {
  if (config.auth.exec) exec_.emplace(config, stdin_is_terminal);
}

// tokenFile wins over a static token while it can be read (client-go's cached file source).
Result<std::string> Authenticator::bearer_token() {
  const AuthConfig& auth = config_.auth;
  if (auth.token_file.empty()) return auth.token.expose();
  std::lock_guard lock(mu_);
  auto now = clock_->now();
  if (!file_token_read_ || now - *file_token_read_ >= std::chrono::minutes(1)) {
    auto text = slurp(auth.token_file);
    if (!text) {
      if (!auth.token.empty()) return auth.token.expose();
      if (file_token_read_) return file_token_;  // keep the last good one
      return std::unexpected(Error::config(
          "reading tokenFile " + auth.token_file + " for user \"" + config_.user_name +
              "\": " + std::error_code(errno, std::generic_category()).message(),
          "check the tokenFile path in the kubeconfig"));
    }
    file_token_ = trim(*text);
    file_token_read_ = now;
  }
  return file_token_;
}

Result<void> Authenticator::load_client_certificate() {
  std::lock_guard lock(mu_);
  if (static_identity_) return {};
  const TlsConfig& tls = config_.tls;
  TlsIdentity id;
  id.cert_pem = tls.cert_data;
  id.key_pem = tls.key_data.expose();
  if (id.cert_pem.empty() && !tls.cert_file.empty()) {
    auto pem = slurp(tls.cert_file);
    if (!pem)
      return std::unexpected(Error::config("unable to read client-cert " + tls.cert_file + " for " +
                                           config_.user_name));
    id.cert_pem = *pem;
  }
  if (id.key_pem.empty() && !tls.key_file.empty()) {
    auto pem = slurp(tls.key_file);
    if (!pem)
      return std::unexpected(
          Error::config("unable to read client-key " + tls.key_file + " for " + config_.user_name));
    id.key_pem = *pem;
  }
  static_identity_ = std::move(id);
  return {};
}

Result<Credentials> Authenticator::credentials() {
  Credentials out;
  if (auto ok = load_client_certificate(); !ok) return std::unexpected(ok.error());
  out.identity = *static_identity_;
  const AuthConfig& auth = config_.auth;
  if (!auth.token.empty() || !auth.token_file.empty()) {
    auto token = bearer_token();
    if (!token) return std::unexpected(token.error());
    if (!token->empty()) out.headers.emplace_back("Authorization", "Bearer " + *token);
  } else if (!auth.username.empty() || !auth.password.empty()) {
    out.headers.emplace_back(
        "Authorization", "Basic " + base64_encode(auth.username + ":" + auth.password.expose()));
  } else if (exec_) {
    auto cred = exec_->credential();
    if (!cred) return std::unexpected(cred.error());
    out.exec_generation = cred->generation;
    if (!cred->token.empty())
      out.headers.emplace_back("Authorization", "Bearer " + cred->token.expose());
    if (!cred->cert_pem.empty()) out.identity = TlsIdentity{cred->cert_pem, cred->key_pem.expose()};
  }
  impersonation(config_.impersonate, out);
  return out;
}

bool Authenticator::unauthorized(const Credentials& used) {
  if (!exec_ || used.exec_generation == 0) return false;
  exec_->invalidate(used.exec_generation);
  return true;
}

}  // namespace kube::detail
