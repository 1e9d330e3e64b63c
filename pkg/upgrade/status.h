// `kubectl upgrade status`, pure: from the Nodes, the lock Lease and recent Events to a Status
// value, and its renderings (table, JSON, YAML). Reading is read_status(); it never writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/drain/clock.h"
#include "pkg/kube/client.h"
#include "pkg/upgrade/lease.h"
#include "pkg/upgrade/record.h"

namespace upgrade {

struct NodeStatus {
  std::string name;
  std::string role;     // from the record, else control-plane/worker from the label
  std::string version;  // kubelet
  bool ready = false;
  bool unschedulable = false;
  NodeRecord record;
  std::string next;  // what a re-run would do for this node, "" = nothing
};

struct EventLine {
  std::string time;
  std::string node;
  std::string type;
  std::string reason;
  std::string message;
};

struct Status {
  std::vector<NodeStatus> nodes;
  std::optional<LockHolder> lock;
  std::optional<LastRun> last_run;  // when the lock is free: the run that released it
  std::string next_run;             // re-running a stopped `cluster` run, "" = none
  std::vector<EventLine> events;    // most recent last, at most 20
};

Status make_status(const std::vector<kube::json>& nodes, std::optional<LockHolder> lock,
                   const std::vector<kube::json>& events,
                   std::optional<LastRun> last_run = std::nullopt);
kube::Result<Status> read_status(kube::Client& client, ku::Clock& clock);

std::string render_status_table(const Status& s);
kube::json status_json(const Status& s);
std::string render_status_yaml(const Status& s);

}  // namespace upgrade
