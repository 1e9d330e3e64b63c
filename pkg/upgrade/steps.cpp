// The checks, acts and verifications of steps 1-8 (DESIGN.md section 3).
#include <sstream>

#include "pkg/drain/cordon.h"
#include "pkg/kube/paths.h"
#include "pkg/nodeshell/scripts.h"
#include "pkg/upgrade/procedure_ctx.h"

namespace upgrade {
namespace {

kube::Error step_error(std::string message, std::string hint) {
  return kube::Error::config(std::move(message), std::move(hint));
}

std::string tail(const std::string& text, size_t max_lines = 15) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i)
    out += "\n  | " + lines[i];
  return out;
}

// A script that exited non-zero, as an error that names the node and shows the end of its log.
kube::Error script_failed(const std::string& node, const std::string& what,
                          const nodeshell::ScriptResult& r, std::string hint) {
  std::string msg = what + " on node " + node + " failed (exit code " +
                    std::to_string(r.exit_code) + ", pod " + r.pod + ")";
  msg += tail(r.message.empty() ? r.output : r.message);
  if (r.exit_code == nodeshell::kExitLegacyRepo)
    hint = std::string("move the node to pkgs.k8s.io: ") + nodeshell::kChangeRepoDoc;
  return step_error(msg, std::move(hint));
}

// Merge the ku.* lines of a script's output into the facts we have.
void merge_facts(nodeshell::NodeFacts& f, const std::string& output) {
  auto more = nodeshell::parse_facts(output + "\nku.end=1\n");
  if (!more) return;
  for (auto& [p, v] : more->available) f.available[p] = v;
  if (more->repo_minor) f.repo_minor = more->repo_minor;
  if (!more->kubeadm_version.empty()) f.kubeadm_version = more->kubeadm_version;
  if (!more->kubelet_version.empty()) f.kubelet_version = more->kubelet_version;
  if (!more->kubectl_version.empty()) f.kubectl_version = more->kubectl_version;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

bool node_ready(const kube::json& node) {
  for (const auto& c : node.value("/status/conditions"_json_pointer, kube::json::array()))
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  return false;
}

std::string ready_reason(const kube::json& node) {
  for (const auto& c : node.value("/status/conditions"_json_pointer, kube::json::array()))
    if (c.value("type", "") == "Ready")
      return "Ready=" + c.value("status", "?") +
             (c.contains("reason") ? " (" + c.value("reason", "") + ")" : "");
  return "no Ready condition";
}

std::string kubelet_of(const kube::json& node) {
  return node.value("/status/nodeInfo/kubeletVersion"_json_pointer, std::string());
}

bool same_version(const std::string& text, const kver::Version& v) {
  auto p = kver::parse(text);
  return p && *p == v;
}

}  // namespace

kube::Result<bool> NodeUpgrade::never_done(Ctx&) {
  return false;
}
kube::Result<void> NodeUpgrade::nothing(Ctx&) {
  return {};
}

// 1: facts -------------------------------------------------------------------------------------
kube::Result<void> NodeUpgrade::gather_facts(Ctx& ctx) {
  auto r = run_script(ctx, "gather-facts", nodeshell::gather_facts_script());
  if (!r) return std::unexpected(r.error());
  auto facts = nodeshell::parse_facts(r->output);
  if (!facts)
    return std::unexpected(step_error("reading the facts of node " + options_.node + ": " +
                                          facts.error().message + tail(r->output),
                                      "check that the node-shell image runs nsenter"));
  ctx.facts = std::move(*facts);
  emit(ctx, StepId::kFacts, UpdateKind::kNote,
       std::string(nodeshell::to_string(ctx.facts.package_manager)) + ", repo " +
           (ctx.facts.repo_minor ? ctx.facts.repo_minor->to_string() : "none") + ", kubeadm " +
           ctx.facts.kubeadm_version + ", kubelet " + ctx.facts.kubelet_version);
  return {};
}

