// The settings of `kubectl upgrade node` and `kubectl upgrade cluster`, as given on the command
// line (strings), validated once into the options of the libraries. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "pkg/drain/options.h"
#include "pkg/kube/error.h"
#include "pkg/nodeshell/pod_spec.h"
#include "pkg/upgrade/procedure.h"

namespace upgrade {

struct RunConfig {
  std::optional<std::string> to;
  bool dry_run = false;
  bool yes = false;
  std::string timeout = "1h";          // the longest one node may take
  std::string kubelet_timeout = "5m";  // the restarted kubelet's way back to Ready
  std::string max_unavailable = "1";   // cluster only: N or N%
  // drain flags (kubectl drain's names)
  bool ignore_daemonsets = true;
  bool delete_emptydir_data = false;
  bool force = false;
  int grace_period = -1;
  bool disable_eviction = false;
  std::string pod_selector;
  int skip_wait_for_delete_timeout = 0;
  std::string drain_timeout = "15m";
  std::string on_drain_timeout = "restore";
  // node shell
  std::string shell_namespace = nodeshell::ShellOptions{}.ns;  // one default: pkg/nodeshell
  std::string shell_image = nodeshell::ShellOptions{}.image;
};

struct ValidConfig {
  std::optional<kver::Version> to;
  std::chrono::seconds node_timeout{3600};
  std::chrono::seconds kubelet_timeout{300};
  drain::Options drain;
  nodeshell::ShellOptions shell;
  std::string resume_flags;  // repeated_flags() of a node run (no --max-unavailable)
};

// Errors name the flag and what is accepted.
kube::Result<ValidConfig> validate(const RunConfig& c);

// The flags a resumed run must repeat to behave the same (those not at their defaults), as
// " --delete-emptydir-data --force --drain-timeout 30m"; values shell-quoted where needed.
std::string repeated_flags(const RunConfig& c);

// The node options for one node and target.
NodeUpgradeOptions node_options(const ValidConfig& v, const std::string& node,
                                const kver::Version& target);

}  // namespace upgrade
