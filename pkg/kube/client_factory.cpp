#include "pkg/kube/client_factory.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>
#include <thread>

#include "pkg/kube/rest_client.h"
#include "pkg/kube/retrying_client.h"

namespace kube {
namespace {

class RealClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
  void sleep_for(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

// klog-like lines on stderr: "I1126 10:26:18.123456 <thread>] GET https://... 200 OK in 5 ms".
LogSink stderr_log() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> logger;
  std::call_once(once, [] {
    logger =
        std::make_shared<spdlog::logger>("kube", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("I%m%d %H:%M:%S.%f %t] %v");
    logger->set_level(spdlog::level::info);
  });
  return [](int, std::string_view line) { logger->info("{}", line); };
}

WarningSink stderr_warning() {
  static std::mutex mu;
  return [](std::string_view text) {
    std::lock_guard lock(mu);
    std::fprintf(stderr, "Warning: %.*s\n", static_cast<int>(text.size()), text.data());
  };
}

}  // namespace

std::shared_ptr<Clock> real_clock() {
  static auto clock = std::make_shared<RealClock>();
  return clock;
}

std::unique_ptr<Client> make_client(const RestConfig& config, const ClientOptions& options) {
  ClientOptions o = options;
  if (!o.clock) o.clock = real_clock();
  if (!o.log) o.log = stderr_log();
  if (!o.warning) o.warning = stderr_warning();
  std::function<bool()> cancelled;
  if (o.cancelled || o.cancel_flag) {
    cancelled = [fn = o.cancelled, flag = o.cancel_flag] {
      return (flag && flag->load()) || (fn && fn());
    };
  }
  auto rest = std::make_unique<RestClient>(config, o);
  if (!o.retries) return rest;
  return std::make_unique<RetryingClient>(std::move(rest), o.retry, o.clock, cancelled);
}

}  // namespace kube
