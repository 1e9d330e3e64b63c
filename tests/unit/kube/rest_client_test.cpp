// RestClient against a local HTTPS server: TLS verification, every auth kind, Status decoding,
// transport errors, warnings, request logging and concurrency.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pkg/kube/retrying_client.h"
#include "tests/unit/kube/client_fixture.h"
#include "tests/unit/kube/temp_dir.h"

namespace kube {
namespace {

using ::testing::HasSubstr;
using testing::json_reply;
using ::testing::Not;
using testing::SeenRequest;
using testing::status_json;
using testing::TestPki;

class RestClientTest : public testing::ClientTest {};

TEST_F(RestClientTest, GetsAnObjectOverVerifiedTls) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    json_reply(res, R"({"kind":"Node","metadata":{"name":"n1"}})");
  });
  auto node = client(config())->get("/api/v1/nodes/n1");
  ASSERT_TRUE(node) << node.error().to_string();
  EXPECT_EQ((*node)["metadata"]["name"], "n1");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/api/v1/nodes/n1");
  EXPECT_EQ(seen[0].header("Accept"), "application/json, */*");
}

TEST_F(RestClientTest, QueryParametersAreEscaped) {
  auto c = client(config());
  ASSERT_TRUE(
      c->get("/api/v1/pods", {{"fieldSelector", "spec.nodeName=w 1,status.phase!=Failed"}}));
  EXPECT_EQ(server.seen()[0].query.at("fieldSelector"), "spec.nodeName=w 1,status.phase!=Failed");
}

TEST_F(RestClientTest, UnknownCertificateAuthorityFailsVerificationNamingTheServer) {
  RestConfig c = config();
  c.tls.ca_data = TestPki::get().other_ca.cert;
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
  EXPECT_EQ(r.error().failure, TransportFailure::kTls);
  EXPECT_THAT(r.error().message,
              HasSubstr("Unable to connect to the server 127.0.0.1:" +
                        std::to_string(server.port()) + ": tls: failed to verify certificate"));
  EXPECT_EQ(server.count(), 0u);
  EXPECT_EQ(r.error().to_string().rfind("Unable to connect to the server 127.0.0.1:", 0), 0u)
      << "printed bare, as kubectl does";
}

TEST_F(RestClientTest, CaFromAFileWorks) {
  testing::TempDir tmp;
  RestConfig c = config();
  c.tls.ca_data.clear();
  c.tls.ca_file = tmp.write("ca.crt", TestPki::get().ca.cert);
  EXPECT_TRUE(client(c)->get("/version"));
}

TEST_F(RestClientTest, InsecureSkipsVerification) {
  RestConfig c = config();
  c.tls.ca_data.clear();
  c.tls.insecure = true;
  EXPECT_TRUE(client(c)->get("/version"));
}

TEST_F(RestClientTest, TlsServerNameIsUsedForTheCertificateCheck) {
  RestConfig c = config();
  c.tls.server_name = "api.internal.test";
  EXPECT_TRUE(client(c)->get("/version"));
  c.tls.server_name = "wrong.example";
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, TransportFailure::kTls);
}

TEST_F(RestClientTest, ClientCertificateFromData) {
  RestConfig c = config();
  c.tls.cert_data = TestPki::get().client.cert;
  c.tls.key_data = Secret(TestPki::get().client.key);
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  EXPECT_EQ(server.seen()[0].client_cn, "jane");
  EXPECT_EQ(server.seen()[0].header("Authorization"), "");
}

TEST_F(RestClientTest, ClientCertificateFromFiles) {
  testing::TempDir tmp;
  RestConfig c = config();
  c.tls.cert_file = tmp.write("c.crt", TestPki::get().client.cert);
  c.tls.key_file = tmp.write("c.key", TestPki::get().client.key);
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  EXPECT_EQ(server.seen()[0].client_cn, "jane");
}

