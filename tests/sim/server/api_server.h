// kube-sim's HTTPS API server: TLS with optional client certificates, client-certificate and
// bearer-token authentication, discovery, resource handlers, the admin endpoints under /sim/ and
// the API outage fault (listener closed = connection refused, then 503 for a while).
#pragma once

#include <atomic>
#include <chrono>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "tests/sim/model/cluster.h"
#include "tests/sim/server/pki.h"

namespace httplib {
class SSLServer;
}

namespace sim {

struct ServerOptions {
  int port = 0;             // 0 = a free port
  size_t threads = 256;     // watches and log follows hold a thread each
  bool access_log = false;  // one line per request on stderr
};

class ApiServer {
 public:
  ApiServer(Cluster& cluster, Pki pki, ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds 127.0.0.1 and starts serving in a background thread; returns the port.
  std::expected<int, std::string> start();
  void stop();
  int port() const { return port_; }

  // Connection refused for `refused`, then 503 for `unavailable`. Returns at once.
  void outage(std::chrono::milliseconds refused, std::chrono::milliseconds unavailable);

 private:
  void route(const void* request, void* response);
  void listen_thread();
  std::string authenticate(const void* request) const;
  // GET /sim/faults: the faults in force, and the outages so far ({"apiOutages": {"started",
  // "unavailableAnswers" (503s served during outages), "active"}}), so a test can tell that an
  // outage really happened.
  nlohmann::json faults_json() const;

  Cluster& cluster_;
  Pki pki_;
  ServerOptions options_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread listener_;
  std::thread outage_thread_;
  std::mutex mu_;          // outage_thread_ handle
  std::mutex restart_mu_;  // the listener's stop/restart
  std::atomic<bool> in_outage_{false};
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shutdown_{false};
  std::atomic<int64_t> unavailable_until_ms_{0};  // steady clock, ms
  std::atomic<int> outages_started_{0};
  std::atomic<int> outage_unavailable_answers_{0};
};

}  // namespace sim
