// The Kubernetes version skew policy (website releases/version-skew-policy.md), pure.
//
// Every component is judged against the kube-apiserver instances: "newer" against the oldest
// instance, "too old" against the oldest instance too (the policy's HA examples: API servers at
// 1.32 and 1.31 allow kubelets 1.31..1.28), kubectl against every instance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/version/version.h"

namespace kver {

enum class Component {
  kApiServer,
  kControllerManager,
  kScheduler,
  kCloudControllerManager,
  kKubelet,
  kKubeProxy,
  kKubectl,
};
std::string_view component_name(Component c);  // "kube-apiserver", "kubelet", ...

enum class SkewRule {
  kApiServersWithinOneMinor,  // kube-apiserver instances within one minor of each other
  kNewerThanApiServer,        // kubelet, kube-proxy, controller-manager, scheduler, ccm
  kKubeletTooOld,             // more than three minors older (two for kubelets < 1.25)
  kKubeProxyTooOld,           // more than three minors older
  kKubeProxyKubeletSkew,      // kube-proxy more than three minors from its kubelet
  kControlPlaneTooOld,        // controller-manager/scheduler/ccm more than one minor older
  kKubectlSkew,               // kubectl more than one minor from an API server
};
// The policy's sentence for the rule.
std::string_view rule_text(SkewRule rule);

// One instance of a component: where it runs and its version.
struct ComponentVersion {
  Component component = Component::kKubelet;
  std::string instance;  // node name ("" for cluster-wide ones such as kube-proxy's DaemonSet)
  Version version;
  std::optional<Version> kubelet;  // kube-proxy only: the kubelet on the same node, if known
};

struct SkewViolation {
  SkewRule rule = SkewRule::kNewerThanApiServer;
  Component component = Component::kKubelet;
  std::string instance;
  Version version;        // the offending component's version
  Version reference;      // what it was compared with (the API server, or the kubelet)
  std::string rule_text;  // rule_text(rule)
  std::string message;    // "kubelet v1.28.3 on w1 is 4 minors older than kube-apiserver v1.32.0"
};

// Checks every component against the API servers (which must be among `components`). No API
// server, no verdict: returns nothing.
std::vector<SkewViolation> check_skew(const std::vector<ComponentVersion>& components);

// The oldest kube-apiserver among `components`, if any.
std::optional<Version> oldest_api_server(const std::vector<ComponentVersion>& components);

// Upgrading the control plane to `target` would leave this kubelet more than the policy allows
// behind (kubeadm refuses: target minor > kubelet minor + 3). Such kubelets must be upgraded
// first.
bool kubelet_blocks_target(const Version& kubelet, const Version& target);
int max_kubelet_skew(const Version& kubelet);  // 3, or 2 for kubelets older than 1.25

}  // namespace kver
