#include "pkg/upgrade/status.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

#include "pkg/kube/paths.h"
#include "pkg/upgrade/progress_text.h"

namespace upgrade {
namespace {

bool ready_of(const kube::json& n) {
  for (const auto& c : n.value("/status/conditions"_json_pointer, kube::json::array()))
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  return false;
}

std::string next_for(const NodeRecord& r, const std::string& node) {
  if (r.empty() || r.finished()) return "";
  int at = r.resume_from(r.target);
  if (at >= kStepCount) return "";
  return resume_command(node, r.target, r.flags) + "  (resumes at " +
         step_label(static_cast<StepId>(at)) + ")";
}

// A `cluster` run that stopped (or died holding the lock) is resumed by running it again.
std::string next_run_for(const Status& s) {
  const std::string* command = nullptr;
  std::string why;
  if (s.lock && (s.lock->expired || s.lock->process_gone)) {
    command = &s.lock->command;
    why = s.lock->process_gone ? "the run holding the lock was killed; a re-run here takes it over"
                               : "the run holding the lock stopped renewing it";
  } else if (s.last_run && s.last_run->outcome.starts_with("stopped")) {
    command = &s.last_run->command;
    why = "resumes the stopped run from the records on the Nodes";
  }
  if (!command || !command->starts_with("upgrade cluster ")) return "";
  return "kubectl " + *command + " --yes  (" + why + ")";
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

YAML::Node to_yaml(const kube::json& j) {
  YAML::Node n;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) n[k] = to_yaml(v);
  } else if (j.is_array()) {
    n = YAML::Node(YAML::NodeType::Sequence);
    for (const auto& v : j) n.push_back(to_yaml(v));
  } else if (j.is_string()) {
    n = j.get<std::string>();
  } else if (j.is_boolean()) {
    n = j.get<bool>();
  } else if (j.is_number_integer()) {
    n = j.get<long long>();
  } else if (j.is_null()) {
    n = YAML::Node(YAML::NodeType::Null);
  } else {
    n = j.dump();
  }
  return n;
}

}  // namespace

Status make_status(const std::vector<kube::json>& nodes, std::optional<LockHolder> lock,
                   const std::vector<kube::json>& events, std::optional<LastRun> last_run) {
  Status s;
  for (const auto& n : nodes) {
    NodeStatus ns;
    ns.name = n.value("/metadata/name"_json_pointer, std::string());
    ns.record = read_record(n);
    bool cp = n.value("/metadata/labels"_json_pointer, kube::json::object())
                  .contains("node-role.kubernetes.io/control-plane");
    ns.role = ns.record.role ? role_name(*ns.record.role) : (cp ? "control-plane" : "worker");
    ns.version = n.value("/status/nodeInfo/kubeletVersion"_json_pointer, std::string());
    ns.ready = ready_of(n);
    ns.unschedulable = n.value("/spec/unschedulable"_json_pointer, false);
    ns.next = next_for(ns.record, ns.name);
    s.nodes.push_back(std::move(ns));
  }
  std::sort(s.nodes.begin(), s.nodes.end(), [](const NodeStatus& a, const NodeStatus& b) {
    bool acp = a.role != "worker", bcp = b.role != "worker";
    return acp != bcp ? acp : a.name < b.name;
  });
  s.lock = std::move(lock);
  if (!s.lock) s.last_run = std::move(last_run);
  s.next_run = next_run_for(s);
  for (const auto& e : events) {
    if (e.value("/source/component"_json_pointer, std::string()) != "kubectl-upgrade") continue;
    s.events.push_back({e.value("lastTimestamp", ""),
                        e.value("/involvedObject/name"_json_pointer, std::string()),
                        e.value("type", ""), e.value("reason", ""), e.value("message", "")});
  }
  std::stable_sort(s.events.begin(), s.events.end(),
                   [](const EventLine& a, const EventLine& b) { return a.time < b.time; });
  if (s.events.size() > 20) s.events.erase(s.events.begin(), s.events.end() - 20);
  return s;
}

kube::Result<Status> read_status(kube::Client& client, ku::Clock& clock) {
  std::vector<kube::json> nodes, events;
  auto listed = client.list(kube::paths::nodes(), {}, [&](const kube::json& n) {
    nodes.push_back(n);
    return true;
  });
  if (!listed) return std::unexpected(listed.error().wrap("listing nodes"));
  auto lock = read_lock_state(client, clock);
  if (!lock) return std::unexpected(lock.error());
  auto ev = client.list(kube::paths::events("default"),
                        {.field_selector = "involvedObject.kind=Node"}, [&](const kube::json& e) {
                          events.push_back(e);
                          return true;
                        });
  if (!ev) return std::unexpected(ev.error().wrap("listing Events"));
  return make_status(nodes, lock->holder, events, lock->last_run);
}

