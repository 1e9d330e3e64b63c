#include "pkg/kube/testing/fake_client.h"

#include <gtest/gtest.h>

#include "pkg/kube/paths.h"

namespace kube::testing {
namespace {

json pod(const std::string& name, const std::string& node) {
  return {{"metadata", {{"name", name}, {"labels", {{"app", "web"}}}}},
          {"spec", {{"nodeName", node}}},
          {"status", {{"phase", "Running"}}}};
}

TEST(FakeClient, ListsAcrossNamespacesWithFieldAndLabelSelectors) {
  FakeClient fake;
  fake.add(paths::pods("a"), pod("p1", "w1"));
  fake.add(paths::pods("b"), pod("p2", "w2"));
  fake.add(paths::pods("b"), pod("p3", "w1"));
  std::vector<std::string> seen;
  auto rv =
      fake.list(paths::all_pods(), {.field_selector = "spec.nodeName=w1"}, [&](const json& item) {
        seen.push_back(item["metadata"]["name"]);
        return true;
      });
  ASSERT_TRUE(rv.has_value());
  EXPECT_EQ(seen, (std::vector<std::string>{"p1", "p3"}));
  seen.clear();
  (void)fake.list(paths::pods("b"), {.label_selector = "app!=web"}, [&](const json& item) {
    seen.push_back(item["metadata"]["name"]);
    return true;
  });
  EXPECT_TRUE(seen.empty());
}

TEST(FakeClient, StaleUpdateIsAConflictAndMissingObjectIsNotFound) {
  FakeClient fake;
  json stored = fake.add(paths::nodes(), {{"metadata", {{"name", "w1"}}}});
  json stale = stored;
  ASSERT_TRUE(fake.patch(paths::node("w1"), PatchType::kStrategicMerge,
                         {{"spec", {{"unschedulable", true}}}}));
  auto conflict = fake.update(paths::node("w1"), stale);
  ASSERT_FALSE(conflict);
  EXPECT_TRUE(conflict.error().conflict());
  auto missing = fake.get(paths::node("nope"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().to_string(), "Error from server (NotFound): nodes \"nope\" not found");
}

TEST(FakeClient, EvictionDeletesThePodAndHookCanRefuse) {
  FakeClient fake;
  fake.add(paths::pods("a"), pod("p1", "w1"));
  fake.add(paths::pods("a"), pod("p2", "w1"));
  fake.set_hook([](const Call& c) -> std::optional<Error> {
    if (c.path.ends_with("p2/eviction"))
      return Error::api(Status{.code = 429, .reason = "TooManyRequests", .message = "blocked"});
    return std::nullopt;
  });
  EXPECT_TRUE(fake.create(paths::eviction("a", "p1"), json::object()));
  EXPECT_FALSE(fake.object(paths::pod("a", "p1")));
  auto refused = fake.create(paths::eviction("a", "p2"), json::object());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), 429);
  EXPECT_TRUE(fake.object(paths::pod("a", "p2")));
  EXPECT_EQ(fake.calls_with("CREATE").size(), 2u);
}

}  // namespace
}  // namespace kube::testing
