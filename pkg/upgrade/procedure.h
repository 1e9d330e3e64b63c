// The kubeadm upgrade of one node as data: steps 0-9 of DESIGN.md section 3, each with a check
// (already done? skip), an act, and a verification from the cluster's side. Progress is recorded
// on the Node (record.h) and as Events (events.h), so a re-run resumes where it stopped.
//
// The caller holds the cluster lock (lease.h). Everything with a side effect is behind an
// interface: kube::Client, nodeshell::NodeScriptRunner, ku::Clock, EventRecorder; unit tests use
// FakeClient and a recording runner.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "pkg/drain/drain.h"
#include "pkg/nodeshell/facts.h"
#include "pkg/nodeshell/runner.h"
#include "pkg/upgrade/cluster_view.h"
#include "pkg/upgrade/events.h"
#include "pkg/upgrade/preflight.h"
#include "pkg/upgrade/record.h"

namespace upgrade {

struct NodeUpgradeOptions {
  std::string node;
  kver::Version target;
  drain::Options drain;                    // cordon_annotations are set by the procedure
  std::chrono::seconds script_timeout{0};  // per node script; 0 = nodeshell's default (20 min)
  // Cluster-side verification after `kubeadm upgrade` (mirror pods, /version, kubeadm-config):
  // kubeadm itself waits for the static pods, so this only covers the API's catching up.
  std::chrono::seconds verify_timeout{5 * 60};
  // The kubelet's restart until the Node reports the target and Ready.
  std::chrono::seconds kubelet_ready_timeout{5 * 60};
  // Writing the record rides out an API outage this long before the step fails.
  std::chrono::seconds record_timeout{5 * 60};
  std::chrono::milliseconds poll_interval{2000};
  // Where the node-shell pods run: pods of ours left there by a killed run are reaped first.
  std::string shell_namespace = "kube-system";
  // The flags a resume must repeat (run_config's repeated_flags): kept in the record, shown in
  // every "to resume" line.
  std::string resume_flags;
};

enum class UpdateKind { kStarted, kSkipped, kSucceeded, kFailed, kWaiting, kOutput, kNote };

struct StepUpdate {
  std::string node;
  StepId step = StepId::kPreflight;
  UpdateKind kind = UpdateKind::kNote;
  std::string message;
  std::chrono::milliseconds elapsed{0};  // since the node's run started
};

// Called from the thread running the node (one per node in a batch): must be thread-safe.
using ProgressSink = std::function<void(const StepUpdate&)>;

enum class NodeOutcome { kUpgraded, kAlreadyDone, kRefused, kFailed, kCancelled };
const char* to_string(NodeOutcome o);

struct NodeResult {
  std::string node;
  NodeOutcome outcome = NodeOutcome::kFailed;
  std::string from;  // kubelet version when it started
  std::string to;
  StepId step = StepId::kPreflight;  // where it stopped (failed/cancelled/refused)
  std::string error;                 // what failed, on which object
  std::string hint;                  // what to do next
  std::vector<std::string> notes;    // e.g. "left cordoned: it was cordoned before we started"
  std::string resume_flags;          // repeated by the resume command
  int pods_evicted = 0;
  std::chrono::milliseconds duration{0};
  bool ok() const {
    return outcome == NodeOutcome::kUpgraded || outcome == NodeOutcome::kAlreadyDone;
  }
};

// One step as --dry-run shows it.
struct PlannedStep {
  StepId step;
  std::string action;  // what would be done
  std::string script;  // the node script, if the step runs one
};

class NodeUpgrade {
 public:
  NodeUpgrade(kube::Client& client, nodeshell::NodeScriptRunner& runner, ku::Clock& clock,
              EventRecorder& events, NodeUpgradeOptions options, ProgressSink progress = nullptr);

  NodeResult run(std::stop_token stop = {});
  // Read-only: the pre-flight verdict and every step with its script. Changes nothing.
  kube::Result<std::pair<PreflightVerdict, std::vector<PlannedStep>>> dry_run();

 private:
  struct Ctx;
  struct StepDef {
    StepId id;
    kube::Result<bool> (NodeUpgrade::*done)(Ctx&);
    kube::Result<void> (NodeUpgrade::*act)(Ctx&);
    kube::Result<void> (NodeUpgrade::*verify)(Ctx&);
  };
  static const std::vector<StepDef>& steps();

  // steps.cpp
  kube::Result<bool> never_done(Ctx&);
  kube::Result<void> nothing(Ctx&);
  kube::Result<void> gather_facts(Ctx&);
  kube::Result<void> verify_facts(Ctx&);
  kube::Result<bool> repo_done(Ctx&);
  kube::Result<void> switch_repo(Ctx&);
  kube::Result<void> verify_repo(Ctx&);
  kube::Result<bool> kubeadm_package_done(Ctx&);
  kube::Result<void> install_kubeadm(Ctx&);
  kube::Result<void> verify_kubeadm_package(Ctx&);
  kube::Result<bool> kubeadm_upgrade_done(Ctx&);
  kube::Result<void> kubeadm_upgrade(Ctx&);
  kube::Result<void> verify_kubeadm_upgrade(Ctx&);
  kube::Result<bool> drain_done(Ctx&);
  kube::Result<void> drain_node(Ctx&);
  kube::Result<bool> kubelet_package_done(Ctx&);
  kube::Result<void> install_kubelet(Ctx&);
  kube::Result<void> verify_kubelet_package(Ctx&);
  kube::Result<bool> kubelet_restart_done(Ctx&);
  kube::Result<void> restart_kubelet(Ctx&);
  kube::Result<void> verify_kubelet_restart(Ctx&);
  kube::Result<bool> uncordon_done(Ctx&);
  kube::Result<void> uncordon(Ctx&);
  kube::Result<void> verify_uncordon(Ctx&);

  // procedure.cpp
  kube::Result<nodeshell::ScriptResult> run_script(Ctx& ctx, const std::string& purpose,
                                                   const std::string& body);
  kube::Result<void> write_record(Ctx& ctx, const std::map<std::string, kube::json>& values);
  // Polls `probe` (nullopt = satisfied, else why not yet) until `timeout`, riding out outages.
  kube::Result<void> wait_until(
      Ctx& ctx, const std::string& what, std::chrono::seconds timeout,
      const std::function<kube::Result<std::optional<std::string>>()>& probe);
  kube::Result<kube::json> get_node(Ctx& ctx);
  // Node-shell pods on this node left by an earlier run that was killed: waits for a running one
  // to finish (its script may be installing packages), then deletes them.
  kube::Result<void> reap_leftovers(Ctx& ctx);
  void emit(Ctx& ctx, StepId step, UpdateKind kind, const std::string& message);
  void event(Ctx& ctx, const std::string& type, const std::string& reason, const std::string& msg);
  NodeResult finish(Ctx& ctx, NodeOutcome outcome, StepId step, const kube::Error* error);

  kube::Client& client_;
  nodeshell::NodeScriptRunner& runner_;
  ku::Clock& clock_;
  EventRecorder& events_;
  NodeUpgradeOptions options_;
  ProgressSink progress_;
};

}  // namespace upgrade
