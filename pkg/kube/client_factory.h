// Building the real Client: make_client(RestConfig, ClientOptions) gives a thread-safe client
// that speaks HTTPS through libcurl (RestClient), wrapped in the retry decorator
// (RetryingClient) unless retries are switched off.
//
// Construction never fails: problems with certificates, keys or exec plugins surface as Errors
// from the first request, with the wording kubectl uses.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pkg/kube/client.h"
#include "pkg/kube/rest_config.h"

namespace kube {

// Time as a seam: retries sleep through it, tests pass a fake that only advances a counter.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};
std::shared_ptr<Clock> real_clock();

struct RetryPolicy {
  int max_attempts = 5;  // including the first; 1 = never retry
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{8000};  // cap of one backoff wait (not of Retry-After)
  double multiplier = 2.0;
  double jitter = 0.2;                        // +- fraction of each wait
  std::chrono::milliseconds deadline{60000};  // no new attempt would start after this total
  // POST (create) is retried only when this is set or a RetryNonIdempotent scope is active.
  // GET/LIST/PUT/PATCH/DELETE and the start of WATCH/stream are retried by default.
  bool retry_non_idempotent = false;
};

// While alive, the current thread's calls through a RetryingClient may retry POSTs (for requests
// the caller knows are safe to repeat, such as an eviction or a create that tolerates 409).
class RetryNonIdempotent {
 public:
  RetryNonIdempotent();
  ~RetryNonIdempotent();
  RetryNonIdempotent(const RetryNonIdempotent&) = delete;
  RetryNonIdempotent& operator=(const RetryNonIdempotent&) = delete;
  static bool active();

 private:
  bool previous_;
};

// One finished line of request logging (-v=6..9), already masked. Level is the -v it belongs to.
using LogSink = std::function<void(int level, std::string_view line)>;
// A server `Warning:` header's text (each distinct text is delivered once per client).
using WarningSink = std::function<void(std::string_view text)>;

struct ClientOptions {
  // Per request; 0 = the RestConfig's request_timeout (itself 0 = none). Watches and streams
  // are not cut by it (they end by server timeout, sink or cancellation).
  std::chrono::milliseconds request_timeout{0};
  std::chrono::milliseconds connect_timeout{10000};
  RetryPolicy retry;
  bool retries = true;  // false: no RetryingClient around the RestClient
  // Polled while a request runs (also during watch/stream and retry waits); true aborts the
  // request with Error kind kCancelled. Either may be left empty/null.
  std::function<bool()> cancelled;
  const std::atomic<bool>* cancel_flag = nullptr;
  int verbosity = -1;            // -1 = the RestConfig's verbosity
  LogSink log;                   // default: stderr through spdlog's "kube" logger
  WarningSink warning;           // default: "Warning: <text>" on stderr
  std::shared_ptr<Clock> clock;  // default: real_clock()
  std::string user_agent = "kubectl-upgrade";
  // Exec credential plugins: whether stdin is an interactive terminal the plugin may use.
  bool stdin_is_terminal = false;
};

std::unique_ptr<Client> make_client(const RestConfig& config, const ClientOptions& options = {});

}  // namespace kube
