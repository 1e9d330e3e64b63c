#include "pkg/version/version.h"

#include <gtest/gtest.h>

namespace kver {
namespace {

struct ParseCase {
  std::string name;
  std::string text;
  std::string canonical;  // to_string()
  Stage stage;
  std::string build;
};

TEST(Parse, AcceptsKubernetesVersions) {
  const std::vector<ParseCase> cases = {
      {"with v", "v1.31.2", "v1.31.2", Stage::kRelease, ""},
      {"without v", "1.31.2", "v1.31.2", Stage::kRelease, ""},
      {"zero patch", "v1.29.0", "v1.29.0", Stage::kRelease, ""},
      {"rc", "v1.38.0-rc.1", "v1.38.0-rc.1", Stage::kRc, ""},
      {"alpha", "v1.38.0-alpha.2", "v1.38.0-alpha.2", Stage::kAlpha, ""},
      {"beta zero", "v1.38.0-beta.0", "v1.38.0-beta.0", Stage::kBeta, ""},
      {"k3s build metadata", "v1.30.4+k3s1", "v1.30.4", Stage::kRelease, "k3s1"},
      {"eks vendor suffix", "v1.31.2-eks-7f9249a", "v1.31.2", Stage::kRelease, "eks-7f9249a"},
      {"gke vendor suffix", "v1.30.5-gke.1014001", "v1.30.5", Stage::kRelease, "gke.1014001"},
      {"dev build of a pre-release", "v1.38.0-alpha.2.15+0a1b2c3d", "v1.38.0-alpha.2",
       Stage::kAlpha, "15+0a1b2c3d"},
      {"rke2 metadata", "v1.31.2+rke2r1", "v1.31.2", Stage::kRelease, "rke2r1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto v = parse(c.text);
    ASSERT_TRUE(v.has_value()) << v.error().to_string();
    EXPECT_EQ(v->to_string(), c.canonical);
    EXPECT_EQ(v->stage, c.stage);
    EXPECT_EQ(v->build, c.build);
    EXPECT_EQ(v->original, c.text);
  }
}

TEST(Parse, RejectsEverythingElseWithTheValueQuoted) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"two parts", "v1.31"},
      {"four parts", "v1.31.2.4"},
      {"leading zero", "v1.031.2"},
      {"capital V", "V1.31.2"},
      {"double v", "vv1.31.2"},
      {"major 2", "v2.0.0"},
      {"major 0", "v0.31.2"},
      {"huge number", "v1.99999.0"},
      {"negative", "v1.-1.0"},
      {"spaces", " v1.31.2"},
      {"trailing space", "v1.31.2 "},
      {"newline", "v1.31.2\nrm -rf /"},
      {"semicolon", "v1.31.2;reboot"},
      {"command substitution", "v1.31.$(id)"},
      {"backtick", "v1.31.2`id`"},
      {"pipe", "v1.31.2|sh"},
      {"pre-release without number", "v1.38.0-rc"},
      {"pre-release with text number", "v1.38.0-rc.x"},
      {"empty suffix", "v1.31.2-"},
      {"empty build", "v1.31.2+"},
      {"build with space", "v1.31.2+a b"},
      {"latest", "latest"},
      {"stable", "stable-1.31"},
      {"overlong", "v1.31.2+" + std::string(200, 'a')},
      {"nul byte", std::string("v1.31.2\0x", 9)},
  };
  for (const auto& [name, text] : cases) {
    SCOPED_TRACE(name);
    auto v = parse(text);
    ASSERT_FALSE(v.has_value()) << v->to_string();
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidVersion);
    EXPECT_NE(v.error().message.find("invalid Kubernetes version"), std::string::npos);
    EXPECT_FALSE(v.error().hint.empty());
    // Nothing from the input reaches the message unescaped.
    EXPECT_EQ(v.error().message.find('\n'), std::string::npos);
    EXPECT_LT(v.error().message.size(), 200u);
  }
}

TEST(Order, PreReleasesBeforeTheReleaseAndBuildIgnored) {
  const std::vector<std::string> ascending = {
      "v1.29.15",     "v1.30.0-alpha.1", "v1.30.0-alpha.2", "v1.30.0-beta.0", "v1.30.0-rc.0",
      "v1.30.0-rc.1", "v1.30.0",         "v1.30.1",         "v1.30.10",       "v1.31.0"};
  for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
    SCOPED_TRACE(ascending[i] + " < " + ascending[i + 1]);
    EXPECT_LT(*parse(ascending[i]), *parse(ascending[i + 1]));
  }
  EXPECT_EQ(*parse("v1.30.4+k3s1"), *parse("1.30.4"));
  EXPECT_EQ(*parse("v1.31.2-eks-7f9249a"), *parse("v1.31.2"));
}

TEST(ImageTag, UnderscoreStandsForPlus) {
  auto v = parse_image_tag("v1.30.4_k3s1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->to_string(), "v1.30.4");
  EXPECT_EQ(v->build, "k3s1");
}

TEST(ImageTag, ExtractedFromImageReferences) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"registry.k8s.io/kube-apiserver:v1.31.2", "v1.31.2"},
      {"registry.k8s.io/kube-apiserver:v1.31.2@sha256:abcdef", "v1.31.2"},
      {"mirror.local:5000/kube-proxy:v1.30.4_k3s1", "v1.30.4_k3s1"},
      {"mirror.local:5000/kube-proxy", ""},
      {"kube-proxy@sha256:abcdef", ""},
      {"coredns/coredns:1.11.3", "1.11.3"},
  };
  for (const auto& [image, tag] : cases) {
    SCOPED_TRACE(image);
    EXPECT_EQ(image_tag(image), tag);
  }
  EXPECT_EQ(parse_image("registry.k8s.io/kube-apiserver:v1.31.2")->to_string(), "v1.31.2");
  auto no_tag = parse_image("mirror.local:5000/kube-proxy");
  ASSERT_FALSE(no_tag);
  EXPECT_NE(no_tag.error().message.find("has no version tag"), std::string::npos);
  auto bad = parse_image("registry.k8s.io/kube-apiserver:latest");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("kube-apiserver:latest"), std::string::npos);
}

TEST(Minor, ParsesAndRefuses) {
  EXPECT_EQ(parse_minor("v1.31")->minor, 31);
  EXPECT_EQ(parse_minor("1.31")->minor, 31);
  for (std::string bad : {"v1.31.2", "v2.1", "1", "v1.", "v1.x", "", "v1.31;id"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_minor(bad));
  }
  EXPECT_EQ((Minor{1, 31}.to_string()), "v1.31");
  EXPECT_EQ(minors_between({1, 29}, {1, 32}), 3);
}

TEST(Quote, EscapesAndTruncates) {
  EXPECT_EQ(quote("a\"b\n"), "\"a\\\"b\\x0a\"");
  EXPECT_EQ(quote(std::string(60, 'x'), 4), "\"xxxx...\"");
}

}  // namespace
}  // namespace kver
