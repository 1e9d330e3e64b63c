// The cobra __complete protocol: candidates, descriptions, the directive line, and what each
// position completes (subcommands, flags, flag values, nodes, namespaces, kubeconfig names).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cmd/kubectl-upgrade/command.h"
#include "pkg/kube/paths.h"
#include "tests/unit/cli/harness.h"

namespace {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

Lines lines(const std::string& text) {
  Lines out;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

kube::json node(const std::string& name, bool control_plane, const std::string& version) {
  kube::json n = {{"metadata", {{"name", name}, {"labels", kube::json::object()}}},
                  {"status", {{"nodeInfo", {{"kubeletVersion", version}}}}}};
  if (control_plane) n["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] = "";
  return n;
}

void ha_cluster(kube::testing::FakeClient& c) {
  c.add("/api/v1/nodes", node("w2", false, "v1.35.4"));
  c.add("/api/v1/nodes", node("cp2", true, "v1.35.4"));
  c.add("/api/v1/nodes", node("w1", false, "v1.35.4"));
  c.add("/api/v1/nodes", node("cp1", true, "v1.35.4"));
  c.add("/api/v1/namespaces", {{"metadata", {{"name", "kube-system"}}}});
  c.add("/api/v1/namespaces", {{"metadata", {{"name", "default"}}}});
  c.set_raw("/version", {{"gitVersion", "v1.35.4"}});
}

struct TempKubeconfig {
  fs::path dir;
  fs::path file;
  TempKubeconfig() {
    dir = fs::temp_directory_path() / ("ku-cli-test-" + std::to_string(getpid()));
    fs::create_directories(dir);
    file = dir / "config";
    std::ofstream(file) << R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  cluster: {server: "https://127.0.0.1:1"}
- name: dev-cluster
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: admin
  user: {token: secret}
- name: dev-user
  user: {token: secret}
contexts:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  context: {cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/prod", user: admin}
- name: dev
  context: {cluster: dev-cluster, user: dev-user}
)";
  }
  ~TempKubeconfig() { fs::remove_all(dir); }
};

TEST(Complete, Positions) {
  struct Case {
    std::string name;
    std::vector<std::string> args;  // after __complete
    Lines want;
  };
  const std::vector<Case> cases = {
      {"subcommands by prefix",
       {"ver"},
       {"version\tPrint the version information of kubectl-upgrade", ":4"}},
      {"subcommand after a connection flag and its value",
       {"--context", "dev", "vers"},
       {"version\tPrint the version information of kubectl-upgrade", ":4"}},
      {"flags of the command and the connection flags",
       {"version", "--o"},
       {"--output\tOne of 'yaml' or 'json'.", ":4"}},
      {"shorthand flags", {"version", "-"}, {}},  // checked separately below
      {"-o values", {"version", "-o", ""}, {"json", "yaml", ":4"}},
      {"--output= values keep the flag", {"version", "--output=y"}, {"--output=yaml", ":4"}},
      {"--kubeconfig lets the shell complete files", {"--kubeconfig", ""}, {":0"}},
      {"--kubeconfig= too", {"version", "--kubeconfig=~/"}, {":0"}},
      {"completion shells", {"completion", ""}, {"bash", "zsh", "fish", "powershell", ":4"}},
      {"completion takes one shell only", {"completion", "bash", ""}, {":4"}},
      {"an unknown command gives an error directive", {"frob", ""}, {":1"}},
      {"a flag value nobody completes", {"version", "--request-timeout", ""}, {":4"}},
  };
  for (const auto& c : cases) {
    if (c.want.empty()) continue;
    SCOPED_TRACE(c.name);
    ku_testing::Cli cli;
    std::vector<std::string> args{"__complete"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = cli.run(args);
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(lines(r.out), c.want);
  }
}

// "name<TAB>short help" of a command, as the table has it (other files own the texts).
std::string described(const std::string& name) {
  const cli::CommandSpec* c = cli::find_command(name);
  return c ? name + "\t" + c->short_help : "missing " + name;
}

TEST(Complete, SubcommandsInTableOrderWithDescriptionsHiddenLeftOut) {
  ku_testing::Cli cli;
  const Lines want = {
      described("plan"),       described("node"),    described("cluster"), described("status"),
      described("completion"), described("version"), described("options"), ":4"};
  EXPECT_EQ(lines(cli.run({"__complete", ""}).out), want);
}

TEST(Complete, NodeTakesOneName) {
  ku_testing::Cli cli;
  cli.cluster = ha_cluster;
  EXPECT_EQ(lines(cli.run({"__complete", "node", "cp1", ""}).out), (Lines{":4"}));
}

TEST(Complete, ShorthandsOfferedWithTheirLongNames) {
  ku_testing::Cli cli;
  const auto out = lines(cli.run({"__completeNoDesc", "version", "-"}).out);
  for (const std::string want : {"-o", "--output", "-n", "--namespace", "-s", "--server", "-v",
                                 "--v", "--kubeconfig", "--as-group"}) {
    EXPECT_NE(std::ranges::find(out, want), out.end()) << want;
  }
  EXPECT_EQ(std::ranges::find(out, "--help"), out.end());
  EXPECT_EQ(out.back(), ":4");
}

TEST(Complete, FlagsAlreadyGivenAreNotOfferedAgainUnlessRepeatable) {
  ku_testing::Cli cli;
  const auto out =
      lines(cli.run({"__completeNoDesc", "version", "--context=x", "--as-group=a", "--"}).out);
  EXPECT_EQ(std::ranges::find(out, "--context"), out.end());
  EXPECT_NE(std::ranges::find(out, "--as-group"), out.end());
}

TEST(Complete, NodesControlPlanesFirstWithRoleAndVersion) {
  ku_testing::Cli cli;
  cli.cluster = ha_cluster;
  const auto r = cli.run({"__complete", "node", ""});
  EXPECT_EQ(lines(r.out), (Lines{"cp1\tcontrol-plane, v1.35.4", "cp2\tcontrol-plane, v1.35.4",
                                 "w1\tworker, v1.35.4", "w2\tworker, v1.35.4", ":36"}));
  EXPECT_EQ(cli.last_timeout_ms, 800) << "completion asks the API with a short budget";
}

TEST(Complete, NodesByPrefixAndWithConnectionFlagsFromTheLine) {
  ku_testing::Cli cli;
  cli.cluster = ha_cluster;
  const auto r = cli.run({"__completeNoDesc", "--context", "prod", "node", "-n", "x", "w"});
  EXPECT_EQ(lines(r.out), (Lines{"w1", "w2", ":36"}));
  EXPECT_EQ(cli.last_flags.context, "prod");
  EXPECT_EQ(cli.last_flags.namespace_, "x");
}

TEST(Complete, Namespaces) {
  ku_testing::Cli cli;
  cli.cluster = ha_cluster;
  EXPECT_EQ(lines(cli.run({"__complete", "status", "-n", ""}).out),
            (Lines{"default", "kube-system", ":4"}));
  EXPECT_EQ(lines(cli.run({"__complete", "status", "--namespace=k"}).out),
            (Lines{"--namespace=kube-system", ":4"}));
}

TEST(Complete, UnreachableClusterGivesNothingAndFour) {
  ku_testing::Cli cli;
  cli.unreachable = kube::Error::transport("connection refused");
  EXPECT_EQ(lines(cli.run({"__complete", "node", ""}).out), (Lines{":4"}));
  EXPECT_EQ(lines(cli.run({"__complete", "-n", ""}).out), (Lines{":4"}));
}

TEST(Complete, NoConfigurationGivesNothingAndFour) {
  ku_testing::Cli cli;  // no cluster at all
  const auto r = cli.run({"__complete", "node", ""});
  EXPECT_EQ(lines(r.out), (Lines{":4"}));
  EXPECT_EQ(r.err, "");
}

TEST(Complete, TargetVersionsNewestFirstRelativeToTheCluster) {
  ku_testing::Cli cli;
  cli.cluster = ha_cluster;
  const auto out = lines(cli.run({"__complete", "plan", "--to", ""}).out);
  ASSERT_GE(out.size(), 3u);
  EXPECT_EQ(out.back(), ":36");
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    EXPECT_TRUE(out[i].starts_with("v1.")) << out[i];
    EXPECT_EQ(out[i].find("v1.34."), std::string::npos) << "older than the cluster: " << out[i];
  }
  EXPECT_TRUE(out[out.size() - 2].starts_with("v1.35.")) << "patches of the current minor last";
  EXPECT_NE(std::ranges::find_if(out,
                                 [](const std::string& l) {
                                   return l.starts_with("v1.36.") &&
                                          l.ends_with("\tnext minor, from v1.35.4");
                                 }),
            out.end());
}

TEST(Complete, TargetVersionsWithoutAClusterStillComeFromTheTable) {
  ku_testing::Cli cli;
  const auto out = lines(cli.run({"__completeNoDesc", "cluster", "--to=v1.3"}).out);
  ASSERT_GE(out.size(), 2u);
  EXPECT_TRUE(out.front().starts_with("--to=v1.3")) << out.front();
  EXPECT_EQ(out.back(), ":36");
}

TEST(Complete, KubeconfigNamesIncludingColons) {
  TempKubeconfig kc;
  ku_testing::Cli cli;
  const auto ctx = lines(cli.run({"__complete", "--kubeconfig", kc.file, "--context", ""}).out);
  EXPECT_EQ(ctx, (Lines{"arn:aws:eks:eu-west-1:123456789012:cluster/prod", "dev", ":4"}));
  const auto users = lines(cli.run({"__complete", "--kubeconfig", kc.file, "--user", "d"}).out);
  EXPECT_EQ(users, (Lines{"dev-user", ":4"}));
  cli.env["KUBECONFIG"] = kc.file.string();
  const auto clusters = lines(cli.run({"__complete", "plan", "--cluster", "arn:aws"}).out);
  EXPECT_EQ(clusters, (Lines{"arn:aws:eks:eu-west-1:123456789012:cluster/prod", ":4"}));
}

TEST(Complete, DescriptionsOffByEnvironment) {
  struct Case {
    std::string name;
    cli::Env env;
    bool descriptions;
  };
  const std::vector<Case> cases = {
      {"default on", {}, true},
      {"false", {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "false"}}, false},
      {"0", {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "0"}}, false},
      {"f", {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "f"}}, false},
      {"FALSE", {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "FALSE"}}, false},
      {"true", {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "true"}}, true},
      {"cobra's variable as fallback", {{"COBRA_COMPLETION_DESCRIPTIONS", "false"}}, false},
      {"ours wins over cobra's",
       {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "true"},
        {"COBRA_COMPLETION_DESCRIPTIONS", "0"}},
       true},
      {"empty counts as unset",
       {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", ""}, {"COBRA_COMPLETION_DESCRIPTIONS", "0"}},
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ku_testing::Cli cli;
    cli.env.insert(c.env.begin(), c.env.end());
    const auto out = cli.run({"__complete", "vers"}).out;
    EXPECT_EQ(out.find('\t') != std::string::npos, c.descriptions) << out;
  }
  ku_testing::Cli cli;
  EXPECT_EQ(cli.run({"__completeNoDesc", "vers"}).out, "version\n:4\n");
}

TEST(Complete, AsKubectlPluginCompletion) {
  ku_testing::Cli cli;
  cli.argv0 = "/usr/local/bin/kubectl_complete-upgrade";
  cli.cluster = ha_cluster;
  // kubectl runs `kubectl_complete-upgrade <words after "upgrade"> <word being completed>`.
  EXPECT_EQ(lines(cli.run({"no"}).out), (Lines{described("node"), ":4"}));
  EXPECT_EQ(lines(cli.run({"node", "c"}).out),
            (Lines{"cp1\tcontrol-plane, v1.35.4", "cp2\tcontrol-plane, v1.35.4", ":36"}));
  EXPECT_EQ(lines(cli.run({"node", "--context", ""}).out), (Lines{":4"}));
}

}  // namespace
