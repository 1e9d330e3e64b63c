// The sim never falls over on bad input: malformed JSON, unknown fields, huge bodies, bad
// selectors, bad patches and stale updates get the apiserver's Status answers, and it keeps
// serving afterwards.
#include <gtest/gtest.h>

#include "tests/e2e/harness/sim_cluster.h"

namespace {

using e2e::SimCluster;
using json = nlohmann::json;

class BadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new SimCluster("single-cp.yaml"); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  static SimCluster* cluster_;
};
SimCluster* BadInput::cluster_ = nullptr;

struct Case {
  std::string name;
  std::string method;
  std::string path;
  std::string body;
  std::string content_type;
  int code;
  std::string reason;
  std::string message_part;
};

TEST_F(BadInput, AnswersWithStatusAndKeepsServing) {
  ASSERT_TRUE(cluster_->ready()) << cluster_->start_error();
  const std::string pods = "/api/v1/namespaces/default/pods";
  const std::string huge(4 * 1024 * 1024, 'x');
  const std::vector<Case> cases = {
      {"malformed JSON", "POST", pods, "{\"metadata\": ", "application/json", 400, "BadRequest",
       "json parse error"},
      {"a JSON array", "POST", pods, "[1,2]", "application/json", 400, "BadRequest",
       "cannot unmarshal"},
      {"no containers", "POST", pods, R"({"metadata":{"name":"x"},"spec":{}})", "application/json",
       422, "Invalid", "Pod \"x\" is invalid: spec.containers: Required value"},
      {"bad name", "POST", pods,
       R"({"metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"a","image":"b"}]}})",
       "application/json", 422, "Invalid", "a lowercase RFC 1123 subdomain"},
      {"unknown field, strict", "POST", pods + "?fieldValidation=Strict",
       R"({"metadata":{"name":"x"},"spec":{"containers":[{"name":"a","image":"b"}],"bogus":1}})",
       "application/json", 400, "BadRequest",
       "strict decoding error: unknown field \"spec.bogus\""},
      {"huge body", "POST", pods, "{\"a\":\"" + huge + "\"}", "application/json", 413,
       "RequestEntityTooLarge", "limit is 3145728"},
      {"bad label selector", "GET", pods + "?labelSelector=a%20in%20(b", "", "", 400, "BadRequest",
       "unable to parse requirement"},
      {"unsupported field selector", "GET", pods + "?fieldSelector=spec.bogus%3Dx", "", "", 400,
       "BadRequest", "field label not supported: spec.bogus"},
      {"patch that is not JSON", "PATCH", "/api/v1/nodes/w1", "{nope",
       "application/merge-patch+json", 400, "BadRequest", "error decoding patch"},
      {"JSON patch on a missing path", "PATCH", "/api/v1/nodes/w1",
       R"([{"op":"remove","path":"/spec/nothing"}])", "application/json-patch+json", 422, "Invalid",
       "Node \"w1\" is invalid"},
      {"JSON patch that is an object", "PATCH", "/api/v1/nodes/w1", R"({"op":"add"})",
       "application/json-patch+json", 400, "BadRequest", "error decoding patch"},
      {"patch of an unknown type", "PATCH", "/api/v1/nodes/w1", "{}", "text/plain", 415,
       "UnsupportedMediaType", "accepted media types"},
      {"bad taint effect", "PATCH", "/api/v1/nodes/w1",
       R"({"spec":{"taints":[{"key":"a","effect":"Sometimes"}]}})",
       "application/strategic-merge-patch+json", 422, "Invalid",
       "spec.taints[0].effect: Unsupported value: \"Sometimes\""},
      {"stale update", "PUT", "/api/v1/namespaces/default",
       R"({"metadata":{"name":"default","resourceVersion":"1"}})", "application/json", 409,
       "Conflict",
       "Operation cannot be fulfilled on namespaces \"default\": the object has been modified; "
       "please apply your changes to the latest version and try again"},
      {"already exists", "POST", "/api/v1/namespaces", R"({"metadata":{"name":"default"}})",
       "application/json", 409, "AlreadyExists", "namespaces \"default\" already exists"},
      {"missing object", "GET", "/apis/apps/v1/namespaces/shop/deployments/nope", "", "", 404,
       "NotFound", "deployments.apps \"nope\" not found"},
      {"expired continue token", "GET",
       pods + "?limit=1&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhXHUwMDAwIn0",
       "", "", 410, "Expired", "The provided continue parameter is too old"},
      {"garbage continue token", "GET", pods + "?limit=1&continue=%%%", "", "", 400, "BadRequest",
       "continue key is not valid"},
      {"eviction of a missing pod", "POST", pods + "/nope/eviction",
       R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"nope","namespace":"default"}})",
       "application/json", 404, "NotFound", "pods \"nope\" not found"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto a = cluster_->request(c.method, c.path, c.body,
                               c.content_type.empty() ? "application/json" : c.content_type);
    EXPECT_EQ(a.status, c.code) << a.body << a.error;
    json status = a.json();
    EXPECT_EQ(status.value("kind", ""), "Status") << a.body;
    EXPECT_EQ(status.value("reason", ""), c.reason) << a.body;
    EXPECT_EQ(status.value("code", 0), c.code) << a.body;
    EXPECT_NE(status.value("message", "").find(c.message_part), std::string::npos) << a.body;
  }
  auto alive = cluster_->request("GET", "/api/v1/nodes");
  EXPECT_EQ(alive.status, 200);
  EXPECT_EQ(alive.json()["items"].size(), 3u);
}

TEST_F(BadInput, VersionComesFromTheScenario) {
  ASSERT_TRUE(cluster_->ready()) << cluster_->start_error();
  auto a = cluster_->request("GET", "/version");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.json().value("gitVersion", ""), "v1.35.2");
}

}  // namespace
