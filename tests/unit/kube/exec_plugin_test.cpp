// Exec credential plugins end to end: tiny shell-script plugins written by the test, run by the
// client against the local HTTPS server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "pkg/kube/internal/base64.h"
#include "tests/unit/kube/client_fixture.h"
#include "tests/unit/kube/temp_dir.h"

namespace kube {
namespace {

using ::testing::HasSubstr;
using testing::json_reply;
using ::testing::Not;
using testing::SeenRequest;
using testing::TempDir;
using testing::TestPki;

constexpr auto kExecutable = std::filesystem::perms::owner_all;
constexpr const char* kV1beta1 = "client.authentication.k8s.io/v1beta1";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A plugin that counts its runs in $COUNT, saves KUBERNETES_EXEC_INFO to $INFO and prints a
// token "tok-<run>" (or the file $OUTPUT when set).
const std::string kCountingPlugin = R"(#!/bin/sh
n=$(cat "$COUNT" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$COUNT"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO"
if [ -n "$OUTPUT" ]; then cat "$OUTPUT"; exit 0; fi
printf '{"kind":"ExecCredential","apiVersion":"%s","status":{"token":"tok-%s"%s}}' \
  "$API" "$n" "$EXTRA"
)";

class ExecPluginTest : public testing::ClientTest {
 protected:
  RestConfig exec_config(const std::string& api = kV1beta1, const std::string& extra = "") {
    RestConfig c = config();
    ExecConfig e;
    e.api_version = api;
    e.command = tmp.write("plugin.sh", kCountingPlugin, kExecutable);
    e.env = {{"COUNT", tmp / "count"}, {"INFO", tmp / "info"}, {"API", api}, {"EXTRA", extra}};
    e.interactive_mode = "Never";
    e.install_hint = "install it with: apt-get install kube-login";
    c.auth.exec = e;
    c.env.vars["PATH"] = "/usr/bin:/bin";
    return c;
  }
  int runs() { return std::stoi("0" + slurp(tmp / "count")); }