TEST_F(RestClientTest, NewConnectionsNeverResumeTlsSessions) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    res.set_header("Connection", "close");  // every request on a fresh connection
    json_reply(res, "{}");
  });
  RestConfig c = config();
  c.tls.cert_data = TestPki::get().client.cert;
  c.tls.key_data = Secret(TestPki::get().client.key);
  auto kc = client(c);
  for (int i = 0; i < 3; ++i) {
    auto r = kc->get("/api/v1/nodes");
    ASSERT_TRUE(r) << "request " << i << ": " << r.error().to_string();
  }
  for (const auto& seen : server.seen()) EXPECT_EQ(seen.client_cn, "jane");
}

TEST_F(RestClientTest, BearerToken) {
  RestConfig c = config();
  c.auth.token = Secret("tok-123");
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  EXPECT_EQ(server.seen()[0].header("Authorization"), "Bearer tok-123");
}

TEST_F(RestClientTest, TokenFileIsReadAndReReadAfterAMinute) {
  testing::TempDir tmp;
  RestConfig c = config();
  c.auth.token_file = tmp.write("token", "first\n");
  auto kc = client(c);
  ASSERT_TRUE(kc->get("/a"));
  tmp.write("token", "second\n");
  ASSERT_TRUE(kc->get("/b"));  // still cached
  clock->sleep_for(std::chrono::seconds(61));
  ASSERT_TRUE(kc->get("/c"));
  auto seen = server.seen();
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer first");
  EXPECT_EQ(seen[1].header("Authorization"), "Bearer first");
  EXPECT_EQ(seen[2].header("Authorization"), "Bearer second");
}

TEST_F(RestClientTest, BasicAuth) {
  RestConfig c = config();
  c.auth.username = "admin";
  c.auth.password = Secret("s3cret");
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  EXPECT_EQ(server.seen()[0].header("Authorization"), "Basic YWRtaW46czNjcmV0");
}

TEST_F(RestClientTest, ImpersonationHeaders) {
  RestConfig c = config();
  c.impersonate.user = "jane";
  c.impersonate.uid = "42";
  c.impersonate.groups = {"ops", "dev"};
  c.impersonate.extra["scopes"] = {"view"};
  c.impersonate.extra["example.com/team"] = {"a", "b"};
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  auto seen = server.seen();
  const auto& h = seen[0].headers;
  EXPECT_EQ(server.seen()[0].header("Impersonate-User"), "jane");
  EXPECT_EQ(server.seen()[0].header("Impersonate-Uid"), "42");
  EXPECT_EQ(h.count("Impersonate-Group"), 2u);
  EXPECT_EQ(server.seen()[0].header("Impersonate-Extra-scopes"), "view");
  EXPECT_EQ(h.count("Impersonate-Extra-example.com%2fteam"), 2u);
}

