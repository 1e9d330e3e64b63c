// The real Client: HTTPS to the API server through libcurl (make_client() builds it). Thread-safe:
// any number of threads may call it at once (drain evicts in parallel); connections are pooled.
//
// - list() pages with limit/continue, parses one page at a time and hands items to the sink; an
//   expired continue token (410) restarts the list once, skipping items already delivered.
// - watch() parses newline-delimited events as bytes arrive; an ERROR event becomes an Error
//   carrying its Status (410 Expired/Gone: re-list).
// - A non-2xx answer becomes Error kApi with the decoded Status (or client-go's generic one).
// - A 401 while using exec plugin credentials runs the plugin again and retries once.
// - Server `Warning:` headers go to ClientOptions::warning, each distinct text once.
// No retries here: RetryingClient (retrying_client.h) decorates this.
#pragma once

#include <memory>

#include "pkg/kube/client.h"
#include "pkg/kube/client_factory.h"
#include "pkg/kube/rest_config.h"

namespace kube {

class RestClient : public Client {
 public:
  RestClient(RestConfig config, ClientOptions options);
  ~RestClient() override;
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

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

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes a query component (RFC 3986 unreserved characters stay as they are).
std::string query_escape(std::string_view text);
// "?a=1&b=2" from a Query (sorted by key, as Go's url.Values.Encode), or "" when empty.
std::string encode_query(const Query& query);

}  // namespace kube
