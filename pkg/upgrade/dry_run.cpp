// --dry-run: the pre-flight verdict and every step with its script, from GETs and LISTs only.
#include "pkg/kube/paths.h"
#include "pkg/nodeshell/scripts.h"
#include "pkg/upgrade/procedure.h"

namespace upgrade {

kube::Result<std::pair<PreflightVerdict, std::vector<PlannedStep>>> NodeUpgrade::dry_run() {
  auto view = read_view(client_);
  if (!view) return std::unexpected(view.error());
  auto node = client_.get(kube::paths::node(options_.node));
  if (!node) return std::unexpected(node.error().wrap("reading node " + options_.node));
  NodeRecord record = read_record(*node);
  PreflightVerdict verdict = preflight(*view, options_.node, options_.target, record);
  const auto& t = options_.target;
  const std::string ts = t.to_string();
  bool first = verdict.role == Role::kFirstControlPlane;
  std::vector<PlannedStep> steps;
  auto add = [&](StepId id, std::string action, kube::Result<std::string> script) {
    steps.push_back({id, std::move(action), script ? *script : "# " + script.error().message});
  };
  add(StepId::kPreflight,
      "take the Lease kube-system/kubectl-upgrade, check order and skew, record the target in "
      "annotations upgrade.kubectl-upgrade.dev/* on node " +
          options_.node,
      std::string());
  add(StepId::kFacts, "read the node's OS, package manager, repository and versions (read-only)",
      nodeshell::gather_facts_script());
  add(StepId::kRepo, "point the pkgs.k8s.io repository at " + t.minor_line().to_string(),
      nodeshell::switch_repo_script(t));
  add(StepId::kKubeadmPackage, "install kubeadm " + ts + " (unhold, install, hold)",
      nodeshell::install_packages_script({"kubeadm"}, t));
  add(StepId::kKubeadmUpgrade,
      first ? "kubeadm upgrade plan + apply " + ts + " (the API server restarts)"
            : "kubeadm upgrade node",
      nodeshell::kubeadm_upgrade_script(first, t));
  std::string drain_action = "cordon " + options_.node + " and evict its pods";
  drain::Drainer d(client_, clock_, options_.drain);
  if (auto p = d.preview(options_.node)) {
    drain_action += ": " + std::to_string(p->to_evict().size()) + " pod(s) to evict";
    for (const auto& pod : p->to_evict()) drain_action += "\n    " + pod.key();
    for (const auto& e : p->errors()) drain_action += "\n    error: " + e;
    for (const auto& w : p->warnings()) drain_action += "\n    warning: " + w;
  }
  add(StepId::kDrain, drain_action, std::string());
  add(StepId::kKubeletPackage, "install kubelet and kubectl " + ts + " (unhold, install, hold)",
      nodeshell::install_packages_script({"kubelet", "kubectl"}, t));
  add(StepId::kKubeletRestart,
      "restart the kubelet; wait until the Node reports " + ts + " and Ready",
      nodeshell::restart_kubelet_script());
  bool admin = node->value("/spec/unschedulable"_json_pointer, false) && !record.cordoned_by_us;
  add(StepId::kUncordon,
      admin ? "leave " + options_.node + " cordoned (it was cordoned before)"
            : "uncordon " + options_.node,
      std::string());
  add(StepId::kDone, "record done, post an Event, release the Lease", std::string());
  return std::pair{verdict, steps};
}

}  // namespace upgrade