TEST_F(RestClientTest, WritesSendTheirContentTypes) {
  auto c = client(config());
  json body = {{"metadata", {{"name", "x"}}}};
  ASSERT_TRUE(c->create("/api/v1/namespaces/d/configmaps", body));
  ASSERT_TRUE(c->update("/api/v1/namespaces/d/configmaps/x", body));
  ASSERT_TRUE(c->patch("/api/v1/nodes/n1", PatchType::kStrategicMerge,
                       {{"spec", {{"unschedulable", true}}}}));
  ASSERT_TRUE(c->patch("/api/v1/nodes/n1", PatchType::kJson, json::array()));
  ASSERT_TRUE(c->patch("/api/v1/nodes/n1", PatchType::kMerge, json::object()));
  ASSERT_TRUE(c->remove("/api/v1/namespaces/d/pods/p", {{"gracePeriodSeconds", 0}}));
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(json::parse(seen[0].body), body);
  EXPECT_EQ(seen[0].header("Content-Type"), "application/json");
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[2].header("Content-Type"), "application/strategic-merge-patch+json");
  EXPECT_EQ(seen[3].header("Content-Type"), "application/json-patch+json");
  EXPECT_EQ(seen[4].header("Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(seen[5].method, "DELETE");
  EXPECT_EQ(json::parse(seen[5].body)["gracePeriodSeconds"], 0);
}

TEST_F(RestClientTest, InvalidUtf8InABodyIsReplacedNotThrown) {
  auto r = client(config())->create("/api/v1/namespaces/default/events",
                                    {{"message", std::string("tail \xff\xfe of a log")}});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(json::parse(server.seen()[0].body)["message"],
            "tail \xEF\xBF\xBD\xEF\xBF\xBD of a log");
}

TEST_F(RestClientTest, StatusErrorsAreDecodedWithCauses) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    json_reply(res,
               status_json(422, "Invalid", "Pod \\\"p\\\" is invalid",
                           R"({"name":"p","kind":"pods","causes":[{"reason":"FieldValueInvalid",)"
                           R"("message":"bad","field":"spec.x"}],"retryAfterSeconds":7})"),
               422);
  });
  auto r = client(config())->create("/api/v1/namespaces/d/pods", json::object());
  ASSERT_FALSE(r);
  const Error& e = r.error();
  EXPECT_EQ(e.kind, ErrorKind::kApi);
  EXPECT_EQ(e.status.code, 422);
  EXPECT_EQ(e.status.reason, "Invalid");
  EXPECT_EQ(e.status.name, "p");
  EXPECT_EQ(e.status.kind, "pods");
  ASSERT_EQ(e.status.causes.size(), 1u);
  EXPECT_EQ(e.status.causes[0].reason, "FieldValueInvalid");
  EXPECT_EQ(e.status.causes[0].field, "spec.x");
  EXPECT_EQ(e.status.retry_after_seconds, 7);
  EXPECT_EQ(e.to_string(), "Error from server (Invalid): Pod \"p\" is invalid");
}

TEST_F(RestClientTest, NotFoundPrintsLikeKubectl) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    json_reply(res, status_json(404, "NotFound", "nodes \\\"x\\\" not found"), 404);
  });
  auto r = client(config())->get("/api/v1/nodes/x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().not_found());
  EXPECT_EQ(r.error().to_string(), "Error from server (NotFound): nodes \"x\" not found");
}

TEST_F(RestClientTest, UnauthorizedPrintsLikeKubectl) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    json_reply(res, status_json(401, "Unauthorized", "Unauthorized"), 401);
  });
  auto r = client(config())->get("/api/v1/nodes");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "error: You must be logged in to the server (Unauthorized)\n"
            "the server refused the credentials of user \"u1\": renew them (token, certificate "
            "or exec plugin login) and try again");
}

TEST_F(RestClientTest, NonStatusBodiesBecomeClientGoGenericStatuses) {
  struct Case {
    int code;
    std::string body, method, path, reason, message;
  };
  std::vector<Case> cases = {
      {500, "boom", "GET", "/api/v1/namespaces/d/pods/x", "InternalError",
       "an error on the server (\"boom\") has prevented the request from succeeding (get pods x)"},
      {404, "", "GET", "/apis/apps/v1/namespaces/d/deployments/web", "NotFound",
       "the server could not find the requested resource (get deployments.apps web)"},
      {409, "", "POST", "/api/v1/namespaces/d/pods", "AlreadyExists",
       "the server reported a conflict (post pods)"},
      {409, "", "PUT", "/api/v1/nodes/n1", "Conflict",
       "the server reported a conflict (put nodes n1)"},
      {503, "", "GET", "/version", "ServiceUnavailable",
       "the server is currently unable to handle the request"},
      {429, "", "GET", "/api/v1/nodes", "TooManyRequests",
       "the server has received too many requests and has asked us to try again later (get "
       "nodes)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.code) + " " + c.path);
    server.set_handler([&](const SeenRequest&, httplib::Response& res) {
      res.status = c.code;
      res.set_content(c.body, "text/plain");
      if (c.code == 429) res.set_header("Retry-After", "3");
    });
    auto kc = client(config());
    auto r = c.method == "POST"  ? kc->create(c.path, json::object())
             : c.method == "PUT" ? kc->update(c.path, json::object())
                                 : kc->get(c.path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().status.code, c.code);
    EXPECT_EQ(r.error().status.reason, c.reason);
    EXPECT_EQ(r.error().status.message, c.message);
    if (c.code == 429) {
      EXPECT_EQ(r.error().status.retry_after_seconds, 3);
    }
  }
}

TEST_F(RestClientTest, RefusedConnectionIsKubectlsSentence) {
  RestConfig c = config();
  int port = 0;
  {
    testing::TestServer closed;  // take a free port, then close it
    port = closed.port();
  }
  c.server = "https://127.0.0.1:" + std::to_string(port);
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, TransportFailure::kRefused);
  EXPECT_EQ(r.error().to_string(),
            "The connection to the server 127.0.0.1:" + std::to_string(port) +
                " was refused - did you specify the right host or port?\n" + r.error().hint);
}

