// kubeadm upgrade plan / apply / node.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/manifests.h"
#include "tests/sim/node/tools/kubeadm_common.h"

namespace sim::node::tools::kubeadm {

namespace {

using json = nlohmann::json;

void print_config_lines() {
  std::cout
      << "[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap in "
         "namespace "
         "\"kube-system\"...\n[upgrade/config] Use 'kubeadm init phase upload-config --config "
         "your-config-file' to re-upload it.\n";
}

struct PolicyErrors {
  std::vector<std::string> mandatory, skippable;
};

// phases/upgrade/policy.go EnforceVersionPolicies, for released targets.
PolicyErrors version_policy(const Semver& target, const Semver& cluster, const Semver& kubeadm,
                            const std::map<std::string, std::string>& kubelets) {
  PolicyErrors e;
  std::string t = target.v();
  if (target.minor > cluster.minor + 1)
    e.mandatory.push_back(fmt::format(
        "Specified version to upgrade to \"{}\" is too high; kubeadm can upgrade only 1 "
        "minor version at a time",
        t));
  if (target.minor < cluster.minor - 1)
    e.mandatory.push_back(fmt::format(
        "Specified version to downgrade to \"{}\" is too low; kubeadm can downgrade only 1 "
        "minor version at a time",
        t));
  if (kubeadm < target) {
    if (target.minor > kubeadm.minor)
      e.mandatory.push_back(fmt::format(
          "Specified version to upgrade to \"{}\" is at least one minor release higher than "
          "the kubeadm minor release ({} > {}). Such an upgrade is not supported",
          t, target.minor, kubeadm.minor));
    else
      e.skippable.push_back(fmt::format(
          "Specified version to upgrade to \"{}\" is higher than the kubeadm version \"{}\". "
          "Upgrade kubeadm first using the tool you used to install kubeadm",
          t, kubeadm.v()));
  }
  if (kubeadm.major > target.major || kubeadm.minor > target.minor)
    e.skippable.push_back(
        fmt::format("Kubeadm version {} can only be used to upgrade to Kubernetes version {}.{}",
                    kubeadm.v(), kubeadm.major, kubeadm.minor));
  std::string too_old;
  for (auto& [node, v] : kubelets) {
    auto k = parse_semver(v);
    if (k && target.minor > k->minor + 3)
      too_old += (too_old.empty() ? "" : " ") + v;  // skew 3 since kubeadm 1.29
  }
  if (!too_old.empty())
    e.skippable.push_back(fmt::format(
        "There are kubelets in this cluster that are too old that have these versions [{}]",
        too_old));
  return e;
}

std::string bullet_list(const std::vector<std::string>& errors) {
  std::string s;
  for (auto& e : errors) s += "\n\t- " + e + "\n";
  return s;
}

std::optional<int> enforce(const PolicyErrors& e, bool force) {
  if (!e.mandatory.empty())
    return fail(
        fmt::format("[upgrade/version] FATAL: the --version argument is invalid due to these fatal "
                    "errors:\n{}\n"
                    "Please fix the misalignments highlighted above and try upgrading again",
                    bullet_list(e.mandatory)));
  if (!e.skippable.empty() && !force)
    return fail(fmt::format(
        "[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n{}\n"
        "Can be bypassed if you pass the --force flag",
        bullet_list(e.skippable)));
  if (!e.skippable.empty())
    std::cout << fmt::format(
        "[upgrade/version] Found {} potential version compatibility errors but skipping since the "
        "--force flag is set: \n{}",
        e.skippable.size(), bullet_list(e.skippable));
  return std::nullopt;
}

std::string component_version(const Cluster& c, const std::string& component,
                              const std::string& node) {
  auto it = c.components.find(component);
  if (it != c.components.end() && it->second.contains(node)) return it->second.at(node);
  std::string api = c.api_servers.contains(node) ? c.api_servers.at(node) : c.version.v();
  return component == "etcd" ? etcd_version_for(api) : api;
}

json upgrade_plan_json(const Cluster& c, const Semver& target) {
  json components = json::array();
  auto add = [&](const std::string& name, const std::string& cur, const std::string& next,
                 const std::string& node) {
    components.push_back(
        {{"name", name}, {"currentVersion", cur}, {"newVersion", next}, {"nodeName", node}});
  };
  for (auto& [node, v] : c.kubelets) add("kubelet", v, target.v(), node);
  for (const char* comp : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"})
    for (auto& [node, v] : c.api_servers)
      add(comp, component_version(c, comp, node), target.v(), node);
  add("kube-proxy", c.kube_proxy, target.v(), "");
  add("CoreDNS", c.coredns, coredns_version_for(target.v()), "");
  for (auto& [node, v] : c.api_servers)
    add("etcd", component_version(c, "etcd", node), etcd_version_for(target.v()), node);
  return {{"kind", "UpgradePlan"},
          {"apiVersion", "output.kubeadm.k8s.io/v1alpha3"},
          {"availableUpgrades",
           json::array({{{"description", fmt::format("version in the {} series", target.minor_v())},
                         {"components", components}}})},
          {"configVersions", json::array({{{"group", "kubeproxy.config.k8s.io"},
                                           {"currentVersion", "v1alpha1"},
                                           {"preferredVersion", "v1alpha1"},
                                           {"manualUpgradeRequired", false}},
                                          {{"group", "kubelet.config.k8s.io"},
                                           {"currentVersion", "v1beta1"},
                                           {"preferredVersion", "v1beta1"},
                                           {"manualUpgradeRequired", false}}})}};
}

void print_plan_table(const json& plan, const Semver& target, const Cluster& c) {
  const json& comps = plan["availableUpgrades"][0]["components"];
  std::cout << "Components that must be upgraded manually after you have upgraded the control "
               "plane with 'kubeadm "
               "upgrade apply':\nCOMPONENT   NODE      CURRENT   TARGET\n";
  for (auto& x : comps)
    if (x["name"] == "kubelet")
      std::cout << fmt::format("kubelet     {:<9} {:<9} {}\n", x["nodeName"].get<std::string>(),
                               x["currentVersion"].get<std::string>(),
                               x["newVersion"].get<std::string>());
  std::cout << fmt::format(
      "\nUpgrade to the latest version in the {} series:\n\nCOMPONENT                 NODE      "
      "CURRENT    TARGET\n",
      c.version.minor_v());
  for (auto& x : comps) {
    if (x["name"] == "kubelet") continue;
    std::cout << fmt::format("{:<25} {:<9} {:<10} {}\n", x["name"].get<std::string>(),
                             x["nodeName"].is_string() ? x["nodeName"].get<std::string>() : "",
                             x["currentVersion"].get<std::string>(),
                             x["newVersion"].get<std::string>());
  }
  std::cout << fmt::format(
      "\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade "
      "apply {}\n\n_____________________________________________________________________\n\n"
      "The table below shows the current state of component configs as understood by this version "
      "of kubeadm.\nConfigs that have a \"yes\" mark in the \"MANUAL UPGRADE REQUIRED\" column "
      "require manual config upgrade or\nresetting to kubeadm defaults before a successful upgrade "
      "can be performed. The version to manually\nupgrade to is denoted in the \"PREFERRED "
      "VERSION\" column.\n\nAPI GROUP                 CURRENT VERSION   PREFERRED VERSION   MANUAL "
      "UPGRADE REQUIRED\nkubeproxy.config.k8s.io   v1alpha1          v1alpha1            no\n"
      "kubelet.config.k8s.io     v1beta1           v1beta1             no\n"
      "_____________________________________________________________________\n\n",
      target.v());
}

// Without a version kubeadm asks dl.k8s.io, which a sandbox cannot reach: it falls back to its own.
std::expected<Semver, int> target_version(const Flags& f, const Semver& kubeadm, bool for_plan) {
  if (f.positional.empty()) {
    if (!for_plan)
      return std::unexpected(fail("[upgrade/version] FATAL: missing version argument"));
    std::cout << "[upgrade/versions] WARNING: Couldn't fetch latest stable version from the "
                 "internet: unable to get "
                 "URL \"https://dl.k8s.io/release/stable.txt\": Get "
                 "\"https://dl.k8s.io/release/stable.txt\": dial "
                 "tcp: lookup dl.k8s.io on 127.0.0.53:53: server misbehaving\n"
                 "[upgrade/versions] WARNING: Falling back to current kubeadm version as latest "
                 "stable version\n";
    return kubeadm;
  }
  auto t = parse_semver(f.positional[0]);
  if (!t)
    return std::unexpected(fail(fmt::format(
        "couldn't parse version {:?}: could not parse pre-release/metadata", f.positional[0])));
  return *t;
}

}  // namespace

int plan(ToolEnv& env, const Flags& f) {
  auto kubeadm = kubeadm_version(env);
  if (!kubeadm) return fail(kubeadm.error());
  bool json_out = f.output == "json";
  std::ostringstream quiet;
  auto* saved =
      json_out ? std::cout.rdbuf(quiet.rdbuf()) : nullptr;  // -o json prints only the document
  print_config_lines();
  std::cout << "[preflight] Running pre-flight checks.\n";
  auto cluster = read_cluster(env, "admin.conf");
  if (!cluster) {
    if (saved) std::cout.rdbuf(saved);
    return fail(cluster.error());
  }
  if (!is_control_plane(env)) {
    if (saved) std::cout.rdbuf(saved);
    return fail(
        "[upgrade/health] FATAL: [preflight] Some fatal errors occurred:\n\t[ERROR "
        "ControlPlaneComponents]: "
        "this is not a control-plane node: /etc/kubernetes/manifests/kube-apiserver.yaml does not "
        "exist");
  }
  std::cout << "[upgrade] Running cluster health checks\n";
  if (auto rc = check_control_planes_ready(env, *cluster, f)) {
    if (saved) std::cout.rdbuf(saved);
    return *rc;
  }
  std::cout << "[upgrade] Fetching available versions to upgrade to\n";
  auto target = target_version(f, *kubeadm, true);
  if (!target) {
    if (saved) std::cout.rdbuf(saved);
    return target.error();
  }
  std::cout << fmt::format(
      "[upgrade/versions] Cluster version: {}\n[upgrade/versions] kubeadm version: {}\n"
      "[upgrade/versions] Target version: {}\n[upgrade/versions] Latest version in the {} series: "
      "{}\n\n",
      cluster->version.v(), kubeadm->v(), target->v(), cluster->version.minor_v(), target->v());
  json doc = upgrade_plan_json(*cluster, *target);
  if (saved) {
    std::cout.rdbuf(saved);
    std::cout << doc.dump(4) << '\n';
    return 0;
  }
  print_plan_table(doc, *target, *cluster);
  return 0;
}

int apply(ToolEnv& env, const Flags& f) {
  auto kubeadm = kubeadm_version(env);
  if (!kubeadm) return fail(kubeadm.error());
  auto target = target_version(f, *kubeadm, false);
  if (!target) return target.error();
  std::cout << "[preflight] Running pre-flight checks.\n";
  print_config_lines();
  auto cluster = read_cluster(env, "admin.conf");
  if (!cluster) return fail(cluster.error());
  if (!is_control_plane(env))
    return fail(
        "[preflight] Some fatal errors occurred:\n\t[ERROR ControlPlaneComponents]: the static Pod "
        "manifest "
        "/etc/kubernetes/manifests/kube-apiserver.yaml does not exist: this is not a control-plane "
        "node\n"
        "[preflight] If you know what you are doing, you can make a check non-fatal with "
        "`--ignore-preflight-errors=...`",
        preflight_exit_code(env));
  std::cout << "[upgrade] Running cluster health checks\n";
  if (auto rc = check_control_planes_ready(env, *cluster, f)) return *rc;
  std::cout << fmt::format(
      "[upgrade/version] You have chosen to upgrade to "
      "version \"{}\"\n[upgrade/versions] Cluster version: {}\n[upgrade/versions] kubeadm version: "
      "{}\n",
      target->v(), cluster->version.v(), kubeadm->v());
  if (auto rc =
          enforce(version_policy(*target, cluster->version, *kubeadm, cluster->kubelets), f.force))
    return *rc;
  if (!f.yes && !f.force && !f.dry_run) {
    std::cout << "[upgrade] Are you sure you want to proceed? [y/N]: " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes")) {
      std::cout << '\n';
      return fail("won't proceed; the user didn't answer (Y|y) in order to continue");
    }
  }
  std::cout << "[upgrade/prepull] Pulling images required for setting up a Kubernetes cluster\n"
               "[upgrade/prepull] This might take a minute or two, depending on the speed of your "
               "internet connection\n"
            << fmt::format(
                   "[upgrade/apply] Upgrading your Static Pod-hosted control plane to version "
                   "\"{}\" (timeout: "
                   "5m0s)...\n",
                   target->v());
  if (f.dry_run) {
    std::cout << "[dryrun] Finished dryrunning successfully!\n";
    return 0;
  }
  if (auto r = upgrade_static_pods(env, *target, env.spec.faults.kubeadm_apply_crashes); !r)
    return fail("[upgrade/apply] FATAL: couldn't complete the static pod upgrade: " + r.error());
  auto answer = env.ask({{"action", "kubeadm-apply"}, {"version", target->v()}});
  if (!answer || !answer->value("ok", false))
    return fail("[upgrade/apply] FATAL: " +
                (answer ? answer->value("message", "") : answer.error()));
  std::cout << "[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in "
               "the \"kube-system\" "
               "Namespace\n[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace "
               "kube-system with the "
               "configuration for the kubelets in the cluster\n";
  if (auto r = write_kubelet_config(env); !r) return fail(r.error());
  std::cout
      << "[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node "
         "client certificates "
         "in the cluster\n"
      << answer->value("message", "") << '\n'
      << fmt::format(
             "\n[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"{}\".\n\n"
             "[upgrade] Now please proceed with upgrading the rest of the nodes by following the "
             "right "
             "order.\n",
             target->v());
  return 0;
}

int node(ToolEnv& env, const Flags& f) {
  auto kubeadm = kubeadm_version(env);
  if (!kubeadm) return fail(kubeadm.error());
  std::cout << "[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace "
               "\"kube-system\"...\n"
               "[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to "
               "re-upload it.\n";
  bool cp = is_control_plane(env);
  auto cluster = read_cluster(env, cp ? "admin.conf" : "kubelet.conf");
  if (!cluster) return fail(cluster.error());
  std::cout << "[upgrade/preflight] Running pre-flight checks\n";
  const Semver& target = cluster->version;
  if (!cp) {
    std::cout << "[upgrade/preflight] Skipping prepull. Not a control plane node.\n"
                 "[upgrade/control-plane] Skipping phase. Not a control plane node.\n"
                 "[upgrade/kubeconfig] Skipping phase. Not a control plane node.\n";
  } else {
    // UNVERIFIED: `upgrade node` applying apply's kubeadm-vs-target rule; kubeadm cannot render a
    // newer minor.
    if (target.minor > kubeadm->minor)
      return fail(fmt::format(
          "[upgrade/version] FATAL: Specified version to upgrade to \"{}\" is at least one minor "
          "release higher than the kubeadm minor release ({} > {}). Such an upgrade is not "
          "supported",
          target.v(), target.minor, kubeadm->minor));
    std::cout << "[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster\n"
                 "[upgrade/control-plane] Upgrading control plane instance on this node...\n";
    if (f.dry_run) return 0;
    if (auto r = upgrade_static_pods(env, target, false); !r) return fail(r.error());
  }
  if (f.dry_run) return 0;
  std::cout << "[upgrade/kubelet-config] Writing kubelet configuration to file "
               "\"/var/lib/kubelet/config.yaml\"\n";
  if (auto r = write_text(env.root / kKubeletConfig, kubelet_config_yaml()); !r)
    return fail(r.error());
  std::cout << "[upgrade/kubelet-config] The kubelet configuration for this node was successfully "
               "upgraded!\n";
  if (!cp) {
    std::cout << "[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.\n"
                 "[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.\n"
                 "[upgrade] The configuration for this node was successfully upgraded!\n"
                 "[upgrade] Now you should go ahead and upgrade the kubelet package using your "
                 "package manager.\n";
    return 0;
  }
  auto answer = env.ask({{"action", "kubeadm-node"}, {"version", target.v()}});
  if (!answer || !answer->value("ok", false))
    return fail("[upgrade/addon] FATAL: " +
                (answer ? answer->value("message", "") : answer.error()));
  std::cout << answer->value("message", "") << '\n'
            << "[upgrade] The control plane instance for this node was successfully upgraded!\n"
               "[upgrade] Now you should go ahead and upgrade the kubelet package using your "
               "package manager.\n";
  return 0;
}

}  // namespace sim::node::tools::kubeadm
