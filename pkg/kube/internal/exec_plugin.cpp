#include "pkg/kube/internal/exec_plugin.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "pkg/kube/internal/base64.h"
#include "pkg/kube/internal/status.h"

namespace kube::detail {
namespace fs = std::filesystem;
namespace {

constexpr const char* kNotInstalled =
    "It looks like you are trying to use a client-go credential plugin that is not installed.\n\n"
    "To learn more about this feature, consult the documentation available at:\n"
    "      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
    "#client-go-credential-plugins";

std::optional<std::string> find_executable(const std::string& command, const Environment& env) {
  auto runnable = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
  };
  if (command.find('/') != std::string::npos) {
    return runnable(command) ? std::optional(command) : std::nullopt;
  }
  std::istringstream path(env.get("PATH").value_or(""));
  std::string dir;
  while (std::getline(path, dir, ':')) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / command;
    if (runnable(candidate)) return candidate.string();
  }
  return std::nullopt;
}

// RFC 3339 "2026-11-26T10:00:00Z" or with an offset / fraction.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& s) {
  std::tm tm{};
  std::istringstream in(s);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  long offset = 0;
  char c = 0;
  while (in.get(c) && c != 'Z' && c != '+' && c != '-') {
  }
  if (c == '+' || c == '-') {
    int hh = 0, mm = 0;
    char colon = 0;
    in >> hh >> colon >> mm;
    offset = (hh * 3600L + mm * 60L) * (c == '+' ? 1 : -1);
  }
  time_t t = timegm(&tm) - offset;
  // Far-future stamps overflow system_clock's nanoseconds (year 2262): treat as "never".
  constexpr time_t kLimit = 8'000'000'000;  // about year 2223
  if (t > kLimit) return std::chrono::system_clock::time_point::max();
  return std::chrono::system_clock::from_time_t(t);
}

struct Spawned {
  int exit_code = -1;
  std::string out;
  std::string error;  // spawn/pipe failure
};