kube::Result<void> NodeUpgrade::verify_facts(Ctx& ctx) {
  const auto& f = ctx.facts;
  if (f.repo_legacy)
    return std::unexpected(
        step_error("node " + options_.node +
                       " installs Kubernetes from the legacy apt.kubernetes.io / "
                       "yum.kubernetes.io repository (" +
                       f.repo_file +
                       "), frozen since 2023-09-13 and gone "
                       "since 2024-03-04",
                   std::string("move it to pkgs.k8s.io as in ") + nodeshell::kChangeRepoDoc +
                       ", then run kubectl upgrade again"));
  if (f.package_manager == nodeshell::PackageManager::kUnknown)
    return std::unexpected(step_error("node " + options_.node + " has neither apt-get, dnf nor yum",
                                      "upgrade this node by hand (kubeadm docs)"));
  if (!f.repo_present)
    return std::unexpected(step_error(
        "node " + options_.node + " has no Kubernetes package repository at " + f.repo_file,
        std::string("set up pkgs.k8s.io as in ") + nodeshell::kChangeRepoDoc));
  if (ctx.role == Role::kFirstControlPlane && !f.admin_conf)
    return std::unexpected(
        step_error("node " + options_.node +
                       " has no /etc/kubernetes/admin.conf, which `kubeadm upgrade "
                       "apply` needs",
                   "upgrade first the control-plane node where the cluster was initialised (it has "
                   "admin.conf)"));
  return {};
}

// 2: repo --------------------------------------------------------------------------------------
kube::Result<bool> NodeUpgrade::repo_done(Ctx& ctx) {
  return ctx.facts.repo_minor == options_.target.minor_line() &&
         ctx.facts.offered("kubeadm", options_.target).has_value();
}

kube::Result<void> NodeUpgrade::switch_repo(Ctx& ctx) {
  auto script = nodeshell::switch_repo_script(options_.target);
  if (!script) return std::unexpected(script.error());
  auto r = run_script(ctx, "switch-repo", *script);
  if (!r) return std::unexpected(r.error());
  if (!r->ok())
    return std::unexpected(script_failed(options_.node, "switching the package repository", *r,
                                         "check the repository file and the node's network"));
  merge_facts(ctx.facts, r->output);
  return {};
}

kube::Result<void> NodeUpgrade::verify_repo(Ctx& ctx) {
  for (const char* p : {"kubeadm", "kubelet"}) {
    if (ctx.facts.offered(p, options_.target)) continue;
    auto it = ctx.facts.available.find(p);
    std::string offers = it == ctx.facts.available.end() ? "" : join(it->second, " ");
    return std::unexpected(
        step_error("the package repository of node " + options_.node + " does not offer " + p +
                       " " + kver::package_upstream(options_.target) +
                       " (it offers: " + (offers.empty() ? "nothing" : offers) + ")",
                   "check that " + options_.target.to_string() +
                       " is released and that the repository (or "
                       "its mirror) has it"));
  }
  return {};
}

// 3: kubeadm package ---------------------------------------------------------------------------
kube::Result<bool> NodeUpgrade::kubeadm_package_done(Ctx& ctx) {
  return same_version(ctx.facts.kubeadm_version, options_.target);
}

kube::Result<void> NodeUpgrade::install_kubeadm(Ctx& ctx) {
  auto script = nodeshell::install_packages_script({"kubeadm"}, options_.target);
  if (!script) return std::unexpected(script.error());
  auto r = run_script(ctx, "install-kubeadm", *script);
  if (!r) return std::unexpected(r.error());
  if (!r->ok())
    return std::unexpected(script_failed(options_.node, "installing kubeadm " + ctx.target, *r,
                                         "fix the package manager's error above, then run again"));
  merge_facts(ctx.facts, r->output);
  return {};
}

kube::Result<void> NodeUpgrade::verify_kubeadm_package(Ctx& ctx) {
  if (same_version(ctx.facts.kubeadm_version, options_.target)) return {};
  return std::unexpected(step_error("`kubeadm version -o short` on node " + options_.node +
                                        " says " + ctx.facts.kubeadm_version + ", not " +
                                        ctx.target,
                                    "check the node's kubeadm binary (PATH, package)"));
}

// 4: kubeadm upgrade ---------------------------------------------------------------------------
kube::Result<bool> NodeUpgrade::kubeadm_upgrade_done(Ctx& ctx) {
  if (ctx.role == Role::kWorker) return false;  // nothing the cluster shows; it is idempotent
  auto view = read_view(client_);
  if (!view) return std::unexpected(view.error());
  bool here = view->components_not_at(options_.node, options_.target).empty();
  if (ctx.role == Role::kControlPlane) return here;
  return here && view->cluster_version == options_.target;
}

kube::Result<void> NodeUpgrade::kubeadm_upgrade(Ctx& ctx) {
  bool first = ctx.role == Role::kFirstControlPlane;
  auto script = nodeshell::kubeadm_upgrade_script(first, options_.target);
  if (!script) return std::unexpected(script.error());
  auto r = run_script(ctx, first ? "kubeadm-apply" : "kubeadm-node", *script);
  if (!r) return std::unexpected(r.error());
  if (!r->ok())
    return std::unexpected(script_failed(
        options_.node, first ? "kubeadm upgrade apply " + ctx.target : "kubeadm upgrade node", *r,
        "read kubeadm's message above (it rolls back a component that fails), fix the cause, "
        "then run again"));
  return {};
}

