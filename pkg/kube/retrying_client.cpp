#include "pkg/kube/retrying_client.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace kube {
namespace {

thread_local bool retry_writes_scope = false;

bool retryable(const Error& e) {
  if (e.kind == ErrorKind::kTransport) {
    return e.failure == TransportFailure::kRefused || e.failure == TransportFailure::kReset;
  }
  if (e.kind != ErrorKind::kApi) return false;
  int code = e.status.code;
  return code == 429 || (code >= 500 && code != 501);
}

double jitter_factor(double jitter) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> dist(-jitter, jitter);
  return 1.0 + dist(rng);
}

}  // namespace

RetryNonIdempotent::RetryNonIdempotent() : previous_(retry_writes_scope) {
  retry_writes_scope = true;
}
RetryNonIdempotent::~RetryNonIdempotent() {
  retry_writes_scope = previous_;
}
bool RetryNonIdempotent::active() {
  return retry_writes_scope;
}

RetryingClient::RetryingClient(std::unique_ptr<Client> inner, RetryPolicy policy,
                               std::shared_ptr<Clock> clock, std::function<bool()> cancelled)
    : inner_(std::move(inner)),
      policy_(policy),
      clock_(clock ? std::move(clock) : real_clock()),
      cancelled_(std::move(cancelled)) {}

std::optional<std::chrono::milliseconds> RetryingClient::wait_before(int attempt, const Error& e,
                                                                     Safety safety) const {
  if (attempt > policy_.max_attempts || !retryable(e)) return std::nullopt;
  bool may_repeat = safety == Safety::kIdempotent || policy_.retry_non_idempotent ||
                    RetryNonIdempotent::active() ||
                    (e.kind == ErrorKind::kTransport && e.failure == TransportFailure::kRefused);
  if (!may_repeat) return std::nullopt;
  if (e.kind == ErrorKind::kApi && e.status.retry_after_seconds) {
    // The server's wish wins over our backoff; the deadline still bounds it (run()).
    return std::chrono::milliseconds(*e.status.retry_after_seconds * 1000L);
  }
  double base = static_cast<double>(policy_.initial_backoff.count()) *
                std::pow(policy_.multiplier, attempt - 2);
  base = std::min(base, static_cast<double>(policy_.max_backoff.count()));
  return std::chrono::milliseconds(static_cast<long long>(base * jitter_factor(policy_.jitter)));
}

bool RetryingClient::sleep(std::chrono::milliseconds wait) {
  constexpr std::chrono::milliseconds kSlice{100};
  while (wait.count() > 0) {
    if (cancelled_ && cancelled_()) return false;
    auto step = std::min(wait, kSlice);
    clock_->sleep_for(step);
    wait -= step;
  }
  return !(cancelled_ && cancelled_());
}

template <class T>
Result<T> RetryingClient::run(Safety safety, const bool* delivered,
                              const std::function<Result<T>()>& call) {
  const auto start = clock_->now();
  for (int attempt = 1;; ++attempt) {
    Result<T> result = call();
    if (result || (delivered && *delivered)) return result;
    auto wait = wait_before(attempt + 1, result.error(), safety);
    if (!wait) return result;
    if (clock_->now() + *wait - start > policy_.deadline) return result;
    if (!sleep(*wait)) return std::unexpected(Error::cancelled("cancelled while waiting to retry"));
  }
}

Result<json> RetryingClient::get(std::string_view path, const Query& query) {
  return run<json>(Safety::kIdempotent, nullptr, [&] { return inner_->get(path, query); });
}

Result<std::string> RetryingClient::list(std::string_view path, const ListOptions& options,
                                         const ItemSink& sink) {
  bool delivered = false;
  ItemSink counting = [&](const json& item) {
    delivered = true;
    return sink(item);
  };
  return run<std::string>(Safety::kIdempotent, &delivered,
                          [&] { return inner_->list(path, options, counting); });
}

Result<json> RetryingClient::create(std::string_view path, const json& body, const Query& query) {
  return run<json>(Safety::kNotIdempotent, nullptr,
                   [&] { return inner_->create(path, body, query); });
}

Result<json> RetryingClient::update(std::string_view path, const json& body) {
  return run<json>(Safety::kIdempotent, nullptr, [&] { return inner_->update(path, body); });
}

Result<json> RetryingClient::patch(std::string_view path, PatchType type, const json& body,
                                   const Query& query) {
  return run<json>(Safety::kIdempotent, nullptr,
                   [&] { return inner_->patch(path, type, body, query); });
}

Result<json> RetryingClient::remove(std::string_view path, const json& delete_options) {
  return run<json>(Safety::kIdempotent, nullptr,
                   [&] { return inner_->remove(path, delete_options); });
}

Result<void> RetryingClient::watch(std::string_view path, const WatchOptions& options,
                                   const EventSink& sink) {
  bool delivered = false;
  EventSink counting = [&](const WatchEvent& event) {
    delivered = true;
    return sink(event);
  };
  return run<void>(Safety::kIdempotent, &delivered,
                   [&] { return inner_->watch(path, options, counting); });
}

Result<void> RetryingClient::stream(std::string_view path, const Query& query,
                                    const ChunkSink& sink) {
  bool delivered = false;
  ChunkSink counting = [&](std::string_view chunk) {
    delivered = true;
    return sink(chunk);
  };
  return run<void>(Safety::kIdempotent, &delivered,
                   [&] { return inner_->stream(path, query, counting); });
}

}  // namespace kube