std::string render_status_table(const Status& s) {
  std::vector<std::vector<std::string>> rows = {{"NODE", "ROLE", "VERSION", "READY", "SCHEDULING",
                                                 "TARGET", "STEP", "STATE", "UPDATED",
                                                 "LAST ERROR"}};
  for (const auto& n : s.nodes) {
    std::string err = n.record.last_error.substr(0, n.record.last_error.find('\n'));
    if (err.size() > 60) err = err.substr(0, 57) + "...";
    rows.push_back({n.name, n.role, or_dash(n.version), n.ready ? "True" : "False",
                    n.unschedulable ? "Disabled" : "Enabled", or_dash(n.record.target),
                    n.record.step ? step_label(*n.record.step) : "-", or_dash(n.record.state),
                    or_dash(n.record.updated), or_dash(err)});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::ostringstream out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i)
      line += i + 1 == r.size() ? r[i] : fmt::format("{:<{}}   ", r[i], width[i]);
    out << line << "\n";
  }
  out << "\nLock: ";
  if (!s.lock)
    out << "free (no kubectl upgrade is running)\n";
  else
    out << "held by " << s.lock->identity
        << (s.lock->command.empty() ? "" : " (" + s.lock->command + ")") << " since "
        << s.lock->acquired << ", renewed " << s.lock->renewed
        << (s.lock->expired ? " [expired: it may be taken over]" : "")
        << (s.lock->process_gone ? " [its process is gone]" : "") << "\n";
  if (s.last_run)
    out << "Last run: " << or_dash(s.last_run->command) << " by " << or_dash(s.last_run->identity)
        << ", ended " << or_dash(s.last_run->ended) << ": " << s.last_run->outcome << "\n";
  bool any = false;
  if (!s.next_run.empty()) {
    out << "\nNext:\n  " << s.next_run << "\n";
    any = true;
  }
  for (const auto& n : s.nodes)
    if (!n.next.empty()) {
      out << (any ? "" : "\nNext:\n") << "  " << n.next << "\n";
      any = true;
    }
  if (!any)
    out << "\nNext: nothing to resume (kubectl upgrade plan shows what could be upgraded)\n";
  if (!s.events.empty()) {
    out << "\nRecent events:\n";
    for (const auto& e : s.events)
      out << "  " << e.time << "  " << e.node << "  " << e.type << "  " << e.reason << "  "
          << e.message << "\n";
  }
  return out.str();
}

kube::json status_json(const Status& s) {
  kube::json j = {{"apiVersion", "upgrade.kubectl-upgrade.dev/v1alpha1"},
                  {"kind", "Status"},
                  {"nodes", kube::json::array()},
                  {"events", kube::json::array()}};
  for (const auto& n : s.nodes) {
    kube::json r = {{"name", n.name},
                    {"role", n.role},
                    {"version", n.version},
                    {"ready", n.ready},
                    {"unschedulable", n.unschedulable}};
    if (!n.record.empty()) {
      r["record"] = {{"target", n.record.target},
                     {"from", n.record.from},
                     {"step", n.record.step ? step_label(*n.record.step) : ""},
                     {"state", n.record.state},
                     {"lastError", n.record.last_error},
                     {"updated", n.record.updated},
                     {"started", n.record.started},
                     {"cordonedByUs", n.record.cordoned_by_us}};
    }
    if (!n.next.empty()) r["next"] = n.next;
    j["nodes"].push_back(r);
  }
  if (s.lock)
    j["lock"] = {{"holder", s.lock->identity},   {"command", s.lock->command},
                 {"acquired", s.lock->acquired}, {"renewed", s.lock->renewed},
                 {"expired", s.lock->expired},   {"processGone", s.lock->process_gone}};
  else
    j["lock"] = nullptr;
  if (s.last_run)
    j["lastRun"] = {{"holder", s.last_run->identity},
                    {"command", s.last_run->command},
                    {"outcome", s.last_run->outcome},
                    {"ended", s.last_run->ended}};
  if (!s.next_run.empty()) j["next"] = s.next_run;
  for (const auto& e : s.events)
    j["events"].push_back({{"time", e.time},
                           {"node", e.node},
                           {"type", e.type},
                           {"reason", e.reason},
                           {"message", e.message}});
  return j;
}

std::string render_status_yaml(const Status& s) {
  YAML::Emitter out;
  out << to_yaml(status_json(s));
  return std::string(out.c_str()) + "\n";
}

}  // namespace upgrade
