// pods/log, pods/eviction and pods/binding.
#include <fmt/format.h>

#include <mutex>

#include "tests/sim/model/objects.h"
#include "tests/sim/model/pdb_eval.h"
#include "tests/sim/server/handlers.h"

namespace sim {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const ResourceInfo& pods_info() {
  return *find_qualified("pods");
}

std::string container_names(const json& pod) {
  std::string out;
  for (const auto& c : pod["spec"].value("containers", json::array())) {
    out += (out.empty() ? "" : " ") + c.value("name", "");
  }
  return out;
}

// The container whose log is asked for, or a 400 like the apiserver's.
Result<std::string> pick_container(const json& pod, const std::string& asked) {
  std::string name = pod["metadata"].value("name", "");
  const json& containers = pod["spec"].value("containers", json::array());
  if (asked.empty()) {
    std::string dflt = pod["metadata"]
                           .value("annotations", json::object())
                           .value("kubectl.kubernetes.io/default-container", "");
    if (!dflt.empty()) return dflt;
    if (containers.size() == 1) return containers[0].value("name", "");
    return std::unexpected(bad_request(
        fmt::format("a container name must be specified for pod {}, choose one of: [{}]", name,
                    container_names(pod))));
  }
  for (const auto& c : containers) {
    if (c.value("name", "") == asked) return asked;
  }
  return std::unexpected(
      bad_request(fmt::format("container {} is not valid for pod {}", asked, name)));
}

Result<void> container_started(const json& pod, const std::string& container) {
  std::string name = pod["metadata"].value("name", "");
  if (pod["spec"].value("nodeName", "").empty()) {
    return std::unexpected(bad_request(fmt::format("pod {} does not have a host assigned", name)));
  }
  for (const auto& cs :
       pod.value("status", json::object()).value("containerStatuses", json::array())) {
    if (cs.value("name", "") != container) continue;
    const json& st = cs.value("state", json::object());
    if (st.contains("waiting")) {
      return std::unexpected(bad_request(
          fmt::format("container \"{}\" in pod \"{}\" is waiting to start: {}", container, name,
                      st["waiting"].value("reason", "ContainerCreating"))));
    }
    return {};
  }
  return std::unexpected(bad_request(fmt::format(
      "container \"{}\" in pod \"{}\" is waiting to start: ContainerCreating", container, name)));
}

struct LogStream {
  std::string uid, container;
  size_t next = 0;
  bool follow = false, timestamps = false;
  std::optional<WallTime> since;
  int64_t tail = -1;
  int64_t limit_bytes = -1;
  int64_t sent = 0;
  bool first = true;
};

std::string render(LogStream& s, const std::vector<LogLine>& lines) {
  std::string out;
  size_t start = 0;
  std::vector<const LogLine*> picked;
  for (const auto& l : lines) {
    if (s.since && l.time < *s.since) continue;
    picked.push_back(&l);
  }
  if (s.first && s.tail >= 0 && picked.size() > static_cast<size_t>(s.tail))
    start = picked.size() - static_cast<size_t>(s.tail);
  s.first = false;
  for (size_t i = start; i < picked.size(); ++i) {
    if (s.timestamps) out += rfc3339_nano(picked[i]->time) + " ";
    out += picked[i]->text + "\n";
  }
  if (s.limit_bytes >= 0) {
    int64_t left = s.limit_bytes - s.sent;
    if (left <= 0) return {};
    if (static_cast<int64_t>(out.size()) > left) out.resize(static_cast<size_t>(left));
  }
  s.sent += static_cast<int64_t>(out.size());
  return out;
}

}  // namespace

