#include "cmd/kubectl-upgrade/plan_facts.h"

#include "pkg/drain/clock.h"
#include "pkg/nodeshell/runner.h"
#include "pkg/nodeshell/scripts.h"

namespace cli {

cluster::NodeFacts to_plan_facts(const std::string& node, const nodeshell::NodeFacts& f) {
  cluster::NodeFacts out;
  out.node = node;
  out.gathered = f.complete;
  if (!f.complete) out.error = "the facts script did not finish";
  out.os_id = f.os_id;
  out.os_version = f.os_version_id;
  out.package_manager = nodeshell::to_string(f.package_manager);
  out.repo_file = f.repo_present ? f.repo_file : "";
  out.repo_url = f.repo_line;
  out.repo_minor = f.repo_minor;
  out.legacy_repo = f.repo_legacy;
  out.held.assign(f.held.begin(), f.held.end());
  for (const auto& [package, version] : f.installed)
    if (!version.empty()) out.installed[package] = version;
  if (auto it = f.available.find("kubeadm"); it != f.available.end()) out.offered = it->second;
  out.has_admin_conf = f.admin_conf;
  return out;
}

std::map<std::string, cluster::NodeFacts> gather_node_facts(
    kube::Client& client, const cluster::Inventory& inventory,
    const nodeshell::ShellOptions& options, const std::function<void(std::string_view)>& progress,
    const std::function<bool()>& cancelled) {
  static ku::SystemClock clock;
  nodeshell::PodScriptRunner runner(client, clock, options);
  std::map<std::string, cluster::NodeFacts> out;
  for (const auto& node : inventory.nodes) {
    if (cancelled()) break;
    if (progress) progress(node.name);
    cluster::NodeFacts facts{.node = node.name};
    auto result = runner.run(
        {node.name, "gather-facts", nodeshell::gather_facts_script(), std::chrono::seconds(120)},
        {}, std::stop_token());
    if (!result) {
      facts.error = result.error().to_string();
    } else if (!result->ok()) {
      facts.error =
          "the facts script exited " + std::to_string(result->exit_code) + ": " + result->message;
    } else if (auto parsed = nodeshell::parse_facts(result->output); !parsed) {
      facts.error = parsed.error().to_string();
    } else {
      facts = to_plan_facts(node.name, *parsed);
    }
    out[node.name] = std::move(facts);
  }
  return out;
}

}  // namespace cli
