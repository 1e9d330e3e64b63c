// The progress record on the Node: annotations under the project's own domain
// (upgrade.kubectl-upgrade.dev, never *.k8s.io), so `kubectl describe node` tells the story and a
// re-run resumes at the step where it stopped.
//
//   upgrade.kubectl-upgrade.dev/target      v1.36.0         the version this run goes to
//   upgrade.kubectl-upgrade.dev/from        v1.35.2         the kubelet's version when it started
//   upgrade.kubectl-upgrade.dev/role        first-control-plane | control-plane | worker
//   upgrade.kubectl-upgrade.dev/step        5-drain         the step running or last finished
//   upgrade.kubectl-upgrade.dev/state       running | done | failed   (of that step)
//   upgrade.kubectl-upgrade.dev/last-error  the reason of the last failure ("" once it succeeds)
//   upgrade.kubectl-upgrade.dev/updated     RFC 3339 time of the last change
//   upgrade.kubectl-upgrade.dev/started     RFC 3339 time this target was first started
//   upgrade.kubectl-upgrade.dev/cordoned    "true" while the node is cordoned by us (written in
//                                           the cordon's own PATCH; removed by our uncordon)
//   upgrade.kubectl-upgrade.dev/flags       the flags a resume must repeat (" --force ...")
#pragma once

#include <map>
#include <optional>
#include <string>

#include "pkg/cluster/role.h"
#include "pkg/kube/client.h"

namespace upgrade {

inline constexpr const char* kPrefix = "upgrade.kubectl-upgrade.dev/";
inline constexpr const char* kTargetKey = "upgrade.kubectl-upgrade.dev/target";
inline constexpr const char* kFromKey = "upgrade.kubectl-upgrade.dev/from";
inline constexpr const char* kRoleKey = "upgrade.kubectl-upgrade.dev/role";
inline constexpr const char* kStepKey = "upgrade.kubectl-upgrade.dev/step";
inline constexpr const char* kStateKey = "upgrade.kubectl-upgrade.dev/state";
inline constexpr const char* kLastErrorKey = "upgrade.kubectl-upgrade.dev/last-error";
inline constexpr const char* kUpdatedKey = "upgrade.kubectl-upgrade.dev/updated";
inline constexpr const char* kStartedKey = "upgrade.kubectl-upgrade.dev/started";
// Same key as pkg/cluster's kCordonedByUsAnnotation (the plan reads it).
inline constexpr const char* kCordonedKey = "upgrade.kubectl-upgrade.dev/cordoned";
inline constexpr const char* kFlagsKey = "upgrade.kubectl-upgrade.dev/flags";

enum class StepId {
  kPreflight = 0,
  kFacts = 1,
  kRepo = 2,
  kKubeadmPackage = 3,
  kKubeadmUpgrade = 4,
  kDrain = 5,
  kKubeletPackage = 6,
  kKubeletRestart = 7,
  kUncordon = 8,
  kDone = 9,
};
inline constexpr int kStepCount = 10;
const char* step_name(StepId s);   // "drain"
std::string step_label(StepId s);  // "5-drain"
std::optional<StepId> parse_step(const std::string& label);

using cluster::parse_role;
using cluster::Role;
using cluster::role_name;

struct NodeRecord {
  std::string target;  // "" = no record
  std::string from;
  std::optional<Role> role;
  std::optional<StepId> step;
  std::string state;  // running, done, failed
  std::string last_error;
  std::string updated;
  std::string started;
  std::string flags;  // " --delete-emptydir-data --force": what a resume repeats
  bool cordoned_by_us = false;

  bool empty() const { return target.empty(); }
  bool finished() const { return step == StepId::kDone && state == "done"; }
  // The first step a re-run toward `target` still has to do (0 when the record is for another
  // target or absent).
  int resume_from(const std::string& for_target) const;
};

NodeRecord read_record(const kube::json& node);

}  // namespace upgrade