void handle_pod_log(RequestContext& c) {
  auto pod = c.cluster.store().get(pods_info(), c.api.ns, c.api.name);
  if (!pod) return send_error(c.res, pod.error());
  auto container = pick_container(pod->json(), c.param("container"));
  if (!container) return send_error(c.res, container.error());
  if (auto ok = container_started(pod->json(), *container); !ok)
    return send_error(c.res, ok.error());
  auto s = std::make_shared<LogStream>();
  s->uid = pod->json()["metadata"].value("uid", "");
  s->container = *container;
  s->follow = c.flag("follow");
  s->timestamps = c.flag("timestamps");
  if (std::string t = c.param("sinceTime"); !t.empty()) {
    WallTime w;
    if (!parse_rfc3339(t, w)) return send_error(c.res, bad_request("invalid sinceTime: " + t));
    s->since = w;
  }
  if (std::string t = c.param("sinceSeconds"); !t.empty()) {
    s->since = std::chrono::system_clock::now() - std::chrono::seconds(std::atoll(t.c_str()));
  }
  if (std::string t = c.param("tailLines"); !t.empty()) s->tail = std::atoll(t.c_str());
  if (std::string t = c.param("limitBytes"); !t.empty()) s->limit_bytes = std::atoll(t.c_str());
  PodLogs& logs = c.cluster.logs();
  if (!s->follow) {
    auto chunk = logs.read(s->uid, s->container, 0, Clock::now());
    c.res.status = 200;
    c.res.set_content(render(*s, chunk.lines), "text/plain");
    return;
  }
  const std::atomic<bool>* stopping = &c.stopping;
  c.res.status = 200;
  c.res.set_chunked_content_provider("text/plain", [s, &logs, stopping](size_t,
                                                                        httplib::DataSink& sink) {
    if (stopping->load()) {
      sink.done();
      return true;
    }
    auto chunk = logs.read(s->uid, s->container, s->next, Clock::now() + std::chrono::seconds(1));
    s->next = chunk.next;
    std::string data = render(*s, chunk.lines);
    if (!data.empty() && !sink.write(data.data(), data.size())) return false;
    if (chunk.finished && chunk.lines.empty()) {
      sink.done();
      return true;
    }
    return sink.is_writable();
  });
}

namespace {

Result<void> evict(RequestContext& c, const json& eviction) {
  // The budget check and the deletion are one step, as in the real API server, where the eviction
  // writes the PDB's status under optimistic concurrency and a second eviction racing it retries
  // and sees the first. Without this, two drains evicting at once both see the same budget.
  static std::mutex evictions;
  std::lock_guard one_at_a_time(evictions);
  Store& store = c.cluster.store();
  auto pod = store.get(pods_info(), c.api.ns, c.api.name);
  if (!pod) return std::unexpected(pod.error());
  const json& p = pod->json();
  int64_t grace = -1;
  std::string uid;
  bool dry_run = c.dry_run();
  if (eviction.contains("deleteOptions") && eviction["deleteOptions"].is_object()) {
    const json& d = eviction["deleteOptions"];
    if (d.contains("gracePeriodSeconds") && d["gracePeriodSeconds"].is_number_integer())
      grace = d["gracePeriodSeconds"].get<int64_t>();
    if (d.contains("preconditions") && d["preconditions"].is_object())
      uid = d["preconditions"].value("uid", "");
    if (d.contains("dryRun") && d["dryRun"].is_array() && !d["dryRun"].empty()) dry_run = true;
  }
  auto remove = [&]() -> Result<void> {
    auto d = delete_pod(c.cluster, c.api.ns, c.api.name, grace, uid, dry_run);
    if (!d) return std::unexpected(d.error());
    return {};
  };
  // Pods that are finished, not yet running, or already terminating skip the budget.
  if (pod_deleting(p) || pod_finished(p) || pod_phase(p) == "Pending") return remove();
  auto pdbs = pdbs_for_pod(store, p);
  std::vector<std::string> pdb_keys;
  for (const auto& s : pdbs)
    pdb_keys.push_back(c.api.ns + "/" + s.json()["metadata"].value("name", ""));
  if (c.cluster.faults().eviction_fails(c.api.ns + "/" + c.api.name, pdb_keys)) {
    return std::unexpected(internal_error(fmt::format(
        "kube-sim fault injection: the eviction of pod {}/{} fails", c.api.ns, c.api.name)));
  }
  if (pdbs.empty()) return remove();
  if (pdbs.size() > 1) {
    return std::unexpected(
        internal_error("This pod has more than one PodDisruptionBudget, which the eviction "
                       "subresource does not support."));
  }
  const json& pdb = pdbs[0].json();
  PdbStatus st = evaluate_pdb(store, pdb, c.cluster.faults());
  std::string policy = pdb["spec"].value("unhealthyPodEvictionPolicy", "IfHealthyBudget");
  if (!pod_ready(p) && (policy == "AlwaysAllow" || st.current_healthy >= st.desired_healthy))
    return remove();
  if (st.disruptions_allowed <= 0) {
    ApiError e =
        too_many_requests("Cannot evict pod as it would violate the pod's disruption budget.", 0);
    e.causes.push_back(
        {"DisruptionBudget",
         fmt::format("The disruption budget {} needs {} healthy pods and has {} currently",
                     pdb["metadata"].value("name", ""), st.desired_healthy, st.current_healthy),
         ""});
    return std::unexpected(e);
  }
  if (auto ok = remove(); !ok) return ok;
  if (!dry_run) {
    // Evaluated outside mutate(): the store's lock is not re-entrant.
    PdbStatus after = evaluate_pdb(store, pdb, c.cluster.faults());
    store.mutate(*find_qualified("poddisruptionbudgets.policy"), c.api.ns,
                 pdb["metadata"].value("name", ""), [&](json& b) -> Result<void> {
                   b["status"] =
                       pdb_status_json(after, b["metadata"].value("generation", int64_t{1}));
                   b["status"]["disruptedPods"] = {{c.api.name, now_rfc3339()}};
                   return {};
                 });
  }
  return {};
}

}  // namespace

