#include "tests/sim/store/store.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

using json = nlohmann::json;

const ResourceInfo& pods() {
  return *find_qualified("pods");
}
const ResourceInfo& nodes() {
  return *find_qualified("nodes");
}

json pod(const std::string& ns, const std::string& name, const std::string& node = "w1") {
  return {
      {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"app", name.substr(0, 3)}}}}},
      {"spec", {{"nodeName", node}}},
      {"status", {{"phase", "Running"}}}};
}

TEST(Store, CreateFillsMetadataAndRefusesADuplicate) {
  Store s;
  auto a = s.create(pods(), pod("default", "web-1"));
  ASSERT_TRUE(a);
  const json& m = a->json()["metadata"];
  EXPECT_EQ(m["uid"].get<std::string>().size(), 36u);
  EXPECT_EQ(m["resourceVersion"], std::to_string(a->rv));
  EXPECT_EQ(a->json()["kind"], "Pod");
  EXPECT_EQ(a->json()["apiVersion"], "v1");
  auto again = s.create(pods(), pod("default", "web-1"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, 409);
  EXPECT_EQ(again.error().message, "pods \"web-1\" already exists");
}

TEST(Store, UpdateWithAStaleResourceVersionConflicts) {
  Store s;
  auto a = s.create(pods(), pod("default", "web-1"));
  json changed = a->json();
  changed["metadata"]["labels"]["x"] = "y";
  auto b = s.update(pods(), changed);
  ASSERT_TRUE(b);
  EXPECT_GT(b->rv, a->rv);
  auto stale = s.update(pods(), changed);  // still carries a's resourceVersion
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, 409);
  EXPECT_EQ(stale.error().reason, "Conflict");
}

TEST(Store, ANoOpUpdateKeepsTheResourceVersion) {
  Store s;
  auto a = s.create(pods(), pod("default", "web-1"));
  auto b = s.update(pods(), a->json());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->rv, a->rv);
}

TEST(Store, GetOfAMissingObjectIsTheApiserversNotFound) {
  Store s;
  auto g = s.get(*find_qualified("deployments.apps"), "shop", "web");
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().message, "deployments.apps \"web\" not found");
  EXPECT_EQ(g.error().to_status()["details"],
            (json{{"name", "web"}, {"group", "apps"}, {"kind", "deployments"}}));
}

TEST(Store, PagesWalkEveryObjectOnceWithRemainingCounts) {
  Store s;
  for (int i = 0; i < 7; ++i) s.create(pods(), pod(i % 2 ? "b" : "a", "p" + std::to_string(i)));
  ListOptions o;
  o.limit = 3;
  std::vector<std::string> seen;
  std::vector<int64_t> remaining;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = s.list(pods(), o);
    ASSERT_TRUE(page);
    for (const auto& it : page->items) seen.push_back(it.json()["metadata"]["name"]);
    if (page->continue_token.empty()) break;
    remaining.push_back(*page->remaining_count);
    o.continue_token = page->continue_token;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"p0", "p2", "p4", "p6", "p1", "p3",
                                            "p5"}));  // namespace, then name
  EXPECT_EQ(remaining, (std::vector<int64_t>{4, 1}));
}

TEST(Store, PagesWithASelectorFillUpToTheLimit) {
  Store s;
  for (int i = 0; i < 10; ++i)
    s.create(pods(), pod("a", "p" + std::to_string(i), i % 3 == 0 ? "w1" : "w2"));
  ListOptions o;
  o.limit = 2;
  o.fields = *FieldSelector::parse("spec.nodeName=w1", pods());
  auto page = s.list(pods(), o);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_FALSE(page->remaining_count.has_value());  // never with selectors, like the apiserver
  o.continue_token = page->continue_token;
  auto rest = s.list(pods(), o);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->items.size(), 2u);  // p6, p9
}

TEST(Store, AContinueTokenExpiresWithCompaction) {
  Store s;
  for (int i = 0; i < 3; ++i) s.create(pods(), pod("a", "p" + std::to_string(i)));
  ListOptions o;
  o.limit = 1;
  auto page = s.list(pods(), o);
  s.create(pods(), pod("a", "late"));  // the list's revision is now in the past...
  s.compact();                         // ...and compacted away
  o.continue_token = page->continue_token;
  auto expired = s.list(pods(), o);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, 410);
  EXPECT_EQ(expired.error().reason, "Expired");
}

