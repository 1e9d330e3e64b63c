#include "tests/e2e/harness/sim_cluster.h"

#include <httplib.h>
#include <signal.h>
#include <stdlib.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace e2e {
namespace fs = std::filesystem;

fs::path build_dir() {
  return KU_E2E_BUILD_DIR;
}
fs::path source_dir() {
  return KU_E2E_SOURCE_DIR;
}

fs::path scenario_path(const std::string& name) {
  fs::path p(name);
  if (p.is_absolute() || name.find('/') != std::string::npos) return p;
  return source_dir() / "tests" / "sim" / "scenarios" / name;
}

std::optional<std::string> kubectl_skip_reason() {
  static const std::optional<std::string> reason = []() -> std::optional<std::string> {
    RunResult r = run_process({"kubectl", "version", "--client", "-o", "json"},
                              {.timeout = std::chrono::seconds(30)});
    if (r.exit_code < 0) return "kubectl is not installed (needs kubectl >= 1.25 on PATH)";
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    std::string git =
        j.is_object() ? j.value("clientVersion", nlohmann::json::object()).value("gitVersion", "")
                      : "";
    std::smatch m;
    static const std::regex re(R"(v1\.(\d+)\.)");
    if (!std::regex_search(git, m, re))
      return "cannot tell kubectl's version from `kubectl version --client -o json`: " + r.output();
    if (std::stoi(m[1].str()) < 25)
      return "kubectl " + git +
             " is older than 1.25 (its drain uses policy/v1beta1); install a current kubectl";
    return std::nullopt;
  }();
  return reason;
}

namespace {

fs::path make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "kube-sim-e2e-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  return made != nullptr ? fs::path(made) : fs::path();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

SimCluster::SimCluster(const std::string& scenario, SimOptions options) {
  dir_ = make_temp_dir();
  fs::path file = scenario_path(scenario);
  if (!options.scenario_suffix.empty()) {
    fs::path copy = dir_ / "scenario.yaml";
    std::ofstream(copy) << read_file(file) << "\n" << options.scenario_suffix << "\n";
    file = copy;
  }
  fs::path state = dir_ / "state";
  std::vector<std::string> argv = {(build_dir() / "bin" / "kube-sim").string(),
                                   "serve",
                                   "--scenario",
                                   file.string(),
                                   "--state-dir",
                                   state.string()};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  dir_ = state;
  sim_ = std::make_unique<BackgroundProcess>(argv, std::map<std::string, std::string>{});
  if (!sim_->started()) {
    start_error_ = "cannot start " + argv[0];
    return;
  }
  auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(kubeconfig())) {
      ready_ = true;
      return;
    }
    if (!sim_->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  start_error_ = "kube-sim did not become ready: " + sim_->err();
}

SimCluster::~SimCluster() {
  stop();
  std::error_code ec;
  if (!dir_.empty() && std::getenv("KU_E2E_KEEP") == nullptr)
    fs::remove_all(dir_.parent_path(), ec);
}

RunResult SimCluster::stop() {
  if (!stopped_ && sim_) stopped_ = sim_->stop(SIGTERM, std::chrono::seconds(20));
  return stopped_.value_or(RunResult{});
}

std::string SimCluster::sim_log() const {
  return sim_ ? sim_->err() : std::string();
}

std::string SimCluster::server_url() const {
  try {
    YAML::Node k = YAML::LoadFile(kubeconfig().string());
    return k["clusters"][0]["cluster"]["server"].as<std::string>();
  } catch (const std::exception&) {
    return {};
  }
}

std::map<std::string, std::string> SimCluster::env() const {
  return {{"KUBECONFIG", kubeconfig().string()},
          {"HOME", (dir_ / "home").string()},
          {"KUBECACHEDIR", (dir_ / "home" / "kube-cache").string()},
          {"NO_COLOR", "1"}};
}

RunResult SimCluster::run(std::vector<std::string> argv, RunOptions options) const {
  if (!ready_) {
    RunResult r;
    r.err = "kube-sim is not running: " + start_error_;
    return r;
  }
  if (!argv.empty() && argv[0] == "kubectl-upgrade")
    argv[0] = (build_dir() / "bin" / "kubectl-upgrade").string();
  for (const auto& [k, v] : env()) options.env.try_emplace(k, v);
  return run_process(argv, options);
}

RunResult SimCluster::kubectl(std::vector<std::string> args, RunOptions options) const {
  args.insert(args.begin(), "kubectl");
  return run(std::move(args), std::move(options));
}

std::unique_ptr<BackgroundProcess> SimCluster::start(std::vector<std::string> argv) const {
  if (!argv.empty() && argv[0] == "kubectl-upgrade")
    argv[0] = (build_dir() / "bin" / "kubectl-upgrade").string();
  return std::make_unique<BackgroundProcess>(argv, env());
}

nlohmann::json SimCluster::get(const std::string& resource, const std::string& name,
                               const std::string& ns) const {
  std::vector<std::string> args = {"get", resource, name, "-o", "json"};
  if (!ns.empty()) args.insert(args.end(), {"-n", ns});
  RunResult r = kubectl(args);
  if (r.exit_code != 0) return nullptr;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::vector<nlohmann::json> SimCluster::list(const std::string& resource,
                                             std::vector<std::string> extra) const {
  std::vector<std::string> args = {"get", resource, "-o", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = kubectl(args);
  std::vector<nlohmann::json> out;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (r.exit_code != 0 || j.is_discarded()) return out;
  for (const auto& item : j.value("items", nlohmann::json::array())) out.push_back(item);
  return out;
}

nlohmann::json SimCluster::HttpAnswer::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

SimCluster::HttpAnswer SimCluster::request(const std::string& method, const std::string& path,
                                           const std::string& body,
                                           const std::string& content_type) const {
  HttpAnswer a;
  std::string url = server_url();
  std::smatch m;
  static const std::regex re(R"(https://([^:/]+):(\d+))");
  if (!std::regex_search(url, m, re)) {
    a.error = "no server in the kubeconfig";
    return a;
  }
  fs::path pki = dir_ / "pki";
  httplib::SSLClient client(m[1].str(), std::stoi(m[2].str()), (pki / "admin.crt").string(),
                            (pki / "admin.key").string());
  client.set_ca_cert_path((pki / "ca.crt").string().c_str());
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(std::chrono::seconds(10));
  client.set_read_timeout(std::chrono::seconds(30));
  httplib::Result res = method == "GET"      ? client.Get(path)
                        : method == "DELETE" ? client.Delete(path, body, content_type)
                        : method == "PUT"    ? client.Put(path, body, content_type)
                        : method == "PATCH"  ? client.Patch(path, body, content_type)
                                             : client.Post(path, body, content_type);
  if (!res) {
    a.error = "request failed: " + httplib::to_string(res.error());
    return a;
  }
  a.status = res->status;
  a.body = res->body;
  return a;
}

nlohmann::json SimCluster::admin_post(const std::string& path, const nlohmann::json& body) const {
  auto a = request("POST", path, body.dump());
  return a.status < 0 ? nlohmann::json{{"error", a.error}} : a.json();
}

nlohmann::json SimCluster::admin_get(const std::string& path) const {
  auto a = request("GET", path);
  return a.status < 0 ? nlohmann::json{{"error", a.error}} : a.json();
}

bool SimCluster::eventually(const std::function<bool()>& condition,
                            std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

}  // namespace e2e
