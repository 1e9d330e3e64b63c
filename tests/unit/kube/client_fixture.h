// Shared set-up for the RestClient tests: a TestServer, a RestConfig that trusts its CA, and a
// client whose log lines and warnings are captured.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/kube/client_factory.h"
#include "tests/unit/kube/test_pki.h"
#include "tests/unit/kube/test_server.h"

namespace kube::testing {

// A clock that never sleeps: sleep_for only advances now() and records the wait.
class FakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void sleep_for(std::chrono::milliseconds d) override {
    std::lock_guard lock(mu_);
    now_ += d;
    slept_ += d;
  }
  std::chrono::milliseconds slept() {
    std::lock_guard lock(mu_);
    return slept_;
  }

 private:
  std::mutex mu_;
  std::chrono::steady_clock::time_point now_{};
  std::chrono::milliseconds slept_{0};
};

class ClientTest : public ::testing::Test {
 protected:
  RestConfig config() const {
    RestConfig c;
    c.server = server.url();
    c.tls.ca_data = TestPki::get().ca.cert;
    c.user_name = "u1";
    return c;
  }
  ClientOptions options(bool retries = false) {
    ClientOptions o;
    o.retries = retries;
    o.clock = clock;
    o.log = [this](int, std::string_view line) {
      std::lock_guard lock(mu);
      log_lines.emplace_back(line);
    };
    o.warning = [this](std::string_view text) {
      std::lock_guard lock(mu);
      warnings.emplace_back(text);
    };
    return o;
  }
  std::unique_ptr<Client> client(const RestConfig& c, bool retries = false) {
    return make_client(c, options(retries));
  }
  std::string all_log() {
    std::lock_guard lock(mu);
    std::string out;
    for (const auto& l : log_lines) out += l + "\n";
    return out;
  }

  TestServer server;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::mutex mu;
  std::vector<std::string> log_lines;
  std::vector<std::string> warnings;
};

inline void json_reply(httplib::Response& res, const std::string& body, int code = 200) {
  res.status = code;
  res.set_content(body, "application/json");
}

}  // namespace kube::testing