TEST_F(RestClientTest, UnknownHostIsADnsError) {
  RestConfig c = config();
  c.server = "https://nonexistent.invalid:6443";
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, TransportFailure::kDns);
  EXPECT_THAT(r.error().message,
              HasSubstr("Unable to connect to the server nonexistent.invalid:6443"));
}

TEST_F(RestClientTest, ServerWarningsAreShownOncePerText) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    res.set_header("Warning", R"(299 - "policy/v1beta1 PodSecurityPolicy is deprecated")");
    json_reply(res, "{}");
  });
  auto c = client(config());
  ASSERT_TRUE(c->get("/a"));
  ASSERT_TRUE(c->get("/b"));
  EXPECT_EQ(warnings, std::vector<std::string>{"policy/v1beta1 PodSecurityPolicy is deprecated"});
}

TEST_F(RestClientTest, Verbosity6LogsOneLinePerRequest) {
  RestConfig c = config();
  c.verbosity = 6;
  ASSERT_TRUE(client(c)->get("/api/v1/nodes/n1"));
  ASSERT_EQ(log_lines.size(), 1u) << all_log();
  EXPECT_THAT(log_lines[0], ::testing::MatchesRegex("GET https://127\\.0\\.0\\.1:[0-9]+/api/v1/"
                                                    "nodes/n1 200 OK in [0-9]+ milliseconds"));
}

TEST_F(RestClientTest, Verbosity8CutsBodiesAt1024) {
  std::string big(3000, 'x');
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    json_reply(res, "{\"data\":\"" + big + "\"}");
  });
  RestConfig c = config();
  c.verbosity = 8;
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  std::string log = all_log();
  EXPECT_THAT(log, HasSubstr("Response Headers:"));
  EXPECT_THAT(log, HasSubstr(" [truncated 1987 chars]"));
}

TEST_F(RestClientTest, Verbosity9NeverShowsTheTokenOrPassword) {
  RestConfig c = config();
  c.verbosity = 9;
  c.auth.token = Secret("very-secret-token-value");
  auto kc = client(c);
  ASSERT_TRUE(kc->create("/api/v1/namespaces/d/configmaps", {{"a", 1}}));
  c.auth.token = Secret();
  c.auth.username = "admin";
  c.auth.password = Secret("very-secret-password");
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  std::string log = all_log();
  EXPECT_THAT(log, HasSubstr("Authorization: Bearer <masked>"));
  EXPECT_THAT(log, HasSubstr("Authorization: Basic <masked>"));
  EXPECT_THAT(log, HasSubstr("curl -v -XPOST "));
  EXPECT_THAT(log, ::testing::ContainsRegex("POST https://[^ ]+/configmaps 200 OK in"));
  EXPECT_THAT(log, HasSubstr("Request Body: {\"a\":1}"));
  EXPECT_THAT(log, Not(HasSubstr("very-secret-token-value")));
  EXPECT_THAT(log, Not(HasSubstr("very-secret-password")));
  EXPECT_THAT(log, Not(HasSubstr("YWRtaW46dmVyeS1zZWNyZXQtcGFzc3dvcmQ=")));  // base64 of it
}

