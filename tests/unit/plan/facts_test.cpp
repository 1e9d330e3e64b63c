// Node facts (--inspect-nodes): available versions from the repositories, and for every hop
// whether each node can install what it needs.
#include "tests/unit/plan/helpers.h"

namespace plan::testing {
namespace {

cluster::NodeFacts apt_facts(std::string node, int minor, std::vector<std::string> offered) {
  cluster::NodeFacts f;
  f.node = std::move(node);
  f.gathered = true;
  f.package_manager = "apt";
  f.repo_file = "/etc/apt/sources.list.d/kubernetes.list";
  f.repo_url = "https://pkgs.k8s.io/core:/stable:/v1." + std::to_string(minor) + "/deb/";
  f.repo_minor = kver::Minor{1, minor};
  f.offered = std::move(offered);
  return f;
}

TEST(NodeFacts, Findings) {
  struct Case {
    std::string name;
    std::function<void(cluster::NodeFacts&)> change;
    std::string code;
    Severity severity;
  };
  const std::vector<Case> cases = {
      {"legacy repository", [](auto& f) { f.legacy_repo = true; }, "LegacyPackageRepository",
       Severity::kBlocker},
      {"no repository",
       [](auto& f) {
         f.repo_file.clear();
         f.repo_minor.reset();
       },
       "PackageRepositoryUnknown", Severity::kBlocker},
      {"repository on the old minor", [](auto&) {}, "RepositoryOnOldMinor", Severity::kWarning},
      {"held packages",
       [](auto& f) {
         f.held = {"kubeadm", "kubelet"};
       },
       "PackagesHeld", Severity::kWarning},
      {"target not offered",
       [](auto& f) {
         f.repo_minor = kver::Minor{1, 36};
         f.offered = {"1.36.0-1.1", "1.36.1-1.1"};
       },
       "TargetNotOffered", Severity::kBlocker},
      {"could not inspect",
       [](auto& f) {
         f.gathered = false;
         f.error = "pod forbidden";
       },
       "NodeFactsMissing", Severity::kWarning},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ClusterBuilder b("v1.35.2", 1, 1);
    auto facts = apt_facts("w1", 35, {"1.35.0-1.1", "1.35.2-1.1"});
    c.change(facts);
    b.inventory().node_facts["w1"] = facts;
    // cp1's repository offers the target, so it is available; the question is each node.
    b.inventory().node_facts["cp1"] = apt_facts("cp1", 36, {"1.36.2-1.1"});
    Plan p = plan_of(b.build(), {.to = "v1.36.2"});
    const Finding* f = finding(p, c.code);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, c.severity);
    EXPECT_EQ(f->subject, "node/w1");
    if (c.severity == Severity::kBlocker) {
      EXPECT_FALSE(f->fix.empty());
    }
  }
}

TEST(NodeFacts, LegacyRepoFixSaysHowToMove) {
  ClusterBuilder b("v1.35.2", 1, 1);
  auto facts = apt_facts("w1", 35, {});
  facts.legacy_repo = true;
  b.inventory().node_facts["w1"] = facts;
  const Finding* f = finding(plan_of(b.build()), "LegacyPackageRepository");
  ASSERT_TRUE(f);
  EXPECT_NE(f->fix.find("https://pkgs.k8s.io/core:/stable:/v1.36/deb/"), std::string::npos)
      << f->fix;
}

TEST(NodeFacts, RepositoriesDecideTheAvailableVersions) {
  ClusterBuilder b("v1.35.2", 1, 1);
  b.inventory().node_facts["cp1"] = apt_facts("cp1", 36, {"1.36.0-1.1", "1.36.1-1.1"});
  Plan p = plan_of(b.build());
  EXPECT_EQ(p.target.version, "v1.36.1");  // what the repository offers, not the table
  EXPECT_EQ(p.target.source.kind, "node-facts+builtin-table");
  EXPECT_NE(p.target.source.description.find("v1.36"), std::string::npos);
}

}  // namespace
}  // namespace plan::testing
