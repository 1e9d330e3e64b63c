// kubeadm: `version`, `upgrade plan|apply|node`. Texts and policy from k/k cmd/kubeadm/app
// (cmd/upgrade/*.go, phases/upgrade/policy.go, util/errors).
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <map>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/manifests.h"
#include "tests/sim/node/tools/kubeadm_common.h"

namespace sim::node::tools {

namespace kubeadm {

Flags parse_flags(const std::vector<std::string>& args) {
  Flags f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-y" || a == "--yes" || a == "--yes=true")
      f.yes = true;
    else if (a == "-f" || a == "--force")
      f.force = true;
    else if (a == "--dry-run")
      f.dry_run = true;
    else if ((a == "-o" || a == "--output") && i + 1 < args.size())
      f.output = args[++i];
    else if (a.starts_with("-o") && a.size() > 2)
      f.output = a.substr(2);
    else if (a.starts_with("--output="))
      f.output = a.substr(9);
    else if (a.starts_with("--ignore-preflight-errors=")) {
      std::string list = a.substr(26);
      for (std::size_t p = 0; p <= list.size();) {
        auto comma = list.find(',', p);
        f.ignore_preflight_errors.push_back(
            list.substr(p, comma == std::string::npos ? std::string::npos : comma - p));
        if (comma == std::string::npos) break;
        p = comma + 1;
      }
    } else if (a.starts_with("-"))
      continue;  // --v=5, --etcd-upgrade, --certificate-renewal, ...
    else
      f.positional.push_back(a);
  }
  return f;
}

std::optional<int> check_control_planes_ready(const ToolEnv& env, const Cluster& cluster,
                                              const Flags& flags) {
  if (cluster.not_ready_control_planes.empty()) return std::nullopt;
  for (const auto& ignored : flags.ignore_preflight_errors)
    if (ignored == "all" || ignored == "ControlPlaneNodesReady") {
      std::cout << "\t[WARNING ControlPlaneNodesReady]: there are NotReady control-planes in the "
                   "cluster\n";
      return std::nullopt;
    }
  std::string list;
  for (const auto& n : cluster.not_ready_control_planes) list += (list.empty() ? "" : " ") + n;
  return fail(
      fmt::format(
          "[upgrade/health] FATAL: [preflight] Some fatal errors occurred:\n\t[ERROR "
          "ControlPlaneNodesReady]: there are NotReady control-planes in the cluster: [{}]\n"
          "[preflight] If you know what you are doing, you can make a check non-fatal with "
          "`--ignore-preflight-errors=...`",
          list),
      preflight_exit_code(env));
}

int fail(const std::string& message, int code) {
  std::cout.flush();
  std::cerr << message << (message.ends_with("\n") ? "" : "\n") << kStackTraceHint;
  return code;
}

int preflight_exit_code(const ToolEnv& env) {
  auto v = kubeadm_version(env);
  return v && v->minor < 34 ? 2 : 1;  // k/k PR #132080: every failure exits 1 since 1.34
}

std::expected<Semver, std::string> kubeadm_version(const ToolEnv& env) {
  auto v = env.installed("kubeadm");
  if (!v) return std::unexpected("kubeadm is not installed");
  return *v;
}

bool is_control_plane(const ToolEnv& env) {
  return fs::exists(env.root / kManifestsDir / "kube-apiserver.yaml");
}

std::expected<Cluster, std::string> read_cluster(const ToolEnv& env,
                                                 const std::string& kubeconfig) {
  if (!fs::exists(env.root / ("etc/kubernetes/" + kubeconfig)))
    return std::unexpected(fmt::format(
        "couldn't create a Kubernetes client from file \"/etc/kubernetes/{0}\": failed to "
        "load admin kubeconfig: open /etc/kubernetes/{0}: no such file or directory",
        kubeconfig));
  auto answer = env.ask({{"action", "read-cluster"}});
  if (!answer)
    return std::unexpected("unable to fetch the kubeadm-config ConfigMap: " + answer.error());
  if (!answer->value("ok", false))
    return std::unexpected(answer->value("message", "the cluster did not answer"));
  Cluster c;
  auto v = parse_semver(answer->value("kubernetesVersion", ""));
  if (!v)
    return std::unexpected("unable to fetch the kubeadm-config ConfigMap: no kubernetesVersion");
  c.version = *v;
  c.api_servers = answer->value("apiServerVersions", std::map<std::string, std::string>{});
  c.kubelets = answer->value("kubeletVersions", std::map<std::string, std::string>{});
  c.components = answer->value("componentVersions",
                               std::map<std::string, std::map<std::string, std::string>>{});
  c.kube_proxy = answer->value("kubeProxyVersion", "");
  c.coredns = answer->value("corednsVersion", "");
  c.not_ready_control_planes = answer->value("notReadyControlPlanes", std::vector<std::string>{});
  return c;
}

std::expected<void, std::string> upgrade_static_pods(const ToolEnv& env, const Semver& version,
                                                     bool crash) {
  auto now = std::chrono::system_clock::now();
  std::string stamp =
      fmt::format("{:%Y-%m-%d-%H-%M-%S}", std::chrono::floor<std::chrono::seconds>(now));
  fs::path manifests = env.root / kManifestsDir;
  fs::path backup = env.root / ("etc/kubernetes/tmp/kubeadm-backup-manifests-" + stamp);
  fs::path etcd_backup =
      env.root / ("etc/kubernetes/tmp/kubeadm-backup-etcd-" + stamp) / "etcd/member";
  std::error_code ec;
  fs::create_directories(backup, ec);
  fs::create_directories(etcd_backup, ec);
  if (ec)
    return std::unexpected(
        fmt::format("failed to create the backup directory {}: {}", backup.string(), ec.message()));
  std::string ip = env.spec.internal_ip;
  std::cout << fmt::format(
      "[upgrade/staticpods] Writing new Static Pod manifests to "
      "\"/etc/kubernetes/tmp/kubeadm-upgraded-manifests{}\"\n",
      ::getpid());
  for (const auto& component : control_plane_components()) {
    fs::path file = manifests / (component + ".yaml");
    auto old = read_text(file);
    std::string next = static_pod_manifest(component, version.v(), ip);
    std::cout << fmt::format("[upgrade/staticpods] Preparing for \"{}\" upgrade\n", component);
    if (old && *old == next) {
      std::cout << fmt::format(
          "[upgrade/staticpods] Current and new manifests of {} are equal, skipping upgrade\n",
          component);
      continue;
    }
    if (old) write_text(backup / (component + ".yaml"), *old);
    if (auto w = write_text(file, next); !w) return std::unexpected(w.error());
    std::cout << fmt::format(
        "[upgrade/staticpods] Moving new manifest to \"/etc/kubernetes/manifests/{0}.yaml\" and "
        "backing up old manifest to \"/etc/kubernetes/tmp/kubeadm-backup-manifests-{1}/{0}.yaml\"\n"
        "[upgrade/staticpods] Waiting for the kubelet to restart the component\n"
        "[upgrade/staticpods] This can take up to 5m0s\n"
        "[apiclient] Found 1 Pods for label selector component={0}\n"
        "[upgrade/staticpods] Component \"{0}\" upgraded successfully!\n",
        component, stamp);
    if (crash && component == "kube-apiserver") {
      std::cout.flush();
      ::raise(SIGKILL);  // fault: kubeadm dies half way through the control plane
    }
  }
  return {};
}

std::expected<void, std::string> write_kubelet_config(const ToolEnv& env) {
  std::cout
      << "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n";
  return write_text(env.root / kKubeletConfig, kubelet_config_yaml());
}

}  // namespace kubeadm

