#include "pkg/version/skew.h"

#include <gtest/gtest.h>

namespace kver {
namespace {

ComponentVersion at(Component c, std::string instance, std::string v,
                    std::optional<std::string> kubelet = std::nullopt) {
  ComponentVersion out{c, std::move(instance), *parse(v), std::nullopt};
  if (kubelet) out.kubelet = *parse(*kubelet);
  return out;
}

using C = Component;
using R = SkewRule;

struct SkewCase {
  std::string name;
  std::vector<ComponentVersion> components;
  std::vector<R> expected;  // rules violated, in order
};

TEST(Skew, EveryRule) {
  const std::vector<SkewCase> cases = {
      {"all at one version is clean",
       {at(C::kApiServer, "cp1", "v1.31.2"), at(C::kControllerManager, "cp1", "v1.31.2"),
        at(C::kScheduler, "cp1", "v1.31.2"), at(C::kKubelet, "w1", "v1.31.2"),
        at(C::kKubeProxy, "", "v1.31.2"), at(C::kKubectl, "", "v1.31.0")},
       {}},
      {"kubelet three minors behind is allowed",
       {at(C::kApiServer, "cp1", "v1.32.0"), at(C::kKubelet, "w1", "v1.29.9")},
       {}},
      {"kubelet four minors behind breaks the policy",
       {at(C::kApiServer, "cp1", "v1.32.0"), at(C::kKubelet, "w1", "v1.28.3")},
       {R::kKubeletTooOld}},
      {"kubelet older than 1.25 may only be two behind",
       {at(C::kApiServer, "cp1", "v1.27.0"), at(C::kKubelet, "w1", "v1.24.9")},
       {R::kKubeletTooOld}},
      {"kubelet newer than the API server",
       {at(C::kApiServer, "cp1", "v1.31.0"), at(C::kKubelet, "w1", "v1.32.0")},
       {R::kNewerThanApiServer}},
      {"kubelet newer by a patch is fine",
       {at(C::kApiServer, "cp1", "v1.31.0"), at(C::kKubelet, "w1", "v1.31.5")},
       {}},
      {"HA API servers two minors apart",
       {at(C::kApiServer, "cp1", "v1.31.0"), at(C::kApiServer, "cp2", "v1.33.0")},
       {R::kApiServersWithinOneMinor}},
      {"HA API servers one minor apart, kubelet judged against the oldest",
       {at(C::kApiServer, "cp1", "v1.32.0"), at(C::kApiServer, "cp2", "v1.31.0"),
        at(C::kKubelet, "w1", "v1.28.0"), at(C::kKubelet, "w2", "v1.32.0")},
       {R::kNewerThanApiServer}},
      {"controller-manager one minor older is fine",
       {at(C::kApiServer, "cp1", "v1.32.0"), at(C::kControllerManager, "cp1", "v1.31.0")},
       {}},
      {"controller-manager two minors older",
       {at(C::kApiServer, "cp1", "v1.32.0"), at(C::kControllerManager, "cp1", "v1.30.0")},
       {R::kControlPlaneTooOld}},
      {"scheduler newer than the API server",
       {at(C::kApiServer, "cp1", "v1.31.0"), at(C::kScheduler, "cp1", "v1.32.0")},
       {R::kNewerThanApiServer}},
      {"cloud-controller-manager two minors older",
       {at(C::kApiServer, "cp1", "v1.33.0"), at(C::kCloudControllerManager, "", "v1.31.0")},
       {R::kControlPlaneTooOld}},
      {"kube-proxy four minors older",
       {at(C::kApiServer, "cp1", "v1.33.0"), at(C::kKubeProxy, "", "v1.29.0")},
       {R::kKubeProxyTooOld}},
      {"kube-proxy newer than the API server",
       {at(C::kApiServer, "cp1", "v1.33.0"), at(C::kKubeProxy, "", "v1.34.0")},
       {R::kNewerThanApiServer}},
      {"kube-proxy far from its kubelet",
       {at(C::kApiServer, "cp1", "v1.33.0"), at(C::kKubeProxy, "w1", "v1.33.0", "v1.29.0")},
       {R::kKubeProxyKubeletSkew}},
      {"kubectl two minors older",
       {at(C::kApiServer, "cp1", "v1.33.0"), at(C::kKubectl, "", "v1.31.0")},
       {R::kKubectlSkew}},
      {"kubectl two minors newer",
       {at(C::kApiServer, "cp1", "v1.31.0"), at(C::kKubectl, "", "v1.33.0")},
       {R::kKubectlSkew}},
      {"kubectl one newer than one HA instance but two from the other",
       {at(C::kApiServer, "cp1", "v1.32.0"), at(C::kApiServer, "cp2", "v1.31.0"),
        at(C::kKubectl, "", "v1.33.0")},
       {R::kKubectlSkew}},
      {"no API server, no verdict", {at(C::kKubelet, "w1", "v1.20.0")}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = check_skew(c.components);
    std::vector<R> rules;
    for (const auto& v : got) {
      rules.push_back(v.rule);
      EXPECT_EQ(v.rule_text, rule_text(v.rule));
      EXPECT_FALSE(v.message.empty());
    }
    EXPECT_EQ(rules, c.expected);
  }
}

TEST(Skew, ViolationNamesTheInstanceAndTheReference) {
  auto got = check_skew({at(C::kApiServer, "cp1", "v1.32.0"), at(C::kKubelet, "w7", "v1.28.3")});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].instance, "w7");
  EXPECT_EQ(got[0].reference.to_string(), "v1.32.0");
  EXPECT_EQ(got[0].message,
            "kubelet v1.28.3 on w7 is 4 minors older than kube-apiserver v1.32.0 (at most 3)");
}

TEST(Skew, KubeletsThatBlockATarget) {
  EXPECT_FALSE(kubelet_blocks_target(*parse("v1.30.1"), *parse("v1.33.0")));
  EXPECT_TRUE(kubelet_blocks_target(*parse("v1.30.1"), *parse("v1.34.0")));
  EXPECT_TRUE(kubelet_blocks_target(*parse("v1.22.1"), *parse("v1.25.0")));
  EXPECT_EQ(component_name(C::kKubeProxy), "kube-proxy");
}

}  // namespace
}  // namespace kver
