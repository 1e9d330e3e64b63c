// Completion in real shells: the scripts of `kubectl-upgrade completion bash|zsh|fish` loaded into
// bash 5, zsh 5 and fish 3 from Debian, asked what they offer for a half-typed line; node names
// from kube-sim; and `kubectl upgrade <TAB>` through the real kubectl and kubectl_complete-upgrade.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/harness/process.h"
#include "tests/e2e/harness/sim_cluster.h"

namespace {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

fs::path plugin_binary() {
  return e2e::build_dir() / "bin" / "kubectl-upgrade";
}

Lines lines(const std::string& text) {
  Lines out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

bool has(const Lines& l, const std::string& v) {
  return std::ranges::find(l, v) != l.end();
}

// A folder with the scripts, a kubeconfig whose names contain ':' and PATH = build/bin first.
class Shells : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("ku-completion-e2e-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    for (const std::string shell : {"bash", "zsh", "fish"}) {
      auto r = e2e::run_process({bin().string(), "completion", shell});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      std::ofstream(dir_ / ("script." + shell)) << r.out;
    }
    std::ofstream(dir_ / "kubeconfig") << R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- {name: "arn:aws:eks:eu-west-1:123456789012:cluster/prod", cluster: {server: "https://127.0.0.1:1"}}
- {name: dev-cluster, cluster: {server: "https://127.0.0.1:1"}}
users:
- {name: admin, user: {token: x}}
contexts:
- {name: "arn:aws:eks:eu-west-1:123456789012:cluster/prod", context: {cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/prod", user: admin}}
- {name: dev, context: {cluster: dev-cluster, user: admin}}
)";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static fs::path bin() { return plugin_binary(); }
  static std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> e = {
        {"PATH", (e2e::build_dir() / "bin").string() + ":/usr/bin:/bin"},
        {"KUBECONFIG", (dir_ / "kubeconfig").string()},
        {"HOME", dir_.string()},
        {"TERM", "dumb"},
    };
    for (auto& [k, v] : extra) e[k] = v;
    return e;
  }

  // bash: what COMPREPLY holds after the completion function ran for `line` (cursor at the end),
  // with COMP_WORDS split the way bash splits them (COMP_WORDBREAKS includes ':' and '=').
  static Lines bash(const std::string& line, std::map<std::string, std::string> extra = {}) {
    const std::string script = "source " + (dir_ / "script.bash").string() + R"(
line=$LINE
COMP_LINE=$line
COMP_POINT=${#line}
COMP_WORDS=()
COMP_CWORD=0
# bash's own word split: whitespace, and each COMP_WORDBREAKS character as a word of its own.
rest=$line
word=""
while [[ -n $rest ]]; do
  c=${rest:0:1}; rest=${rest:1}
  if [[ $c == [[:space:]] ]]; then
    [[ -n $word ]] && COMP_WORDS+=("$word"); word=""
  elif [[ $c == [:=] ]]; then
    [[ -n $word ]] && COMP_WORDS+=("$word"); word=""; COMP_WORDS+=("$c")
  else
    word+=$c
  fi
done
if [[ $line == *[[:space:]] ]]; then COMP_WORDS+=(""); elif [[ -n $word ]]; then COMP_WORDS+=("$word"); fi
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__kubectl_upgrade_complete
printf '%s\n' "${COMPREPLY[@]}"
)";
    extra["LINE"] = line;
    auto r = e2e::run_process({"bash", "--norc", "--noprofile", "-c", script},
                              {.timeout = std::chrono::seconds(20), .env = env(extra)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return lines(r.out);
  }

  // fish: `complete -C` prints "candidate<TAB>description" for a command line.
  static Lines fish(const std::string& line, std::map<std::string, std::string> extra = {}) {
    const std::string script =
        "source " + (dir_ / "script.fish").string() + "; complete -C \"$LINE\"";
    extra["LINE"] = line;
    auto r = e2e::run_process({"fish", "--no-config", "-c", script},
                              {.timeout = std::chrono::seconds(20), .env = env(extra)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return lines(r.out);
  }

  // zsh: the real completion system (compinit) in a zpty, asked with the list-choices widget,
  // whose listing is read back; `_describe` output shows "value  -- description".
  static std::string zsh(const std::string& line, std::map<std::string, std::string> extra = {}) {
    const std::string script =
        R"(
zmodload zsh/zpty
zpty -b z 'zsh -f -i'
zpty -w z 'PS1="READY> "; autoload -Uz compinit; compinit -u -D; source )" +
        (dir_ / "script.zsh").string() +
        R"(; zstyle ":completion:*" list-rows-first true; bindkey "^T" list-choices; print -r -- SOURCED'
out=""
while zpty -r z chunk; do out+=$chunk; [[ $out == *SOURCED*READY\>* ]] && break; done
zpty -n -w z "$LINE"$'\x14'
out=""
# The listing is done when the prompt is drawn again on a line of its own.
for i in {1..300}; do
  while zpty -rt z chunk; do out+=$chunk; done
  [[ $out == *$'\n'READY\>* ]] && break
  sleep 0.1
done
zpty -d z
print -r -- "$out"
)";
    extra["LINE"] = line;
    auto r = e2e::run_process({"zsh", "-f", "-c", script},
                              {.timeout = std::chrono::seconds(30), .env = env(extra)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  static fs::path dir_;
};
fs::path Shells::dir_;

TEST_F(Shells, BashOffersSubcommandsFlagsAndValues) {
  EXPECT_EQ(bash("kubectl-upgrade ver"), (Lines{"version"}));
  EXPECT_EQ(bash("kubectl-upgrade no"), (Lines{"node"}));
  EXPECT_EQ(bash("kubectl-upgrade completion "), (Lines{"bash", "zsh", "fish", "powershell"}));
  EXPECT_EQ(bash("kubectl-upgrade version -o "), (Lines{"json", "yaml"}));
  const Lines flags = bash("kubectl-upgrade version --");
  EXPECT_TRUE(has(flags, "--output") && has(flags, "--kubeconfig") && has(flags, "--context"));
}

TEST_F(Shells, BashCutsWhatReadlineReplacesAfterEqualsAndColons) {
  // After '=' readline replaces only the text after it.
  EXPECT_EQ(bash("kubectl-upgrade version --output=y"), (Lines{"yaml"}));
  // EKS context names: the part after the last ':' the user typed.
  EXPECT_EQ(bash("kubectl-upgrade --context arn:aws:eks:eu-west-1:12"),
            (Lines{"123456789012:cluster/prod"}));
  EXPECT_EQ(bash("kubectl-upgrade --context arn:aws:eks:eu-west-1:123456789012:"),
            (Lines{"cluster/prod"}));
  // The whole name when nothing was typed yet.
  EXPECT_EQ(bash("kubectl-upgrade --context "),
            (Lines{"arn:aws:eks:eu-west-1:123456789012:cluster/prod", "dev"}));
  EXPECT_EQ(bash("kubectl-upgrade --cluster=arn:aws:eks:eu-west-1:"),
            (Lines{"123456789012:cluster/prod"}));
}

TEST_F(Shells, BashLeavesFilesToTheShellForKubeconfig) {
  // Directive 0 and no candidate: COMPREPLY stays empty and `complete -o default` completes files.
  EXPECT_EQ(bash("kubectl-upgrade --kubeconfig "), Lines{});
}

TEST_F(Shells, FishOffersCandidatesWithDescriptions) {
  const Lines out = fish("kubectl-upgrade no");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].starts_with("node\t")) << out[0];
  EXPECT_EQ(fish("kubectl-upgrade version -o "), (Lines{"json", "yaml"}));
  EXPECT_EQ(fish("kubectl-upgrade --context arn:aws:eks:eu"),
            (Lines{"arn:aws:eks:eu-west-1:123456789012:cluster/prod"}));
  EXPECT_EQ(fish("kubectl-upgrade version --output=j"), (Lines{"--output=json"}));
}

TEST_F(Shells, FishWithoutDescriptions) {
  const Lines out =
      fish("kubectl-upgrade no", {{"KUBECTL_UPGRADE_COMPLETION_DESCRIPTIONS", "false"}});
  EXPECT_EQ(out, (Lines{"node"}));
}

TEST_F(Shells, ZshCompletionSystemListsCandidates) {
  const std::string out = zsh("kubectl-upgrade version -o ");
  EXPECT_NE(out.find("json"), std::string::npos) << out;
  EXPECT_NE(out.find("yaml"), std::string::npos) << out;
  const std::string subcommands = zsh("kubectl-upgrade ");
  EXPECT_NE(subcommands.find("plan"), std::string::npos) << subcommands;
  EXPECT_NE(subcommands.find("-- Print the version information of kubectl-upgrade"),
            std::string::npos)
      << subcommands;
  // ':' inside a candidate survives _describe (escaped by the script).
  const std::string contexts = zsh("kubectl-upgrade --context ");
  EXPECT_NE(contexts.find("arn:aws:eks:eu-west-1:123456789012:cluster/prod"), std::string::npos)
      << contexts;
}

// A TCP port that accepts connections and never answers: the slow cluster.
class BlackHole {
 public:
  BlackHole() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 16);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~BlackHole() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(Shells, SlowClusterGivesNoCandidatesAndDirectiveFour) {
  BlackHole hole;
  const std::string server = "https://127.0.0.1:" + std::to_string(hole.port());
  const auto start = std::chrono::steady_clock::now();
  auto r = e2e::run_process(
      {bin().string(), "__complete", "--server", server, "--insecure-skip-tls-verify", "node", ""},
      {.timeout = std::chrono::seconds(10), .env = env()});
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ":4\n");
  RecordProperty("unreachable_completion_ms", static_cast<int>(ms));
  std::cerr << "completion against an unanswering server took " << ms << " ms\n";
}

class SimCompletion : public ::testing::Test {};

TEST_F(SimCompletion, NodeNamesFromKubeSimControlPlanesFirst) {
  e2e::SimCluster sim("ha.yaml");
  ASSERT_TRUE(sim.ready()) << sim.start_error();
  auto r = sim.run({"kubectl-upgrade", "__completeNoDesc", "node", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(r.out), (Lines{"cp1", "cp2", "cp3", "w1", "w2", "w3", "w4", "w5", ":36"}));
  r = sim.run({"kubectl-upgrade", "__completeNoDesc", "status", "-n", "s"});
  EXPECT_EQ(lines(r.out), (Lines{"shop", ":4"}));
  r = sim.run({"kubectl-upgrade", "__complete", "plan", "--to", ""});
  const Lines versions = lines(r.out);
  ASSERT_GE(versions.size(), 2u);
  EXPECT_EQ(versions.back(), ":36");
}

TEST_F(SimCompletion, ThroughTheRealKubectl) {
  SKIP_WITHOUT_KUBECTL();
  e2e::SimCluster sim("ha.yaml");
  ASSERT_TRUE(sim.ready()) << sim.start_error();
  // A PATH folder with the plugin and the link `completion --install-kubectl-link` makes.
  const fs::path plugins = sim.state_dir() / "plugins";
  fs::create_directories(plugins);
  fs::copy_file(plugin_binary(), plugins / "kubectl-upgrade", fs::copy_options::overwrite_existing);
  auto env = sim.env();
  env["PATH"] = plugins.string() + ":/usr/bin:/bin";
  auto link = e2e::run_process(
      {(plugins / "kubectl-upgrade").string(), "completion", "--install-kubectl-link"},
      {.env = env});
  ASSERT_EQ(link.exit_code, 0) << link.err;
  EXPECT_TRUE(fs::is_symlink(plugins / "kubectl_complete-upgrade"));

  auto r = e2e::run_process({"kubectl", "__complete", "upgrade", "no"}, {.env = env});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Lines out = lines(r.out);
  ASSERT_FALSE(out.empty()) << r.err;
  EXPECT_TRUE(out[0].starts_with("node")) << r.out;

  r = e2e::run_process({"kubectl", "__complete", "upgrade", "node", ""}, {.env = env});
  out = lines(r.out);
  ASSERT_FALSE(out.empty()) << r.err;
  EXPECT_TRUE(out[0].starts_with("cp1")) << r.out;
  EXPECT_TRUE(has(out, ":36") || out.back().starts_with(":")) << r.out;
}

}  // namespace
