#include "cmd/kubectl-upgrade/context.h"

#include <ostream>

#include "cmd/kubectl-upgrade/exit_codes.h"

extern char** environ;

namespace cli {

Env process_env() {
  Env env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Context::Context(ui::Terminal& terminal, Env env, const std::atomic<bool>& cancel_flag,
                 ClientFactory factory)
    : terminal_(&terminal),
      env_(std::move(env)),
      cancel_flag_(&cancel_flag),
      factory_(std::move(factory)) {}

std::optional<std::string> Context::getenv(std::string_view name) const {
  const auto it = env_.find(name);
  if (it == env_.end()) return std::nullopt;
  return it->second;
}

kube::Result<kube::Client*> Context::client() {
  if (client_) return client_.get();
  auto made =
      factory_(ClientRequest{flags, env_, client_timeout_ms, cancel_flag_, terminal_->in_is_tty()});
  if (!made) return std::unexpected(made.error());
  client_ = std::move(*made);
  return client_.get();
}

int Context::fail(std::string_view message) {
  err() << "error: " << message << '\n';
  return kExitError;
}

int Context::fail(const kube::Error& error) {
  err() << error.to_string() << '\n';
  return kExitError;
}

}  // namespace cli
