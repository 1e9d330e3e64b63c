#include "pkg/kube/internal/rest_config_parts.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

extern char** environ;

namespace kube {
namespace fs = std::filesystem;

Environment Environment::from_process() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

std::optional<std::string> Environment::get(std::string_view name) const {
  auto it = vars.find(std::string(name));
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

std::string Environment::home() const {
  return get("HOME").value_or("");
}

namespace {

// Go's time.ParseDuration subset kubectl users write: "1h2m3s", "500ms", "1.5s", "2m".
std::optional<std::chrono::milliseconds> parse_go_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double total_ms = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == 0) return std::nullopt;
    double value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + i, value);
    if (ec != std::errc() || ptr != s.data() + i) return std::nullopt;
    s.remove_prefix(i);
    size_t j = 0;
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
    std::string_view unit = s.substr(0, j);
    s.remove_prefix(j);
    double factor = 0;
    if (unit == "ns")
      factor = 1e-6;
    else if (unit == "us" || unit == "µs")
      factor = 1e-3;
    else if (unit == "ms")
      factor = 1;
    else if (unit == "s")
      factor = 1000;
    else if (unit == "m")
      factor = 60000;
    else if (unit == "h")
      factor = 3600000;
    else
      return std::nullopt;
    total_ms += value * factor;
  }
  return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

std::optional<std::string> read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Go's wording for a failed open: "open PATH: no such file or directory".
std::string open_error(const std::string& path) {
  std::string why = std::error_code(errno, std::generic_category()).message();
  if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  return "open " + path + ": " + why;
}

// client-go ConfirmUsable's "unable to read client-cert F for U due to open F: ..." check.
void check_readable(const std::string& path, const std::string& what, const std::string& owner,
                    std::vector<std::string>& problems) {
  if (std::ifstream(path)) return;
  problems.push_back("unable to read " + what + " " + path + " for " + owner + " due to " +
                     open_error(path));
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void check_exec(const ExecConfig& exec, const std::string& user,
                std::vector<std::string>& problems) {
  if (exec.command.empty()) {
    problems.push_back("command must be specified for " + user +
                       " to use exec authentication plugin");
  }
  if (exec.api_version.empty()) {
    problems.push_back("apiVersion must be specified for " + user +
                       " to use exec authentication plugin");
  }
  for (const auto& [name, value] : exec.env) {
    if (name.empty()) {
      problems.push_back("env variable name must be specified for " + user +
                         " to use exec authentication plugin");
    }
  }
  const std::string& mode = exec.interactive_mode;
  if (mode.empty() && exec.api_version == "client.authentication.k8s.io/v1") {
    problems.push_back("interactiveMode must be specified for " + user +
                       " to use exec authentication plugin");
  }
  if (!mode.empty() && mode != "Never" && mode != "IfAvailable" && mode != "Always") {
    problems.push_back("invalid interactiveMode for " + user + ": \"" + mode + "\"");
  }
}

}  // namespace

Result<std::chrono::milliseconds> parse_request_timeout(std::string_view text) {
  long long seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && ptr == text.data() + text.size() && seconds >= 0) {
    return std::chrono::milliseconds(seconds * 1000);
  }
  if (!text.empty() && text[0] != '-') {
    if (auto d = parse_go_duration(text)) return *d;
  }
  return std::unexpected(Error::config(
      "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed "
      "by a corresponding time unit (e.g. 1s | 2m | 3h)"));
}

