#include "pkg/version/releases.h"

#include <gtest/gtest.h>

#include <set>

namespace kver {
namespace {

TEST(ReleaseTable, CoversV129ToV137AndMarksV138PreReleases) {
  const auto& t = builtin_releases();
  EXPECT_EQ(t.as_of.size(), 10u);
  std::set<int> released_minors;
  for (const auto& v : t.versions) {
    if (v.is_prerelease()) {
      EXPECT_EQ(v.minor, 38) << v.to_string();
    } else {
      released_minors.insert(v.minor);
    }
  }
  EXPECT_EQ(released_minors, (std::set<int>{29, 30, 31, 32, 33, 34, 35, 36, 37}));
  EXPECT_TRUE(std::is_sorted(t.versions.begin(), t.versions.end()));
  EXPECT_EQ(newest_released_minor(t.versions), (Minor{1, 37}));
  // Patches are consecutive from .0.
  EXPECT_TRUE(newest_patch({1, 36}, t.versions));
  for (int p = 0; p <= newest_patch({1, 36}, t.versions)->patch; ++p)
    EXPECT_NE(std::find(t.versions.begin(), t.versions.end(), *parse("v1.36." + std::to_string(p))),
              t.versions.end());
  EXPECT_TRUE(newest_patch({1, 38}, t.versions, true)->is_prerelease());
  EXPECT_FALSE(newest_patch({1, 38}, t.versions, false));
}

TEST(SupportWindow, ThreeNewestMinors) {
  auto w = support_window({1, 37});
  EXPECT_EQ(w.to_string(), "v1.35, v1.36, v1.37");
  EXPECT_TRUE(w.contains({1, 35}));
  EXPECT_TRUE(w.contains({1, 37}));
  EXPECT_FALSE(w.contains({1, 34}));
  EXPECT_FALSE(w.contains({1, 38}));
}

TEST(TargetCandidates, NewerMinorsThenNewerPatches) {
  std::vector<Version> av;
  for (auto s : {"v1.31.0", "v1.31.1", "v1.31.2", "v1.32.0", "v1.32.1", "v1.33.0-rc.0"})
    av.push_back(*parse(s));
  EXPECT_EQ(target_candidates(*parse("v1.31.1"), av),
            (std::vector<std::string>{"v1.32.1", "v1.31.2"}));
  EXPECT_EQ(target_candidates(*parse("v1.31.1"), av, true),
            (std::vector<std::string>{"v1.33.0-rc.0", "v1.32.1", "v1.31.2"}));
  EXPECT_EQ(target_candidates(std::nullopt, av), (std::vector<std::string>{"v1.32.1", "v1.31.2"}));
}

TEST(RemovedApis, FromTheMigrationGuide) {
  auto crossing = removed_between({1, 31}, {1, 33});
  ASSERT_EQ(crossing.size(), 1u);
  EXPECT_EQ(crossing[0].group_version(), "flowcontrol.apiserver.k8s.io/v1beta3");
  EXPECT_EQ(crossing[0].removed_in, (Minor{1, 32}));
  auto v129 = removed_between({1, 28}, {1, 29});
  ASSERT_EQ(v129.size(), 1u);
  EXPECT_EQ(v129[0].group_version(), "flowcontrol.apiserver.k8s.io/v1beta2");
  EXPECT_TRUE(removed_between({1, 32}, {1, 37}).empty());
  for (const auto& api : removed_apis()) {
    SCOPED_TRACE(api.group_version());
    EXPECT_FALSE(api.resources.empty());
    EXPECT_FALSE(api.replacement.empty());
  }
}

}  // namespace
}  // namespace kver
