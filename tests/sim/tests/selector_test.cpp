#include "tests/sim/store/selector.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

using json = nlohmann::json;

struct LabelCase {
  std::string name, selector;
  json labels;
  bool matches;
};

TEST(LabelSelector, MatchesLikeTheApiserver) {
  const json web = {{"app", "web"}, {"tier", "front"}};
  const std::vector<LabelCase> cases = {
      {"equality", "app=web", web, true},
      {"double equals", "app==web", web, true},
      {"inequality of another value", "app!=db", web, true},
      {"inequality matches absent keys", "zone!=a", web, true},
      {"several requirements", "app=web,tier=front", web, true},
      {"one of several fails", "app=web,tier=back", web, false},
      {"set membership", "tier in (front, back)", web, true},
      {"set exclusion", "tier notin (front)", web, false},
      {"exists", "app", web, true},
      {"does not exist", "!zone", web, true},
      {"does not exist, but does", "!app", web, false},
      {"empty selects all", "", web, true},
      {"greater than", "rank>2", {{"rank", "5"}}, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto sel = LabelSelector::parse(c.selector);
    ASSERT_TRUE(sel) << sel.error().message;
    EXPECT_EQ(sel->matches(c.labels), c.matches);
  }
}

TEST(LabelSelector, BadSyntaxIsA400) {
  for (const char* bad : {"a in (b", "a b=c", "=x", "a,,b", "a=(b"}) {
    SCOPED_TRACE(bad);
    auto sel = LabelSelector::parse(bad);
    ASSERT_FALSE(sel);
    EXPECT_EQ(sel.error().code, 400);
  }
}

TEST(LabelSelector, FromAnObjectAndTheNullSelector) {
  auto sel = LabelSelector::from_object(
      {{"matchLabels", {{"app", "web"}}},
       {"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"front"}}}}}});
  ASSERT_TRUE(sel);
  EXPECT_TRUE(sel->matches({{"app", "web"}, {"tier", "front"}}));
  EXPECT_FALSE(sel->matches({{"app", "web"}}));
  auto none = LabelSelector::from_object(nullptr);
  EXPECT_FALSE(none->matches({{"app", "web"}}));
  auto all = LabelSelector::from_object(json::object());
  EXPECT_TRUE(all->matches({{"app", "web"}}));
}

TEST(FieldSelector, DescribeNodeAndDrainSelectors) {
  const ResourceInfo& pods = *find_qualified("pods");
  json pod = {{"metadata", {{"name", "p"}, {"namespace", "shop"}}},
              {"spec", {{"nodeName", "w1"}}},
              {"status", {{"phase", "Running"}}}};
  struct Case {
    std::string selector;
    bool matches;
  };
  for (const auto& c :
       std::vector<Case>{{"spec.nodeName=w1", true},
                         {"spec.nodeName=w1,status.phase!=Succeeded,status.phase!=Failed", true},
                         {"spec.nodeName==w2", false},
                         {"metadata.namespace=shop,metadata.name=p", true},
                         {"status.phase!=Running", false}}) {
    SCOPED_TRACE(c.selector);
    auto sel = FieldSelector::parse(c.selector, pods);
    ASSERT_TRUE(sel) << sel.error().message;
    EXPECT_EQ(sel->matches(pod), c.matches);
  }
  EXPECT_EQ(FieldSelector::parse("spec.nodeName=w1", pods)->equals("spec.nodeName"), "w1");
}

TEST(FieldSelector, EventsByInvolvedObject) {
  const ResourceInfo& events = *find_qualified("events");
  json e = {{"metadata", {{"name", "w1.1"}, {"namespace", "default"}}},
            {"involvedObject", {{"kind", "Node"}, {"name", "w1"}, {"uid", "w1"}}}};
  auto sel = FieldSelector::parse(
      "involvedObject.kind=Node,involvedObject.name=w1,involvedObject.namespace=,involvedObject."
      "uid=w1",
      events);
  ASSERT_TRUE(sel);
  EXPECT_TRUE(sel->matches(e));
}

TEST(FieldSelector, AnUnsupportedFieldIsRefusedLikeTheApiserver) {
  auto sel = FieldSelector::parse("spec.bogus=x", *find_qualified("pods"));
  ASSERT_FALSE(sel);
  EXPECT_EQ(sel.error().code, 400);
  EXPECT_NE(sel.error().message.find("field label not supported: spec.bogus"), std::string::npos);
  EXPECT_FALSE(FieldSelector::parse("spec.nodeName", *find_qualified("pods")));
}

}  // namespace
}  // namespace sim
