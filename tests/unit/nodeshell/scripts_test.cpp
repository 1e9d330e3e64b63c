#include "pkg/nodeshell/scripts.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nodeshell {
namespace {

kver::Version v(const char* text) {
  return *kver::parse(text);
}

// Golden files: UPDATE_GOLDEN=1 rewrites them; review the diff.
void expect_golden(const std::string& name, const std::string& got) {
  std::filesystem::path path = std::filesystem::path(KU_GOLDEN_DIR) / name;
  if (std::getenv("UPDATE_GOLDEN")) {
    std::ofstream(path) << got;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "golden " << name << " differs (UPDATE_GOLDEN=1 to accept)";
}

// `sh -n`: the script parses.
void expect_valid_sh(const std::string& script) {
  auto path =
      std::filesystem::temp_directory_path() / ("ku-script-" + std::to_string(::getpid()) + ".sh");
  std::ofstream(path) << script;
  int rc = std::system(("sh -n " + path.string()).c_str());
  std::filesystem::remove(path);
  EXPECT_EQ(rc, 0) << script;
}

TEST(Scripts, RenderedScriptsMatchGoldenFilesAndParse) {
  struct Case {
    std::string golden;
    std::string script;
  };
  std::vector<Case> cases = {
      {"gather-facts.sh", gather_facts_script()},
      {"switch-repo-v1.36.sh", *switch_repo_script(v("v1.36.0"))},
      {"install-kubeadm-v1.36.0.sh", *install_packages_script({"kubeadm"}, v("v1.36.0"))},
      {"install-kubelet-kubectl-v1.36.0.sh",
       *install_packages_script({"kubelet", "kubectl"}, v("v1.36.0"))},
      {"kubeadm-apply-v1.36.0.sh", *kubeadm_upgrade_script(true, v("v1.36.0"))},
      {"kubeadm-node.sh", *kubeadm_upgrade_script(false, v("v1.36.0"))},
      {"restart-kubelet.sh", restart_kubelet_script()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.golden);
    expect_golden(c.golden, c.script);
    expect_valid_sh(c.script);
  }
}

TEST(Scripts, ValuesEnterQuotedAndTheRestartIsLast) {
  auto install = *install_packages_script({"kubelet", "kubectl"}, v("v1.36.2"));
  EXPECT_NE(install.find("pkgs='kubelet kubectl'\nwant='1.36.2'\n"), std::string::npos);
  EXPECT_NE(install.find("apt-mark unhold $pkgs"), std::string::npos);
  EXPECT_NE(install.find("--disableexcludes=kubernetes"), std::string::npos);
  auto pre = *install_packages_script({"kubeadm"}, v("v1.38.0-rc.1"));
  EXPECT_NE(pre.find("want='1.38.0~rc.1'"), std::string::npos);
  auto repo = *switch_repo_script(v("v1.36.2"));
  EXPECT_NE(repo.find("minor='v1.36'\n"), std::string::npos);
  auto apply = *kubeadm_upgrade_script(true, v("v1.36.2"));
  EXPECT_NE(
      apply.find("kubeadm upgrade plan \"$version\"\nkubeadm upgrade apply \"$version\" --yes"),
      std::string::npos);
  auto restart = restart_kubelet_script();
  EXPECT_TRUE(restart.ends_with("systemctl restart kubelet\n"));
}

TEST(Scripts, HostileValuesAreRefused) {
  EXPECT_FALSE(install_packages_script({"kubeadm; reboot"}, v("v1.36.0")));
  EXPECT_FALSE(install_packages_script({"openssh-server"}, v("v1.36.0")));
  EXPECT_FALSE(install_packages_script({}, v("v1.36.0")));
  // Versions come only from pkg/version, which refuses anything but a version.
  EXPECT_FALSE(kver::parse("v1.36.0;reboot"));
  EXPECT_FALSE(kver::parse("v1.36.0 --force"));
  EXPECT_FALSE(kver::parse("$(id)"));
  // Build metadata never reaches a script: only the canonical form is rendered.
  auto vendor = *kver::parse("v1.36.0+evil");
  auto s = *kubeadm_upgrade_script(true, vendor);
  EXPECT_EQ(s.find("evil"), std::string::npos);
}

}  // namespace
}  // namespace nodeshell
