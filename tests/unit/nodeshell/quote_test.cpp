#include "pkg/nodeshell/quote.h"

#include <gtest/gtest.h>

namespace nodeshell {
namespace {

TEST(ShellQuote, QuotesEverythingIncludingSingleQuotes) {
  EXPECT_EQ(shell_quote("v1.36.0"), "'v1.36.0'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a'b"), "'a'\\''b'");
  EXPECT_EQ(shell_quote("$(reboot); `id`"), "'$(reboot); `id`'");
}

struct Case {
  std::string name;
  std::function<kube::Result<std::string>(std::string_view)> check;
  std::string value;
  bool ok;
};

TEST(Validation, AcceptsOnlyStrictPatterns) {
  std::vector<Case> cases = {
      {"known package", checked_package, "kubeadm", true},
      {"cri-tools", checked_package, "cri-tools", true},
      {"other package", checked_package, "openssh-server", false},
      {"package with shell", checked_package, "kubeadm;reboot", false},
      {"package with option", checked_package, "--allow-unauthenticated", false},
      {"pkgs.k8s.io url", checked_repo_url, "https://pkgs.k8s.io/core:/stable:/v1.36/deb/", true},
      {"mirror with port", checked_repo_url,
       "https://mirror.example.com:8443/k8s/core:/stable:/v1.36/rpm/", true},
      {"http url", checked_repo_url, "http://pkgs.k8s.io/core:/stable:/v1.36/deb/", false},
      {"url with space", checked_repo_url, "https://pkgs.k8s.io/ x", false},
      {"url with quote", checked_repo_url, "https://pkgs.k8s.io/'$(id)'", false},
      {"url with dotdot", checked_repo_url, "https://pkgs.k8s.io/../../etc", false},
      {"url with userinfo", checked_repo_url, "https://user:pw@pkgs.k8s.io/", false},
      {"url upper-case host", checked_repo_url, "https://PKGS.k8s.io/", false},
      {"host", checked_host, "pkgs.k8s.io", true},
      {"host with underscore", checked_host, "pkgs_k8s.io", false},
      {"host with newline", checked_host, "pkgs.k8s.io\nreboot", false},
      {"image", checked_image, "docker.io/library/alpine:3.20", true},
      {"image with digest", checked_image,
       "registry.local:5000/tools/alpine@sha256:" + std::string(64, 'a'), true},
      {"image with space", checked_image, "alpine; reboot", false},
      {"image upper-case path", checked_image, "Docker.io/Alpine", false},
      {"namespace", checked_namespace, "kube-system", true},
      {"namespace with slash", checked_namespace, "kube-system/x", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = c.check(c.value);
    EXPECT_EQ(r.has_value(), c.ok);
    if (!r) {
      EXPECT_NE(r.error().message.find("is not allowed"), std::string::npos);
      // The refused value is shown quoted and escaped, never raw.
      EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace nodeshell
