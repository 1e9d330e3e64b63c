#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "cmd/kubectl-upgrade/version_info.h"
#include "tests/unit/cli/harness.h"
#include "tests/unit/ui/golden.h"

namespace {

const std::string kData = KU_CLI_TESTDATA;

// Build fields replaced by fixed values so the golden file does not change with every build.
cli::VersionInfo normalised() {
  cli::VersionInfo v = cli::this_build();
  v.git_commit = "0123456789ab";
  v.git_tree_state = "clean";
  v.build_date = "2026-01-02T03:04:05Z";
  v.compiler = "g++ 12.2.0";
  v.platform = "linux/amd64";
  v.git_version = "v0.1.0";
  v.major = "0";
  v.minor = "1";
  return v;
}

TEST(Version, JsonGolden) {
  ku_testing::expect_golden(kData, "version.json", cli::version_json(normalised()));
}

TEST(Version, YamlGolden) {
  ku_testing::expect_golden(kData, "version.yaml", cli::version_yaml(normalised()));
}

TEST(Version, TextGolden) {
  ku_testing::expect_golden(kData, "version.txt", cli::version_text(normalised()));
}

TEST(Version, JsonFromTheCommandIsTheBuildsOwnDocumentAndNothingElse) {
  ku_testing::Cli cli;
  const auto r = cli.run({"version", "-o", "json"});
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  const auto doc = nlohmann::json::parse(r.out);
  const auto& cv = doc.at("clientVersion");
  const auto build = cli::this_build();
  EXPECT_EQ(cv.at("gitVersion"), build.git_version);
  EXPECT_EQ(cv.at("gitCommit"), build.git_commit);
  EXPECT_EQ(cv.at("buildDate"), build.build_date);
  EXPECT_TRUE(cv.at("gitTreeState") == "clean" || cv.at("gitTreeState") == "dirty");
  EXPECT_TRUE(build.git_version.starts_with("v"));
  EXPECT_EQ(build.major, build.git_version.substr(1, build.git_version.find('.') - 1));
}

TEST(Version, YamlFromTheCommandParses) {
  ku_testing::Cli cli;
  const auto r = cli.run({"version", "--output=yaml"});
  ASSERT_EQ(r.code, 0);
  const YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["clientVersion"]["gitVersion"].as<std::string>(), cli::this_build().git_version);
}

TEST(Version, RejectsOtherOutputs) {
  ku_testing::Cli cli;
  const auto r = cli.run({"version", "-o", "wide"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: --output must be 'yaml' or 'json'\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
