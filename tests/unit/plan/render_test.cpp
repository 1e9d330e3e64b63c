// Golden files for every output format. UPDATE_GOLDEN=1 rewrites them; review the diff.
#include "pkg/plan/render.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/unit/plan/helpers.h"

namespace plan::testing {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(KU_PLAN_GOLDEN_DIR) + "/" + name;
}

void expect_golden(const std::string& name, const std::string& got) {
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(golden_path(name)) << got;
    return;
  }
  std::ifstream in(golden_path(name));
  ASSERT_TRUE(in) << "missing golden file " << golden_path(name) << " (run with UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "golden " << name << " differs (UPDATE_GOLDEN=1 regenerates)";
}

// A cluster with something to say: a bare pod, a PDB that allows nothing, two hops.
Plan blocked_plan() {
  ClusterBuilder b("v1.35.2", 2, 3);
  b.pod(PodBuilder("debug", "ops").on("w1").bare());
  int pdb = b.pdb("db", 0, 3, 3, 3, "shop");
  b.pod(PodBuilder("db-0", "shop").on("w2").statefulset("db").pdb(pdb).cpu(500));
  b.pod(PodBuilder("web-1", "shop").on("w3").replicaset("web-7d").emptydir());
  return plan_of(b.build(), {.to = "v1.37.1", .drain = {.delete_emptydir_data = true}});
}

Plan ready_plan() {
  ClusterBuilder b("v1.36.3", 1, 2);
  b.pod(PodBuilder("web-1", "shop").on("w1").replicaset("web-7d"));
  return plan_of(b.build(), {.to = "v1.37.1"});
}

TEST(Render, TableGolden) {
  expect_golden("blocked.table.txt", render_table(blocked_plan()));
  expect_golden("ready.table.txt", render_table(ready_plan()));
}

TEST(Render, WideGolden) {
  expect_golden("blocked.wide.txt", render_table(blocked_plan(), {.wide = true}));
}

TEST(Render, NoHeadersDropsColumnHeadersOnly) {
  std::string t = render_table(ready_plan(), {.no_headers = true});
  EXPECT_EQ(t.find("ORDER"), std::string::npos);
  EXPECT_NE(t.find("Nodes, in upgrade order"), std::string::npos);
}

TEST(Render, JsonGolden) {
  expect_golden("blocked.json", render_json(blocked_plan()));
}

TEST(Render, YamlGoldenAndSameDocumentAsJson) {
  std::string yaml = render_yaml(blocked_plan());
  expect_golden("blocked.yaml", yaml);
  YAML::Node doc = YAML::Load(yaml);
  EXPECT_EQ(doc["apiVersion"].as<std::string>(), "upgrade.kubectl-upgrade.dev/v1alpha1");
  EXPECT_EQ(doc["kind"].as<std::string>(), "Plan");
  EXPECT_FALSE(doc["status"]["ready"].as<bool>());
  // Strings that look like other types stay strings.
  EXPECT_EQ(doc["findings"].size(), to_document(blocked_plan())["findings"].size());
}

TEST(Render, ColourOnlyWhenAsked) {
  EXPECT_EQ(render_table(blocked_plan()).find("\033["), std::string::npos);
  EXPECT_NE(render_table(blocked_plan(), {.colour = true}).find("\033[31m"), std::string::npos);
}

TEST(Render, ManyWorkersAreSummarised) {
  ClusterBuilder b("v1.36.3", 1, 25);
  std::string t = render_table(plan_of(b.build(), {.to = "v1.37.1"}));
  EXPECT_NE(t.find("... and 15 more workers"), std::string::npos);
}

}  // namespace
}  // namespace plan::testing