void handle_eviction(RequestContext& c) {
  auto body = decode_body(c.req);
  if (!body) return send_error(c.res, body.error());
  std::string kind = body->value("kind", "");
  if (!kind.empty() && kind != "Eviction") {
    return send_error(c.res, bad_request("the kind in the data (" + kind +
                                         ") does not match the expected kind (Eviction)"));
  }
  std::string name = body->contains("metadata") && (*body)["metadata"].is_object()
                         ? (*body)["metadata"].value("name", "")
                         : "";
  if (name != c.api.name) {
    return send_error(
        c.res, bad_request(fmt::format("name in URL does not match name in Eviction object")));
  }
  if (auto ok = evict(c, *body); !ok) return send_error(c.res, ok.error());
  send_json(c.res, 201,
            {{"kind", "Status"},
             {"apiVersion", "v1"},
             {"metadata", json::object()},
             {"status", "Success"},
             {"code", 201}});
}

void handle_binding(RequestContext& c) {
  auto body = decode_body(c.req);
  if (!body) return send_error(c.res, body.error());
  std::string node = body->value("target", json::object()).value("name", "");
  if (node.empty())
    return send_error(c.res, invalid("", "Binding", c.api.name, {required_field("target.name")}));
  auto s =
      c.cluster.store().mutate(pods_info(), c.api.ns, c.api.name, [&](json& pod) -> Result<void> {
        if (!pod["spec"].value("nodeName", "").empty()) {
          return std::unexpected(conflict("", "pods/binding", c.api.name,
                                          "pod " + c.api.name + " is already assigned to node \"" +
                                              pod["spec"].value("nodeName", "") + "\""));
        }
        set_pod_bound(pod, node, std::chrono::system_clock::now());
        return {};
      });
  if (!s) return send_error(c.res, s.error());
  send_json(c.res, 201,
            {{"kind", "Status"},
             {"apiVersion", "v1"},
             {"metadata", json::object()},
             {"status", "Success"},
             {"code", 201}});
}

}  // namespace sim
