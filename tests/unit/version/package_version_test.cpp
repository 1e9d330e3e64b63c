#include "pkg/version/package_version.h"

#include <gtest/gtest.h>

namespace kver {
namespace {

TEST(PackageVersion, AcceptsRepositoryForms) {
  struct Case {
    std::string name, text, version, revision;
    bool legacy;
  };
  const std::vector<Case> cases = {
      {"pkgs.k8s.io deb", "1.31.2-1.1", "v1.31.2", "1.1", false},
      {"pkgs.k8s.io rpm", "1.31.2-150500.1.1", "v1.31.2", "150500.1.1", false},
      {"pkgs.k8s.io deb pre-release", "1.38.0~rc.1-1.1", "v1.38.0-rc.1", "1.1", false},
      {"legacy deb", "1.18.0-00", "v1.18.0", "00", true},
      {"legacy rpm", "1.18.0-0", "v1.18.0", "0", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto p = parse_package_version(c.text);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(p->version.to_string(), c.version);
    EXPECT_EQ(p->revision, c.revision);
    EXPECT_EQ(p->legacy, c.legacy);
    EXPECT_EQ(p->to_string(), c.text);
  }
}

TEST(PackageVersion, RejectsEverythingElse) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"no revision", "1.31.2"},
      {"leading v", "v1.31.2-1.1"},
      {"epoch", "1:1.31.2-1.1"},
      {"letters in revision", "1.31.2-1.1ubuntu1"},
      {"one-part revision", "1.31.2-1"},
      {"four-part revision", "1.31.2-1.1.1.1"},
      {"semicolon", "1.31.2-1.1;reboot"},
      {"newline", "1.31.2-1.1\n"},
      {"glob", "1.31.2-*"},
      {"dollar", "1.31.$X-1.1"},
      {"two parts", "1.31-1.1"},
      {"dash pre-release", "1.38.0-rc.1-1.1"},
      {"overlong", "1.31.2-" + std::string(80, '1')},
  };
  for (const auto& [name, text] : cases) {
    SCOPED_TRACE(name);
    auto p = parse_package_version(text);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidPackageVersion);
    EXPECT_EQ(p.error().message.find('\n'), std::string::npos);
    EXPECT_FALSE(p.error().hint.empty());
  }
}

TEST(PackageVersion, PatternsForInstalls) {
  EXPECT_EQ(apt_version_pattern(*parse("v1.31.2")), "1.31.2-*");
  EXPECT_EQ(apt_version_pattern(*parse("v1.38.0-rc.1")), "1.38.0~rc.1-*");
  EXPECT_EQ(package_upstream(*parse("v1.30.4+k3s1")), "1.30.4");
}

}  // namespace
}  // namespace kver