namespace detail {

void apply_cluster(RestConfig& config, const KubeCluster& cluster) {
  config.server = cluster.server;
  while (config.server.size() > 1 && config.server.back() == '/') config.server.pop_back();
  config.tls.insecure = cluster.insecure;
  config.tls.server_name = cluster.tls_server_name;
  config.tls.ca_file = cluster.ca_file;
  config.tls.ca_data = cluster.ca_data;
  config.proxy_url = cluster.proxy_url;
  config.disable_compression = cluster.disable_compression;
}

void apply_user(RestConfig& config, const KubeUser& user) {
  config.tls.cert_file = user.cert_file;
  config.tls.cert_data = user.cert_data;
  config.tls.key_file = user.key_file;
  config.tls.key_data = user.key_data;
  config.auth.token = user.token;
  config.auth.token_file = user.token_file;
  config.auth.username = user.username;
  config.auth.password = user.password;
  config.auth.exec = user.exec;
  config.impersonate = user.impersonate;
  if (user.auth_provider == "oidc" && config.auth.token.empty()) {
    config.auth.token = user.oidc_id_token;
  }
}

std::vector<std::string> validate_user(const KubeUser& user, const std::string& name) {
  std::vector<std::string> problems;
  std::vector<std::string> methods;
  if (!user.token.empty() || !user.token_file.empty()) methods.push_back("token");
  if (!user.username.empty() || !user.password.empty()) methods.push_back("basicAuth");
  bool has_cert = !user.cert_file.empty() || !user.cert_data.empty();
  bool has_key = !user.key_file.empty() || !user.key_data.empty();
  if (has_cert) {
    if (!user.cert_file.empty() && !user.cert_data.empty()) {
      problems.push_back("client-cert-data and client-cert are both specified for " + name +
                         ". client-cert-data will override.");
    }
    if (!user.key_file.empty() && !user.key_data.empty()) {
      problems.push_back("client-key-data and client-key are both specified for " + name +
                         "; client-key-data will override");
    }
    if (!has_key) {
      problems.push_back("client-key-data or client-key must be specified for " + name +
                         " to use the clientCert authentication method.");
    }
    if (!user.cert_file.empty()) check_readable(user.cert_file, "client-cert", name, problems);
    if (!user.key_file.empty()) check_readable(user.key_file, "client-key", name, problems);
  } else if (has_key) {  // client-go would prompt for a username here; we say what is missing
    problems.push_back("client-cert-data or client-cert must be specified for " + name +
                       " to use the clientCert authentication method.");
  }
  if (user.exec) {
    if (!user.auth_provider.empty()) {
      problems.push_back("authProvider cannot be provided in combination with an exec plugin for " +
                         name);
    }
    check_exec(*user.exec, name, problems);
  }
  if (methods.size() > 1) {
    problems.push_back("more than one authentication method found for " + name + "; found [" +
                       methods[0] + " " + methods[1] + "], only one is allowed");
  }
  const Impersonation& who = user.impersonate;
  if (who.user.empty() && (!who.uid.empty() || !who.groups.empty() || !who.extra.empty())) {
    problems.push_back("requesting uid, groups or user-extra for " + name +
                       " without impersonating a user");
  }
  return problems;
}

std::vector<std::string> validate_cluster(const KubeCluster& cluster, const std::string& name) {
  std::vector<std::string> problems;
  if (!cluster.ca_file.empty()) {
    check_readable(cluster.ca_file, "certificate-authority", name, problems);
  }
  return problems;
}

Error configuration_error(const std::vector<std::string>& problems) {
  const char* hint = "fix the kubeconfig (see: kubectl config view) or the connection flags";
  if (problems.size() == 1) return Error::config(problems[0], hint);
  std::string message = "Error in configuration: ";
  for (const auto& p : problems) message += "\n* " + p;
  return Error::config(message, hint);
}

Result<void> check_usable(const RestConfig& config, const KubeUser& user) {
  if (config.tls.insecure && (!config.tls.ca_file.empty() || !config.tls.ca_data.empty())) {
    return std::unexpected(
        Error::config("specifying a root certificates file with the insecure flag is not allowed",
                      "drop --insecure-skip-tls-verify or the certificate authority"));
  }
  if (config.auth.token.empty() && !config.auth.token_file.empty() &&
      !std::ifstream(config.auth.token_file)) {
    return std::unexpected(
        Error::config(open_error(config.auth.token_file),
                      "fix the tokenFile of user \"" + config.user_name + "\" in the kubeconfig"));
  }
  if (!user.auth_provider.empty() && user.auth_provider != "oidc") {
    return std::unexpected(
        Error::config("no Auth Provider found for name \"" + user.auth_provider + "\"",
                      "use an exec credential plugin instead of auth-provider"));
  }
  return {};
}

Result<void> check_transport_security(RestConfig& config) {
  if (config.server.find("://") == std::string::npos) {
    bool tls = !config.tls.ca_file.empty() || !config.tls.ca_data.empty() || config.tls.insecure ||
               !config.tls.cert_file.empty() || !config.tls.cert_data.empty();
    config.server = (tls ? "https://" : "http://") + config.server;
  }
  if (config.server.rfind("https://", 0) == 0) return {};
  if (config.server.rfind("http://", 0) != 0) {
    return std::unexpected(Error::config("server \"" + config.server + "\" is not an http(s) URL",
                                         "use https://HOST:PORT"));
  }
  const auto& a = config.auth;
  bool credentials = !a.token.empty() || !a.token_file.empty() || !a.username.empty() ||
                     !a.password.empty() || a.exec || !config.tls.cert_file.empty() ||
                     !config.tls.cert_data.empty();
  if (credentials) {
    return std::unexpected(
        Error::config("refusing to send credentials to " + config.server + " over plain http",
                      "use an https:// server URL for user \"" + config.user_name + "\""));
  }
  return {};
}

Result<RestConfig> in_cluster_config(RestConfig config, const ConfigFlags& flags,
                                     const Environment& env) {
  std::string host = env.get("KUBERNETES_SERVICE_HOST").value_or("");
  std::string port = env.get("KUBERNETES_SERVICE_PORT").value_or("");
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  config.in_cluster = true;
  config.server = "https://" + host + ":" + port;
  if (flags.server && !flags.server->empty()) config.server = *flags.server;
  config.auth.token_file = (env.service_account_dir / "token").string();
  if (flags.token && !flags.token->empty()) {
    config.auth.token = Secret(*flags.token);
    config.auth.token_file.clear();
  }
  std::error_code ec;
  fs::path ca = env.service_account_dir / "ca.crt";
  if (flags.certificate_authority && !flags.certificate_authority->empty()) {
    config.tls.ca_file = *flags.certificate_authority;
  } else if (fs::exists(ca, ec)) {
    config.tls.ca_file = ca.string();
  }
  config.tls.insecure = flags.insecure_skip_tls_verify.value_or(false);
  if (config.tls.insecure) config.tls.ca_file.clear();
  config.tls.server_name = flags.tls_server_name.value_or("");
  std::string ns = env.get("POD_NAMESPACE").value_or("");
  if (ns.empty()) ns = trim(read_small_file(env.service_account_dir / "namespace").value_or(""));
  if (flags.namespace_ && !flags.namespace_->empty()) ns = *flags.namespace_;
  config.namespace_explicit = !ns.empty();
  config.namespace_ = ns.empty() ? "default" : ns;
  return config;
}

}  // namespace detail
}  // namespace kube
