// kube-sim: a simulated kubeadm cluster for tests and demos.
//
//   kube-sim serve --scenario FILE --state-dir DIR [--port N]
//   kube-sim check --scenario FILE
//
// `serve` writes DIR/kubeconfig once it is listening and runs until SIGTERM/SIGINT (exit 0).
#include <signal.h>

#include <cxxopts.hpp>
#include <filesystem>
#include <iostream>

#include "tests/sim/sim_main.h"

int main(int argc, char** argv) {
  cxxopts::Options options("kube-sim", "A simulated kubeadm cluster the real kubectl accepts.");
  options.add_options()("command", "serve | check", cxxopts::value<std::string>())(
      "scenario", "scenario YAML file", cxxopts::value<std::string>())(
      "state-dir", "folder for credentials, kubeconfig and node roots",
      cxxopts::value<std::string>())("port", "port on 127.0.0.1 (0 = a free one)",
                                     cxxopts::value<int>()->default_value("0"))(
      "threads", "HTTP worker threads (watches and log follows hold one each)",
      cxxopts::value<size_t>()->default_value("256"))(
      "access-log", "print one line per request on stderr")("h,help", "show this help");
  options.parse_positional({"command"});
  options.positional_help("serve|check");
  cxxopts::ParseResult args;
  try {
    args = options.parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kube-sim: " << e.what() << "\n" << options.help() << "\n";
    return 2;
  }
  if (args.count("help") || !args.count("command")) {
    std::cout << options.help() << "\n";
    return args.count("help") ? 0 : 2;
  }
  std::string command = args["command"].as<std::string>();
  if (!args.count("scenario")) {
    std::cerr << "kube-sim: --scenario FILE is required\n";
    return 2;
  }
  sim::ServeArgs serve;
  serve.scenario = args["scenario"].as<std::string>();
  if (command == "check") return sim::check_scenario(serve.scenario);
  if (command != "serve") {
    std::cerr << "kube-sim: unknown command \"" << command << "\" (serve or check)\n";
    return 2;
  }
  if (!args.count("state-dir")) {
    std::cerr << "kube-sim: --state-dir DIR is required\n";
    return 2;
  }
  serve.state_dir = args["state-dir"].as<std::string>();
  serve.port = args["port"].as<int>();
  serve.threads = args["threads"].as<size_t>();
  serve.access_log = args.count("access-log") > 0;
  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return sim::serve(serve, [&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
  });
}