namespace {

int version_cmd(ToolEnv& env, const kubeadm::Flags& f) {
  auto v = kubeadm::kubeadm_version(env);
  if (!v) return kubeadm::fail(v.error());
  if (f.output == "short") {
    std::cout << v->v() << '\n';
  } else if (f.output == "json") {
    std::cout << fmt::format(
        "{{\n  \"clientVersion\": {{\n    \"major\": \"{}\",\n    \"minor\": \"{}\",\n    "
        "\"gitVersion\": \"{}\",\n    \"gitTreeState\": \"clean\",\n    \"goVersion\": "
        "\"go1.25.3\",\n"
        "    \"compiler\": \"gc\",\n    \"platform\": \"linux/amd64\"\n  }}\n}}\n",
        v->major, v->minor, v->v());
  } else if (f.output == "yaml") {
    std::cout << fmt::format(
        "clientVersion:\n  compiler: gc\n  gitTreeState: clean\n  gitVersion: {}\n"
        "  goVersion: go1.25.3\n  major: \"{}\"\n  minor: \"{}\"\n  platform: linux/amd64\n",
        v->v(), v->major, v->minor);
  } else if (f.output.empty()) {
    std::cout << fmt::format(
        "kubeadm version: &version.Info{{Major:\"{}\", Minor:\"{}\", GitVersion:\"{}\", "
        "GitTreeState:\"clean\", GoVersion:\"go1.25.3\", Compiler:\"gc\", "
        "Platform:\"linux/amd64\"}}\n",
        v->major, v->minor, v->v());
  } else {
    return kubeadm::fail(fmt::format("error: invalid output format: {}", f.output));
  }
  return 0;
}

}  // namespace

int kubeadm_main(ToolEnv& env, const std::vector<std::string>& args) {
  if (!env.installed("kubeadm")) {
    std::cerr << "sh: 1: kubeadm: not found\n";
    return 127;
  }
  kubeadm::Flags f = kubeadm::parse_flags(args);
  const auto& p = f.positional;
  if (!p.empty() && p[0] == "version") return version_cmd(env, f);
  if (p.size() >= 2 && p[0] == "upgrade") {
    kubeadm::Flags rest = f;
    rest.positional.assign(p.begin() + 2, p.end());
    if (p[1] == "plan") return kubeadm::plan(env, rest);
    if (p[1] == "apply") return kubeadm::apply(env, rest);
    if (p[1] == "node") return kubeadm::node(env, rest);
  }
  std::string line;
  for (auto& a : args) line += (line.empty() ? "" : " ") + a;
  return kubeadm::fail(fmt::format(
      "kube-sim: kubeadm {:?} is not emulated (supported: version, upgrade plan|apply|node)",
      line));
}

}  // namespace sim::node::tools
