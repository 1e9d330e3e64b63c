// Retries as a decorator around any Client (STYLE.md: decorators, not flags in the transport).
//
// Retried: connection refused or reset, 5xx, 429 (waiting Retry-After when the server gives it),
// with exponential backoff and jitter, bounded by RetryPolicy::max_attempts and ::deadline.
// Which verbs: GET/LIST/PUT/PATCH/DELETE, and WATCH/stream/LIST only while nothing has reached
// the sink yet. POST (create) only when the policy or a RetryNonIdempotent scope allows it, except
// for a refused connection, where nothing reached the server. Waits go through the Clock (tests
// use a fake) in slices so cancellation is noticed.
#pragma once

#include <functional>
#include <memory>

#include "pkg/kube/client.h"
#include "pkg/kube/client_factory.h"

namespace kube {

class RetryingClient : public Client {
 public:
  RetryingClient(std::unique_ptr<Client> inner, RetryPolicy policy, std::shared_ptr<Clock> clock,
                 std::function<bool()> cancelled = {});

  Result<json> get(std::string_view path, const Query& query = {}) override;
  Result<std::string> list(std::string_view path, const ListOptions& options,
                           const ItemSink& sink) override;
  Result<json> create(std::string_view path, const json& body, const Query& query = {}) override;
  Result<json> update(std::string_view path, const json& body) override;
  Result<json> patch(std::string_view path, PatchType type, const json& body,
                     const Query& query = {}) override;
  Result<json> remove(std::string_view path, const json& delete_options = nullptr) override;
  Result<void> watch(std::string_view path, const WatchOptions& options,
                     const EventSink& sink) override;
  Result<void> stream(std::string_view path, const Query& query, const ChunkSink& sink) override;

 private:
  enum class Safety { kIdempotent, kNotIdempotent };
  template <class T>
  Result<T> run(Safety safety, const bool* delivered, const std::function<Result<T>()>& call);
  // How long to wait before attempt `attempt` (2, 3, ...) after `error`; nullopt = do not retry.
  std::optional<std::chrono::milliseconds> wait_before(int attempt, const Error& error,
                                                       Safety safety) const;
  bool sleep(std::chrono::milliseconds wait);

  std::unique_ptr<Client> inner_;
  RetryPolicy policy_;
  std::shared_ptr<Clock> clock_;
  std::function<bool()> cancelled_;
};

}  // namespace kube
