#include "tests/sim/node/tests/node_fixture.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/sim/node/layout.h"
#include "tests/sim/node/node_files.h"

namespace sim::node::testing {

std::expected<ClusterVersions, std::string> FakeCluster::read_cluster() {
  return snapshot();
}
void FakeCluster::api_outage(std::chrono::milliseconds d) {
  std::lock_guard l(mu);
  outages.push_back(d);
}
std::expected<void, std::string> FakeCluster::set_kubeadm_config_version(const std::string& v) {
  std::lock_guard l(mu);
  kubeadm_config_versions.push_back(v);
  versions.kubernetes_version = v;
  return {};
}
std::expected<void, std::string> FakeCluster::set_kubelet_config(const std::string& v,
                                                                 const std::string&) {
  std::lock_guard l(mu);
  kubelet_config_versions.push_back(v);
  return {};
}
std::expected<void, std::string> FakeCluster::set_addon_images(const AddonImages& images) {
  std::lock_guard l(mu);
  addon_images.push_back(images);
  return {};
}
ClusterVersions FakeCluster::snapshot() {
  std::lock_guard l(mu);
  return versions;
}
void FakeCluster::set_versions(const ClusterVersions& v) {
  std::lock_guard l(mu);
  versions = v;
}

NodeFixture::NodeFixture() {
  char tmpl[] = "/tmp/simnode-test-XXXXXX";
  dir = ::mkdtemp(tmpl);
  std::error_code ec;
  tools_dir = fs::read_symlink("/proc/self/exe", ec).parent_path() / "kube-sim-node-tools";
  (void)write_universe(dir, make_universe("v1.34", "v1.37", 3));
}

NodeFixture::~NodeFixture() {
  stop_cluster();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

NodeSpec NodeFixture::control_plane(const std::string& name, bool first) const {
  NodeSpec s;
  s.name = name;
  s.control_plane = true;
  s.first_control_plane = first;
  s.kubernetes_version = "v1.35.2";
  s.kubelet_version = "v1.35.2";
  s.time_scale = 0.01;
  return s;
}

NodeSpec NodeFixture::worker(const std::string& name) const {
  NodeSpec s = control_plane(name);
  s.control_plane = false;
  s.kubernetes_version.clear();
  return s;
}

NodeSpec& NodeFixture::add(NodeSpec spec) {
  auto r = lay_out(dir, spec);
  if (!r) throw std::runtime_error(r.error());
  return specs[spec.name] = spec;
}

fs::path NodeFixture::root(const std::string& node) const {
  return node_paths(dir, node).root;
}

std::string NodeFixture::read(const std::string& node, const std::string& path) const {
  auto t = read_text(root(node) / path);
  return t ? *t : "";
}

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

ToolRun NodeFixture::run(const std::string& node, const std::vector<std::string>& argv,
                         const std::string& stdin_text) {
  NodePaths p = node_paths(dir, node);
  fs::path out = dir / "out.txt", err = dir / "err.txt", in = dir / "in.txt";
  std::ofstream(in) << stdin_text;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);  // a killed-script fault kills its process group, never the test
    ::setenv("KUBE_SIM_NODE_ROOT", p.root.c_str(), 1);
    ::setenv("KUBE_SIM_NODE_JSON", p.sim_json.c_str(), 1);
    ::setenv("KUBE_SIM_REPO", p.repo.c_str(), 1);
    ::setenv("KUBE_SIM_REQUESTS", p.requests.c_str(), 1);
    int i = ::open(in.c_str(), O_RDONLY),
        o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
        e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(i, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::string tool = (tools_dir / argv[0]).string();
    std::vector<char*> args{tool.data()};
    for (std::size_t k = 1; k < argv.size(); ++k)
      args.push_back(const_cast<char*>(argv[k].c_str()));
    args.push_back(nullptr);
    ::execv(tool.c_str(), args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ToolRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

void NodeFixture::start_cluster() {
  stop_ = false;
  responder_ = std::thread([this] {
    while (!stop_) {
      process_requests(dir, cluster);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
}

void NodeFixture::stop_cluster() {
  stop_ = true;
  if (responder_.joinable()) responder_.join();
}

void NodeFixture::sync_versions_from_specs(const std::string& kubernetes_version) {
  ClusterVersions v;
  v.kubernetes_version = kubernetes_version;
  for (auto& [name, s] : specs) {
    if (s.control_plane) v.api_server_versions[name] = s.kubernetes_version;
    v.kubelet_versions[name] = s.kubelet_version;
  }
  v.kube_proxy_version = kubernetes_version;
  v.coredns_version = coredns_version_for(kubernetes_version);
  cluster.set_versions(v);
}

}  // namespace sim::node::testing
