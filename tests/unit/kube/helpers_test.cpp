// The small pure pieces of pkg/kube, table-driven: Warning header parsing, Authorization
// masking, body truncation, --request-timeout, proxy choice, query encoding, base64, hosts.
#include <gtest/gtest.h>

#include "pkg/kube/internal/base64.h"
#include "pkg/kube/internal/curl_options.h"
#include "pkg/kube/internal/http_transport.h"
#include "pkg/kube/internal/request_log.h"
#include "pkg/kube/internal/rest_client_impl.h"
#include "pkg/kube/rest_client.h"
#include "pkg/kube/rest_config.h"

namespace kube {
namespace {

TEST(WarningTexts, ParsesRfc7234Values) {
  struct Case {
    std::string header;
    std::vector<std::string> texts;
  };
  std::vector<Case> cases = {
      {R"(299 - "policy/v1beta1 is deprecated")", {"policy/v1beta1 is deprecated"}},
      {R"(299 - "a", 299 - "b")", {"a", "b"}},
      {R"(299 - "quoted \"x\"")", {"quoted \"x\""}},
      {R"(299 - "with date" "Wed, 21 Oct 2015 07:28:00 GMT", 299 - "next")", {"with date", "next"}},
      {R"(299 - "comma, inside")", {"comma, inside"}},
      {"garbage", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(warning_texts(c.header), c.texts);
  }
}

TEST(MaskedHeaderValue, MasksEveryAuthorizationKind) {
  struct Case {
    std::string name, value, shown;
  };
  std::vector<Case> cases = {
      {"Authorization", "Bearer abc.def", "Bearer <masked>"},
      {"authorization", "bearer abc", "bearer <masked>"},
      {"Authorization", "Basic YWRtaW46cHc=", "Basic <masked>"},
      {"Authorization", "Negotiate xyz", "<masked>"},
      {"Authorization", "rawtoken", "<masked>"},
      {"Proxy-Authorization", "Basic eDp5", "Basic <masked>"},
      {"Accept", "application/json", "application/json"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name + ": " + c.value);
    EXPECT_EQ(detail::masked_header_value(c.name, c.value), c.shown);
  }
}

TEST(TruncateBody, CutsAt1024BelowVerbosity9) {
  std::string body(1500, 'b');
  EXPECT_EQ(detail::truncate_body(body, 8), std::string(1024, 'b') + " [truncated 476 chars]");
  EXPECT_EQ(detail::truncate_body(body, 9), body);
  EXPECT_EQ(detail::truncate_body("short", 8), "short");
}

TEST(ParseRequestTimeout, AcceptsWhatKubectlAccepts) {
  using std::chrono::milliseconds;
  struct Case {
    std::string text;
    std::optional<milliseconds> value;
  };
  std::vector<Case> cases = {
      {"0", milliseconds(0)},
      {"5", milliseconds(5000)},
      {"1s", milliseconds(1000)},
      {"2m", milliseconds(120000)},
      {"3h", milliseconds(10800000)},
      {"1m30s", milliseconds(90000)},
      {"500ms", milliseconds(500)},
      {"1.5s", milliseconds(1500)},
      {"-1", std::nullopt},
      {"-1s", std::nullopt},
      {"", std::nullopt},
      {"10x", std::nullopt},
      {"s", std::nullopt},
      {"1 s", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = parse_request_timeout(c.text);
    if (c.value) {
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_EQ(*r, *c.value);
    } else {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().message.rfind("Invalid timeout value.", 0), 0u);
    }
  }
}

TEST(ProxyFor, FollowsGoProxyFromEnvironmentAndTheKubeconfig) {
  struct Case {
    std::string name, url, proxy_url;
    std::map<std::string, std::string> env;
    std::string proxy, no_proxy;
  };
  std::vector<Case> cases = {
      {"no proxy configured", "https://api:6443", "", {}, "", ""},
      {"HTTPS_PROXY for https",
       "https://api:6443",
       "",
       {{"HTTPS_PROXY", "http://p:3128"}},
       "http://p:3128",
       ""},
      {"lower-case https_proxy",
       "https://api:6443",
       "",
       {{"https_proxy", "p:3128"}},
       "http://p:3128",
       ""},
      {"HTTP_PROXY is not used for https",
       "https://api:6443",
       "",
       {{"HTTP_PROXY", "http://p:1"}},
       "",
       ""},
      {"NO_PROXY is passed on",
       "https://api:6443",
       "",
       {{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "api,.corp"}},
       "http://p:1",
       "api,.corp"},
      {"loopback never goes through a proxy",
       "https://127.0.0.1:6443",
       "",
       {{"HTTPS_PROXY", "http://p:1"}},
       "",
       ""},
      {"localhost never goes through a proxy",
       "https://localhost:6443",
       "",
       {{"HTTPS_PROXY", "http://p:1"}},
       "",
       ""},
      {"proxy-url wins over the environment",
       "https://api:6443",
       "http://kc:8080",
       {{"HTTPS_PROXY", "http://p:1"}},
       "http://kc:8080",
       ""},
      {"socks5 becomes socks5h", "https://api:6443", "socks5://s:1080", {}, "socks5h://s:1080", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    RestConfig config;
    config.proxy_url = c.proxy_url;
    config.env.vars = c.env;
    std::string no_proxy;
    EXPECT_EQ(detail::proxy_for(c.url, config, &no_proxy), c.proxy);
    EXPECT_EQ(no_proxy, c.no_proxy);
  }
}

TEST(EncodeQuery, EscapesLikeGoUrlValues) {
  EXPECT_EQ(encode_query({}), "");
  EXPECT_EQ(encode_query({{"limit", "500"}, {"continue", "a+b/c=="}}),
            "?continue=a%2Bb%2Fc%3D%3D&limit=500");
  EXPECT_EQ(encode_query({{"fieldSelector", "spec.nodeName=w1,status.phase!=Failed"}}),
            "?fieldSelector=spec.nodeName%3Dw1%2Cstatus.phase%21%3DFailed");
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(detail::base64_encode("admin:pw"), "YWRtaW46cHc=");
  EXPECT_EQ(detail::base64_decode("YWRtaW46cHc="), "admin:pw");
  EXPECT_EQ(detail::base64_decode("YWRt\naW46\ncHc=\n"), "admin:pw");
  EXPECT_EQ(detail::base64_decode(""), "");
  EXPECT_EQ(detail::base64_decode("%%%%"), std::nullopt);
}

TEST(HostPort, FillsDefaultPorts) {
  EXPECT_EQ(detail::host_port("https://api.example/api"), "api.example:443");
  EXPECT_EQ(detail::host_port("https://10.0.0.1:6443/x?y"), "10.0.0.1:6443");
  EXPECT_EQ(detail::host_port("http://h"), "h:80");
  EXPECT_EQ(detail::host_port("https://[::1]:6443/"), "[::1]:6443");
  EXPECT_EQ(detail::host_port("https://[::1]/"), "[::1]:443");
}

TEST(ParseExecCredential, NeverQuotesTheOutput) {
  auto r = detail::parse_exec_credential(R"({"kind":"ExecCredential", "status": {"token": "SEKRIT)",
                                         "client.authentication.k8s.io/v1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("SEKRIT"), std::string::npos);
}

}  // namespace
}  // namespace kube
