// The kubeconfig files as client-go's clientcmd loader sees them: which files, each parsed, merged
// first-wins per name, with relative paths already resolved against the defining file's folder.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pkg/kube/config_flags.h"
#include "pkg/kube/error.h"
#include "pkg/kube/rest_config.h"

namespace kube::detail {

struct KubeCluster {
  std::string server;
  std::string tls_server_name;
  bool insecure = false;
  std::string ca_file;
  std::string ca_data;  // decoded PEM
  std::string proxy_url;
  bool disable_compression = false;
};

struct KubeUser {
  std::string cert_file;
  std::string cert_data;
  std::string key_file;
  Secret key_data;
  Secret token;
  std::string token_file;
  std::string username;
  Secret password;
  Impersonation impersonate;
  std::optional<ExecConfig> exec;
  std::string auth_provider;  // name; only "oidc" is supported
  Secret oidc_id_token;
};

struct KubeContext {
  std::string cluster;
  std::string user;
  std::string namespace_;
};

struct Kubeconfig {
  std::map<std::string, KubeCluster> clusters;
  std::map<std::string, KubeUser> users;
  std::map<std::string, KubeContext> contexts;
  std::string current_context;
  std::vector<std::string> files;   // files read, in order
  std::vector<std::string> looked;  // every place looked at, for the "no configuration" error
  bool explicit_file = false;       // --kubeconfig or KUBECONFIG was set
};

// Parses one file's text; `dir` resolves relative paths. Errors name the file.
Result<Kubeconfig> parse_kubeconfig(const std::string& text, const std::filesystem::path& file);
// Selects the files (--kubeconfig, else KUBECONFIG, else $HOME/.kube/config) and merges them.
Result<Kubeconfig> load_kubeconfig(const ConfigFlags& flags, const Environment& env);

}  // namespace kube::detail
