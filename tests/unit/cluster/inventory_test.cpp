#include "pkg/cluster/inventory.h"

#include <gtest/gtest.h>

namespace cluster {
namespace {

TEST(Quantity, ParsesKubernetesQuantities) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"100m", 0.1},         {"1", 1},      {"1.5", 1.5},  {"128Mi", 128.0 * 1024 * 1024},
      {"2G", 2e9},           {"1e3", 1000}, {"4Ki", 4096}, {"500u", 0.0005},
      {"1Gi", 1073741824.0}, {"3E", 3e18},  {"0", 0}};
  for (const auto& [text, want] : cases) {
    SCOPED_TRACE(text);
    auto got = parse_quantity(text);
    ASSERT_TRUE(got);
    EXPECT_DOUBLE_EQ(*got, want);
  }
  for (std::string bad : {"", "abc", "1Zi", "-1", "1 Gi", "1.5.5"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_quantity(bad));
  }
}

TEST(Toleration, KubernetesMatchingRules) {
  Taint cp{"node-role.kubernetes.io/control-plane", "", "NoSchedule"};
  Taint gpu{"gpu", "a100", "NoSchedule"};
  struct Case {
    std::string name;
    Toleration tol;
    Taint taint;
    bool want;
  };
  const std::vector<Case> cases = {
      {"exists without key tolerates everything", {"", "Exists", "", ""}, gpu, true},
      {"equal without key tolerates nothing", {"", "Equal", "", ""}, gpu, false},
      {"key exists", {"gpu", "Exists", "", ""}, gpu, true},
      {"key equal value", {"gpu", "Equal", "a100", ""}, gpu, true},
      {"key other value", {"gpu", "Equal", "h100", ""}, gpu, false},
      {"effect must match when given", {"gpu", "Exists", "", "NoExecute"}, gpu, false},
      {"control-plane taint",
       {"node-role.kubernetes.io/control-plane", "Exists", "", "NoSchedule"},
       cp,
       true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.tol.tolerates(c.taint), c.want);
  }
  EXPECT_TRUE(tolerates_all({}, {{"soft", "", "PreferNoSchedule"}}));
  EXPECT_FALSE(tolerates_all({}, {cp}));
}

TEST(LabelSelector, NullMatchesNothingEmptyMatchesAll) {
  LabelSelector null_sel;
  EXPECT_FALSE(null_sel.matches({{"app", "x"}}));
  LabelSelector empty{false, {}, {}};
  EXPECT_TRUE(empty.matches({}));
  LabelSelector s{
      false, {{"app", "web"}}, {{"tier", "In", {"a", "b"}}, {"canary", "DoesNotExist", {}}}};
  EXPECT_TRUE(s.matches({{"app", "web"}, {"tier", "a"}}));
  EXPECT_FALSE(s.matches({{"app", "web"}, {"tier", "c"}}));
  EXPECT_FALSE(s.matches({{"app", "web"}, {"tier", "a"}, {"canary", "1"}}));
  LabelSelector notin{false, {}, {{"env", "NotIn", {"prod"}}, {"app", "Exists", {}}}};
  EXPECT_TRUE(notin.matches({{"app", "x"}}));
  EXPECT_FALSE(notin.matches({{"app", "x"}, {"env", "prod"}}));
}

}  // namespace
}  // namespace cluster
