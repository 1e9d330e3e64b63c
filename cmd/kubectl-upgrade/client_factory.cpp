// The one place that turns the connection flags into a real API client.
#include "pkg/kube/client_factory.h"

#include <chrono>

#include "cmd/kubectl-upgrade/context.h"

namespace cli {

kube::Environment kube_environment(const Env& env) {
  kube::Environment e;
  e.vars.insert(env.begin(), env.end());
  return e;
}

kube::Result<std::unique_ptr<kube::Client>> make_real_client(const ClientRequest& request) {
  auto config = kube::load_rest_config(request.flags, kube_environment(request.env));
  if (!config) return std::unexpected(config.error());
  kube::ClientOptions options;
  options.cancel_flag = request.cancel_flag;
  options.stdin_is_terminal = request.stdin_is_terminal;
  if (request.timeout_ms) {
    // A budget (shell completion): one attempt, cut short, never waiting on a dead server.
    const std::chrono::milliseconds budget{*request.timeout_ms};
    options.request_timeout = budget;
    options.connect_timeout = budget;
    options.retries = false;
  }
  return kube::make_client(*config, options);
}

}  // namespace cli
