#include "pkg/upgrade/procedure.h"

#include "pkg/kube/paths.h"
#include "pkg/nodeshell/facts.h"
#include "pkg/upgrade/procedure_ctx.h"
#include "pkg/upgrade/timefmt.h"

namespace upgrade {

bool transient(const kube::Error& e) {
  if (e.kind == kube::ErrorKind::kTransport) return true;
  int c = e.code();
  return c == 429 || c >= 500;
}

const char* to_string(NodeOutcome o) {
  switch (o) {
    case NodeOutcome::kUpgraded:
      return "upgraded";
    case NodeOutcome::kAlreadyDone:
      return "already at target";
    case NodeOutcome::kRefused:
      return "refused";
    case NodeOutcome::kFailed:
      return "failed";
    case NodeOutcome::kCancelled:
      return "stopped";
  }
  return "?";
}

NodeUpgrade::NodeUpgrade(kube::Client& client, nodeshell::NodeScriptRunner& runner,
                         ku::Clock& clock, EventRecorder& events, NodeUpgradeOptions options,
                         ProgressSink progress)
    : client_(client),
      runner_(runner),
      clock_(clock),
      events_(events),
      options_(std::move(options)),
      progress_(std::move(progress)) {}

const std::vector<NodeUpgrade::StepDef>& NodeUpgrade::steps() {
  using U = NodeUpgrade;
  static const std::vector<StepDef> list = {
      {StepId::kFacts, &U::never_done, &U::gather_facts, &U::verify_facts},
      {StepId::kRepo, &U::repo_done, &U::switch_repo, &U::verify_repo},
      {StepId::kKubeadmPackage, &U::kubeadm_package_done, &U::install_kubeadm,
       &U::verify_kubeadm_package},
      {StepId::kKubeadmUpgrade, &U::kubeadm_upgrade_done, &U::kubeadm_upgrade,
       &U::verify_kubeadm_upgrade},
      {StepId::kDrain, &U::drain_done, &U::drain_node, &U::nothing},
      {StepId::kKubeletPackage, &U::kubelet_package_done, &U::install_kubelet,
       &U::verify_kubelet_package},
      {StepId::kKubeletRestart, &U::kubelet_restart_done, &U::restart_kubelet,
       &U::verify_kubelet_restart},
      {StepId::kUncordon, &U::uncordon_done, &U::uncordon, &U::verify_uncordon},
  };
  return list;
}

void NodeUpgrade::emit(Ctx& ctx, StepId step, UpdateKind kind, const std::string& message) {
  if (!progress_) return;
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - ctx.started);
  progress_(StepUpdate{options_.node, step, kind, message, elapsed});
}

void NodeUpgrade::event(Ctx& ctx, const std::string& type, const std::string& reason,
                        const std::string& msg) {
  if (auto e = events_.node_event(options_.node, type, reason, msg); !e)
    emit(ctx, ctx.current, UpdateKind::kNote, "could not record an Event: " + e.error().message);
}

kube::Result<kube::json> NodeUpgrade::get_node(Ctx& ctx) {
  auto until = clock_.now() + options_.record_timeout;
  for (;;) {
    auto got = client_.get(kube::paths::node(options_.node));
    if (got || !transient(got.error()) || clock_.now() >= until || ctx.stop.stop_requested())
      return got ? got : std::unexpected(got.error().wrap("reading node " + options_.node));
    emit(ctx, ctx.current, UpdateKind::kWaiting, "API unavailable (" + got.error().message + ")");
    clock_.sleep_for(options_.poll_interval, ctx.stop);
  }
}

kube::Result<void> NodeUpgrade::write_record(Ctx& ctx,
                                             const std::map<std::string, kube::json>& values) {
  kube::json patch;
  for (const auto& [k, v] : values) patch["metadata"]["annotations"][k] = v;
  patch["metadata"]["annotations"][kUpdatedKey] = rfc3339(clock_.wall());
  auto until = clock_.now() + options_.record_timeout;
  for (;;) {
    auto r = client_.patch(kube::paths::node(options_.node), kube::PatchType::kMerge, patch);
    if (r) return {};
    if (!transient(r.error()) || clock_.now() >= until)
      return std::unexpected(r.error().wrap("recording progress on node " + options_.node));
    emit(ctx, ctx.current, UpdateKind::kWaiting, "API unavailable (" + r.error().message + ")");
    clock_.sleep_for(options_.poll_interval);
  }
}

kube::Result<void> NodeUpgrade::wait_until(
    Ctx& ctx, const std::string& what, std::chrono::seconds timeout,
    const std::function<kube::Result<std::optional<std::string>>()>& probe) {
  auto until = clock_.now() + timeout;
  std::string last;
  for (;;) {
    if (ctx.stop.stop_requested())
      return std::unexpected(kube::Error::cancelled("stopped while waiting for " + what));
    auto r = probe();
    if (r && !*r) return {};
    std::string why = r ? **r : "API unavailable (" + r.error().message + ")";
    if (!r && !transient(r.error())) return std::unexpected(r.error().wrap("waiting for " + what));
    if (why != last)
      emit(ctx, ctx.current, UpdateKind::kWaiting, "waiting for " + what + ": " + why);
    last = why;
    if (clock_.now() >= until)
      return std::unexpected(kube::Error::transport("timed out after " + human_duration(timeout) +
                                                    " waiting for " + what + ": " + why));
    clock_.sleep_for(options_.poll_interval, ctx.stop);
  }
}

