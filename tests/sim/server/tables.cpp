#include "tests/sim/server/tables.h"

#include <fmt/format.h>

#include "tests/sim/model/objects.h"

namespace sim {
namespace {

using json = nlohmann::json;

struct Column {
  const char* name;
  const char* type;
  int priority;
  const char* description;
};

json columns(std::initializer_list<Column> cols) {
  json out = json::array();
  for (const auto& c : cols) {
    std::string format = std::string(c.name) == "Name" ? "name" : "";
    out.push_back({{"name", c.name},
                   {"type", c.type},
                   {"format", format},
                   {"description", c.description},
                   {"priority", c.priority}});
  }
  return out;
}

const json& meta(const json& obj) {
  static const json kEmpty = json::object();
  auto it = obj.find("metadata");
  return it != obj.end() ? *it : kEmpty;
}

std::string age(const json& obj, WallTime now) {
  WallTime created;
  if (!parse_rfc3339(meta(obj).value("creationTimestamp", ""), created)) return "<unknown>";
  return human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - created));
}

std::string age_of(const std::string& ts, WallTime now) {
  WallTime t;
  if (!parse_rfc3339(ts, t)) return "<unknown>";
  return human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - t));
}

std::string join(const std::vector<std::string>& v, const std::string& sep = ",") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string or_none(const std::string& s) {
  return s.empty() ? "<none>" : s;
}

json at(const json& obj, const char* ptr) {
  json::json_pointer p(ptr);
  return obj.contains(p) ? obj.at(p) : json();
}

