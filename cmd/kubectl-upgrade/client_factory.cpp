// The one place that turns the connection flags into a real API client.
#include "cmd/kubectl-upgrade/context.h"

namespace cli {

kube::Result<std::unique_ptr<kube::Client>> make_real_client(const ClientRequest& request) {
  (void)request;
  // TODO(cli): call kube::load_rest_config(request.flags, <Environment from request.env>) and
  // kube::make_client(rest_config, ClientOptions{timeout = request.timeout_ms}) once pkg/kube
  // provides them. Until then every command that needs the API fails here with a config error.
  return std::unexpected(
      kube::Error::config("the Kubernetes API client is not available in this build yet",
                          "build a version of kubectl-upgrade that includes pkg/kube's client"));
}

}  // namespace cli
