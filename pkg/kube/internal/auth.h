// Credentials for each request: bearer token (static, tokenFile re-read each minute, or oidc
// id-token), basic auth, client certificates (files read once, or data), exec plugins, and the
// impersonation headers. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pkg/kube/client_factory.h"
#include "pkg/kube/internal/exec_plugin.h"
#include "pkg/kube/internal/http_transport.h"

namespace kube::detail {

struct Credentials {
  std::vector<std::pair<std::string, std::string>> headers;  // Authorization, Impersonate-*
  TlsIdentity identity;
  long exec_generation = 0;  // > 0: from an exec plugin run
};

class Authenticator {
 public:
  Authenticator(const RestConfig& config, std::shared_ptr<Clock> clock, bool stdin_is_terminal);

  Result<Credentials> credentials();
  // After a 401: true when fresh credentials may help (an exec plugin will run again).
  bool unauthorized(const Credentials& used);

 private:
  Result<std::string> bearer_token();
  Result<void> load_client_certificate();

  const RestConfig& config_;
  std::shared_ptr<Clock> clock_;
  std::optional<ExecPlugin> exec_;
  std::mutex mu_;
  std::string file_token_;
  std::optional<std::chrono::steady_clock::time_point> file_token_read_;
  std::optional<TlsIdentity> static_identity_;
};

}  // namespace kube::detail
