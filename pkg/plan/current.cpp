#include <fmt/format.h>

#include <algorithm>

#include "pkg/plan/internal.h"
#include "pkg/version/releases.h"

namespace plan::internal {
namespace {

using kver::Component;

std::optional<Component> component_of(std::string_view name) {
  if (name == "kube-apiserver") return Component::kApiServer;
  if (name == "kube-controller-manager") return Component::kControllerManager;
  if (name == "kube-scheduler") return Component::kScheduler;
  return std::nullopt;  // etcd has its own versions
}

std::string shown(const std::optional<kver::Version>& v, const std::string& raw) {
  return v ? v->to_string() : (raw.empty() ? "?" : raw);
}

std::string skew_fix(const kver::SkewViolation& v) {
  switch (v.rule) {
    case kver::SkewRule::kKubeletTooOld:
      return fmt::format("upgrade the kubelet on {} to {} (kubectl upgrade node {} --to {})",
                         v.instance, v.reference.minor_line().to_string(), v.instance,
                         v.reference.to_string());
    case kver::SkewRule::kNewerThanApiServer:
    case kver::SkewRule::kApiServersWithinOneMinor:
    case kver::SkewRule::kControlPlaneTooOld:
      return "finish the interrupted control-plane upgrade (kubectl upgrade status shows where it "
             "stopped), so that every control-plane component runs one version";
    case kver::SkewRule::kKubeProxyTooOld:
    case kver::SkewRule::kKubeProxyKubeletSkew:
      return "let kubeadm upgrade kube-proxy (kubeadm upgrade apply/node on the control planes)";
    case kver::SkewRule::kKubectlSkew:
      return "use a kubectl within one minor of the API server";
  }
  return "";
}

}  // namespace

void add(std::vector<Finding>& out, Severity s, std::string code, std::string subject,
         std::string message, std::string fix) {
  out.push_back({s, std::move(code), std::move(subject), std::move(message), std::move(fix)});
}

std::optional<kver::Version> assess_current(const cluster::Inventory& inv,
                                            const std::vector<kver::Version>& available,
                                            CurrentState& out, std::vector<Finding>& findings) {
  std::vector<kver::ComponentVersion> components;
  out.server_git_version = inv.server_git_version;
  for (const auto& p : inv.control_plane_pods) {
    out.components.push_back(
        {p.component, p.node, p.version ? p.version->to_string() : kver::image_tag(p.image)});
    if (auto c = component_of(p.component); c && p.version)
      components.push_back({*c, p.node, *p.version, std::nullopt});
  }
  bool have_api_pods = std::any_of(components.begin(), components.end(), [](const auto& c) {
    return c.component == Component::kApiServer;
  });
  if (!have_api_pods && inv.server_version)
    components.push_back({Component::kApiServer, "", *inv.server_version, std::nullopt});
  std::optional<kver::Version> oldest_kubelet;
  for (const auto& n : inv.nodes) {
    out.components.push_back({"kubelet", n.name, shown(n.kubelet, n.kubelet_version_text)});
    if (!n.kubelet) continue;
    components.push_back({Component::kKubelet, n.name, *n.kubelet, std::nullopt});
    if (!oldest_kubelet || *n.kubelet < *oldest_kubelet) oldest_kubelet = n.kubelet;
  }
  if (inv.kube_proxy.found) {
    out.components.push_back({"kube-proxy", "", shown(inv.kube_proxy.version, inv.kube_proxy.tag)});
    if (inv.kube_proxy.version)
      components.push_back({Component::kKubeProxy, "", *inv.kube_proxy.version, oldest_kubelet});
  }
  if (inv.coredns.found) out.components.push_back({"coredns", "", inv.coredns.tag});
  out.skew = kver::check_skew(components);
  for (const auto& v : out.skew)
    add(findings, Severity::kBlocker, "SkewViolation",
        v.instance.empty() ? std::string(kver::component_name(v.component)) : "node/" + v.instance,
        v.message + " (" + v.rule_text + ")", skew_fix(v));

  auto version = kver::oldest_api_server(components);
  if (version) out.version = version->to_string();
  out.kubeadm_version = inv.kubeadm_config.kubernetes_version
                            ? inv.kubeadm_config.kubernetes_version->to_string()
                            : inv.kubeadm_config.kubernetes_version_text;
  if (auto newest = kver::newest_released_minor(available)) {
    auto window = kver::support_window(*newest);
    out.support_window = window.to_string();
    out.supported = version && window.contains(version->minor_line());
    if (version && !out.supported)
      add(findings, Severity::kWarning, "OutOfSupport", "cluster",
          fmt::format("{} is out of support (supported minors: {})", version->to_string(),
                      out.support_window),
          "upgrade through every minor to a supported one");
  }
  return version;
}

}  // namespace plan::internal
