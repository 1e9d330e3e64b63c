// Pieces of load_rest_config: filling RestConfig from the selected cluster and user, validating
// them the way client-go's ConfirmUsable does, and the in-cluster configuration.
#pragma once

#include "pkg/kube/internal/kubeconfig.h"
#include "pkg/kube/rest_config.h"

namespace kube::detail {

Result<void> apply_cluster(RestConfig& config, const KubeCluster& cluster);
Result<void> apply_user(RestConfig& config, const KubeUser& user, const std::string& user_name);
// Adds the scheme to a bare host (https when TLS is configured, as client-go does) and refuses
// to send credentials over plain http.
Result<void> check_transport_security(RestConfig& config);
// KUBERNETES_SERVICE_HOST/PORT + the service account folder, then flag overrides.
Result<RestConfig> in_cluster_config(RestConfig config, const ConfigFlags& flags,
                                     const Environment& env);

}  // namespace kube::detail
