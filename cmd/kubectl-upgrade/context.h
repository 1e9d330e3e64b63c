// What a running command gets: the connection flags, the terminal, positional arguments, the
// environment, a lazily created API client and the Ctrl-C flag.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/kube/client.h"
#include "pkg/kube/config_flags.h"
#include "pkg/kube/error.h"
#include "pkg/kube/rest_config.h"
#include "pkg/ui/terminal.h"

namespace cli {

struct CommandSpec;

// A snapshot of the process environment (tests pass their own).
using Env = std::map<std::string, std::string, std::less<>>;
Env process_env();

// Makes the API client from the flags and the environment. The real one is make_real_client
// (client_factory.cpp); tests and completion install their own (e.g. with a short timeout).
struct ClientRequest {
  const kube::ConfigFlags& flags;
  const Env& env;
  std::optional<int> timeout_ms;  // per-request budget, no retries (completion); nullopt = flags
  const std::atomic<bool>* cancel_flag = nullptr;  // Ctrl-C aborts requests in flight
  bool stdin_is_terminal = false;                  // exec credential plugins may prompt
};
// The kube::Environment of an Env snapshot.
kube::Environment kube_environment(const Env& env);
using ClientFactory =
    std::function<kube::Result<std::unique_ptr<kube::Client>>(const ClientRequest&)>;
kube::Result<std::unique_ptr<kube::Client>> make_real_client(const ClientRequest& request);

class Context {
 public:
  Context(ui::Terminal& terminal, Env env, const std::atomic<bool>& cancel_flag,
          ClientFactory factory = make_real_client);

  ui::Terminal& term() { return *terminal_; }
  std::ostream& out() { return terminal_->out(); }
  std::ostream& err() { return terminal_->err(); }
  const Env& env() const { return env_; }
  std::optional<std::string> getenv(std::string_view name) const;

  // The standard connection flags as given on the command line (unset = not given).
  kube::ConfigFlags flags;
  // Positional arguments after the command name ("w1" in `kubectl upgrade node w1`).
  std::vector<std::string> args;
  // The command being run (for usage lines in errors).
  const CommandSpec* command = nullptr;
  // argv[0] as the process got it: the path kubectl found on PATH when run as a plugin.
  std::string argv0;

  // The API client, created on first use from `flags`; the same one afterwards. A configuration
  // problem (no kubeconfig, unknown context) comes back as an Error, ready to print.
  kube::Result<kube::Client*> client();
  // Overall per-request budget for the client created by client(), for completion (< 1 s).
  std::optional<int> client_timeout_ms;

  // True once SIGINT or SIGTERM arrived. Long work polls it and stops cleanly.
  bool cancelled() const { return cancel_flag_->load(std::memory_order_relaxed); }
  const std::atomic<bool>& cancel_flag() const { return *cancel_flag_; }

  // Print "error: <message>" (kubectl's wording) on stderr and return kExitError.
  int fail(std::string_view message);
  // Print the error the way kubectl prints it (kube::Error::to_string) and return kExitError.
  int fail(const kube::Error& error);

 private:
  ui::Terminal* terminal_;
  Env env_;
  const std::atomic<bool>* cancel_flag_;
  ClientFactory factory_;
  std::unique_ptr<kube::Client> client_;
};

}  // namespace cli
