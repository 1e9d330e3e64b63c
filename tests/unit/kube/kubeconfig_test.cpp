// kubeconfig loading and resolution, table-driven: each case writes its files into a fresh temp
// folder, sets flags and environment, and checks the RestConfig or the exact error.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "pkg/kube/rest_config.h"
#include "tests/unit/kube/temp_dir.h"

namespace kube {
namespace {

using testing::TempDir;

// A one-cluster kubeconfig; `extra_cluster` / `extra_user` are indented YAML lines.
std::string kubeconfig(const std::string& server, const std::string& extra_cluster = "",
                       const std::string& extra_user = "", const std::string& ns = "") {
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: c1\n  cluster:\n    server: " + server +
         "\n" + extra_cluster + "users:\n- name: u1\n  user:\n" +
         (extra_user.empty() ? "    {}\n" : extra_user) +
         "contexts:\n- name: ctx1\n  context:\n    cluster: c1\n    user: u1\n" +
         (ns.empty() ? "" : "    namespace: " + ns + "\n") + "current-context: ctx1\n";
}

const std::string kTwoContexts = R"(apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod:6443
    tls-server-name: prod.internal
    certificate-authority-data: UFJPRC1DQQ==
- name: dev
  cluster:
    server: https://dev:6443
users:
- name: admin
  user:
    token: admin-token
- name: dev-user
  user:
    username: dev
    password: devpass
contexts:
- name: prod
  context: {cluster: prod, user: admin, namespace: kube-system}
- name: dev
  context: {cluster: dev, user: dev-user}
- name: broken
  context: {cluster: nowhere, user: admin}
current-context: prod
)";

struct Env {
  ConfigFlags flags;
  Environment env;
};

struct Case {
  std::string name;
  std::map<std::string, std::string> files;  // relative to the temp root
  std::function<void(Env&, const TempDir&)> setup;
  std::string error;  // expected error message; empty = success
  std::function<void(const RestConfig&, const TempDir&)> check;
};

void home_config(Env& e, const TempDir& t) {
  e.env.vars["HOME"] = t / "home";
}

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](Case c) { out.push_back(std::move(c)); };
  const std::string home = "home/.kube/config";

  // --- which files ---
  add({"HOME config is used by default",
       {{home, kubeconfig("https://h:6443")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.server, "https://h:6443");
         EXPECT_EQ(c.context_name, "ctx1");
         EXPECT_EQ(c.cluster_name, "c1");
         EXPECT_EQ(c.user_name, "u1");
         EXPECT_EQ(c.namespace_, "default");
         EXPECT_FALSE(c.namespace_explicit);
       }});
  add({"nothing configured names every place looked at", {}, home_config, "", nullptr});
  out.back().check = nullptr;
  out.back().error = "!no configuration has been provided";
  add({"HOME unset is reported",
       {},
       [](Env&, const TempDir&) {},
       "!$HOME/.kube/config ($HOME is not set)",
       nullptr});
  add({"--kubeconfig must exist",
       {},
       [](Env& e, const TempDir& t) { e.flags.kubeconfig = t / "missing"; },
       "",
       nullptr});
  out.back().error = "!no such file or directory";
  add({"--kubeconfig wins over KUBECONFIG and HOME",
       {{"a.yaml", kubeconfig("https://a:1")},
        {"b.yaml", kubeconfig("https://b:1")},
        {home, kubeconfig("https://h:1")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.kubeconfig = t / "a.yaml";
         e.env.vars["KUBECONFIG"] = t / "b.yaml";
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://a:1"); }});
  add({"KUBECONFIG wins over HOME",
       {{"b.yaml", kubeconfig("https://b:1")}, {home, kubeconfig("https://h:1")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.env.vars["KUBECONFIG"] = t / "b.yaml";
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://b:1"); }});
  add({"KUBECONFIG skips missing files and empty entries",
       {{"b.yaml", kubeconfig("https://b:1")}},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBECONFIG"] = "::" + (t / "missing.yaml") + "::" + (t / "b.yaml");
       },
       "",
       [](const RestConfig& c, const TempDir& t) {
         EXPECT_EQ(c.server, "https://b:1");
         EXPECT_EQ(c.kubeconfig_files, std::vector<std::string>{t / "b.yaml"});
       }});
  add({"KUBECONFIG with only missing files is no configuration",
       {},
       [](Env& e, const TempDir& t) { e.env.vars["KUBECONFIG"] = t / "missing.yaml"; },
       "!missing.yaml (not found)",
       nullptr});
  add({"an unparsable file is an error naming it",
       {{"bad.yaml", "clusters: [unclosed\n"}},
       [](Env& e, const TempDir& t) { e.env.vars["KUBECONFIG"] = t / "bad.yaml"; },
       "!bad.yaml\": ",
       nullptr});
  add({"a file with the wrong shape is an error",
       {{"bad.yaml", "clusters: 7\n"}},
       [](Env& e, const TempDir& t) { e.env.vars["KUBECONFIG"] = t / "bad.yaml"; },
       "!field \"clusters\" must be a list",
       nullptr});
  add({"an empty file is an empty config",
       {{"empty.yaml", ""}, {"b.yaml", kubeconfig("https://b:1")}},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBECONFIG"] = (t / "empty.yaml") + ":" + (t / "b.yaml");
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://b:1"); }});

  // --- merging ---
  add({"first file defining a cluster wins",
       {{"a.yaml", kubeconfig("https://first:1")}, {"b.yaml", kubeconfig("https://second:1")}},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBECONFIG"] = (t / "a.yaml") + ":" + (t / "b.yaml");
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://first:1"); }});
  add({"the winning entry is used whole, not field by field",
       {{"a.yaml", "clusters:\n- name: c1\n  cluster:\n    server: https://first:1\n"},
        {"b.yaml", kubeconfig("https://second:1", "    tls-server-name: from-second\n")}},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBECONFIG"] = (t / "a.yaml") + ":" + (t / "b.yaml");
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.server, "https://first:1");
         EXPECT_EQ(c.tls.server_name, "");
       }});
  add({"current-context comes from the first file that sets one",
       {{"a.yaml", "clusters: []\n"},
        {"b.yaml", kTwoContexts},
        {"c.yaml", "current-context: prod\n"}},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBECONFIG"] = (t / "a.yaml") + ":" + (t / "c.yaml") + ":" + (t / "b.yaml");
         // c.yaml sets prod first; b.yaml's own current-context (prod) comes later.
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.context_name, "prod"); }});
  add({"a later file's current-context does not override an earlier one",
       {{"a.yaml", "current-context: dev\n"}, {"b.yaml", kTwoContexts}},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBECONFIG"] = (t / "a.yaml") + ":" + (t / "b.yaml");
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.context_name, "dev");
         EXPECT_EQ(c.server, "https://dev:6443");
       }});

  // --- paths and data ---
  add({"relative certificate-authority resolves against the file's folder",
       {{"cfg/k.yaml", kubeconfig("https://h:1", "    certificate-authority: pki/ca.crt\n")},
        {"cfg/pki/ca.crt", "CA"}},
       [](Env& e, const TempDir& t) { e.flags.kubeconfig = t / "cfg/k.yaml"; },
       "",
       [](const RestConfig& c, const TempDir& t) {
         EXPECT_EQ(c.tls.ca_file, t / "cfg/pki/ca.crt");
       }});
  add({"relative client certificate, key and tokenFile resolve too",
       {{"cfg/k.yaml", kubeconfig("https://h:1", "",
                                  "    client-certificate: c.crt\n    client-key: ../keys/c.key\n"
                                  "    tokenFile: tok\n")},
        {"cfg/c.crt", "CERT"},
        {"keys/c.key", "KEY"},
        {"cfg/tok", "T"}},
       [](Env& e, const TempDir& t) { e.flags.kubeconfig = t / "cfg/k.yaml"; },
       "",
       [](const RestConfig& c, const TempDir& t) {
         EXPECT_EQ(c.tls.cert_file, t / "cfg/c.crt");
         EXPECT_EQ(c.tls.key_file, t / "keys/c.key");
         EXPECT_EQ(c.auth.token_file, t / "cfg/tok");
       }});
  add({"exec command with a slash resolves against the folder, bare names stay for PATH",
       {{"cfg/k.yaml",
         kubeconfig("https://h:1", "",
                    "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                    "      command: ./bin/plugin\n")}},
       [](Env& e, const TempDir& t) { e.flags.kubeconfig = t / "cfg/k.yaml"; },
       "",
       [](const RestConfig& c, const TempDir& t) {
         ASSERT_TRUE(c.auth.exec);
         EXPECT_EQ(c.auth.exec->command, t / "cfg/bin/plugin");
       }});
  add({"exec command without a slash is left for PATH",
       {{home, kubeconfig("https://h:1", "",
                          "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                          "      command: aws\n      args: [eks, get-token]\n"
                          "      env: [{name: A, value: b}]\n")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         ASSERT_TRUE(c.auth.exec);
         EXPECT_EQ(c.auth.exec->command, "aws");
         EXPECT_EQ(c.auth.exec->args, (std::vector<std::string>{"eks", "get-token"}));
         ASSERT_EQ(c.auth.exec->env.size(), 1u);
         EXPECT_EQ(c.auth.exec->env[0].second, "b");
       }});
  add({"*-data fields are base64-decoded",
       {{home, kubeconfig("https://h:1", "    certificate-authority-data: Q0EtUEVN\n",
                          "    client-certificate-data: Q0VSVA==\n"
                          "    client-key-data: S0VZ\n")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.tls.ca_data, "CA-PEM");
         EXPECT_EQ(c.tls.cert_data, "CERT");
         EXPECT_EQ(c.tls.key_data.expose(), "KEY");
       }});
  add({"invalid base64 is an error naming the field",
       {{home, kubeconfig("https://h:1", "    certificate-authority-data: '%%%'\n")}},
       home_config,
       "!field \"certificate-authority-data\" is not valid base64",
       nullptr});

  // --- names ---
  add({"--context picks another context",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.context = "dev";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.server, "https://dev:6443");
         EXPECT_EQ(c.auth.username, "dev");
       }});
  add({"--context naming a missing context",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.context = "nope";
       },
       "context \"nope\" does not exist",
       nullptr});
  add({"--cluster naming a missing cluster",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.cluster = "nope";
       },
       "cluster \"nope\" does not exist",
       nullptr});
  add({"--user naming a missing user",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.user = "nope";
       },
       "auth info \"nope\" does not exist",
       nullptr});
  add({"a missing user is reported before a missing context",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.user = "nouser";
         e.flags.context = "noctx";
       },
       "auth info \"nouser\" does not exist",
       nullptr});
  add({"current-context naming a missing context",
       {{home,
         "clusters:\n- name: c1\n  cluster: {server: 'https://h:1'}\n"
         "contexts:\n- name: x\n  context: {cluster: c1}\ncurrent-context: ghost\n"}},
       home_config,
       "Error in configuration: context was not found for specified context: ghost",
       nullptr});
  add({"--cluster and --user override the context's",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.cluster = "dev";
         e.flags.user = "dev-user";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.context_name, "prod");
         EXPECT_EQ(c.server, "https://dev:6443");
         EXPECT_TRUE(c.auth.token.empty());
         EXPECT_EQ(c.auth.username, "dev");
         EXPECT_EQ(c.namespace_, "kube-system");
       }});
  add({"a context naming a missing cluster says so",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.context = "broken";
       },
       "context \"broken\" refers to cluster \"nowhere\", which does not exist in the kubeconfig",
       nullptr});
  add({"contexts without a current-context ask for --context",
       {{home,
         "clusters:\n- name: c1\n  cluster: {server: 'https://h:1'}\n"
         "contexts:\n- name: a\n  context: {cluster: c1}\n"
         "- name: b\n  context: {cluster: c1}\n"}},
       home_config,
       "!sets no current-context",
       nullptr});
  add({"--context works without a current-context",
       {{home,
         "clusters:\n- name: c1\n  cluster: {server: 'https://h:1'}\n"
         "contexts:\n- name: a\n  context: {cluster: c1}\n"}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.context = "a";
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://h:1"); }});
  add({"a cluster without a server",
       {{home,
         "clusters:\n- name: c1\n  cluster: {insecure-skip-tls-verify: true}\n"
         "contexts:\n- name: x\n  context: {cluster: c1}\ncurrent-context: x\n"}},
       home_config,
       "no server found for cluster \"c1\"",
       nullptr});
  add({"a context's missing user means no credentials, like client-go",
       {{home,
         "clusters:\n- name: c1\n  cluster: {server: 'https://h:1'}\n"
         "contexts:\n- name: x\n  context: {cluster: c1, user: ghost}\ncurrent-context: x\n"}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_TRUE(c.auth.token.empty());
         EXPECT_FALSE(c.auth.exec);
       }});

  // --- namespace ---
  add({"namespace from the context",
       {{home, kubeconfig("https://h:1", "", "", "team-a")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.namespace_, "team-a");
         EXPECT_TRUE(c.namespace_explicit);
       }});
  add({"-n wins over the context's namespace",
       {{home, kubeconfig("https://h:1", "", "", "team-a")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.namespace_ = "team-b";
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.namespace_, "team-b"); }});

  // --- cluster overrides ---
  add({"--server clears the kubeconfig's tls-server-name",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.server = "https://10.0.0.9:6443";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.server, "https://10.0.0.9:6443");
         EXPECT_EQ(c.tls.server_name, "");
         EXPECT_EQ(c.tls.ca_data, "PROD-CA");
       }});
  add({"--server with --tls-server-name",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.server = "https://10.0.0.9:6443";
         e.flags.tls_server_name = "api.example";
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.tls.server_name, "api.example"); }});
  add({"kubeconfig tls-server-name kept without --server",
       {{home, kTwoContexts}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.tls.server_name, "prod.internal"); }});
  add({"--certificate-authority replaces CA data",
       {{home, kTwoContexts}, {"ca.pem", "X"}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.certificate_authority = t / "ca.pem";
       },
       "",
       [](const RestConfig& c, const TempDir& t) {
         EXPECT_EQ(c.tls.ca_file, t / "ca.pem");
         EXPECT_EQ(c.tls.ca_data, "");
         EXPECT_FALSE(c.tls.insecure);
       }});
  add({"--insecure-skip-tls-verify clears CA file and data",
       {{home, kubeconfig("https://h:1",
                          "    certificate-authority: ca.pem\n"
                          "    certificate-authority-data: Q0E=\n")},
        {"home/.kube/ca.pem", "X"}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.insecure_skip_tls_verify = true;
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_TRUE(c.tls.insecure);
         EXPECT_EQ(c.tls.ca_file, "");
         EXPECT_EQ(c.tls.ca_data, "");
       }});
  add({"--insecure-skip-tls-verify=false changes nothing",
       {{home, kTwoContexts}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.insecure_skip_tls_verify = false;
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.tls.ca_data, "PROD-CA"); }});
  add({"CA together with insecure in the kubeconfig is an error",
       {{home, kubeconfig("https://h:1",
                          "    insecure-skip-tls-verify: true\n"
                          "    certificate-authority-data: Q0E=\n")}},
       home_config,
       "specifying a root certificates file with the insecure flag is not allowed",
       nullptr});
  add({"an unreadable CA file is an error",
       {{home, kubeconfig("https://h:1", "    certificate-authority: /nonexistent/ca.pem\n")}},
       home_config,
       "unable to read certificate-authority /nonexistent/ca.pem for c1 due to open "
       "/nonexistent/ca.pem: no such file or directory",
       nullptr});
  add({"disable-compression, proxy-url and a trailing slash",
       {{home, kubeconfig("https://h:1/",
                          "    disable-compression: true\n"
                          "    proxy-url: socks5://proxy:1080\n")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.server, "https://h:1");
         EXPECT_TRUE(c.disable_compression);
         EXPECT_EQ(c.proxy_url, "socks5://proxy:1080");
       }});
  add({"a bare host:port with a CA gets https",
       {{home, kubeconfig("h:6443", "    insecure-skip-tls-verify: true\n")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://h:6443"); }});
  add({"credentials over plain http are refused",
       {{home, kubeconfig("http://h:8080", "", "    token: abc\n")}},
       home_config,
       "refusing to send credentials to http://h:8080 over plain http",
       nullptr});

  // --- users ---
  add({"--token bypasses tokenFile and exec",
       {{home, kubeconfig("https://h:1", "",
                          "    tokenFile: /nonexistent\n    exec:\n"
                          "      apiVersion: client.authentication.k8s.io/v1\n"
                          "      command: plugin\n      interactiveMode: Never\n")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.token = "flag-token";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.auth.token.expose(), "flag-token");
         EXPECT_EQ(c.auth.token_file, "");
         EXPECT_FALSE(c.auth.exec);
       }});
  add({"a missing tokenFile is an error",
       {{home, kubeconfig("https://h:1", "", "    tokenFile: /nonexistent/t\n")}},
       home_config,
       "open /nonexistent/t: no such file or directory",
       nullptr});
  add({"token and basic auth together are refused",
       {{home, kubeconfig("https://h:1", "", "    token: t\n    username: a\n    password: b\n")}},
       home_config,
       "more than one authentication method found for u1; found [token basicAuth], only one is "
       "allowed",
       nullptr});
  add({"a client certificate without a key",
       {{home, kubeconfig("https://h:1", "", "    client-certificate-data: Q0VSVA==\n")}},
       home_config,
       "client-key-data or client-key must be specified for u1 to use the clientCert "
       "authentication method.",
       nullptr});
  add({"several problems are listed together like kubectl",
       {{home, kubeconfig("https://h:1", "",
                          "    client-certificate: /nonexistent/c.crt\n"
                          "    client-certificate-data: Q0VSVA==\n")}},
       home_config,
       "Error in configuration: \n"
       "* client-cert-data and client-cert are both specified for u1. client-cert-data will "
       "override.\n"
       "* client-key-data or client-key must be specified for u1 to use the clientCert "
       "authentication method.\n"
       "* unable to read client-cert /nonexistent/c.crt for u1 due to open /nonexistent/c.crt: no "
       "such file or directory",
       nullptr});
  add({"both key file and key data",
       {{home, kubeconfig("https://h:1", "",
                          "    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n"
                          "    client-key: k.pem\n")},
        {"home/.kube/k.pem", "K"}},
       home_config,
       "client-key-data and client-key are both specified for u1; client-key-data will override",
       nullptr});
  add({"a key without a certificate",
       {{home, kubeconfig("https://h:1", "", "    client-key-data: S0VZ\n")}},
       home_config,
       "client-cert-data or client-cert must be specified for u1 to use the clientCert "
       "authentication method.",
       nullptr});
  add({"impersonating groups without a user",
       {{home, kubeconfig("https://h:1", "", "    token: t\n    as-groups: [g]\n")}},
       home_config,
       "requesting uid, groups or user-extra for u1 without impersonating a user",
       nullptr});
  add({"--client-certificate and --client-key replace the kubeconfig's data",
       {{home, kubeconfig("https://h:1", "",
                          "    client-certificate-data: Q0VSVA==\n"
                          "    client-key-data: S0VZ\n")},
        {"c.crt", "C"},
        {"c.key", "K"}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.client_certificate = t / "c.crt";
         e.flags.client_key = t / "c.key";
       },
       "",
       [](const RestConfig& c, const TempDir& t) {
         EXPECT_EQ(c.tls.cert_file, t / "c.crt");
         EXPECT_EQ(c.tls.cert_data, "");
         EXPECT_TRUE(c.tls.key_data.empty());
       }});
  add({"impersonation from the kubeconfig",
       {{home, kubeconfig("https://h:1", "",
                          "    as: jane\n    as-uid: '42'\n    as-groups: [ops, dev]\n"
                          "    as-user-extra: {scopes: [view, edit]}\n")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.impersonate.user, "jane");
         EXPECT_EQ(c.impersonate.uid, "42");
         EXPECT_EQ(c.impersonate.groups, (std::vector<std::string>{"ops", "dev"}));
         EXPECT_EQ(c.impersonate.extra.at("scopes"), (std::vector<std::string>{"view", "edit"}));
       }});
  add({"--as, --as-group and --as-user-extra override",
       {{home, kubeconfig("https://h:1", "", "    as: jane\n    as-groups: [ops]\n")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.as = "bob";
         e.flags.as_groups = {"g1", "g2"};
         e.flags.as_user_extra = {"reason=upgrade"};
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.impersonate.user, "bob");
         EXPECT_EQ(c.impersonate.groups, (std::vector<std::string>{"g1", "g2"}));
         EXPECT_EQ(c.impersonate.extra.at("reason"), std::vector<std::string>{"upgrade"});
       }});
  add({"exec v1 without interactiveMode is refused",
       {{home, kubeconfig("https://h:1", "",
                          "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                          "      command: plugin\n")}},
       home_config,
       "interactiveMode must be specified for u1 to use exec authentication plugin",
       nullptr});
  add({"exec with an unknown interactiveMode",
       {{home, kubeconfig("https://h:1", "",
                          "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                          "      command: plugin\n      interactiveMode: Sometimes\n")}},
       home_config,
       "invalid interactiveMode for u1: \"Sometimes\"",
       nullptr});
  add({"exec without a command",
       {{home, kubeconfig("https://h:1", "",
                          "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n")}},
       home_config,
       "command must be specified for u1 to use exec authentication plugin",
       nullptr});
  add({"oidc auth-provider uses its id-token",
       {{home,
         kubeconfig("https://h:1", "",
                    "    auth-provider:\n      name: oidc\n      config: {id-token: idt}\n")}},
       home_config,
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.auth.token.expose(), "idt"); }});
  add({"other auth-providers are refused",
       {{home, kubeconfig("https://h:1", "", "    auth-provider:\n      name: gcp\n")}},
       home_config,
       "no Auth Provider found for name \"gcp\"",
       nullptr});

  // --- in-cluster and flags only ---
  auto in_cluster_files = std::map<std::string, std::string>{
      {"sa/token", "sa-token\n"}, {"sa/ca.crt", "CA"}, {"sa/namespace", "team-x\n"}};
  add({"in-cluster when nothing else is configured", in_cluster_files,
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.env.vars["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
         e.env.vars["KUBERNETES_SERVICE_PORT"] = "443";
         e.env.service_account_dir = t / "sa";
       },
       "",
       [](const RestConfig& c, const TempDir& t) {
         EXPECT_TRUE(c.in_cluster);
         EXPECT_EQ(c.server, "https://10.96.0.1:443");
         EXPECT_EQ(c.auth.token_file, t / "sa/token");
         EXPECT_EQ(c.tls.ca_file, t / "sa/ca.crt");
         EXPECT_EQ(c.namespace_, "team-x");
       }});
  add({"in-cluster with an IPv6 service host", in_cluster_files,
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBERNETES_SERVICE_HOST"] = "fd00::1";
         e.env.vars["KUBERNETES_SERVICE_PORT"] = "443";
         e.env.service_account_dir = t / "sa";
       },
       "",
       [](const RestConfig& c, const TempDir&) { EXPECT_EQ(c.server, "https://[fd00::1]:443"); }});
  add({"in-cluster is not used when a kubeconfig is configured",
       [&] {
         auto f = in_cluster_files;
         f[home] = kubeconfig("https://h:1");
         return f;
       }(),
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.env.vars["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
         e.env.vars["KUBERNETES_SERVICE_PORT"] = "443";
         e.env.service_account_dir = t / "sa";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_FALSE(c.in_cluster);
         EXPECT_EQ(c.server, "https://h:1");
       }});
  add({"in-cluster needs the token file",
       {},
       [](Env& e, const TempDir& t) {
         e.env.vars["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
         e.env.vars["KUBERNETES_SERVICE_PORT"] = "443";
         e.env.service_account_dir = t / "sa";
       },
       "!no configuration has been provided",
       nullptr});
  add({"--server and --token work without any kubeconfig",
       {},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.server = "https://api:6443";
         e.flags.token = "tok";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.server, "https://api:6443");
         EXPECT_EQ(c.auth.token.expose(), "tok");
         EXPECT_EQ(c.context_name, "");
       }});

  // --- request timeout and verbosity ---
  add({"--request-timeout as bare seconds",
       {{home, kubeconfig("https://h:1")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.request_timeout = "5";
         e.flags.verbosity = 7;
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.request_timeout, std::chrono::milliseconds(5000));
         EXPECT_EQ(c.verbosity, 7);
       }});
  add({"--request-timeout as a duration",
       {{home, kubeconfig("https://h:1")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.request_timeout = "1m30s";
       },
       "",
       [](const RestConfig& c, const TempDir&) {
         EXPECT_EQ(c.request_timeout, std::chrono::milliseconds(90000));
       }});
  add({"--request-timeout rejects nonsense",
       {{home, kubeconfig("https://h:1")}},
       [](Env& e, const TempDir& t) {
         home_config(e, t);
         e.flags.request_timeout = "soon";
       },
       "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
       "followed by a corresponding time unit (e.g. 1s | 2m | 3h)",
       nullptr});
  return out;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class KubeconfigTest : public ::testing::TestWithParam<Case> {};

TEST_P(KubeconfigTest, Resolves) {
  const Case& c = GetParam();
  TempDir tmp;
  for (const auto& [rel, text] : c.files) tmp.write(rel, text);
  Env e;
  e.env.service_account_dir = tmp / "no-service-account";
  c.setup(e, tmp);
  auto config = load_rest_config(e.flags, e.env);
  if (!c.error.empty()) {
    ASSERT_FALSE(config) << "expected an error";
    EXPECT_EQ(config.error().kind, ErrorKind::kConfig);
    if (c.error[0] == '!') {  // substring match for messages that contain temp paths
      EXPECT_NE(config.error().message.find(c.error.substr(1)), std::string::npos)
          << config.error().message;
    } else {
      EXPECT_EQ(config.error().message, c.error);
    }
    return;
  }
  ASSERT_TRUE(config) << config.error().message;
  c.check(*config, tmp);
}

INSTANTIATE_TEST_SUITE_P(Cases, KubeconfigTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name;
                           for (char ch : info.param.name) {
                             name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           }
                           return name;
                         });

TEST(KubeconfigNames, ListsSortedNamesAndTheCurrentContext) {
  TempDir tmp;
  Env e;
  e.env.vars["HOME"] = tmp / "home";
  tmp.write("home/.kube/config", kTwoContexts);
  auto names = kubeconfig_names(e.flags, e.env);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(names->contexts, (std::vector<std::string>{"broken", "dev", "prod"}));
  EXPECT_EQ(names->clusters, (std::vector<std::string>{"dev", "prod"}));
  EXPECT_EQ(names->users, (std::vector<std::string>{"admin", "dev-user"}));
  EXPECT_EQ(names->current_context, "prod");
  EXPECT_EQ(names->current_namespace, "kube-system");
}

TEST(KubeconfigNames, EmptyWhenNothingIsConfigured) {
  TempDir tmp;
  Env e;
  e.env.vars["HOME"] = tmp.str();
  auto names = kubeconfig_names(e.flags, e.env);
  ASSERT_TRUE(names);
  EXPECT_TRUE(names->contexts.empty());
  EXPECT_EQ(names->current_context, "");
}

TEST(ConfigurationErrors, PrintLikeKubectl) {
  TempDir tmp;
  Env e;
  e.env.vars["HOME"] = tmp.str();
  tmp.write(".kube/config", kTwoContexts);
  e.flags.context = "nope";
  auto missing = load_rest_config(e.flags, e.env);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().to_string(),
            "error: context \"nope\" does not exist\n"
            "list the contexts with: kubectl config get-contexts");
  std::string text = kTwoContexts;
  text.replace(text.find("current-context: prod"), 21, "current-context: ghost");
  tmp.write(".kube/config", text);
  e.flags.context.reset();
  auto ghost = load_rest_config(e.flags, e.env);
  ASSERT_FALSE(ghost);
  EXPECT_EQ(ghost.error().to_string().substr(0, 75),
            "Error in configuration: context was not found for specified context: ghost\n");
}

TEST(NoConfiguration, SaysWhereItLookedAndWhatToDo) {
  TempDir tmp;
  Env e;
  e.env.vars["HOME"] = tmp.str();
  e.env.service_account_dir = tmp / "sa";
  auto config = load_rest_config(e.flags, e.env);
  ASSERT_FALSE(config);
  const std::string text = config.error().to_string();
  EXPECT_NE(text.find(tmp / ".kube/config" + " (not found)"), std::string::npos) << text;
  EXPECT_NE(text.find("in-cluster service account"), std::string::npos) << text;
  EXPECT_NE(text.find("KUBECONFIG"), std::string::npos) << text;
  EXPECT_EQ(text.find("localhost:8080"), std::string::npos) << text;
}

}  // namespace
}  // namespace kube
