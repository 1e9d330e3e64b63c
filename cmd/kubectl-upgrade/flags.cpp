#include "cmd/kubectl-upgrade/flags.h"

namespace cli::flags {

void add_string(cxxopts::Options& o, const std::string& names, const std::string& help,
                const std::string& default_value) {
  o.add_options()(names, help, cxxopts::value<std::string>()->default_value(default_value),
                  "string");
}

void add_bool(cxxopts::Options& o, const std::string& names, const std::string& help,
              bool default_value) {
  o.add_options()(names, help,
                  cxxopts::value<bool>()
                      ->default_value(default_value ? "true" : "false")
                      ->implicit_value("true"),
                  "bool");
}

void add_int(cxxopts::Options& o, const std::string& names, const std::string& help,
             int default_value) {
  o.add_options()(names, help, cxxopts::value<int>()->default_value(std::to_string(default_value)),
                  "int");
}

void add_strings(cxxopts::Options& o, const std::string& names, const std::string& help) {
  o.add_options()(names, help, cxxopts::value<std::vector<std::string>>(), "strings");
}

std::optional<std::string> given_string(const cxxopts::ParseResult& r, const std::string& name) {
  if (r.count(name) == 0) return std::nullopt;
  return r[name].as<std::string>();
}

std::optional<bool> given_bool(const cxxopts::ParseResult& r, const std::string& name) {
  if (r.count(name) == 0) return std::nullopt;
  return r[name].as<bool>();
}

std::optional<int> given_int(const cxxopts::ParseResult& r, const std::string& name) {
  if (r.count(name) == 0) return std::nullopt;
  return r[name].as<int>();
}

std::vector<std::string> strings(const cxxopts::ParseResult& r, const std::string& name) {
  if (r.count(name) == 0) return {};
  return r[name].as<std::vector<std::string>>();
}

namespace {

void add_global_string(cxxopts::Options& o, const std::string& names, const std::string& help,
                       const std::string& default_value = "") {
  o.add_options(kGlobalGroup)(
      names, help, cxxopts::value<std::string>()->default_value(default_value), "string");
}

void add_global_bool(cxxopts::Options& o, const std::string& names, const std::string& help) {
  o.add_options(kGlobalGroup)(
      names, help, cxxopts::value<bool>()->default_value("false")->implicit_value("true"), "bool");
}

void add_global_strings(cxxopts::Options& o, const std::string& names, const std::string& help) {
  o.add_options(kGlobalGroup)(names, help, cxxopts::value<std::vector<std::string>>(), "strings");
}

}  // namespace

// The help texts are cli-runtime's, so `kubectl upgrade options` reads like `kubectl options`.
void add_global_flags(cxxopts::Options& o) {
  add_global_string(o, "as",
                    "Username to impersonate for the operation. User could be a regular user or "
                    "a service account in a namespace.");
  add_global_strings(o, "as-group",
                     "Group to impersonate for the operation, this flag can be repeated to "
                     "specify multiple groups.");
  add_global_string(o, "as-uid", "UID to impersonate for the operation.");
  add_global_strings(o, "as-user-extra",
                     "User extras to impersonate for the operation, this flag can be repeated to "
                     "specify multiple values for the same key.");
  add_global_string(o, "cache-dir", "Default cache directory", "$HOME/.kube/cache");
  add_global_string(o, "certificate-authority",
                    "Path to a cert file for the certificate authority");
  add_global_string(o, "client-certificate", "Path to a client certificate file for TLS");
  add_global_string(o, "client-key", "Path to a client key file for TLS");
  add_global_string(o, "cluster", "The name of the kubeconfig cluster to use");
  add_global_string(o, "context", "The name of the kubeconfig context to use");
  add_global_bool(o, "disable-compression",
                  "If true, opt-out of response compression for all requests to the server");
  add_global_bool(o, "insecure-skip-tls-verify",
                  "If true, the server's certificate will not be checked for validity. This will "
                  "make your HTTPS connections insecure");
  add_global_string(o, "kubeconfig", "Path to the kubeconfig file to use for CLI requests.");
  add_global_string(o, "n,namespace", "If present, the namespace scope for this CLI request");
  add_global_string(o, "password", "Password for basic authentication to the API server");
  add_global_string(o, "request-timeout",
                    "The length of time to wait before giving up on a single server request. "
                    "Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). "
                    "A value of zero means don't timeout requests.",
                    "0");
  add_global_string(o, "s,server", "The address and port of the Kubernetes API server");
  add_global_string(o, "tls-server-name",
                    "Server name to use for server certificate validation. If it is not "
                    "provided, the hostname used to contact the server is used");
  add_global_string(o, "token", "Bearer token for authentication to the API server");
  add_global_string(o, "user", "The name of the kubeconfig user to use");
  add_global_string(o, "username", "Username for basic authentication to the API server");
  o.add_options(kGlobalGroup)("v", "number for the log level verbosity",
                              cxxopts::value<int>()->default_value("0"), "int");
  o.add_options(kGlobalGroup)(
      "h,help", "help for the command",
      cxxopts::value<bool>()->default_value("false")->implicit_value("true"), "bool");
}

kube::ConfigFlags config_flags(const cxxopts::ParseResult& r) {
  kube::ConfigFlags f;
  f.kubeconfig = given_string(r, "kubeconfig");
  f.context = given_string(r, "context");
  f.cluster = given_string(r, "cluster");
  f.user = given_string(r, "user");
  f.namespace_ = given_string(r, "namespace");
  f.server = given_string(r, "server");
  f.tls_server_name = given_string(r, "tls-server-name");
  f.certificate_authority = given_string(r, "certificate-authority");
  f.insecure_skip_tls_verify = given_bool(r, "insecure-skip-tls-verify");
  f.client_certificate = given_string(r, "client-certificate");
  f.client_key = given_string(r, "client-key");
  f.token = given_string(r, "token");
  f.username = given_string(r, "username");
  f.password = given_string(r, "password");
  f.as = given_string(r, "as");
  f.as_groups = strings(r, "as-group");
  f.as_uid = given_string(r, "as-uid");
  f.as_user_extra = strings(r, "as-user-extra");
  f.request_timeout = given_string(r, "request-timeout");
  f.cache_dir = given_string(r, "cache-dir");
  f.disable_compression = given_bool(r, "disable-compression").value_or(false);
  f.verbosity = given_int(r, "v").value_or(0);
  return f;
}

}  // namespace cli::flags
