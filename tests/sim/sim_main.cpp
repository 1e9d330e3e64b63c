#include "tests/sim/sim_main.h"

#include <iostream>

#include "tests/sim/controllers/controllers.h"
#include "tests/sim/controllers/node_side.h"
#include "tests/sim/model/cluster.h"
#include "tests/sim/model/populate.h"
#include "tests/sim/server/api_server.h"
#include "tests/sim/server/pki.h"

namespace sim {

int check_scenario(const std::filesystem::path& scenario) {
  auto s = load_scenario(scenario);
  if (!s) {
    std::cerr << "kube-sim: " << s.error() << "\n";
    return 1;
  }
  std::cout << scenario.string() << ": ok (" << s->nodes.size() << " nodes, " << s->workloads.size()
            << " workloads)\n";
  return 0;
}

int serve(const ServeArgs& args, const std::function<void()>& wait_for_stop) {
  auto scenario = load_scenario(args.scenario);
  if (!scenario) {
    std::cerr << "kube-sim: " << scenario.error() << "\n";
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(args.state_dir, ec);
  if (ec) {
    std::cerr << "kube-sim: cannot create the state dir " << args.state_dir << ": " << ec.message()
              << "\n";
    return 1;
  }
  std::filesystem::remove(args.state_dir / "kubeconfig", ec);  // reappears once we serve
  auto pki = ensure_pki(args.state_dir);
  if (!pki) {
    std::cerr << "kube-sim: " << pki.error() << "\n";
    return 1;
  }
  Cluster cluster(std::move(*scenario), args.state_dir);
  auto node_side = make_node_side(args.state_dir);
  if (cluster.scenario().sim.node_roots) {
    if (auto ok = node_side->lay_out(cluster.scenario()); !ok) {
      std::cerr << "kube-sim: laying out the node roots under " << args.state_dir.string() << ": "
                << ok.error() << "\n";
      return 1;
    }
  }
  auto start = std::chrono::system_clock::now();
  if (auto ok = populate(cluster, start); !ok) {
    std::cerr << "kube-sim: loading " << args.scenario << ": " << ok.error() << "\n";
    return 1;
  }
  cluster.set_node_faults_hook([&cluster, &node_side](const nlohmann::json& faults) {
    return node_side->set_faults(cluster.scenario(), faults);
  });
  Controllers controllers(cluster, *node_side);
  if (cluster.scenario().sim.controllers) controllers.settle(start - std::chrono::hours(24 * 10));
  ApiServer server(cluster, *pki,
                   {.port = args.port, .threads = args.threads, .access_log = args.access_log});
  auto port = server.start();
  if (!port) {
    std::cerr << "kube-sim: " << port.error() << "\n";
    return 1;
  }
  if (auto ok = write_kubeconfig(args.state_dir, *pki, *port); !ok) {
    std::cerr << "kube-sim: writing the kubeconfig: " << ok.error() << "\n";
    return 1;
  }
  std::cerr << "kube-sim: serving https://127.0.0.1:" << *port << " ("
            << cluster.scenario().nodes.size()
            << " nodes); kubeconfig: " << (args.state_dir / "kubeconfig").string() << "\n";
  controllers.start();
  wait_for_stop();
  std::cerr << "kube-sim: stopping\n";
  controllers.stop();
  server.stop();
  return 0;
}

}  // namespace sim