kube::Result<void> NodeUpgrade::verify_kubeadm_upgrade(Ctx& ctx) {
  if (ctx.role == Role::kWorker) return {};
  bool first = ctx.role == Role::kFirstControlPlane;
  return wait_until(
      ctx, "the control plane on " + options_.node + " at " + ctx.target, options_.verify_timeout,
      [&]() -> kube::Result<std::optional<std::string>> {
        auto view = read_view(client_);
        if (!view) return std::unexpected(view.error());
        auto behind = view->components_not_at(options_.node, options_.target);
        if (!behind.empty()) return std::optional<std::string>(join(behind));
        if (!first) return std::optional<std::string>{};
        if (view->cluster_version != options_.target)
          return std::optional<std::string>(
              "kubeadm-config says " + (view->cluster_version ? view->cluster_version->to_string()
                                                              : std::string("nothing")));
        // /version: this node's API server, or (HA) another instance still on the old version.
        bool ok = view->api_server == options_.target;
        for (const auto& [n, v] : view->api_servers())
          ok = ok || (n != options_.node && view->api_server == v);
        if (!ok)
          return std::optional<std::string>(
              "/version says " + (view->api_server ? view->api_server->to_string() : "?"));
        return std::optional<std::string>{};
      });
}

// 5: drain -------------------------------------------------------------------------------------
kube::Result<bool> NodeUpgrade::drain_done(Ctx& ctx) {
  auto node = get_node(ctx);
  if (!node) return std::unexpected(node.error());
  // The kubelet already runs the target: draining now would only disturb workloads.
  return same_version(kubelet_of(*node), options_.target) && node_ready(*node);
}

namespace {
class DrainProgress : public drain::Observer {
 public:
  explicit DrainProgress(std::function<void(UpdateKind, const std::string&)> emit)
      : emit_(std::move(emit)) {}
  void on_cordon(const std::string& node, bool changed) override {
    emit_(UpdateKind::kNote, changed ? "cordoned " + node : node + " was already cordoned");
  }
  void on_progress(const drain::Progress& p) override {
    std::string s = "evicted " + std::to_string(p.gone) + "/" + std::to_string(p.total);
    if (!p.pending.empty())
      s += "; waiting for " + p.pending[0].pod.key() + ": " + p.pending[0].why;
    if (p.pending.size() > 1) s += " (+" + std::to_string(p.pending.size() - 1) + " more)";
    if (s != last_) emit_(UpdateKind::kWaiting, last_ = s);
  }
  void on_uncordon(const std::string& node) override {
    emit_(UpdateKind::kNote, "uncordoned " + node + " again (as it was before the drain)");
  }

 private:
  std::function<void(UpdateKind, const std::string&)> emit_;
  std::string last_;
};
}  // namespace

kube::Result<void> NodeUpgrade::drain_node(Ctx& ctx) {
  drain::Options o = options_.drain;
  o.cordon_annotations = {{kCordonedKey, "true"}};
  DrainProgress observer(
      [&](UpdateKind k, const std::string& m) { emit(ctx, StepId::kDrain, k, m); });
  drain::Drainer d(client_, clock_, o, &observer);
  auto report = d.drain({.node = options_.node, .cordoned_by_us = ctx.cordoned_by_us}, ctx.stop);
  if (!report) return std::unexpected(report.error().wrap("draining node " + options_.node));
  ctx.cordoned_by_us = report->cordoned_by_us && !report->restored;
  ctx.pods_evicted += report->evicted;
  for (const auto& w : report->warnings) emit(ctx, StepId::kDrain, UpdateKind::kNote, w);
  if (report->ok()) return {};
  std::string text = report->explain();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (report->outcome == drain::Outcome::kCancelled)
    return std::unexpected(kube::Error::cancelled(text));
  std::string hint = "run the same command again to resume at the drain";
  if (report->outcome == drain::Outcome::kTimedOut)
    hint = "once what blocks the eviction is fixed, " + hint + " (--drain-timeout to wait longer)";
  return std::unexpected(step_error(text, hint));
}

// 6: kubelet + kubectl packages ----------------------------------------------------------------
kube::Result<bool> NodeUpgrade::kubelet_package_done(Ctx& ctx) {
  bool kubectl_ok = ctx.facts.installed_version("kubectl") == std::nullopt ||
                    same_version(ctx.facts.kubectl_version, options_.target);
  return same_version(ctx.facts.kubelet_version, options_.target) && kubectl_ok;
}

