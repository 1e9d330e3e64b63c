// client-go exec credential plugins (client.authentication.k8s.io v1 and v1beta1): runs the
// command with KUBERNETES_EXEC_INFO, reads an ExecCredential from its stdout, caches it until
// expirationTimestamp or until invalidate() after a 401. Thread-safe; one run at a time.
// Plugin output never reaches a log line or an Error.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "pkg/kube/error.h"
#include "pkg/kube/rest_config.h"

namespace kube::detail {

struct ExecCredential {
  Secret token;
  std::string cert_pem;
  Secret key_pem;
  std::optional<std::chrono::system_clock::time_point> expires;
  long generation = 0;  // which run produced it
};

class ExecPlugin {
 public:
  ExecPlugin(const RestConfig& config, bool stdin_is_terminal)
      : config_(config), stdin_is_terminal_(stdin_is_terminal) {}

  Result<ExecCredential> credential();
  // The server refused `generation`'s credential: the next credential() runs the plugin again.
  void invalidate(long generation);

 private:
  Result<ExecCredential> run();
  std::string exec_info(bool interactive) const;

  const RestConfig& config_;
  bool stdin_is_terminal_;
  std::mutex mu_;
  std::optional<ExecCredential> cached_;
  long runs_ = 0;
};

// Parses a plugin's stdout. Error messages never quote the output.
Result<ExecCredential> parse_exec_credential(const std::string& output,
                                             const std::string& api_version);

}  // namespace kube::detail
