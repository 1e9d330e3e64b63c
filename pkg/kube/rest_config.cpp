// kubeconfig + flags -> RestConfig, following client-go's DirectClientConfig (getAuthInfo,
// getContext, getCluster, ConfirmUsable) and cli-runtime's override clearing rules.
#include "pkg/kube/rest_config.h"

#include <algorithm>
#include <system_error>

#include "pkg/kube/internal/kubeconfig.h"
#include "pkg/kube/internal/rest_config_parts.h"

namespace kube {
namespace fs = std::filesystem;
using detail::KubeCluster;
using detail::Kubeconfig;
using detail::KubeContext;
using detail::KubeUser;

namespace {

std::string given(const std::optional<std::string>& flag) {
  return flag.value_or("");
}

struct Selection {
  std::string context_name;
  KubeContext context;
  std::string cluster_name;
  KubeCluster cluster;
  bool cluster_found = false;
  std::string user_name;
  KubeUser user;
};

// Names from flags must exist ("... does not exist"); names from the kubeconfig may be missing.
Result<Selection> select(const Kubeconfig& kc, const ConfigFlags& flags) {
  Selection s;
  s.context_name = given(flags.context).empty() ? kc.current_context : *flags.context;
  auto ctx = kc.contexts.find(s.context_name);
  if (ctx != kc.contexts.end()) s.context = ctx->second;

  s.user_name = given(flags.user).empty() ? s.context.user : *flags.user;
  auto user = kc.users.find(s.user_name);
  if (user != kc.users.end()) {
    s.user = user->second;
  } else if (!given(flags.user).empty()) {
    return std::unexpected(Error::config("auth info \"" + s.user_name + "\" does not exist",
                                         "list the users with: kubectl config view"));
  }
  if (ctx == kc.contexts.end() && !given(flags.context).empty()) {
    return std::unexpected(Error::config("context \"" + s.context_name + "\" does not exist",
                                         "list the contexts with: kubectl config get-contexts"));
  }
  s.cluster_name = given(flags.cluster).empty() ? s.context.cluster : *flags.cluster;
  auto cluster = kc.clusters.find(s.cluster_name);
  if (cluster != kc.clusters.end()) {
    s.cluster = cluster->second;
    s.cluster_found = true;
  } else if (!given(flags.cluster).empty()) {
    return std::unexpected(Error::config("cluster \"" + s.cluster_name + "\" does not exist",
                                         "list the clusters with: kubectl config get-clusters"));
  }
  if (ctx == kc.contexts.end() && !s.context_name.empty()) {
    return std::unexpected(Error::config(
        "Error in configuration: context was not found for specified context: " + s.context_name,
        "pick an existing context with: kubectl config use-context NAME"));
  }
  return s;
}

// cli-runtime overrides, with client-go getCluster's clearing rules.
void override_cluster(KubeCluster& c, const ConfigFlags& flags) {
  if (!given(flags.server).empty()) c.server = *flags.server;
  bool insecure_flag = flags.insecure_skip_tls_verify.value_or(false);
  if (insecure_flag || !given(flags.certificate_authority).empty()) {
    c.insecure = insecure_flag;
    c.ca_file = given(flags.certificate_authority);
    c.ca_data.clear();
  }
  if (!given(flags.tls_server_name).empty() || !given(flags.server).empty()) {
    c.tls_server_name = given(flags.tls_server_name);
  }
  if (flags.disable_compression) c.disable_compression = true;
}

void override_user(KubeUser& u, const ConfigFlags& flags) {
  if (!given(flags.token).empty()) {  // --token bypasses tokenFile and exec
    u.token = Secret(*flags.token);
    u.token_file.clear();
    u.exec.reset();
  }
  if (!given(flags.client_certificate).empty()) {
    u.cert_file = *flags.client_certificate;
    u.cert_data.clear();
  }
  if (!given(flags.client_key).empty()) {
    u.key_file = *flags.client_key;
    u.key_data = Secret();
  }
  if (!given(flags.username).empty()) u.username = *flags.username;
  if (!given(flags.password).empty()) u.password = Secret(*flags.password);
  if (!given(flags.as).empty()) u.impersonate.user = *flags.as;
  if (!flags.as_groups.empty()) u.impersonate.groups = flags.as_groups;
  if (!given(flags.as_uid).empty()) u.impersonate.uid = *flags.as_uid;
  for (const auto& kv : flags.as_user_extra) {
    auto eq = kv.find('=');
    if (eq != std::string::npos) u.impersonate.extra[kv.substr(0, eq)].push_back(kv.substr(eq + 1));
  }
}

bool in_cluster_possible(const Environment& env) {
  std::error_code ec;
  return !env.get("KUBERNETES_SERVICE_HOST").value_or("").empty() &&
         !env.get("KUBERNETES_SERVICE_PORT").value_or("").empty() &&
         fs::is_regular_file(env.service_account_dir / "token", ec);
}

Error no_configuration(const Kubeconfig& kc, const Environment& env) {
  std::string where;
  for (const auto& place : kc.looked) where += "\n  - " + place;
  if (kc.looked.empty() && !kc.explicit_file)
    where += "\n  - $HOME/.kube/config ($HOME is not set)";
  where += "\n  - in-cluster service account (KUBERNETES_SERVICE_HOST/PORT and " +
           (env.service_account_dir / "token").string() + ": not available)";
  return Error::config(
      "no configuration has been provided: no kubeconfig names a server. Looked at:" + where,
      "point --kubeconfig or KUBECONFIG at a kubeconfig file (or pass --server), "
      "then run the command again");
}

// Contexts exist but none is current (kubectl would quietly try localhost:8080).
Error no_context(const Kubeconfig& kc) {
  std::string files, names;
  for (const auto& f : kc.files) files += (files.empty() ? "" : ", ") + f;
  for (const auto& [name, _] : kc.contexts) names += (names.empty() ? "" : ", ") + name;
  return Error::config(
      "no context selected: the kubeconfig (" + files + ") sets no current-context",
      "pass --context NAME or run: kubectl config use-context NAME (contexts: " + names + ")");
}

}  // namespace

Result<RestConfig> load_rest_config(const ConfigFlags& flags, const Environment& env) {
  auto kc = detail::load_kubeconfig(flags, env);
  if (!kc) return std::unexpected(kc.error());
  auto sel = select(*kc, flags);
  if (!sel) return std::unexpected(sel.error());
  override_cluster(sel->cluster, flags);
  override_user(sel->user, flags);

  RestConfig config;
  config.env = env;
  config.kubeconfig_files = kc->files;
  config.verbosity = flags.verbosity;
  if (flags.request_timeout) {
    auto timeout = parse_request_timeout(*flags.request_timeout);
    if (!timeout) return std::unexpected(timeout.error());
    config.request_timeout = *timeout;
  }
  if (sel->cluster.server.empty()) {
    if (in_cluster_possible(env)) return detail::in_cluster_config(std::move(config), flags, env);
    if (!sel->cluster_found && !sel->cluster_name.empty()) {
      return std::unexpected(Error::config(
          "context \"" + sel->context_name + "\" refers to cluster \"" + sel->cluster_name +
              "\", which does not exist in the kubeconfig",
          "add the cluster to the kubeconfig or pick another context with --context"));
    }
    if (sel->cluster_found) {
      return std::unexpected(
          Error::config("no server found for cluster \"" + sel->cluster_name + "\"",
                        "set clusters[].cluster.server in the kubeconfig or pass --server"));
    }
    if (sel->context_name.empty() && !kc->contexts.empty()) return std::unexpected(no_context(*kc));
    return std::unexpected(no_configuration(*kc, env));
  }
  config.context_name = sel->context_name;
  config.cluster_name = sel->cluster_name;
  config.user_name = sel->user_name;
  config.namespace_ = given(flags.namespace_).empty() ? sel->context.namespace_ : *flags.namespace_;
  config.namespace_explicit = !config.namespace_.empty();
  if (config.namespace_.empty()) config.namespace_ = "default";
  auto problems = detail::validate_user(sel->user, sel->user_name);
  for (auto& p : detail::validate_cluster(sel->cluster, sel->cluster_name)) problems.push_back(p);
  if (!problems.empty()) return std::unexpected(detail::configuration_error(problems));
  detail::apply_cluster(config, sel->cluster);
  detail::apply_user(config, sel->user);
  if (auto ok = detail::check_usable(config, sel->user); !ok) return std::unexpected(ok.error());
  if (auto ok = detail::check_transport_security(config); !ok) return std::unexpected(ok.error());
  return config;
}

Result<KubeconfigNames> kubeconfig_names(const ConfigFlags& flags, const Environment& env) {
  auto kc = detail::load_kubeconfig(flags, env);
  if (!kc) return std::unexpected(kc.error());
  KubeconfigNames names;
  for (const auto& [name, _] : kc->contexts) names.contexts.push_back(name);
  for (const auto& [name, _] : kc->clusters) names.clusters.push_back(name);
  for (const auto& [name, _] : kc->users) names.users.push_back(name);
  names.current_context = kc->current_context;
  std::string ctx = given(flags.context).empty() ? kc->current_context : *flags.context;
  if (auto it = kc->contexts.find(ctx); it != kc->contexts.end()) {
    names.current_namespace = it->second.namespace_;
  }
  return names;
}

}  // namespace kube