Spawned spawn_and_read(const std::string& file, const std::vector<std::string>& argv,
                       const std::vector<std::string>& envp, bool interactive) {
  Spawned result;
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) {
    result.error = "cannot create a pipe";
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
  if (!interactive)
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args, env;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : envp) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, file.c_str(), &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipefd[1]);
  if (rc != 0) {
    ::close(pipefd[0]);
    result.error = std::error_code(rc, std::generic_category()).message();
    return result;
  }
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) result.out.append(buf, static_cast<size_t>(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace

Result<ExecCredential> parse_exec_credential(const std::string& output,
                                             const std::string& api_version) {
  auto fail = [](std::string why) {
    return std::unexpected(Error::config("getting credentials: " + std::move(why)));
  };
  // No exceptions: nlohmann's parse_error text quotes the input, which may hold a token.
  nlohmann::json doc = nlohmann::json::parse(output, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail("decoding stdout: the exec plugin did not print an ExecCredential JSON object");
  }
  std::string kind = text(doc, "kind");
  std::string version = text(doc, "apiVersion");
  if (kind != "ExecCredential")
    return fail("exec plugin returned kind \"" + kind + "\", want ExecCredential");
  if (version != api_version) {
    return fail("exec plugin is configured to use API version " + api_version +
                ", plugin returned version " + version);
  }
  if (!doc.contains("status") || !doc["status"].is_object()) {
    return fail("exec plugin didn't return a status field");
  }
  const auto& status = doc["status"];
  ExecCredential cred;
  auto text = [&](const char* key) {
    return status.contains(key) && status[key].is_string() ? status[key].get<std::string>() : "";
  };
  cred.token = Secret(text("token"));
  cred.cert_pem = text("clientCertificateData");
  cred.key_pem = Secret(text("clientKeyData"));
  if (cred.cert_pem.empty() != cred.key_pem.empty()) {
    return fail("exec plugin returned only certificate or key, not both");
  }
  if (cred.token.empty() && cred.cert_pem.empty()) {
    return fail("exec plugin didn't return a token or cert/key pair");
  }
  if (std::string exp = text("expirationTimestamp"); !exp.empty()) {
    cred.expires = parse_rfc3339(exp);
    if (!cred.expires) return fail("exec plugin returned an invalid expirationTimestamp");
  }
  return cred;
}

std::string ExecPlugin::exec_info(bool interactive) const {
  const ExecConfig& exec = *config_.auth.exec;
  nlohmann::json info = {{"kind", "ExecCredential"},
                         {"apiVersion", exec.api_version},
                         {"spec", {{"interactive", interactive}}}};
  if (exec.provide_cluster_info) {
    nlohmann::json cluster = {{"server", config_.server}};
    if (!config_.tls.server_name.empty()) cluster["tls-server-name"] = config_.tls.server_name;
    if (config_.tls.insecure) cluster["insecure-skip-tls-verify"] = true;
    if (!config_.tls.ca_data.empty()) {
      cluster["certificate-authority-data"] = base64_encode(config_.tls.ca_data);
    }
    if (!config_.proxy_url.empty()) cluster["proxy-url"] = config_.proxy_url;
    if (config_.disable_compression) cluster["disable-compression"] = true;
    info["spec"]["cluster"] = cluster;
  }
  return info.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ExecCredential> ExecPlugin::run() {
  const ExecConfig& exec = *config_.auth.exec;
  if (exec.api_version != "client.authentication.k8s.io/v1" &&
      exec.api_version != "client.authentication.k8s.io/v1beta1") {
    return std::unexpected(
        Error::config("exec plugin: invalid apiVersion \"" + exec.api_version + "\""));
  }
  std::string mode = exec.interactive_mode.empty() ? "IfAvailable" : exec.interactive_mode;
  bool interactive = mode == "Always" || (mode == "IfAvailable" && stdin_is_terminal_);
  if (mode == "Always" && !stdin_is_terminal_) {
    return std::unexpected(Error::config(
        "getting credentials: exec plugin cannot support interactive mode: standard input is not "
        "a terminal",
        "run the command from a terminal, or set interactiveMode to IfAvailable"));
  }
  auto file = find_executable(exec.command, config_.env);
  if (!file) {
    std::string hint = kNotInstalled;
    if (!exec.install_hint.empty()) hint += "\n\n" + exec.install_hint;
    return std::unexpected(Error::config(
        "getting credentials: exec: executable " + exec.command + " not found", hint));
  }
  std::vector<std::string> argv{exec.command};
  argv.insert(argv.end(), exec.args.begin(), exec.args.end());
  std::map<std::string, std::string> vars = config_.env.vars;
  for (const auto& [k, v] : exec.env) vars[k] = v;
  vars["KUBERNETES_EXEC_INFO"] = exec_info(interactive);
  std::vector<std::string> envp;
  for (const auto& [k, v] : vars) envp.push_back(k + "=" + v);
  Spawned out = spawn_and_read(*file, argv, envp, interactive);
  if (!out.error.empty()) {
    return std::unexpected(
        Error::config("getting credentials: exec: starting " + exec.command + ": " + out.error));
  }
  if (out.exit_code != 0) {
    return std::unexpected(Error::config("getting credentials: exec: executable " + exec.command +
                                             " failed with exit code " +
                                             std::to_string(out.exit_code),
                                         "run the plugin by hand to see why it fails"));
  }
  return parse_exec_credential(out.out, exec.api_version);
}

Result<ExecCredential> ExecPlugin::credential() {
  std::lock_guard lock(mu_);
  if (cached_ && (!cached_->expires || *cached_->expires > std::chrono::system_clock::now())) {
    return *cached_;
  }
  cached_.reset();
  auto fresh = run();
  if (!fresh) return fresh;
  fresh->generation = ++runs_;
  cached_ = *fresh;
  return fresh;
}

void ExecPlugin::invalidate(long generation) {
  std::lock_guard lock(mu_);
  if (cached_ && cached_->generation == generation) cached_.reset();
}

}  // namespace kube::detail
