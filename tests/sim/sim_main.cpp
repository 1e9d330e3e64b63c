#include "tests/sim/sim_main.h"

#include <iostream>

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
  if (auto ok = populate(cluster, std::chrono::system_clock::now()); !ok) {
    std::cerr << "kube-sim: loading " << args.scenario << ": " << ok.error() << "\n";
    return 1;
  }
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
  wait_for_stop();
  std::cerr << "kube-sim: stopping\n";
  server.stop();
  return 0;
}

}  // namespace sim
