#include "tests/e2e/simnode/node_shell.h"

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

namespace e2e::simnode {

namespace {

using json = nlohmann::json;

std::string yaml_quoted(const std::string& s) {
  // JSON strings are valid YAML flow scalars.
  return json(s).dump();
}

json terminated_state(const SimCluster& c, const std::string& name) {
  auto r = c.kubectl({"get", "pod", name, "-n", "kube-system", "-o", "json"});
  if (r.exit_code != 0) return nullptr;
  auto pod = json::parse(r.out, nullptr, false);
  if (pod.is_discarded()) return nullptr;
  auto statuses = pod.value("/status/containerStatuses"_json_pointer, json::array());
  if (statuses.empty()) return nullptr;
  return statuses[0].value("/state/terminated"_json_pointer, json());
}

}  // namespace

std::string ShellResult::describe() const {
  return "exit " + std::to_string(exit_code) + " (" + reason + ")" +
         (error.empty() ? "" : ", " + error) + "\n--- log ---\n" + log + "--- message ---\n" +
         message;
}

std::string shell_pod_yaml(const std::string& name, const std::string& node,
                           const std::string& script, const ShellOptions& o) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\n  namespace: kube-system\n  labels:\n    app: e2e-node-shell\nspec:\n  nodeName: " +
         node + "\n  hostPID: " + (o.host_pid ? "true" : "false") +
         "\n  hostNetwork: true\n  hostIPC: true\n  restartPolicy: Never\n  activeDeadlineSeconds: "
         "300\n"
         "  tolerations:\n  - operator: Exists\n  containers:\n  - name: shell\n    image: "
         "busybox:1.37\n"
         "    terminationMessagePolicy: FallbackToLogsOnError\n    securityContext:\n      "
         "privileged: " +
         (o.privileged ? "true" : "false") +
         "\n    command: [\"nsenter\", \"--target\", \"1\", \"--mount\", \"--uts\", \"--ipc\", "
         "\"--net\", \"--pid\", "
         "\"--\", \"sh\", \"-c\", " +
         yaml_quoted(script) + "]\n";
}

RunResult kubectl_retrying(const SimCluster& c, const std::vector<std::string>& args,
                           std::chrono::seconds timeout) {
  RunResult last;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    RunOptions options;
    options.timeout = timeout;  // a drain waits for evictions longer than the harness default
    last = c.kubectl(args, options);
    bool transient = last.err.find("refused") != std::string::npos ||
                     last.err.find("connection reset") != std::string::npos ||
                     last.err.find("ServiceUnavailable") != std::string::npos ||
                     last.err.find("503") != std::string::npos ||
                     last.err.find("EOF") != std::string::npos ||
                     last.err.find("InternalError") != std::string::npos;
    if (last.exit_code == 0 || !transient) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  return last;
}

ShellResult node_shell(const SimCluster& c, const std::string& node, const std::string& script,
                       ShellOptions o) {
  static std::atomic<int> seq{0};
  std::string name = "e2e-shell-" + node + "-" + std::to_string(++seq);
  auto file = c.state_dir() / (name + ".yaml");
  std::ofstream(file) << shell_pod_yaml(name, node, script, o);
  ShellResult result;
  // --validate=false: kube-sim serves no OpenAPI document for kubectl's client-side validation.
  auto created = kubectl_retrying(c, {"apply", "--validate=false", "-f", file.string()});
  if (created.exit_code != 0) {
    result.error = "kubectl apply: " + created.output();
    return result;
  }
  json terminated;
  bool done = SimCluster::eventually(
      [&] {
        terminated = terminated_state(c, name);
        return terminated.is_object();
      },
      o.timeout);
  if (!done) {
    result.error = "the pod did not terminate within the timeout";
  } else {
    result.exit_code = terminated.value("exitCode", -1);
    result.reason = terminated.value("reason", "");
    result.message = terminated.value("message", "");
  }
  result.log = kubectl_retrying(c, {"logs", name, "-n", "kube-system"}).out;
  kubectl_retrying(c, {"delete", "pod", name, "-n", "kube-system", "--wait=false"});
  return result;
}

std::string kubelet_version(const SimCluster& c, const std::string& node) {
  auto n = c.get("node", node);
  return n.is_object() ? n.value("/status/nodeInfo/kubeletVersion"_json_pointer, std::string())
                       : "";
}

bool node_ready(const SimCluster& c, const std::string& node) {
  auto n = c.get("node", node);
  if (!n.is_object()) return false;
  for (auto& cond : n.value("/status/conditions"_json_pointer, json::array()))
    if (cond.value("type", "") == "Ready") return cond.value("status", "") == "True";
  return false;
}

std::string mirror_pod_image(const SimCluster& c, const std::string& component,
                             const std::string& node) {
  auto p = c.get("pod", component + "-" + node, "kube-system");
  return p.is_object() ? p.value("/spec/containers/0/image"_json_pointer, std::string()) : "";
}

}  // namespace e2e::simnode
