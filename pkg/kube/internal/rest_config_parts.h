// Pieces of load_rest_config: filling RestConfig from the selected cluster and user, validating
// them the way client-go's ConfirmUsable does, and the in-cluster configuration.
#pragma once

#include <string>
#include <vector>

#include "pkg/kube/internal/kubeconfig.h"
#include "pkg/kube/rest_config.h"

namespace kube::detail {

void apply_cluster(RestConfig& config, const KubeCluster& cluster);
void apply_user(RestConfig& config, const KubeUser& user);
// client-go ConfirmUsable's checks, in its order and wording; all problems, not just the first.
std::vector<std::string> validate_user(const KubeUser& user, const std::string& name);
std::vector<std::string> validate_cluster(const KubeCluster& cluster, const std::string& name);
// One problem: its sentence; several: kubectl's "Error in configuration: \n* a\n* b".
Error configuration_error(const std::vector<std::string>& problems);
// What client-go finds only when building the transport: CA with insecure, an unreadable
// tokenFile, an unsupported auth-provider.
Result<void> check_usable(const RestConfig& config, const KubeUser& user);
// Adds the scheme to a bare host (https when TLS is configured, as client-go does) and refuses
// to send credentials over plain http.
Result<void> check_transport_security(RestConfig& config);
// KUBERNETES_SERVICE_HOST/PORT + the service account folder, then flag overrides.
Result<RestConfig> in_cluster_config(RestConfig config, const ConfigFlags& flags,
                                     const Environment& env);

}  // namespace kube::detail
