#include "pkg/version/path.h"

#include <gtest/gtest.h>

namespace kver {
namespace {

std::vector<Version> versions(std::vector<std::string> texts) {
  std::vector<Version> out;
  for (const auto& t : texts) out.push_back(*parse(t));
  return out;
}

const std::vector<Version> kAvailable =
    versions({"v1.30.0", "v1.30.14", "v1.31.0", "v1.31.2", "v1.31.5", "v1.32.0", "v1.32.9",
              "v1.33.0", "v1.33.4", "v1.34.0-rc.1", "v1.34.0-alpha.1"});

std::string describe(const HopPath& p) {
  std::string s;
  for (const auto& h : p.hops)
    s += (s.empty() ? "" : " ") + h.from.to_string() + ">" + h.to.to_string();
  return s;
}

TEST(HopPath, Paths) {
  struct Case {
    std::string name, current, target, hops;
    PathOptions options;
  };
  const std::vector<Case> cases = {
      {"patch within a minor", "v1.31.2", "v1.31.5", "v1.31.2>v1.31.5", {}},
      {"next minor", "v1.31.2", "v1.32.0", "v1.31.2>v1.32.0", {}},
      {"two minors: intermediate at its newest patch",
       "v1.31.2",
       "v1.33.0",
       "v1.31.2>v1.32.9 v1.32.9>v1.33.0",
       {}},
      {"three minors", "v1.30.0", "v1.33.4", "v1.30.0>v1.31.5 v1.31.5>v1.32.9 v1.32.9>v1.33.4", {}},
      {"vendor current version", "v1.32.0+k3s1", "v1.33.4", "v1.32.0>v1.33.4", {}},
      {"pre-release when asked",
       "v1.33.4",
       "v1.34.0-rc.1",
       "v1.33.4>v1.34.0-rc.1",
       {.allow_prerelease = true}},
      {"pre-release two minors ahead uses released intermediate",
       "v1.32.0",
       "v1.34.0-rc.1",
       "v1.32.0>v1.33.4 v1.33.4>v1.34.0-rc.1",
       {.allow_prerelease = true}},
      {"inside the window",
       "v1.31.2",
       "v1.33.0",
       "v1.31.2>v1.32.9 v1.32.9>v1.33.0",
       {.window = support_window({1, 33})}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto p = hop_path(*parse(c.current), *parse(c.target), kAvailable, c.options);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(describe(*p), c.hops);
    EXPECT_EQ(p->has_intermediate_minors(), p->hops.size() > 1);
  }
}

TEST(HopPath, Refusals) {
  struct Case {
    std::string name, current, target;
    ErrorCode code;
    std::string in_message;
    std::vector<Version> available = kAvailable;
    PathOptions options = {};
  };
  const std::vector<Case> cases = {
      {"downgrade a minor", "v1.32.0", "v1.31.5", ErrorCode::kDowngrade, "older than"},
      {"downgrade a patch", "v1.31.5", "v1.31.2", ErrorCode::kDowngrade, "older than"},
      {"same version", "v1.31.5", "v1.31.5", ErrorCode::kAlreadyAtTarget, "already at"},
      {"unknown patch", "v1.31.2", "v1.31.99", ErrorCode::kUnknownVersion, "v1.31.5"},
      {"unknown minor", "v1.31.2", "v1.40.0", ErrorCode::kUnknownVersion, "no v1.40 release"},
      {"pre-release not asked for", "v1.33.4", "v1.34.0-rc.1", ErrorCode::kPrereleaseNotAllowed,
       "pre-release"},
      {"outside the support window",
       "v1.30.0",
       "v1.30.14",
       ErrorCode::kUnsupportedTarget,
       "outside the supported minors (v1.31, v1.32, v1.33)",
       kAvailable,
       {.window = support_window({1, 33})}},
      {"missing intermediate", "v1.30.0", "v1.32.0", ErrorCode::kMissingIntermediate,
       "no release of v1.31", versions({"v1.30.0", "v1.32.0"})},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto p = hop_path(*parse(c.current), *parse(c.target), c.available, c.options);
    ASSERT_FALSE(p) << describe(*p);
    EXPECT_EQ(p.error().code, c.code);
    EXPECT_NE(p.error().to_string().find(c.in_message), std::string::npos) << p.error().to_string();
  }
}

TEST(DefaultTarget, NewestPatchOfTheNextMinor) {
  EXPECT_EQ(default_target(*parse("v1.31.2"), kAvailable)->to_string(), "v1.32.9");
  // At the newest minor: the newest patch of it; pre-releases never implicitly.
  EXPECT_EQ(default_target(*parse("v1.33.0"), kAvailable)->to_string(), "v1.33.4");
  auto none = default_target(*parse("v1.33.4"), kAvailable);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kAlreadyAtTarget);
}

}  // namespace
}  // namespace kver