kube::Result<void> NodeUpgrade::install_kubelet(Ctx& ctx) {
  std::vector<std::string> pkgs = {"kubelet"};
  // kubectl only where it is installed: a worker without it stays without it.
  if (ctx.facts.installed_version("kubectl") || !ctx.facts.kubectl_version.empty())
    pkgs.push_back("kubectl");
  auto script = nodeshell::install_packages_script(pkgs, options_.target);
  if (!script) return std::unexpected(script.error());
  auto r = run_script(ctx, "install-kubelet", *script);
  if (!r) return std::unexpected(r.error());
  if (!r->ok())
    return std::unexpected(script_failed(options_.node,
                                         "installing " + join(pkgs, " and ") + " " + ctx.target, *r,
                                         "fix the package manager's error above, then run again"));
  merge_facts(ctx.facts, r->output);
  return {};
}

kube::Result<void> NodeUpgrade::verify_kubelet_package(Ctx& ctx) {
  if (same_version(ctx.facts.kubelet_version, options_.target)) return {};
  return std::unexpected(step_error("`kubelet --version` on node " + options_.node + " says " +
                                        ctx.facts.kubelet_version + ", not " + ctx.target,
                                    "check the node's kubelet binary and package"));
}

// 7: restart the kubelet -----------------------------------------------------------------------
kube::Result<bool> NodeUpgrade::kubelet_restart_done(Ctx& ctx) {
  auto node = get_node(ctx);
  if (!node) return std::unexpected(node.error());
  return same_version(kubelet_of(*node), options_.target) && node_ready(*node);
}

kube::Result<void> NodeUpgrade::restart_kubelet(Ctx& ctx) {
  auto r = run_script(ctx, "restart-kubelet", nodeshell::restart_kubelet_script());
  // The restarted kubelet may end the very pod that restarted it: the Node is the judge.
  if (!r)
    emit(ctx, StepId::kKubeletRestart, UpdateKind::kNote,
         "the restart pod ended without a result (" + r.error().message + "); checking the Node");
  else if (!r->ok())
    return std::unexpected(script_failed(options_.node, "restarting the kubelet", *r,
                                         "look at `journalctl -u kubelet` on the node"));
  return {};
}

kube::Result<void> NodeUpgrade::verify_kubelet_restart(Ctx& ctx) {
  auto waited =
      wait_until(ctx, "the kubelet on " + options_.node + " to report " + ctx.target + " and Ready",
                 options_.kubelet_ready_timeout, [&]() -> kube::Result<std::optional<std::string>> {
                   auto node = client_.get(kube::paths::node(options_.node));
                   if (!node) return std::unexpected(node.error());
                   if (same_version(kubelet_of(*node), options_.target) && node_ready(*node))
                     return std::optional<std::string>{};
                   return std::optional<std::string>("kubelet " + kubelet_of(*node) + ", " +
                                                     ready_reason(*node));
                 });
  if (!waited && waited.error().kind != kube::ErrorKind::kCancelled) {
    kube::Error e = waited.error();
    e.hint =
        "the kubelet did not come back: look at `systemctl status kubelet` and `journalctl -u "
        "kubelet` on the node, fix it, then run again (the node stays cordoned meanwhile)";
    return std::unexpected(e);
  }
  return waited;
}

// 8: uncordon ----------------------------------------------------------------------------------
kube::Result<bool> NodeUpgrade::uncordon_done(Ctx& ctx) {
  auto node = get_node(ctx);
  if (!node) return std::unexpected(node.error());
  if (!node->value("/spec/unschedulable"_json_pointer, false)) return true;
  if (!ctx.cordoned_by_us && !read_record(*node).cordoned_by_us) {
    ctx.admin_cordoned = true;
    ctx.notes.push_back("node " + options_.node +
                        " was cordoned before kubectl upgrade started, so it stays cordoned "
                        "(kubectl uncordon " +
                        options_.node + " when you are ready)");
    emit(ctx, StepId::kUncordon, UpdateKind::kNote, ctx.notes.back());
    return true;
  }
  return false;
}

kube::Result<void> NodeUpgrade::uncordon(Ctx&) {
  return drain::uncordon(client_, options_.node, {kCordonedKey});
}

kube::Result<void> NodeUpgrade::verify_uncordon(Ctx& ctx) {
  auto node = get_node(ctx);
  if (!node) return std::unexpected(node.error());
  if (node->value("/spec/unschedulable"_json_pointer, false))
    return std::unexpected(step_error("node " + options_.node + " is still cordoned after uncordon",
                                      "kubectl uncordon " + options_.node));
  ctx.cordoned_by_us = false;
  return {};
}

}  // namespace upgrade
