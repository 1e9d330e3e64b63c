// `kubectl upgrade completion`: the scripts (golden files) and the kubectl completion link.
#include "cmd/kubectl-upgrade/completion.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/cli/harness.h"
#include "tests/unit/ui/golden.h"

namespace {

namespace fs = std::filesystem;
const std::string kData = KU_CLI_TESTDATA;

TEST(CompletionScripts, Golden) {
  for (const std::string shell : {"bash", "zsh", "fish", "powershell"}) {
    SCOPED_TRACE(shell);
    ku_testing::Cli cli;
    const auto r = cli.run({"completion", shell});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, cli::completion_script(shell));
    ku_testing::expect_golden(kData, "completion." + shell, r.out);
  }
}

TEST(CompletionScripts, CallTheBinaryByTheNameThatIsCompleted) {
  for (const std::string shell : {"bash", "zsh", "fish", "powershell"}) {
    SCOPED_TRACE(shell);
    const std::string s = cli::completion_script(shell);
    EXPECT_NE(s.find("kubectl-upgrade"), std::string::npos);
    EXPECT_NE(s.find("__complete"), std::string::npos);
  }
}

TEST(CompletionCommand, Errors) {
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string want_err;
  };
  const std::vector<Case> cases = {
      {"no shell",
       {"completion"},
       "error: Shell not specified.\nSee 'kubectl upgrade completion -h' for help and examples\n"},
      {"unknown shell",
       {"completion", "tcsh"},
       "error: Unsupported shell type \"tcsh\".\nSee 'kubectl upgrade completion -h' for help and "
       "examples\n"},
      {"two shells",
       {"completion", "bash", "zsh"},
       "error: Too many arguments. Expected only the shell type.\nSee 'kubectl upgrade "
       "completion -h' for help and examples\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ku_testing::Cli cli;
    const auto r = cli.run(c.args);
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.err, c.want_err);
    EXPECT_EQ(r.out, "");
  }
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("ku-link-" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

TEST(CompletionCommand, InstallsTheKubectlLinkNextToTheBinaryFoundOnPath) {
  TempDir dir;
  const fs::path bin = dir.path / "kubectl-upgrade";
  std::ofstream(bin) << "#!/bin/sh\n";
  fs::permissions(bin, fs::perms::owner_all);
  ku_testing::Cli cli;
  cli.env["PATH"] = "/nonexistent:" + dir.path.string();
  auto r = cli.run({"completion", "--install-kubectl-link"});
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path link = dir.path / "kubectl_complete-upgrade";
  ASSERT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), bin);
  EXPECT_NE(r.err.find("created " + link.string()), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");

  r = cli.run({"completion", "--install-kubectl-link"});  // again: nothing to do
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.err.find("already points to"), std::string::npos) << r.err;
}

TEST(CompletionCommand, LinkNextToAKrewStyleSymlinkNotItsTarget) {
  TempDir dir;
  fs::create_directories(dir.path / "store" / "v1");
  fs::create_directories(dir.path / "bin");
  const fs::path real = dir.path / "store" / "v1" / "kubectl-upgrade";
  std::ofstream(real) << "#!/bin/sh\n";
  fs::create_symlink(real, dir.path / "bin" / "kubectl-upgrade");
  ku_testing::Cli cli;
  cli.argv0 = (dir.path / "bin" / "kubectl-upgrade").string();  // as kubectl execs it
  const auto r = cli.run({"completion", "--install-kubectl-link"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir.path / "bin" / "kubectl_complete-upgrade"));
  EXPECT_FALSE(fs::exists(dir.path / "store" / "v1" / "kubectl_complete-upgrade"));
}

TEST(CompletionCommand, RefusesToReplaceSomethingElse) {
  TempDir dir;
  std::ofstream(dir.path / "kubectl_complete-upgrade") << "not ours";
  ku_testing::Cli cli;
  cli.argv0 = (dir.path / "kubectl-upgrade").string();
  const auto r = cli.run({"completion", "--install-kubectl-link"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already exists and is not a link to"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("remove it"), std::string::npos);
}

TEST(CompletionCommand, LinkDirFlag) {
  TempDir dir;
  ku_testing::Cli cli;
  cli.argv0 = "/opt/ku/kubectl-upgrade";
  const auto r = cli.run({"completion", "--install-kubectl-link", "--link-dir", dir.path.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fs::read_symlink(dir.path / "kubectl_complete-upgrade"), "/opt/ku/kubectl-upgrade");
}

}  // namespace