  TempDir tmp;
};

TEST_F(ExecPluginTest, TokenIsCachedAndRefreshedOnceAfter401) {
  server.set_handler([](const SeenRequest& req, httplib::Response& res) {
    if (req.header("Authorization") != "Bearer tok-2") {
      json_reply(res, testing::status_json(401, "Unauthorized", "Unauthorized"), 401);
    } else {
      json_reply(res, "{}");
    }
  });
  RestConfig c = exec_config();
  c.verbosity = 9;
  auto kc = client(c);
  ASSERT_TRUE(kc->get("/api/v1/nodes")) << "first token is refused, the second accepted";
  EXPECT_EQ(runs(), 2);
  ASSERT_TRUE(kc->get("/api/v1/nodes"));
  EXPECT_EQ(runs(), 2) << "the credential is cached";
  EXPECT_EQ(server.count(), 3u);
  EXPECT_THAT(all_log(), Not(HasSubstr("tok-")));
}

TEST_F(ExecPluginTest, ConcurrentCallsRunThePluginOnce) {
  auto kc = client(exec_config());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] { ok += kc->get("/api/v1/nodes").has_value(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(runs(), 1);
}

TEST_F(ExecPluginTest, ExecInfoCarriesApiVersionInteractiveAndClusterInfo) {
  RestConfig c = exec_config("client.authentication.k8s.io/v1");
  c.auth.exec->provide_cluster_info = true;
  ASSERT_TRUE(client(c)->get("/version"));
  json info = json::parse(slurp(tmp / "info"));
  EXPECT_EQ(info["kind"], "ExecCredential");
  EXPECT_EQ(info["apiVersion"], "client.authentication.k8s.io/v1");
  EXPECT_EQ(info["spec"]["interactive"], false);
  EXPECT_EQ(info["spec"]["cluster"]["server"], server.url());
  EXPECT_EQ(detail::base64_decode(
                info["spec"]["cluster"]["certificate-authority-data"].get<std::string>()),
            TestPki::get().ca.cert);
}

TEST_F(ExecPluginTest, ExpiredCredentialsRunThePluginAgain) {
  RestConfig c = exec_config(kV1beta1, R"(,"expirationTimestamp":"2001-01-01T00:00:00Z")");
  auto kc = client(c);
  ASSERT_TRUE(kc->get("/a"));
  ASSERT_TRUE(kc->get("/b"));
  EXPECT_EQ(runs(), 2);
}

TEST_F(ExecPluginTest, FutureExpiryIsCached) {
  RestConfig c = exec_config(kV1beta1, R"(,"expirationTimestamp":"2999-01-01T00:00:00+02:00")");
  auto kc = client(c);
  ASSERT_TRUE(kc->get("/a"));
  ASSERT_TRUE(kc->get("/b"));
  EXPECT_EQ(runs(), 1);
}

TEST_F(ExecPluginTest, ClientCertificateFromThePlugin) {
  json cred = {{"kind", "ExecCredential"},
               {"apiVersion", kV1beta1},
               {"status",
                {{"clientCertificateData", TestPki::get().client.cert},
                 {"clientKeyData", TestPki::get().client.key}}}};
  RestConfig c = exec_config();
  c.auth.exec->env.emplace_back("OUTPUT", tmp.write("cred.json", cred.dump()));
  ASSERT_TRUE(client(c)->get("/api/v1/nodes"));
  EXPECT_EQ(server.seen()[0].client_cn, "jane");
}

TEST_F(ExecPluginTest, FailuresNeverQuoteThePluginOutput) {
  struct Case {
    std::string name, script, message;
  };
  std::vector<Case> cases = {
      {"non-zero exit", "#!/bin/sh\necho SECRET-OUTPUT\nexit 3\n",
       "getting credentials: exec: executable PLUGIN failed with exit code 3"},
      {"not JSON", "#!/bin/sh\necho '{\"token\": SECRET-OUTPUT'\n",
       "getting credentials: decoding stdout: the exec plugin did not print an ExecCredential "
       "JSON object"},
      {"wrong apiVersion",
       "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s."
       "io/v1\",\"status\":{\"token\":\"SECRET-OUTPUT\"}}'\n",
       "getting credentials: exec plugin is configured to use API version "
       "client.authentication.k8s.io/v1beta1, plugin returned version "
       "client.authentication.k8s.io/v1"},
      {"certificate without key",
       "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s."
       "io/v1beta1\",\"status\":{\"clientCertificateData\":\"SECRET-OUTPUT\"}}'\n",
       "getting credentials: exec plugin returned only certificate or key, not both"},
      {"no status",
       "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client."
       "authentication.k8s.io/v1beta1\"}'\n",
       "getting credentials: exec plugin didn't return a status field"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    RestConfig c = exec_config();
    c.auth.exec->command =
        tmp.write("bad-" + std::to_string(&tc - cases.data()), tc.script, kExecutable);
    c.verbosity = 9;
    auto r = client(c)->get("/version");
    ASSERT_FALSE(r);
    std::string expected = tc.message;
    if (auto at = expected.find("PLUGIN"); at != std::string::npos) {
      expected.replace(at, 6, c.auth.exec->command);
    }
    EXPECT_EQ(r.error().message, expected);
    EXPECT_THAT(r.error().to_string(), Not(HasSubstr("SECRET-OUTPUT")));
    EXPECT_THAT(all_log(), Not(HasSubstr("SECRET-OUTPUT")));
  }
  EXPECT_EQ(server.count(), 0u);
}

TEST_F(ExecPluginTest, MissingPluginShowsTheInstallHint) {
  RestConfig c = exec_config();
  c.auth.exec->command = "kube-login-that-is-not-installed";
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "getting credentials: exec: executable kube-login-that-is-not-installed not found");
  EXPECT_THAT(r.error().hint, HasSubstr("install it with: apt-get install kube-login"));
  EXPECT_THAT(r.error().to_string(), HasSubstr("install it with"));
}

TEST_F(ExecPluginTest, AlwaysInteractiveNeedsATerminal) {
  RestConfig c = exec_config("client.authentication.k8s.io/v1");
  c.auth.exec->interactive_mode = "Always";
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("standard input is not a terminal"));
  EXPECT_EQ(runs(), 0);
}

TEST_F(ExecPluginTest, InvalidApiVersionIsRefused) {
  RestConfig c = exec_config("client.authentication.k8s.io/v1alpha1");
  auto r = client(c)->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\"");
}

// From a kubeconfig on disk to a request: relative exec command, CA data, namespace.
TEST_F(ExecPluginTest, KubeconfigToRequestEndToEnd) {
  tmp.write("cfg/bin/plugin.sh", kCountingPlugin, kExecutable);
  std::string kubeconfig =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n"
      "    server: " +
      server.url() +
      "\n    certificate-authority-data: " + detail::base64_encode(TestPki::get().ca.cert) +
      "\nusers:\n- name: admin\n  user:\n    exec:\n"
      "      apiVersion: client.authentication.k8s.io/v1\n"
      "      command: ./bin/plugin.sh\n      interactiveMode: IfAvailable\n"
      "      env:\n      - {name: COUNT, value: " +
      (tmp / "count") + "}\n      - {name: INFO, value: " + (tmp / "info") +
      "}\n      - {name: API, value: client.authentication.k8s.io/v1}\n"
      "contexts:\n- name: sim\n  context: {cluster: sim, user: admin, "
      "namespace: kube-system}\ncurrent-context: sim\n";
  Environment env;
  env.vars["KUBECONFIG"] = tmp.write("cfg/config", kubeconfig);
  env.vars["PATH"] = "/usr/bin:/bin";
  auto config = load_rest_config({}, env);
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->namespace_, "kube-system");
  ASSERT_TRUE(client(*config)->get("/api/v1/namespaces/kube-system/pods"));
  EXPECT_EQ(server.seen()[0].header("Authorization"), "Bearer tok-1");
}

}  // namespace
}  // namespace kube
