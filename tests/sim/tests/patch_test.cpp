#include "tests/sim/store/patch.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

using json = nlohmann::json;

const json kNode = {
    {"metadata", {{"name", "w1"}, {"labels", {{"a", "1"}, {"b", "2"}}}}},
    {"spec",
     {{"podCIDR", "10.244.1.0/24"}, {"taints", {{{"key", "x"}, {"effect", "NoSchedule"}}}}}},
    {"status",
     {{"conditions",
       {{{"type", "Ready"}, {"status", "True"}},
        {{"type", "DiskPressure"}, {"status", "False"}}}}}}};

struct Case {
  std::string name;
  PatchType type;
  std::string patch;
  std::string pointer;
  json expected;
};

TEST(Patch, EachKindAsKubectlSendsIt) {
  const std::vector<Case> cases = {
      {"cordon", PatchType::kStrategicMerge, R"({"spec":{"unschedulable":true}})",
       "/spec/unschedulable", true},
      {"uncordon removes the field", PatchType::kStrategicMerge,
       R"({"spec":{"unschedulable":null}})", "/spec",
       json{{"podCIDR", "10.244.1.0/24"}, {"taints", {{{"key", "x"}, {"effect", "NoSchedule"}}}}}},
      {"labels merge", PatchType::kStrategicMerge, R"({"metadata":{"labels":{"c":"3","a":null}}})",
       "/metadata/labels", json{{"b", "2"}, {"c", "3"}}},
      {"taints are replaced", PatchType::kStrategicMerge,
       R"({"spec":{"taints":[{"key":"y","effect":"NoExecute"}]}})", "/spec/taints",
       json::array({{{"key", "y"}, {"effect", "NoExecute"}}})},
      {"conditions merge by type", PatchType::kStrategicMerge,
       R"({"status":{"conditions":[{"type":"Ready","status":"False"}]}})", "/status/conditions",
       json::array({{{"type", "Ready"}, {"status", "False"}},
                    {{"type", "DiskPressure"}, {"status", "False"}}})},
      {"$patch delete in a keyed list", PatchType::kStrategicMerge,
       R"({"status":{"conditions":[{"type":"DiskPressure","$patch":"delete"}]}})",
       "/status/conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})},
      {"$setElementOrder is ignored", PatchType::kStrategicMerge,
       R"({"$setElementOrder/conditions":[{"type":"Ready"}],"metadata":{"labels":{"a":"9"}}})",
       "/metadata/labels/a", "9"},
      {"merge patch replaces lists", PatchType::kMerge,
       R"({"status":{"conditions":[{"type":"Ready","status":"False"}]}})", "/status/conditions",
       json::array({{{"type", "Ready"}, {"status", "False"}}})},
      {"merge patch null deletes", PatchType::kMerge, R"({"metadata":{"labels":{"a":null}}})",
       "/metadata/labels", json{{"b", "2"}}},
      {"json patch add", PatchType::kJson,
       R"([{"op":"add","path":"/metadata/labels/c","value":"3"}])", "/metadata/labels/c", "3"},
      {"json patch test then replace", PatchType::kJson,
       R"([{"op":"test","path":"/metadata/labels/a","value":"1"},{"op":"replace","path":"/metadata/labels/a","value":"7"}])",
       "/metadata/labels/a", "7"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto out = apply_patch(c.type, kNode, c.patch, "Node", "w1");
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out->at(json::json_pointer(c.pointer)), c.expected);
  }
}

TEST(Patch, BrokenDocumentsAre400AndFailedOperations422) {
  struct Bad {
    std::string name;
    PatchType type;
    std::string patch;
    int code;
  };
  for (const auto& b : std::vector<Bad>{
           {"not JSON", PatchType::kMerge, "{", 400},
           {"merge patch that is a list", PatchType::kMerge, "[]", 400},
           {"json patch that is an object", PatchType::kJson, "{}", 400},
           {"json patch on a missing path", PatchType::kJson, R"([{"op":"remove","path":"/nope"}])",
            422},
           {"json patch failed test", PatchType::kJson,
            R"([{"op":"test","path":"/metadata/name","value":"w2"}])", 422},
           {"unknown op", PatchType::kJson, R"([{"op":"frobnicate","path":"/a"}])", 422}}) {
    SCOPED_TRACE(b.name);
    auto out = apply_patch(b.type, kNode, b.patch, "Node", "w1");
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, b.code);
  }
}

TEST(Patch, ContentTypes) {
  EXPECT_EQ(patch_type_from_content_type("application/strategic-merge-patch+json"),
            PatchType::kStrategicMerge);
  EXPECT_EQ(patch_type_from_content_type("application/merge-patch+json; charset=utf-8"),
            PatchType::kMerge);
  EXPECT_EQ(patch_type_from_content_type("application/json-patch+json"), PatchType::kJson);
  auto apply = patch_type_from_content_type("application/apply-patch+yaml");
  ASSERT_FALSE(apply);
  EXPECT_EQ(apply.error().code, 415);
}

}  // namespace
}  // namespace sim
