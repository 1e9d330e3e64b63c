// An in-memory Client for unit tests of the layers above pkg/kube. It stores objects by path,
// answers get/list (label selectors k=v / k!=v / k, field selectors on spec.nodeName,
// metadata.name, metadata.namespace, status.phase), create/update/patch/remove with
// resourceVersions and 404/409 Status errors, and records every call so tests can assert on what
// happened. Eviction (POST .../pods/P/eviction) deletes the pod unless a hook answers first.
// Not a simulator: kube-sim (tests/sim) is the real test bed.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pkg/kube/client.h"

namespace kube::testing {

struct Call {
  std::string verb;  // GET, LIST, CREATE, UPDATE, PATCH, DELETE, WATCH, STREAM
  std::string path;
  json body;
};

class FakeClient : public Client {
 public:
  // Stores `object` under the collection `collection_path` (e.g. paths::pods("ns")), named by
  // metadata.name; fills namespace, uid and resourceVersion. Returns the stored object.
  json add(const std::string& collection_path, json object);
  // Sets the raw answer for a non-resource path such as "/version".
  void set_raw(const std::string& path, json value) { raw_[path] = std::move(value); }
  // Stored object at `path`, if any.
  std::optional<json> object(const std::string& path) const;

  // A hook sees every call before it is served; returning an Error fails that call.
  using Hook = std::function<std::optional<Error>(const Call&)>;
  void set_hook(Hook hook) { hook_ = std::move(hook); }
  // Canned watch events and log chunks for a path.
  void set_watch_events(const std::string& path, std::vector<WatchEvent> events);
  void set_stream(const std::string& path, std::vector<std::string> chunks);

  const std::vector<Call>& calls() const { return calls_; }
  std::vector<Call> calls_with(std::string_view verb) const;

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
  std::optional<Error> record(std::string verb, std::string_view path, const json& body = nullptr);
  json& bump(json& object);

  std::map<std::string, json> objects_;  // full object path -> object
  std::map<std::string, json> raw_;
  std::map<std::string, std::vector<WatchEvent>> watch_events_;
  std::map<std::string, std::vector<std::string>> streams_;
  std::vector<Call> calls_;
  Hook hook_;
  long next_resource_version_ = 1000;
  long next_uid_ = 1;
};

}  // namespace kube::testing