TEST(Store, EventsAfterAVersionAndTooOldAfterCompaction) {
  Store s;
  auto a = s.create(pods(), pod("a", "p1"));
  s.mutate(pods(), "a", "p1", [](json& p) -> Result<void> {
    p["status"]["phase"] = "Succeeded";
    return {};
  });
  s.erase(pods(), "a", "p1");
  auto ev = s.events_after(a->rv - 1, std::chrono::steady_clock::now());
  ASSERT_TRUE(ev);
  ASSERT_EQ(ev->size(), 3u);
  EXPECT_EQ((*ev)[0].type, EventType::kAdded);
  EXPECT_EQ((*ev)[1].type, EventType::kModified);
  EXPECT_EQ((*ev)[1].previous.json()["status"]["phase"], "Running");
  EXPECT_EQ((*ev)[2].type, EventType::kDeleted);
  s.compact();
  auto old = s.events_after(a->rv, std::chrono::steady_clock::now());
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, 410);
  EXPECT_EQ(old.error().message.rfind("too old resource version: ", 0), 0u);
}

TEST(Store, EraseHonoursTheUidPrecondition) {
  Store s;
  s.create(nodes(), {{"metadata", {{"name", "w1"}}}});
  auto wrong = s.erase(nodes(), "", "w1", "not-the-uid");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, 409);
  EXPECT_TRUE(s.erase(nodes(), "", "w1"));
  EXPECT_FALSE(s.get(nodes(), "", "w1"));
}

TEST(Store, GenerationMovesOnlyWithTheSpec) {
  Store s;
  const ResourceInfo& d = *find_qualified("deployments.apps");
  auto a = s.create(
      d, {{"metadata", {{"name", "web"}, {"namespace", "shop"}}}, {"spec", {{"replicas", 1}}}});
  EXPECT_EQ(a->json()["metadata"]["generation"], 1);
  auto b = s.mutate(d, "shop", "web", [](json& o) -> Result<void> {
    o["status"]["replicas"] = 1;
    return {};
  });
  EXPECT_EQ(b->json()["metadata"]["generation"], 1);
  auto c = s.mutate(d, "shop", "web", [](json& o) -> Result<void> {
    o["spec"]["replicas"] = 3;
    return {};
  });
  EXPECT_EQ(c->json()["metadata"]["generation"], 2);
}

}  // namespace
}  // namespace sim

namespace sim {
namespace {

TEST(Store, RemovingTheLastFinalizerOfADeletedObjectRemovesIt) {
  Store s;
  const ResourceInfo& cm = *find_qualified("configmaps");
  s.create(cm, {{"metadata",
                 {{"name", "c"}, {"namespace", "a"}, {"finalizers", {"example.com/hold"}}}}});
  auto marked = s.mutate(cm, "a", "c", [](nlohmann::json& o) -> Result<void> {
    o["metadata"]["deletionTimestamp"] = "2026-11-26T10:00:00Z";
    return {};
  });
  ASSERT_TRUE(marked);
  EXPECT_TRUE(s.get(cm, "a", "c"));  // still held by its finalizer
  s.mutate(cm, "a", "c", [](nlohmann::json& o) -> Result<void> {
    o["metadata"].erase("finalizers");
    return {};
  });
  EXPECT_FALSE(s.get(cm, "a", "c"));
}

TEST(Store, ADeletionTimestampAloneDoesNotRemoveAnObject) {
  Store s;
  const ResourceInfo& pods = *find_qualified("pods");
  s.create(pods, {{"metadata", {{"name", "p"}, {"namespace", "a"}}}});
  s.mutate(pods, "a", "p", [](nlohmann::json& o) -> Result<void> {
    o["metadata"]["deletionTimestamp"] = "2026-11-26T10:00:00Z";
    return {};
  });
  EXPECT_TRUE(s.get(pods, "a", "p"));  // graceful deletion: the kubelet removes it
}

}  // namespace
}  // namespace sim