kube::Result<nodeshell::ScriptResult> NodeUpgrade::run_script(Ctx& ctx, const std::string& purpose,
                                                              const std::string& body) {
  nodeshell::ScriptEvents ev{
      .on_created =
          [&](const std::string& pod) {
            emit(ctx, ctx.current, UpdateKind::kNote, "running " + purpose + " in pod " + pod);
          },
      .on_output =
          [&](const std::string& line) {
            // Fact lines are summarised by the step itself (e.g. "facts: apt, repo v1.35").
            if (!nodeshell::is_fact_line(line)) emit(ctx, ctx.current, UpdateKind::kOutput, line);
          },
      .on_waiting = [&](const std::string& w) { emit(ctx, ctx.current, UpdateKind::kWaiting, w); },
  };
  return runner_.run({options_.node, purpose, body, options_.script_timeout}, ev, ctx.stop);
}

kube::Result<void> NodeUpgrade::reap_leftovers(Ctx& ctx) {
  kube::ListOptions lo{.label_selector =
                           "app.kubernetes.io/managed-by=kubectl-upgrade,"
                           "app.kubernetes.io/component=node-shell",
                       .field_selector = "spec.nodeName=" + options_.node};
  std::vector<std::string> names;
  auto listed =
      client_.list(kube::paths::pods(options_.shell_namespace), lo, [&](const kube::json& p) {
        names.push_back(p.value("/metadata/name"_json_pointer, std::string()));
        return true;
      });
  if (!listed)
    return std::unexpected(listed.error().wrap("looking for node-shell pods left behind"));
  for (const auto& name : names) {
    const std::string path = kube::paths::pod(options_.shell_namespace, name);
    auto waited =
        wait_until(ctx,
                   "node-shell pod " + options_.shell_namespace + "/" + name +
                       " left by an earlier run to finish",
                   options_.verify_timeout, [&]() -> kube::Result<std::optional<std::string>> {
                     auto pod = client_.get(path);
                     if (!pod && pod.error().not_found()) return std::optional<std::string>{};
                     if (!pod) return std::unexpected(pod.error());
                     std::string phase = pod->value("/status/phase"_json_pointer, std::string());
                     if (phase == "Succeeded" || phase == "Failed")
                       return std::optional<std::string>{};
                     return std::optional<std::string>("it is " + phase);
                   });
    if (!waited) return waited;
    auto gone = client_.remove(path);
    if (!gone && !gone.error().not_found())
      return std::unexpected(gone.error().wrap("deleting node-shell pod " + name + " left behind"));
    emit(ctx, StepId::kPreflight, UpdateKind::kNote,
         "deleted node-shell pod " + options_.shell_namespace + "/" + name +
             " left by an earlier run");
  }
  return {};
}

NodeResult NodeUpgrade::finish(Ctx& ctx, NodeOutcome outcome, StepId step, const kube::Error* e) {
  NodeResult r;
  r.node = options_.node;
  r.outcome = outcome;
  r.from = ctx.from;
  r.to = ctx.target;
  r.step = step;
  r.pods_evicted = ctx.pods_evicted;
  r.notes = ctx.notes;
  r.resume_flags = options_.resume_flags;
  r.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - ctx.started);
  if (e) {
    r.error = e->message;
    r.hint = e->hint;
  }
  return r;
}

