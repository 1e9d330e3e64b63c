// Help reads like kubectl's and always says "kubectl upgrade", even when run as kubectl-upgrade.
#include <gtest/gtest.h>

#include "cmd/kubectl-upgrade/command.h"
#include "tests/unit/cli/harness.h"
#include "tests/unit/ui/golden.h"

namespace {

const std::string kData = KU_CLI_TESTDATA;

// The short help of plan/node/cluster/status belongs to those commands' owners; the root golden
// checks the layout around them.
std::string owned_texts_masked(std::string text) {
  for (const std::string name : {"plan", "node", "cluster", "status"}) {
    const std::string& help = cli::find_command(name)->short_help;
    const auto at = text.find(help);
    if (at != std::string::npos) text.replace(at, help.size(), "<short help of " + name + ">");
  }
  return text;
}

TEST(Help, Golden) {
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string golden;
  };
  // Only the commands of the framework: plan/node/cluster/status have their own owners and tests.
  const std::vector<Case> cases = {
      {"root", {"--help"}, "help_root.txt"},
      {"options", {"options"}, "help_options.txt"},
      {"version", {"version", "--help"}, "help_version.txt"},
      {"completion", {"completion", "-h"}, "help_completion.txt"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ku_testing::Cli cli;
    cli.argv0 = "/home/u/.krew/bin/kubectl-upgrade";
    const auto r = cli.run(c.args);
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    ku_testing::expect_golden(kData, c.golden,
                              c.name == "root" ? owned_texts_masked(r.out) : r.out);
  }
}

TEST(Help, EveryVisibleCommandHasHelpInKubectlShape) {
  ku_testing::Cli cli;
  for (const std::string name : {"plan", "node", "cluster", "status", "completion", "version"}) {
    SCOPED_TRACE(name);
    const auto r = cli.run({name, "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("\nUsage:\n  kubectl upgrade " + name), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Use \"kubectl upgrade options\" for a list of global command-line"),
              std::string::npos);
    const std::string usage = r.out.substr(r.out.find("\nUsage:\n"));
    EXPECT_EQ(usage.find("kubectl-upgrade"), std::string::npos)
        << "usage must say 'kubectl upgrade'";
    // The connection flags are listed once, by `options`, not in every command's help.
    EXPECT_EQ(r.out.find("--kubeconfig"), std::string::npos);
  }
}

TEST(Help, RootListsEveryVisibleCommandAndNoHiddenOne) {
  ku_testing::Cli cli;
  const auto r = cli.run({"--help"});
  for (const std::string name : {"plan", "node", "cluster", "status", "completion", "version"}) {
    EXPECT_NE(r.out.find("\n  " + name + " "), std::string::npos) << name;
  }
  EXPECT_EQ(r.out.find("__complete"), std::string::npos);
}

}  // namespace
