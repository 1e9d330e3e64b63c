// How to reach the API server: kubeconfig + flags + environment -> RestConfig, the way client-go's
// clientcmd and cli-runtime's ConfigFlags do it (ecosystem.md sections 3 and 4).
//
// load_rest_config() reads files and the environment it is given (never the process environment
// directly, so tests inject HOME, KUBECONFIG, ...). It fails with Error kind kConfig and kubectl's
// wording: `context "x" does not exist`, `cluster "x" does not exist`, `auth info "x" does not
// exist`, `Error in configuration: context was not found for specified context: x`, or, with
// nothing configured at all, a sentence naming every place it looked.
//
// Secrets (token, password, client key, exec output) live in `Secret`, which has no stream or fmt
// support: printing one is a compile error, reading it needs an explicit `.expose()`.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/kube/config_flags.h"
#include "pkg/kube/error.h"

namespace kube {

// A secret string. Deliberately not printable; use expose() only where the value is sent.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& expose() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret&) const = default;

 private:
  std::string value_;
};

// The process environment as a value. Tests build one by hand; the binary uses from_process().
struct Environment {
  std::map<std::string, std::string> vars;
  // Where in-cluster credentials live (token, ca.crt, namespace).
  std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

  static Environment from_process();
  // The value of `name`, or nullopt when unset. An empty value counts as set.
  std::optional<std::string> get(std::string_view name) const;
  // $HOME, or empty when unset (never from getpwuid).
  std::string home() const;
};

// users[].user.exec of a kubeconfig (client.authentication.k8s.io v1 / v1beta1).
struct ExecConfig {
  std::string api_version;
  std::string
      command;  // as written; resolved at run time (PATH, or against base_dir if it has '/')
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;    // "Never", "IfAvailable", "Always"
  std::filesystem::path base_dir;  // folder of the kubeconfig file that defined it
};

struct TlsConfig {
  bool insecure = false;
  std::string server_name;  // SNI and certificate name check; empty = the server URL's host
  std::string ca_file;      // absolute path, or empty
  std::string ca_data;      // PEM (decoded from certificate-authority-data)
  std::string cert_file;
  std::string cert_data;  // PEM
  std::string key_file;
  Secret key_data;  // PEM
};

struct AuthConfig {
  Secret token;
  std::string token_file;  // re-read at most once a minute
  std::string username;
  Secret password;
  std::optional<ExecConfig> exec;
};

struct Impersonation {
  std::string user;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
  bool empty() const { return user.empty() && uid.empty() && groups.empty() && extra.empty(); }
};

struct RestConfig {
  std::string server;        // "https://host:6443" (maybe with a path prefix), no trailing slash
  std::string context_name;  // empty for in-cluster or pure-flag configs
  std::string cluster_name;
  std::string user_name;
  std::string namespace_ = "default";
  bool namespace_explicit = false;  // from -n or the context (kubectl's "enforceNamespace")
  TlsConfig tls;
  AuthConfig auth;
  Impersonation impersonate;
  std::string proxy_url;  // empty = environment proxies (HTTPS_PROXY, NO_PROXY, ...)
  bool disable_compression = false;
  std::chrono::milliseconds request_timeout{0};  // 0 = none
  int verbosity = 0;
  bool in_cluster = false;
  std::vector<std::string> kubeconfig_files;  // the files that were read, in order
  Environment env;  // for exec plugins, system roots (SSL_CERT_FILE/DIR) and proxies
};

// Names in the merged kubeconfig, for shell completion of --context/--cluster/--user.
struct KubeconfigNames {
  std::vector<std::string> contexts;  // sorted
  std::vector<std::string> clusters;
  std::vector<std::string> users;
  std::string current_context;    // may name a missing context
  std::string current_namespace;  // the current context's namespace, or empty
};

Result<RestConfig> load_rest_config(const ConfigFlags& flags, const Environment& env);
Result<KubeconfigNames> kubeconfig_names(const ConfigFlags& flags, const Environment& env);

// --request-timeout: a bare integer >= 0 is seconds, else a duration like "1s", "2m", "3h",
// "1m30s", "500ms"; "0" = no timeout. Error text as kubectl's.
Result<std::chrono::milliseconds> parse_request_timeout(std::string_view text);

}  // namespace kube
