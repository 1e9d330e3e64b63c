// Inventory + target + options -> Plan: everything an admin must know before the first change.
// Pure: no I/O, no clock (the inventory's observed_at is "now"). make_plan() fails only for
// invalid options (a malformed --to or --max-unavailable); every problem with the cluster or the
// target is a Finding in the plan, blockers carrying their fix.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/cluster/inventory.h"
#include "pkg/cluster/role.h"
#include "pkg/version/path.h"
#include "pkg/version/skew.h"

namespace plan {

inline constexpr std::string_view kApiVersion = "upgrade.kubectl-upgrade.dev/v1alpha1";
inline constexpr std::string_view kKind = "Plan";

// The drain flags that change the preview (kubectl drain's meaning).
struct DrainFlags {
  bool ignore_daemonsets = true;         // the upgrade always drains with --ignore-daemonsets
  bool delete_emptydir_data = false;     // --delete-emptydir-data
  bool force = false;                    // --force: delete pods without a controller
  bool disable_eviction = false;         // --disable-eviction: DELETE, bypassing PDBs
  int skip_wait_for_delete_timeout = 0;  // seconds; 0 = never skip terminating pods
};

struct Options {
  std::optional<std::string> to;      // --to; nullopt = the default target
  bool allow_prerelease = false;      // a pre-release --to must be asked for explicitly
  std::string max_unavailable = "1";  // workers drained at once: "N" or "N%"
  DrainFlags drain;
};

enum class Severity { kBlocker, kWarning, kInfo };
std::string_view severity_name(Severity s);  // "Blocker", "Warning", "Info"

struct Finding {
  Severity severity = Severity::kBlocker;
  std::string code;     // stable identifier: "KubeletTooOld", "PdbBlocksDrain", ...
  std::string subject;  // what it is about: "node/w1", "pod/shop/web-1", "pdb/shop/web", "cluster"
  std::string message;  // what is wrong
  std::string fix;      // what to do (always set for blockers)
};

struct ComponentRow {
  std::string component;  // kube-apiserver, kubelet, kube-proxy, ...
  std::string instance;   // node name, or "" for DaemonSet/Deployment-wide ones
  std::string version;    // as found ("v1.31.2", "v1.11.3" for CoreDNS, "?" unreadable)
};

struct CurrentState {
  std::string version;  // the cluster's version (oldest kube-apiserver), "" if unknown
  std::string server_git_version;
  std::string kubeadm_version;  // kubeadm-config kubernetesVersion
  std::vector<ComponentRow> components;
  std::vector<kver::SkewViolation> skew;
  std::string support_window;  // "v1.35, v1.36, v1.37"
  bool supported = false;
};

struct TargetSource {
  std::string kind;         // "builtin-table", "node-facts", "node-facts+builtin-table"
  std::string description;  // "built-in release table (as of 2026-11-26)"
};

struct Target {
  std::optional<std::string> requested;  // --to as given
  bool defaulted = false;
  std::string version;  // resolved target, "" if refused
  std::vector<kver::Hop> hops;
  bool multiple_minors = false;  // the path goes through intermediate minors
  TargetSource source;
  std::string refusal;  // why the target was refused, if it was
};

enum class PodAction {
  kEvict,            // evicted (PDBs apply)
  kDelete,           // deleted: finished pods, and with --force/--disable-eviction
  kIgnoreDaemonSet,  // DaemonSet pod left in place (--ignore-daemonsets)
  kSkipMirror,       // static pod mirror
  kSkipTerminating,  // terminating longer than --skip-wait-for-delete-timeout
  kSkipOwn,          // kubectl-upgrade's own pod
  kBlock,            // stops the drain before any eviction
};
std::string_view action_name(PodAction a);

struct PodVerdict {
  std::string pod;  // namespace/name
  PodAction action = PodAction::kEvict;
  std::string reason;      // why (kubectl's wording where it has one)
  std::string flag;        // the flag that would allow a blocked pod
  std::string moved_from;  // set when the pod lands here from an earlier drain of the sequence
};

struct PdbCheck {
  std::string pdb;  // namespace/name
  int allowed_now = 0;
  int pods_on_node = 0;  // pods of this drain (batch) it covers
  std::string verdict;   // "ok", "waits", "blocks"
  std::string message;
};

struct DrainPreview {
  int evict = 0, remove = 0, ignored = 0, skipped = 0, blocked = 0;
  std::vector<PodVerdict> pods;  // every pod on the node, in filter order of kubectl
  std::vector<PdbCheck> pdbs;
  bool capacity_ok = true;
  std::vector<std::string> unplaceable;  // "shop/web-1: needs 2 CPU; ..."
};

using cluster::Role;
using cluster::role_name;

struct NodePlan {
  int order = 0;  // 1-based position in the sequence
  int batch = 0;  // 1-based batch; control planes are one per batch
  std::string name;
  Role role = Role::kWorker;
  std::string kubelet_version;
  bool ready = false;
  bool unschedulable = false;
  std::string os_image, runtime;
  std::vector<std::string> steps;  // the procedure for this node on each hop
  DrainPreview drain;
};

struct FirstControlPlane {
  std::string name;
  bool assumed = true;  // no node facts confirmed /etc/kubernetes/admin.conf
  std::string reason;
};

struct Plan {
  std::string observed_at;
  CurrentState current;
  Target target;
  FirstControlPlane first_control_plane;
  int max_unavailable = 1;      // resolved worker batch size
  std::vector<NodePlan> nodes;  // in upgrade order
  std::vector<Finding> findings;
  std::string next_command;  // "kubectl upgrade node cp1 --to v1.36.7", "" if nothing to run

  int count(Severity s) const;
  bool ready() const { return count(Severity::kBlocker) == 0; }
};

// Errors are only about the options; they say which flag and what is accepted.
struct OptionError {
  std::string message;
};

std::expected<Plan, OptionError> make_plan(const cluster::Inventory& inventory,
                                           const Options& options);

// "1" -> 1, "25%" of 8 workers -> 2 (rounded down, at least 1).
std::expected<int, OptionError> resolve_max_unavailable(std::string_view text, int workers);

}  // namespace plan
