// The one seam to the API server. Everything above pkg/kube talks to a `Client`; the real one
// (rest_client.h) speaks HTTPS through libcurl, unit tests use kube::testing::FakeClient.
//
// Paths are API paths without query: "/api/v1/nodes/w1", "/apis/apps/v1/namespaces/ns/deployments".
// Objects are nlohmann::json. Every call returns a Result: the object, or an Error carrying the API
// Status or the transport failure. Calls never throw.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "pkg/kube/error.h"

namespace kube {

using json = nlohmann::json;
using Query = std::map<std::string, std::string>;  // extra query parameters, unescaped

enum class PatchType {
  kMerge,           // application/merge-patch+json
  kStrategicMerge,  // application/strategic-merge-patch+json
  kJson,            // application/json-patch+json
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int limit = 500;  // page size; 0 = no paging
  std::string resource_version;
};

// Called once per item of each page, in order. Return false to stop listing early.
using ItemSink = std::function<bool(const json& item)>;

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;
  bool allow_bookmarks = true;
  int timeout_seconds = 0;  // server-side timeout; 0 = server default
};

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  json object;
};
// Return false to end the watch.
using EventSink = std::function<bool(const WatchEvent& event)>;
// Receives raw bytes of a streamed body (pod logs). Return false to stop.
using ChunkSink = std::function<bool(std::string_view chunk)>;

class Client {
 public:
  virtual ~Client() = default;

  virtual Result<json> get(std::string_view path, const Query& query = {}) = 0;
  // Pages through the collection at `path` with limit/continue, handing each item to `sink`, so
  // callers keep only what they need. An expired continue token (410) restarts the list once.
  // Returns the list's resourceVersion.
  virtual Result<std::string> list(std::string_view path, const ListOptions& options,
                                   const ItemSink& sink) = 0;
  virtual Result<json> create(std::string_view path, const json& body, const Query& query = {}) = 0;
  virtual Result<json> update(std::string_view path, const json& body) = 0;  // PUT
  virtual Result<json> patch(std::string_view path, PatchType type, const json& body,
                             const Query& query = {}) = 0;
  // DELETE with optional DeleteOptions (gracePeriodSeconds, preconditions, ...).
  virtual Result<json> remove(std::string_view path, const json& delete_options = nullptr) = 0;
  // Streams watch events until the sink returns false, the server ends it, or an error. A 410 (or
  // an in-stream ERROR event with code 410) is returned as Error{kApi, 410} so the caller re-lists.
  virtual Result<void> watch(std::string_view path, const WatchOptions& options,
                             const EventSink& sink) = 0;
  // A streamed GET (pod log with follow=true): chunks as they arrive.
  virtual Result<void> stream(std::string_view path, const Query& query, const ChunkSink& sink) = 0;
};

}  // namespace kube