std::string str_at(const json& obj, const char* ptr) {
  json v = at(obj, ptr);
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t int_at(const json& obj, const char* ptr) {
  json v = at(obj, ptr);
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

std::string selector_text(const json& selector) {
  std::vector<std::string> parts;
  const json match = selector.value("matchLabels", json::object());
  for (const auto& [k, v] : match.items()) {
    parts.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  }
  return or_none(join(parts));
}

std::pair<std::string, std::string> containers_images(const json& pod_spec) {
  std::vector<std::string> names, images;
  for (const auto& c : pod_spec.value("containers", json::array())) {
    names.push_back(c.value("name", ""));
    images.push_back(c.value("image", ""));
  }
  return {join(names), join(images)};
}

json node_cells(const json& n, WallTime now) {
  std::string status = "Unknown";
  for (const auto& c :
       at(n, "/status/conditions").is_array() ? at(n, "/status/conditions") : json::array()) {
    if (c.value("type", "") == "Ready") {
      std::string s = c.value("status", "");
      status = s == "True" ? "Ready" : "NotReady";  // printNode: "Not"+type unless True
    }
  }
  if (at(n, "/spec/unschedulable") == json(true)) status += ",SchedulingDisabled";
  std::vector<std::string> roles;
  const json labels = meta(n).value("labels", json::object());
  for (const auto& [k, v] : labels.items()) {
    if (k.starts_with("node-role.kubernetes.io/"))
      roles.push_back(k.substr(24));
    else if (k == "kubernetes.io/role" && v.is_string())
      roles.push_back(v.get<std::string>());
  }
  std::string internal, external;
  for (const auto& a :
       at(n, "/status/addresses").is_array() ? at(n, "/status/addresses") : json::array()) {
    if (a.value("type", "") == "InternalIP" && internal.empty()) internal = a.value("address", "");
    if (a.value("type", "") == "ExternalIP" && external.empty()) external = a.value("address", "");
  }
  return {meta(n).value("name", ""),
          status,
          or_none(join(roles)),
          age(n, now),
          str_at(n, "/status/nodeInfo/kubeletVersion"),
          or_none(internal),
          or_none(external),
          str_at(n, "/status/nodeInfo/osImage"),
          str_at(n, "/status/nodeInfo/kernelVersion"),
          str_at(n, "/status/nodeInfo/containerRuntimeVersion")};
}

json pod_cells(const json& p, WallTime now) {
  int total = 0, ready = 0;
  int64_t restarts = 0;
  total =
      static_cast<int>(at(p, "/spec/containers").is_array() ? at(p, "/spec/containers").size() : 0);
  for (const auto& cs : at(p, "/status/containerStatuses").is_array()
                            ? at(p, "/status/containerStatuses")
                            : json::array()) {
    if (cs.value("ready", false)) ++ready;
    restarts += cs.value("restartCount", 0);
  }
  std::string ip = str_at(p, "/status/podIP");
  std::string nominated = str_at(p, "/status/nominatedNodeName");
  std::string gates = "<none>";
  return {meta(p).value("name", ""),
          fmt::format("{}/{}", ready, total),
          pod_status_text(p),
          std::to_string(restarts),
          age(p, now),
          or_none(ip),
          or_none(str_at(p, "/spec/nodeName")),
          or_none(nominated),
          gates};
}

json event_cells(const json& e, WallTime now) {
  std::string last = str_at(e, "/lastTimestamp");
  if (last.empty()) last = str_at(e, "/eventTime");
  std::string first = str_at(e, "/firstTimestamp");
  if (first.empty()) first = str_at(e, "/eventTime");
  std::string kind = str_at(e, "/involvedObject/kind");
  std::string object = kind.empty() ? str_at(e, "/involvedObject/name") : [&] {
    std::string k = kind;
    for (auto& c : k) c = static_cast<char>(std::tolower(c));
    return k;
  }() + "/" + str_at(e, "/involvedObject/name");
  std::string source = str_at(e, "/source/component");
  if (source.empty()) source = str_at(e, "/reportingComponent");
  if (!str_at(e, "/source/host").empty()) source += ", " + str_at(e, "/source/host");
  int64_t count = int_at(e, "/count");
  return {last.empty() ? "<unknown>" : age_of(last, now),
          str_at(e, "/type"),
          str_at(e, "/reason"),
          object,
          str_at(e, "/involvedObject/fieldPath"),
          source,
          str_at(e, "/message"),
          first.empty() ? "<unknown>" : age_of(first, now),
          count == 0 ? 1 : count,
          meta(e).value("name", "")};
}

json service_cells(const json& s, WallTime now) {
  std::vector<std::string> ports;
  for (const auto& p : at(s, "/spec/ports").is_array() ? at(s, "/spec/ports") : json::array()) {
    std::string one = std::to_string(p.value("port", 0));
    if (p.contains("nodePort")) one += ":" + std::to_string(p.value("nodePort", 0));
    ports.push_back(one + "/" + p.value("protocol", "TCP"));
  }
  std::vector<std::string> sel;
  const json selector =
      at(s, "/spec/selector").is_object() ? at(s, "/spec/selector") : json::object();
  for (const auto& [k, v] : selector.items()) {
    sel.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  }
  std::string type = str_at(s, "/spec/type");
  return {meta(s).value("name", ""),
          type.empty() ? "ClusterIP" : type,
          or_none(str_at(s, "/spec/clusterIP")),
          "<none>",
          or_none(join(ports)),
          age(s, now),
          or_none(join(sel))};
}

json workload_cells(const ResourceInfo& r, const json& o, WallTime now) {
  auto [names, images] = containers_images(
      at(o, "/spec/template/spec").is_object() ? at(o, "/spec/template/spec") : json::object());
  std::string selector =
      selector_text(at(o, "/spec/selector").is_object() ? at(o, "/spec/selector") : json::object());
  std::string name = meta(o).value("name", "");
  if (r.resource == "deployments") {
    return {name,
            fmt::format("{}/{}", int_at(o, "/status/readyReplicas"), int_at(o, "/spec/replicas")),
            int_at(o, "/status/updatedReplicas"),
            int_at(o, "/status/availableReplicas"),
            age(o, now),
            names,
            images,
            selector};
  }
  if (r.resource == "replicasets") {
    return {name,
            int_at(o, "/spec/replicas"),
            int_at(o, "/status/replicas"),
            int_at(o, "/status/readyReplicas"),
            age(o, now),
            names,
            images,
            selector};
  }
  if (r.resource == "statefulsets") {
    return {name,
            fmt::format("{}/{}", int_at(o, "/status/readyReplicas"), int_at(o, "/spec/replicas")),
            age(o, now), names, images};
  }
  std::vector<std::string> ns;
  const json node_selector = at(o, "/spec/template/spec/nodeSelector").is_object()
                                 ? at(o, "/spec/template/spec/nodeSelector")
                                 : json::object();
  for (const auto& [k, v] : node_selector.items()) {
    ns.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  }
  return {name,
          int_at(o, "/status/desiredNumberScheduled"),
          int_at(o, "/status/currentNumberScheduled"),
          int_at(o, "/status/numberReady"),
          int_at(o, "/status/updatedNumberScheduled"),
          int_at(o, "/status/numberAvailable"),
          or_none(join(ns)),
          age(o, now),
          names,
          images,
          selector};
}

std::string int_or_string(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return "N/A";
}

}  // namespace

IncludeObject include_object_from(const std::string& param) {
  if (param == "None") return IncludeObject::kNone;
  if (param == "Object") return IncludeObject::kObject;
  return IncludeObject::kMetadata;
}

std::string pod_status_text(const json& pod) {
  std::string reason = str_at(pod, "/status/phase");
  if (!str_at(pod, "/status/reason").empty()) reason = str_at(pod, "/status/reason");
  bool has_running = false;
  const json cs = at(pod, "/status/containerStatuses");
  if (cs.is_array()) {
    for (auto it = cs.rbegin(); it != cs.rend(); ++it) {
      const json& state = (*it).value("state", json::object());
      if (state.contains("waiting") && !state["waiting"].value("reason", "").empty()) {
        reason = state["waiting"].value("reason", "");
      } else if (state.contains("terminated")) {
        const json& t = state["terminated"];
        if (!t.value("reason", "").empty())
          reason = t.value("reason", "");
        else if (t.value("signal", 0) != 0)
          reason = fmt::format("Signal:{}", t.value("signal", 0));
        else
          reason = fmt::format("ExitCode:{}", t.value("exitCode", 0));
      } else if ((*it).value("ready", false) && state.contains("running")) {
        has_running = true;
      }
    }
    if (reason == "Completed" && has_running) reason = "Running";
  }
  if (meta(pod).contains("deletionTimestamp")) {
    reason = str_at(pod, "/status/reason") == "NodeLost" ? "Unknown" : "Terminating";
  }
  return reason;
}

json table_columns(const ResourceInfo& r) {
  const char* kName = "Name must be unique within a namespace.";
  const char* kAge =
      "CreationTimestamp is a timestamp representing the server time when this object was created.";
  if (r.resource == "nodes") {
    return columns(
        {{"Name", "string", 0, kName},
         {"Status", "string", 0, "The status of the node"},
         {"Roles", "string", 0, "The roles of the node"},
         {"Age", "string", 0, kAge},
         {"Version", "string", 0, "Kubelet Version reported by the node."},
         {"Internal-IP", "string", 1, "List of internal IPs for the node."},
         {"External-IP", "string", 1, "List of external IPs for the node."},
         {"OS-Image", "string", 1,
          "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."},
         {"Kernel-Version", "string", 1,
          "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."},
         {"Container-Runtime", "string", 1,
          "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
          "containerd://1.4.2)."}});
  }
  if (r.resource == "pods") {
    return columns(
        {{"Name", "string", 0, kName},
         {"Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic."},
         {"Status", "string", 0, "The aggregate status of the containers in this pod."},
         {"Restarts", "string", 0,
          "The number of times the containers in this pod have been restarted and when the last "
          "container in this pod has restarted."},
         {"Age", "string", 0, kAge},
         {"IP", "string", 1,
          "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
          "allocated."},
         {"Node", "string", 1, "NodeName is a request to schedule this pod onto a specific node."},
         {"Nominated Node", "string", 1,
          "nominatedNodeName is set only when this pod preempts other pods on the node."},
         {"Readiness Gates", "string", 1,
          "If specified, all readiness gates will be evaluated for pod readiness."}});
  }
  if (r.resource == "events") {
    return columns(
        {{"Last Seen", "string", 0, "The last time this event was observed."},
         {"Type", "string", 0,
          "Type of this event (Normal, Warning), new types could be added in the future."},
         {"Reason", "string", 0, "The reason this event was generated."},
         {"Object", "string", 0, "The object that this event is about."},
         {"Subobject", "string", 1, "The subobject (field path) this event is about."},
         {"Source", "string", 1, "The component reporting this event."},
         {"Message", "string", 0, "A human-readable description of the status of this operation."},
         {"First Seen", "string", 1, "The first time this event was observed."},
         {"Count", "integer", 1, "The number of times this event has occurred."},
         {"Name", "string", 1, kName}});
  }
  if (r.resource == "namespaces") {
    return columns({{"Name", "string", 0, kName},
                    {"Status", "string", 0, "The status of the namespace"},
                    {"Age", "string", 0, kAge}});
  }
  if (r.resource == "configmaps")
    return columns({{"Name", "string", 0, kName},
                    {"Data", "integer", 0, "Data contains the configuration data."},
                    {"Age", "string", 0, kAge}});
  if (r.resource == "secrets")
    return columns({{"Name", "string", 0, kName},
                    {"Type", "string", 0, "The type of the secret."},
                    {"Data", "integer", 0, "The number of entries in the secret."},
                    {"Age", "string", 0, kAge}});
  if (r.resource == "services") {
    return columns(
        {{"Name", "string", 0, kName},
         {"Type", "string", 0, "The type of the service."},
         {"Cluster-IP", "string", 0, "The cluster IP."},
         {"External-IP", "string", 0, "The external IPs."},
         {"Port(s)", "string", 0, "The ports of the service."},
         {"Age", "string", 0, kAge},
         {"Selector", "string", 1,
          "Route service traffic to pods with label keys and values matching this selector."}});
  }
  if (r.resource == "deployments") {
    return columns({{"Name", "string", 0, kName},
                    {"Ready", "string", 0, "Number of the pod with ready state"},
                    {"Up-to-date", "string", 0,
                     "Total number of non-terminated pods targeted by this deployment that have "
                     "the desired template spec."},
                    {"Available", "string", 0,
                     "Total number of available pods (ready for at least minReadySeconds) targeted "
                     "by this deployment."},
                    {"Age", "string", 0, kAge},
                    {"Containers", "string", 1, "Names of each container in the template."},
                    {"Images", "string", 1, "Images referenced by each container in the template."},
                    {"Selector", "string", 1, "Label selector for pods."}});
  }
  if (r.resource == "replicasets") {
    return columns({{"Name", "string", 0, kName},
                    {"Desired", "integer", 0, "Number of desired pods."},
                    {"Current", "integer", 0, "Number of actual replicas."},
                    {"Ready", "integer", 0, "The number of ready replicas for this replica set."},
                    {"Age", "string", 0, kAge},
                    {"Containers", "string", 1, "Names of each container in the template."},
                    {"Images", "string", 1, "Images referenced by each container in the template."},
                    {"Selector", "string", 1, "Label selector for pods."}});
  }
  if (r.resource == "statefulsets") {
    return columns(
        {{"Name", "string", 0, kName},
         {"Ready", "string", 0, "Number of the pod with ready state"},
         {"Age", "string", 0, kAge},
         {"Containers", "string", 1, "Names of each container in the template."},
         {"Images", "string", 1, "Images referenced by each container in the template."}});
  }
  if (r.resource == "daemonsets") {
    return columns(
        {{"Name", "string", 0, kName},
         {"Desired", "integer", 0,
          "The total number of nodes that should be running the daemon pod."},
         {"Current", "integer", 0, "The number of nodes that are running at least 1 daemon pod."},
         {"Ready", "integer", 0,
          "The number of nodes that should be running the daemon pod and have one or more of the "
          "daemon pod running and ready."},
         {"Up-to-date", "integer", 0,
          "The total number of nodes that are running updated daemon pod"},
         {"Available", "integer", 0,
          "The number of nodes that should be running the daemon pod and have one or more of the "
          "daemon pod running and available."},
         {"Node Selector", "string", 0,
          "NodeSelector is a selector which must be true for the pod to fit on a node."},
         {"Age", "string", 0, kAge},
         {"Containers", "string", 1, "Names of each container in the template."},
         {"Images", "string", 1, "Images referenced by each container in the template."},
         {"Selector", "string", 1, "A label query over pods that are managed by the daemon set."}});
  }
  if (r.resource == "poddisruptionbudgets") {
    return columns(
        {{"Name", "string", 0, kName},
         {"Min Available", "string", 0, "The minimum number of pods that must be available."},
         {"Max Unavailable", "string", 0, "The maximum number of pods that may be unavailable."},
         {"Allowed Disruptions", "integer", 0,
          "Calculated number of pods that may be disrupted at this time."},
         {"Age", "string", 0, kAge}});
  }
  if (r.resource == "leases")
    return columns({{"Name", "string", 0, kName},
                    {"Holder", "string", 0, "The holder of the lease."},
                    {"Age", "string", 0, kAge}});
  if (r.resource == "jobs") {
    return columns({{"Name", "string", 0, kName},
                    {"Status", "string", 0, "Status of the job."},
                    {"Completions", "string", 0, "The completion status of the job."},
                    {"Duration", "string", 0, "Time required to complete the job."},
                    {"Age", "string", 0, kAge}});
  }
  if (r.resource == "serviceaccounts")
    return columns({{"Name", "string", 0, kName},
                    {"Secrets", "string", 0,
                     "Secrets is the list of secrets allowed to be used by pods running using this "
                     "ServiceAccount"},
                    {"Age", "string", 0, kAge}});
  if (r.resource == "endpoints")
    return columns({{"Name", "string", 0, kName},
                    {"Endpoints", "string", 0, "Endpoints of the service"},
                    {"Age", "string", 0, kAge}});
  return columns({{"Name", "string", 0, kName}, {"Age", "string", 0, kAge}});
}

json table_cells(const ResourceInfo& r, const json& o, WallTime now) {
  const std::string name = meta(o).value("name", "");
  if (r.resource == "nodes") return node_cells(o, now);
  if (r.resource == "pods") return pod_cells(o, now);
  if (r.resource == "events") return event_cells(o, now);
  if (r.resource == "namespaces") return {name, str_at(o, "/status/phase"), age(o, now)};
  if (r.resource == "configmaps") {
    size_t n =
        o.value("data", json::object()).size() + o.value("binaryData", json::object()).size();
    return {name, n, age(o, now)};
  }
  if (r.resource == "secrets")
    return {name, str_at(o, "/type"), o.value("data", json::object()).size(), age(o, now)};
  if (r.resource == "services") return service_cells(o, now);
  if (r.resource == "deployments" || r.resource == "replicasets" || r.resource == "daemonsets" ||
      r.resource == "statefulsets") {
    return workload_cells(r, o, now);
  }
  if (r.resource == "poddisruptionbudgets") {
    return {name, int_or_string(at(o, "/spec/minAvailable")),
            int_or_string(at(o, "/spec/maxUnavailable")), int_at(o, "/status/disruptionsAllowed"),
            age(o, now)};
  }
  if (r.resource == "leases")
    return {name, or_none(str_at(o, "/spec/holderIdentity")), age(o, now)};
  if (r.resource == "jobs") {
    int64_t succeeded = int_at(o, "/status/succeeded");
    int64_t completions =
        at(o, "/spec/completions").is_number() ? int_at(o, "/spec/completions") : 1;
    return {name, succeeded >= completions ? "Complete" : "Running",
            fmt::format("{}/{}", succeeded, completions), "", age(o, now)};
  }
  if (r.resource == "serviceaccounts")
    return {name, o.value("secrets", json::array()).size(), age(o, now)};
  if (r.resource == "endpoints") return {name, "<none>", age(o, now)};
  return {name, age(o, now)};
}

json table_row(const ResourceInfo& r, const json& obj, WallTime now, IncludeObject include) {
  json row = {{"cells", table_cells(r, obj, now)}};
  if (include == IncludeObject::kObject) {
    row["object"] = obj;
  } else if (include == IncludeObject::kMetadata) {
    row["object"] = {{"kind", "PartialObjectMetadata"},
                     {"apiVersion", "meta.k8s.io/v1"},
                     {"metadata", meta(obj)}};
  }
  return row;
}

json make_table(const ResourceInfo& r, const std::vector<Stored>& items, json list_meta,
                IncludeObject include) {
  auto now = std::chrono::system_clock::now();
  json rows = json::array();
  for (const auto& s : items) rows.push_back(table_row(r, s.json(), now, include));
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", std::move(list_meta)},
          {"columnDefinitions", table_columns(r)},
          {"rows", std::move(rows)}};
}

}  // namespace sim
