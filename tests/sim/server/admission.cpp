#include "tests/sim/server/admission.h"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "tests/sim/model/objects.h"

namespace sim {
namespace {

using json = nlohmann::json;

const std::set<std::string> kMetadataFields = {"name",
                                               "generateName",
                                               "namespace",
                                               "selfLink",
                                               "uid",
                                               "resourceVersion",
                                               "generation",
                                               "creationTimestamp",
                                               "deletionTimestamp",
                                               "deletionGracePeriodSeconds",
                                               "labels",
                                               "annotations",
                                               "ownerReferences",
                                               "finalizers",
                                               "managedFields"};

std::set<std::string> top_fields(const ResourceInfo& r) {
  std::set<std::string> f = {"apiVersion", "kind", "metadata"};
  const std::string& k = r.kind;
  if (k == "ConfigMap")
    f.insert({"data", "binaryData", "immutable"});
  else if (k == "Secret")
    f.insert({"data", "stringData", "type", "immutable"});
  else if (k == "Event") {
    f.insert({"involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp",
              "count", "type", "eventTime", "series", "action", "related", "reportingComponent",
              "reportingInstance"});
  } else if (k == "ServiceAccount")
    f.insert({"secrets", "imagePullSecrets", "automountServiceAccountToken"});
  else if (k == "Endpoints")
    f.insert({"subsets"});
  else
    f.insert({"spec", "status"});
  return f;
}

const std::set<std::string> kPodSpecFields = {"volumes",
                                              "initContainers",
                                              "containers",
                                              "ephemeralContainers",
                                              "restartPolicy",
                                              "terminationGracePeriodSeconds",
                                              "activeDeadlineSeconds",
                                              "dnsPolicy",
                                              "nodeSelector",
                                              "serviceAccountName",
                                              "serviceAccount",
                                              "automountServiceAccountToken",
                                              "nodeName",
                                              "hostNetwork",
                                              "hostPID",
                                              "hostIPC",
                                              "shareProcessNamespace",
                                              "securityContext",
                                              "imagePullSecrets",
                                              "hostname",
                                              "subdomain",
                                              "affinity",
                                              "schedulerName",
                                              "tolerations",
                                              "hostAliases",
                                              "priorityClassName",
                                              "priority",
                                              "dnsConfig",
                                              "readinessGates",
                                              "runtimeClassName",
                                              "enableServiceLinks",
                                              "preemptionPolicy",
                                              "overhead",
                                              "topologySpreadConstraints",
                                              "setHostnameAsFQDN",
                                              "os",
                                              "hostUsers",
                                              "schedulingGates",
                                              "resourceClaims",
                                              "resources"};

const std::set<std::string> kContainerFields = {"name",
                                                "image",
                                                "command",
                                                "args",
                                                "workingDir",
                                                "ports",
                                                "envFrom",
                                                "env",
                                                "resources",
                                                "resizePolicy",
                                                "restartPolicy",
                                                "volumeMounts",
                                                "volumeDevices",
                                                "livenessProbe",
                                                "readinessProbe",
                                                "startupProbe",
                                                "lifecycle",
                                                "terminationMessagePath",
                                                "terminationMessagePolicy",
                                                "imagePullPolicy",
                                                "securityContext",
                                                "stdin",
                                                "stdinOnce",
                                                "tty"};

void check_keys(const json& obj, const std::set<std::string>& known, const std::string& prefix,
                std::vector<std::string>& out) {
  if (!obj.is_object()) return;
  for (const auto& [k, v] : obj.items()) {
    if (!known.contains(k)) out.push_back(prefix + k);
  }
}

void check_pod_spec(const json& spec, const std::string& prefix, std::vector<std::string>& out) {
  check_keys(spec, kPodSpecFields, prefix, out);
  for (const char* list : {"containers", "initContainers"}) {
    if (!spec.is_object() || !spec.contains(list) || !spec[list].is_array()) continue;
    for (size_t i = 0; i < spec[list].size(); ++i) {
      check_keys(spec[list][i], kContainerFields, fmt::format("{}{}[{}].", prefix, list, i), out);
    }
  }
}

const std::regex kSubdomain(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)");

ApiError invalid_name(const ResourceInfo& r, const std::string& name) {
  return invalid(
      r.group, r.kind, name,
      {invalid_field(
          "metadata.name", name,
          "a lowercase RFC 1123 subdomain must consist of lower case "
          "alphanumeric characters, '-' or '.', and must start and end with "
          "an alphanumeric character (e.g. 'example.com', regex used for "
          "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")});
}

std::string pull_policy(const std::string& image) {
  auto slash = image.rfind('/');
  std::string last = slash == std::string::npos ? image : image.substr(slash + 1);
  if (last.find('@') != std::string::npos) return "IfNotPresent";
  auto colon = last.find(':');
  if (colon == std::string::npos || last.substr(colon + 1) == "latest") return "Always";
  return "IfNotPresent";
}

Result<void> validate_pod(const ResourceInfo& r, const json& pod) {
  std::string name = pod["metadata"].value("name", "");
  const json& spec = pod.value("spec", json::object());
  std::vector<ApiCause> causes;
  if (!spec.is_object() || !spec.contains("containers") || !spec["containers"].is_array() ||
      spec["containers"].empty()) {
    causes.push_back(required_field("spec.containers"));
  } else {
    for (size_t i = 0; i < spec["containers"].size(); ++i) {
      const json& c = spec["containers"][i];
      if (!c.is_object() || c.value("name", "").empty())
        causes.push_back(required_field(fmt::format("spec.containers[{}].name", i)));
      if (!c.is_object() || c.value("image", "").empty())
        causes.push_back(required_field(fmt::format("spec.containers[{}].image", i)));
    }
  }
  if (spec.is_object() && spec.contains("restartPolicy")) {
    std::string rp = spec.value("restartPolicy", "");
    if (rp != "Always" && rp != "OnFailure" && rp != "Never") {
      causes.push_back(
          {"FieldValueNotSupported",
           fmt::format(
               "Unsupported value: \"{}\": supported values: \"Always\", \"OnFailure\", \"Never\"",
               rp),
           "spec.restartPolicy"});
    }
  }
  if (!causes.empty()) return std::unexpected(invalid(r.group, r.kind, name, causes));
  return {};
}

void default_pod(json& pod) {
  json& spec = pod["spec"];
  auto set_default = [&](const char* key, json value) {
    if (!spec.contains(key)) spec[key] = std::move(value);
  };
  set_default("restartPolicy", "Always");
  set_default("terminationGracePeriodSeconds", 30);
  set_default("dnsPolicy", "ClusterFirst");
  set_default("securityContext", json::object());
  set_default("schedulerName", "default-scheduler");
  set_default("serviceAccountName", "default");
  set_default("enableServiceLinks", true);
  set_default("priority", 0);
  set_default("preemptionPolicy", "PreemptLowerPriority");
  spec["serviceAccount"] = spec["serviceAccountName"];
  for (auto& c : spec["containers"]) {
    if (!c.contains("terminationMessagePath")) c["terminationMessagePath"] = "/dev/termination-log";
    if (!c.contains("terminationMessagePolicy")) c["terminationMessagePolicy"] = "File";
    if (!c.contains("imagePullPolicy")) c["imagePullPolicy"] = pull_policy(c.value("image", ""));
    if (!c.contains("resources")) c["resources"] = json::object();
  }
  // DefaultTolerationSeconds admission.
  json& tol = spec["tolerations"];
  if (!tol.is_array()) tol = json::array();
  for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
    bool has = false;
    for (const auto& t : tol)
      has |=
          t.value("key", "") == key || (t.value("operator", "") == "Exists" && !t.contains("key"));
    if (!has)
      tol.push_back({{"key", key},
                     {"operator", "Exists"},
                     {"effect", "NoExecute"},
                     {"tolerationSeconds", 300}});
  }
  bool has_requests = false;
  for (const auto& c : spec["containers"])
    has_requests |= c["resources"].contains("requests") || c["resources"].contains("limits");
  pod["status"] = {{"phase", "Pending"}, {"qosClass", has_requests ? "Burstable" : "BestEffort"}};
}

// Pod Security admission, "baseline" and "restricted" levels, for the checks that matter to
// node-shell pods (host namespaces, hostPath volumes, privileged).
std::string pod_security_violations(const json& pod) {
  const json& spec = pod.value("spec", json::object());
  std::vector<std::string> v;
  std::vector<std::string> host;
  if (spec.value("hostNetwork", false)) host.push_back("hostNetwork=true");
  if (spec.value("hostPID", false)) host.push_back("hostPID=true");
  if (spec.value("hostIPC", false)) host.push_back("hostIPC=true");
  auto join = [](const std::vector<std::string>& xs) {
    std::string out;
    for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  if (!host.empty()) v.push_back("host namespaces (" + join(host) + ")");
  std::vector<std::string> host_paths;
  for (const auto& vol : spec.value("volumes", json::array())) {
    if (vol.contains("hostPath")) host_paths.push_back("\"" + vol.value("name", "") + "\"");
  }
  if (!host_paths.empty()) {
    v.push_back(fmt::format("hostPath volume{} ({} {})", host_paths.size() > 1 ? "s" : "",
                            host_paths.size() > 1 ? "volumes" : "volume", join(host_paths)));
  }
  std::vector<std::string> privileged;
  for (const auto& c : spec.value("containers", json::array())) {
    if (c.value("securityContext", json::object()).value("privileged", false)) {
      privileged.push_back("\"" + c.value("name", "") + "\"");
    }
  }
  if (!privileged.empty()) {
    v.push_back(fmt::format("privileged ({} {} must not set securityContext.privileged=true)",
                            privileged.size() > 1 ? "containers" : "container", join(privileged)));
  }
  return join(v);
}

Result<void> check_pod_security(Store& store, const json& pod) {
  std::string ns = pod["metadata"].value("namespace", "");
  auto nso = store.get(*find_qualified("namespaces"), "", ns);
  if (!nso) return {};
  const json labels = nso->json()["metadata"].value("labels", json::object());
  std::string level = labels.value("pod-security.kubernetes.io/enforce", "privileged");
  if (level != "baseline" && level != "restricted") return {};
  std::string version = labels.value("pod-security.kubernetes.io/enforce-version", "latest");
  std::string violations = pod_security_violations(pod);
  if (violations.empty()) return {};
  return std::unexpected(
      forbidden("", "pods", pod["metadata"].value("name", ""),
                fmt::format("violates PodSecurity \"{}:{}\": {}", level, version, violations)));
}

}  // namespace

bool valid_dns_subdomain(const std::string& name) {
  return !name.empty() && name.size() <= 253 && std::regex_match(name, kSubdomain);
}

std::vector<std::string> unknown_fields(const ResourceInfo& r, const json& obj) {
  std::vector<std::string> out;
  check_keys(obj, top_fields(r), "", out);
  if (obj.contains("metadata")) check_keys(obj["metadata"], kMetadataFields, "metadata.", out);
  if (r.kind == "Pod" && obj.contains("spec")) check_pod_spec(obj["spec"], "spec.", out);
  if ((r.kind == "Deployment" || r.kind == "DaemonSet" || r.kind == "ReplicaSet") &&
      obj.contains("spec") && obj["spec"].is_object() && obj["spec"].contains("template") &&
      obj["spec"]["template"].is_object() && obj["spec"]["template"].contains("spec")) {
    check_pod_spec(obj["spec"]["template"]["spec"], "spec.template.spec.", out);
  }
  return out;
}

namespace {

Result<void> check_fields(const ResourceInfo& r, const json& obj, const AdmissionOptions& o) {
  auto unknown = unknown_fields(r, obj);
  if (unknown.empty()) return {};
  if (o.strict_fields) {
    std::string list;
    for (const auto& u : unknown)
      list += (list.empty() ? "" : ", ") + fmt::format("unknown field \"{}\"", u);
    return std::unexpected(bad_request("strict decoding error: " + list));
  }
  if (o.warnings != nullptr) {
    for (const auto& u : unknown) o.warnings->push_back(fmt::format("unknown field \"{}\"", u));
  }
  return {};
}

}  // namespace

Result<json> admit_create(Store& store, const ResourceInfo& r, json obj,
                          const AdmissionOptions& o) {
  if (auto ok = check_fields(r, obj, o); !ok) return std::unexpected(ok.error());
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = json::object();
  json& meta = obj["metadata"];
  std::string name = meta.value("name", "");
  if (name.empty() && meta.value("generateName", "").empty()) {
    return std::unexpected(
        invalid(r.group, r.kind, "",
                {{"FieldValueRequired", "name or generateName is required", "metadata.name"}}));
  }
  if (!name.empty() && !valid_dns_subdomain(name)) return std::unexpected(invalid_name(r, name));
  if (meta.contains("labels") && !meta["labels"].is_object()) {
    return std::unexpected(
        bad_request("json: cannot unmarshal " + std::string(meta["labels"].type_name()) +
                    " into Go struct field ObjectMeta.metadata.labels of type map[string]string"));
  }
  if (r.namespaced) {
    std::string ns = meta.value("namespace", "");
    auto nso = store.get(*find_qualified("namespaces"), "", ns);
    if (!nso) return std::unexpected(not_found("", "namespaces", ns));
    if (nso->json()["metadata"].contains("deletionTimestamp")) {
      return std::unexpected(forbidden(
          r.group, r.resource, name,
          "unable to create new content in namespace " + ns + " because it is being terminated"));
    }
  }
  meta.erase("resourceVersion");
  meta.erase("uid");
  meta.erase("creationTimestamp");
  meta.erase("deletionTimestamp");
  if (r.kind == "Pod") {
    if (auto ok = validate_pod(r, obj); !ok) return std::unexpected(ok.error());
    if (auto ok = check_pod_security(store, obj); !ok) return std::unexpected(ok.error());
    default_pod(obj);
  } else if (r.has_status_subresource() && r.kind != "Namespace") {
    obj["status"] = json::object();
  }
  if (r.kind == "Namespace") {
    obj["metadata"]["labels"]["kubernetes.io/metadata.name"] = name;
    obj["status"] = {{"phase", "Active"}};
    if (!obj.contains("spec")) obj["spec"] = {{"finalizers", {"kubernetes"}}};
  }
  return obj;
}

Result<void> admit_update(const ResourceInfo& r, const json& updated, const json& stored,
                          const AdmissionOptions& o) {
  if (!updated.is_object() || !updated.contains("metadata") || !updated["metadata"].is_object()) {
    return std::unexpected(invalid(r.group, r.kind, stored["metadata"].value("name", ""),
                                   {required_field("metadata")}));
  }
  if (auto ok = check_fields(r, updated, o); !ok) return std::unexpected(ok.error());
  std::string name = stored["metadata"].value("name", "");
  if (updated["metadata"].value("name", "") != name) {
    return std::unexpected(bad_request(
        fmt::format("the name of the object ({}) does not match the name on the URL ({})",
                    updated["metadata"].value("name", ""), name)));
  }
  if (r.kind == "Pod") {
    if (auto ok = validate_pod(r, updated); !ok) return std::unexpected(ok.error());
    const json& a = updated.value("spec", json::object());
    const json& b = stored.value("spec", json::object());
    // Most of a pod's spec is immutable; the sim checks the parts a client might try to change.
    for (const char* f : {"nodeName", "restartPolicy", "hostNetwork", "hostPID"}) {
      if (a.value(f, json()) != b.value(f, json()) && !b.value(f, json()).is_null()) {
        return std::unexpected(
            invalid(r.group, r.kind, name,
                    {{"FieldValueForbidden",
                      "Forbidden: pod updates may not change fields other than "
                      "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec."
                      "activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
                      "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 "
                      "if it was previously negative)",
                      "spec"}}));
      }
    }
  }
  if (r.kind == "Node") {
    const json& taints = updated.value("spec", json::object()).value("taints", json::array());
    std::vector<ApiCause> causes;
    for (size_t i = 0; i < taints.size(); ++i) {
      std::string effect = taints[i].value("effect", "");
      if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
        causes.push_back({"FieldValueNotSupported",
                          fmt::format("Unsupported value: \"{}\": supported values: "
                                      "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                                      effect),
                          fmt::format("spec.taints[{}].effect", i)});
      }
    }
    if (!causes.empty()) return std::unexpected(invalid(r.group, r.kind, name, causes));
  }
  return {};
}

}  // namespace sim