TEST_F(RestClientTest, SystemRootsFromSslCertFile) {
  testing::TempDir tmp;
  RestConfig c = config();
  c.tls.ca_data.clear();
  auto before = client(c)->get("/version");  // the Debian bundle does not know the test CA
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().failure, TransportFailure::kTls);
  c.env.vars["SSL_CERT_FILE"] = tmp.write("roots.pem", TestPki::get().ca.cert);
  EXPECT_TRUE(client(c)->get("/version"));
}

TEST_F(RestClientTest, RequestTimeoutIsATimeoutError) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    json_reply(res, "{}");
  });
  RestConfig c = config();
  c.request_timeout = std::chrono::milliseconds(100);
  auto r = client(c)->get("/api/v1/nodes");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, TransportFailure::kTimeout);
  EXPECT_THAT(r.error().message, HasSubstr("timed out after 100ms"));
}

TEST_F(RestClientTest, CredentialsAreNeverSentOverPlainHttp) {
  RestConfig c = config();
  c.server = "http://127.0.0.1:" + std::to_string(server.port());
  c.auth.token = Secret("tok");
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kConfig);
  EXPECT_THAT(r.error().message, HasSubstr("over plain http"));
  EXPECT_EQ(server.count(), 0u);
}

TEST_F(RestClientTest, Verbosity7ShowsTheRequestHeadersThenTheStatus) {
  RestConfig c = config();
  c.verbosity = 7;
  c.auth.token = Secret("tok-7");
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  ASSERT_GE(log_lines.size(), 4u) << all_log();
  EXPECT_EQ(log_lines[0], "GET " + server.url() + "/api/v1/nodes");
  EXPECT_EQ(log_lines[1], "Request Headers:");
  std::string log = all_log();
  EXPECT_THAT(log, HasSubstr("    Authorization: Bearer <masked>"));
  EXPECT_THAT(log_lines.back(), ::testing::MatchesRegex("Response Status: 200 OK in [0-9]+ "
                                                        "milliseconds"));
  EXPECT_THAT(log, Not(HasSubstr("Response Headers:")));
  EXPECT_THAT(log, Not(HasSubstr("Response Body:")));
  EXPECT_THAT(log, Not(HasSubstr("tok-7")));
}

TEST_F(RestClientTest, CompressionUnlessDisabled) {
  RestConfig c = config();
  ASSERT_TRUE(client(c)->get("/a"));
  c.disable_compression = true;
  ASSERT_TRUE(client(c)->get("/b"));
  auto seen = server.seen();
  EXPECT_EQ(seen[0].header("Accept-Encoding"), "gzip");
  EXPECT_EQ(seen[1].header("Accept-Encoding"), "");
}

TEST_F(RestClientTest, ManyThreadsShareOneClient) {
  server.set_handler([](const SeenRequest& req, httplib::Response& res) {
    json_reply(res, "{\"path\":\"" + req.path + "\"}");
  });
  auto c = client(config());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string path = "/p/" + std::to_string(t) + "/" + std::to_string(i);
        auto r = c->create(path, json::object());
        if (r && (*r)["path"] == path) {
          ++ok;
        } else if (!r) {
          ADD_FAILURE() << r.error().to_string();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 60);
}

TEST_F(RestClientTest, CancellationStopsAFollowedStream) {
  std::atomic<bool> cancel{false};
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&](size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return sink.write("line\n", 5);  // false once the client has gone
    });
  });
  ClientOptions o = options();
  o.cancel_flag = &cancel;
  auto c = make_client(config(), o);
  int chunks = 0;
  auto r =
      c->stream("/api/v1/namespaces/d/pods/p/log", {{"follow", "true"}}, [&](std::string_view) {
        if (++chunks == 3) cancel = true;
        return true;
      });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  EXPECT_GE(chunks, 3);
}

}  // namespace
}  // namespace kube
