// A small HTTPS server for the RestClient tests (cpp-httplib + OpenSSL), on 127.0.0.1 and a free
// port, with the TestPki server certificate. Client certificates are requested but optional;
// a verified one's CN is recorded. Every request is recorded; a test sets `handler` to answer.
// Deliberately tiny: kube-sim (tests/sim) is the real API server simulator.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kube::testing {

struct SeenRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  httplib::Headers headers;  // case-insensitive names
  std::string body;
  std::string client_cn;  // from a verified client certificate, or empty

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class TestServer {
 public:
  using Handler = std::function<void(const SeenRequest&, httplib::Response&)>;

  TestServer();
  ~TestServer();

  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  void set_handler(Handler h) {
    std::lock_guard lock(mu_);
    handler_ = std::move(h);
  }
  std::vector<SeenRequest> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return seen_.size();
  }

 private:
  void serve(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<SeenRequest> seen_;
};

// A Status body as the API server sends it.
std::string status_json(int code, const std::string& reason, const std::string& message,
                        const std::string& details_json = "");

}  // namespace kube::testing
