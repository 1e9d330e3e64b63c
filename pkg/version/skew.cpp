#include "pkg/version/skew.h"

#include <fmt/format.h>

#include <algorithm>

namespace kver {
namespace {

std::string where(const ComponentVersion& c) {
  return c.instance.empty() ? "" : " on " + c.instance;
}

SkewViolation violation(SkewRule rule, const ComponentVersion& c, const Version& reference,
                        std::string message) {
  return SkewViolation{rule,
                       c.component,
                       c.instance,
                       c.version,
                       reference,
                       std::string(rule_text(rule)),
                       std::move(message)};
}

std::string minors(int n) {
  return n == 1 ? "1 minor" : fmt::format("{} minors", n);
}

void check_api_servers(const std::vector<ComponentVersion>& all, std::vector<SkewViolation>& out) {
  const ComponentVersion* oldest = nullptr;
  for (const auto& c : all)
    if (c.component == Component::kApiServer && (!oldest || c.version < oldest->version))
      oldest = &c;
  for (const auto& c : all) {
    if (c.component != Component::kApiServer) continue;
    int gap = minors_between(oldest->version.minor_line(), c.version.minor_line());
    if (gap > 1)
      out.push_back(
          violation(SkewRule::kApiServersWithinOneMinor, c, oldest->version,
                    fmt::format("kube-apiserver {}{} is {} newer than kube-apiserver {}{}",
                                c.version.to_string(), where(c), minors(gap),
                                oldest->version.to_string(), where(*oldest))));
  }
}

// Newer than the API server, or older than `max_behind` minors.
void check_against(const ComponentVersion& c, const Version& api, int max_behind, SkewRule too_old,
                   std::vector<SkewViolation>& out) {
  int behind = minors_between(c.version.minor_line(), api.minor_line());
  auto name = component_name(c.component);
  if (behind < 0) {
    out.push_back(violation(SkewRule::kNewerThanApiServer, c, api,
                            fmt::format("{} {}{} is newer than kube-apiserver {}", name,
                                        c.version.to_string(), where(c), api.to_string())));
  } else if (behind > max_behind) {
    out.push_back(violation(
        too_old, c, api,
        fmt::format("{} {}{} is {} older than kube-apiserver {} (at most {})", name,
                    c.version.to_string(), where(c), minors(behind), api.to_string(), max_behind)));
  }
}

void check_kubectl(const ComponentVersion& c, const std::vector<ComponentVersion>& all,
                   std::vector<SkewViolation>& out) {
  for (const auto& api : all) {
    if (api.component != Component::kApiServer) continue;
    int gap = std::abs(minors_between(c.version.minor_line(), api.version.minor_line()));
    if (gap > 1) {
      out.push_back(violation(
          SkewRule::kKubectlSkew, c, api.version,
          fmt::format("kubectl {} is {} away from kube-apiserver {}{}", c.version.to_string(),
                      minors(gap), api.version.to_string(), where(api))));
      return;
    }
  }
}

}  // namespace

std::string_view component_name(Component c) {
  switch (c) {
    case Component::kApiServer:
      return "kube-apiserver";
    case Component::kControllerManager:
      return "kube-controller-manager";
    case Component::kScheduler:
      return "kube-scheduler";
    case Component::kCloudControllerManager:
      return "cloud-controller-manager";
    case Component::kKubelet:
      return "kubelet";
    case Component::kKubeProxy:
      return "kube-proxy";
    case Component::kKubectl:
      return "kubectl";
  }
  return "?";
}

std::string_view rule_text(SkewRule rule) {
  switch (rule) {
    case SkewRule::kApiServersWithinOneMinor:
      return "kube-apiserver instances must be within one minor version of each other";
    case SkewRule::kNewerThanApiServer:
      return "kubelet, kube-proxy, kube-controller-manager, kube-scheduler and "
             "cloud-controller-manager must not be newer than kube-apiserver";
    case SkewRule::kKubeletTooOld:
      return "kubelet may be up to three minor versions older than kube-apiserver (two for "
             "kubelets older than 1.25)";
    case SkewRule::kKubeProxyTooOld:
      return "kube-proxy may be up to three minor versions older than kube-apiserver";
    case SkewRule::kKubeProxyKubeletSkew:
      return "kube-proxy may be up to three minor versions older or newer than the kubelet on "
             "its node";
    case SkewRule::kControlPlaneTooOld:
      return "kube-controller-manager, kube-scheduler and cloud-controller-manager may be at "
             "most one minor version older than kube-apiserver";
    case SkewRule::kKubectlSkew:
      return "kubectl is supported within one minor version (older or newer) of kube-apiserver";
  }
  return "";
}

int max_kubelet_skew(const Version& kubelet) {
  return kubelet.minor < 25 ? 2 : 3;
}

bool kubelet_blocks_target(const Version& kubelet, const Version& target) {
  return minors_between(kubelet.minor_line(), target.minor_line()) > max_kubelet_skew(kubelet);
}

std::optional<Version> oldest_api_server(const std::vector<ComponentVersion>& components) {
  std::optional<Version> oldest;
  for (const auto& c : components)
    if (c.component == Component::kApiServer && (!oldest || c.version < *oldest))
      oldest = c.version;
  return oldest;
}

std::vector<SkewViolation> check_skew(const std::vector<ComponentVersion>& components) {
  std::vector<SkewViolation> out;
  auto api = oldest_api_server(components);
  if (!api) return out;
  check_api_servers(components, out);
  for (const auto& c : components) {
    switch (c.component) {
      case Component::kApiServer:
        break;
      case Component::kKubelet:
        check_against(c, *api, max_kubelet_skew(c.version), SkewRule::kKubeletTooOld, out);
        break;
      case Component::kKubeProxy:
        check_against(c, *api, 3, SkewRule::kKubeProxyTooOld, out);
        if (c.kubelet &&
            std::abs(minors_between(c.kubelet->minor_line(), c.version.minor_line())) > 3)
          out.push_back(
              violation(SkewRule::kKubeProxyKubeletSkew, c, *c.kubelet,
                        fmt::format("kube-proxy {}{} is more than three minors from kubelet {}",
                                    c.version.to_string(), where(c), c.kubelet->to_string())));
        break;
      case Component::kControllerManager:
      case Component::kScheduler:
      case Component::kCloudControllerManager:
        check_against(c, *api, 1, SkewRule::kControlPlaneTooOld, out);
        break;
      case Component::kKubectl:
        check_kubectl(c, components, out);
        break;
    }
  }
  return out;
}

}  // namespace kver