NodeResult NodeUpgrade::run(std::stop_token stop) {
  Ctx ctx;
  ctx.stop = stop;
  ctx.started = clock_.now();
  ctx.target = options_.target.to_string();
  emit(ctx, StepId::kPreflight, UpdateKind::kStarted, "pre-flight checks");

  auto view = read_view(client_);
  if (!view) return finish(ctx, NodeOutcome::kFailed, StepId::kPreflight, &view.error());
  auto node = get_node(ctx);
  if (!node) return finish(ctx, NodeOutcome::kFailed, StepId::kPreflight, &node.error());
  ctx.record = read_record(*node);
  ctx.cordoned_by_us = ctx.record.cordoned_by_us;
  const cluster::NodeInfo* info = view->node(options_.node);
  ctx.from = info ? info->kubelet_version_text : "";
  if (ctx.record.target == ctx.target && !ctx.record.from.empty()) ctx.from = ctx.record.from;

  PreflightVerdict verdict = preflight(*view, options_.node, options_.target, ctx.record);
  for (const auto& n : verdict.notes) emit(ctx, StepId::kPreflight, UpdateKind::kNote, n);
  if (verdict.already_done) {
    emit(ctx, StepId::kDone, UpdateKind::kSkipped, "already at " + ctx.target);
    return finish(ctx, NodeOutcome::kAlreadyDone, StepId::kDone, nullptr);
  }
  if (!verdict.ok()) {
    std::string why;
    for (const auto& r : verdict.refusals) why += (why.empty() ? "" : "; ") + r;
    kube::Error e = kube::Error::config("pre-flight refused to upgrade node " + options_.node +
                                        " to " + ctx.target + ": " + why);
    emit(ctx, StepId::kPreflight, UpdateKind::kFailed, e.message);
    return finish(ctx, NodeOutcome::kRefused, StepId::kPreflight, &e);
  }
  ctx.role = verdict.role;
  ctx.resume_from = ctx.record.resume_from(ctx.target);

  std::map<std::string, kube::json> start = {{kTargetKey, ctx.target},
                                             {kRoleKey, role_name(ctx.role)},
                                             {kStepKey, step_label(StepId::kPreflight)},
                                             {kStateKey, "done"},
                                             {kLastErrorKey, nullptr}};
  start[kFlagsKey] =
      options_.resume_flags.empty() ? kube::json(nullptr) : kube::json(options_.resume_flags);
  if (ctx.record.target != ctx.target) {
    start[kFromKey] = ctx.from;
    start[kStartedKey] = rfc3339(clock_.wall());
  }
  if (auto reaped = reap_leftovers(ctx); !reaped)
    return finish(ctx, NodeOutcome::kFailed, StepId::kPreflight, &reaped.error());
  if (auto w = write_record(ctx, start); !w)
    return finish(ctx, NodeOutcome::kFailed, StepId::kPreflight, &w.error());
  event(ctx, "Normal", "UpgradeStarted",
        "kubectl-upgrade: upgrading " + std::string(role_name(ctx.role)) + " node " +
            options_.node + " from " + ctx.from + " to " + ctx.target +
            (ctx.resume_from > 1
                 ? " (resuming at step " + step_label(static_cast<StepId>(ctx.resume_from)) + ")"
                 : ""));
  emit(ctx, StepId::kPreflight, UpdateKind::kSucceeded,
       std::string("role ") + role_name(ctx.role) + ", " + ctx.from + " -> " + ctx.target);

  for (const StepDef& s : steps()) {
    ctx.current = s.id;
    if (stop.stop_requested()) {
      kube::Error e = kube::Error::cancelled("stopped before step " + step_label(s.id));
      (void)write_record(
          ctx, {{kStepKey, step_label(s.id)}, {kStateKey, "stopped"}, {kLastErrorKey, e.message}});
      return finish(ctx, NodeOutcome::kCancelled, s.id, &e);
    }
    bool earlier = static_cast<int>(s.id) < ctx.resume_from && s.id != StepId::kFacts;
    if (earlier) {
      emit(ctx, s.id, UpdateKind::kSkipped, "done in an earlier run");
      continue;
    }
    auto done = (this->*s.done)(ctx);
    if (done && *done) {
      emit(ctx, s.id, UpdateKind::kSkipped, "already done");
      continue;
    }
    kube::Result<void> r = done ? kube::Result<void>{} : std::unexpected(done.error());
    if (r) {
      emit(ctx, s.id, UpdateKind::kStarted, step_name(s.id));
      r = write_record(ctx, {{kStepKey, step_label(s.id)}, {kStateKey, "running"}});
    }
    if (r) event(ctx, "Normal", "UpgradeStepStarted", "step " + step_label(s.id) + " started");
    if (r) r = (this->*s.act)(ctx);
    if (r) r = (this->*s.verify)(ctx);
    if (!r) {
      bool cancelled = r.error().kind == kube::ErrorKind::kCancelled;
      (void)write_record(ctx, {{kStepKey, step_label(s.id)},
                               {kStateKey, cancelled ? "stopped" : "failed"},
                               {kLastErrorKey, r.error().message.substr(0, 2000)}});
      if (!cancelled)
        event(ctx, "Warning", "UpgradeStepFailed",
              "step " + step_label(s.id) + " failed: " + r.error().message);
      emit(ctx, s.id, UpdateKind::kFailed, r.error().message);
      return finish(ctx, cancelled ? NodeOutcome::kCancelled : NodeOutcome::kFailed, s.id,
                    &r.error());
    }
    (void)write_record(ctx, {{kStepKey, step_label(s.id)}, {kStateKey, "done"}});
    event(ctx, "Normal", "UpgradeStepSucceeded", "step " + step_label(s.id) + " succeeded");
    emit(ctx, s.id, UpdateKind::kSucceeded, step_name(s.id));
  }
  ctx.current = StepId::kDone;
  if (auto w = write_record(ctx, {{kStepKey, step_label(StepId::kDone)}, {kStateKey, "done"}}); !w)
    return finish(ctx, NodeOutcome::kFailed, StepId::kDone, &w.error());
  event(ctx, "Normal", "UpgradeSucceeded",
        "kubectl-upgrade: node " + options_.node + " upgraded from " + ctx.from + " to " +
            ctx.target + ", verified Ready");
  emit(ctx, StepId::kDone, UpdateKind::kSucceeded,
       "node " + options_.node + " is at " + ctx.target);
  return finish(ctx, NodeOutcome::kUpgraded, StepId::kDone, nullptr);
}

}  // namespace upgrade
