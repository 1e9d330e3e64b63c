// Runs one script on one node and returns its exit code and output.
//
// NodeScriptRunner is the seam pkg/upgrade codes against (tests use a recording fake);
// PodScriptRunner is the real one: it creates the node-shell pod (pod_spec.h), follows its log live
// (reopening with sinceTime, no duplicate lines), reads the result from
// containerStatuses[0].state.terminated, and deletes the pod afterwards: on success, on error and
// on a stop request (Ctrl-C). Every API call rides out an API server restart (refused connections,
// resets, 5xx, 429) with bounded backoff until the script's deadline; a pod whose create answer was
// lost is found again by its run label. A 403 from Pod Security admission is returned as the API
// says it, with --shell-namespace as the fix.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "pkg/drain/clock.h"
#include "pkg/kube/client.h"
#include "pkg/nodeshell/pod_spec.h"

namespace nodeshell {

struct NodeScript {
  std::string node;                 // where it runs (pod spec only: never inside the script)
  std::string purpose;              // short label value: "gather-facts", "kubeadm-upgrade", ...
  std::string body;                 // the sh script, rendered from validated values (scripts.h)
  std::chrono::seconds timeout{0};  // activeDeadlineSeconds; 0 = ShellOptions::script_timeout
};

struct ScriptResult {
  std::string pod;  // ns/name of the pod that ran it
  int exit_code = 0;
  std::string reason;   // terminated.reason: "Completed", "Error", "OOMKilled", ...
  std::string message;  // terminated.message: the log tail on failure (FallbackToLogsOnError)
  std::string output;   // every log line we saw, in order, without timestamps
  bool ok() const { return exit_code == 0; }
};

struct ScriptEvents {
  std::function<void(const std::string& pod)> on_created;
  std::function<void(const std::string& line)> on_output;     // each log line, live
  std::function<void(const std::string& status)> on_waiting;  // "pulling image", "API unavailable"
};

class NodeScriptRunner {
 public:
  virtual ~NodeScriptRunner() = default;
  // An Error when the script's result could not be learnt (pod refused, deadline, stop, pod gone);
  // a non-zero exit code is a result, not an Error.
  virtual kube::Result<ScriptResult> run(const NodeScript& script, const ScriptEvents& events,
                                         std::stop_token stop) = 0;
};

class PodScriptRunner final : public NodeScriptRunner {
 public:
  PodScriptRunner(kube::Client& client, ku::Clock& clock, ShellOptions options);
  kube::Result<ScriptResult> run(const NodeScript& script, const ScriptEvents& events,
                                 std::stop_token stop) override;

 private:
  kube::Client& client_;
  ku::Clock& clock_;
  ShellOptions options_;
};

// A fresh random id for the run label (hex).
std::string new_run_id();

}  // namespace nodeshell
