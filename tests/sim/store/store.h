// The sim's etcd: typed buckets of JSON objects with one resourceVersion counter, a bounded event
// history for watches, and continue tokens for paged lists.
//
// Objects are immutable snapshots (shared_ptr<const json>) with their serialized text cached, so a
// list of 150,000 pods is a copy of pointers under the lock and a concatenation outside it.
// Thread-safe. Errors are the apiserver's (404, 409, 410, 400).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/sim/store/api_error.h"
#include "tests/sim/store/resources.h"
#include "tests/sim/store/selector.h"

namespace sim {

struct Stored {
  std::shared_ptr<const nlohmann::json> object;
  std::shared_ptr<const std::string> text;  // object serialized
  uint64_t rv = 0;
  const nlohmann::json& json() const { return *object; }
};

enum class EventType { kAdded, kModified, kDeleted };
const char* event_type_name(EventType t);

struct StoreEvent {
  uint64_t rv = 0;
  EventType type = EventType::kAdded;
  const ResourceInfo* resource = nullptr;
  Stored object;
  Stored previous;  // the object before a modification (null object for ADDED)
};

struct ListOptions {
  std::string ns;  // "" = every namespace (or cluster-scoped)
  std::optional<LabelSelector> labels;
  std::optional<FieldSelector> fields;
  int64_t limit = 0;  // 0 = no paging
  std::string continue_token;
};

struct ListResult {
  std::vector<Stored> items;
  uint64_t rv = 0;
  std::string continue_token;              // empty on the last page
  std::optional<int64_t> remaining_count;  // only without selectors, as the apiserver does
};

class Store {
 public:
  explicit Store(size_t history_limit = 200000);

  Result<Stored> get(const ResourceInfo& r, const std::string& ns, const std::string& name) const;
  // Fills uid, creationTimestamp, resourceVersion, generation, generateName. 409 if it exists.
  Result<Stored> create(const ResourceInfo& r, nlohmann::json object);
  // Replaces the object. A non-empty metadata.resourceVersion must equal the stored one (else 409).
  // System metadata (uid, creationTimestamp, generation) is kept; generation moves with spec.
  Result<Stored> update(const ResourceInfo& r, nlohmann::json object);
  // Atomic read-modify-write with no resourceVersion precondition (controllers, kubelets).
  using Mutator = std::function<Result<void>(nlohmann::json&)>;
  Result<Stored> mutate(const ResourceInfo& r, const std::string& ns, const std::string& name,
                        const Mutator& change);
  // Removes the object now. `uid`, when given, must match (precondition), else 409.
  Result<Stored> erase(const ResourceInfo& r, const std::string& ns, const std::string& name,
                       const std::string& uid = {});

  Result<ListResult> list(const ResourceInfo& r, const ListOptions& options) const;
  // Every object of a type, unfiltered (controllers).
  std::vector<Stored> all(const ResourceInfo& r, const std::string& ns = {}) const;

  uint64_t resource_version() const;
  // Events with rv > after_rv, waiting until at least one exists, the deadline passes or the
  // store is shut down. 410 Expired when after_rv is older than the kept history.
  Result<std::vector<StoreEvent>> events_after(
      uint64_t after_rv, std::chrono::steady_clock::time_point deadline) const;
  // Forgets all history: older resourceVersions and continue tokens now answer 410.
  void compact();
  // Wakes every waiter (shutdown or API restart).
  void wake_all();

 private:
  struct Bucket {
    std::map<std::string, Stored> items;  // "ns/name" or "name", in etcd key order
  };
  Stored seal(nlohmann::json object, uint64_t rv) const;
  void record(EventType type, const ResourceInfo& r, const Stored& s, const Stored& previous = {});
  Bucket& bucket(const ResourceInfo& r);
  const Bucket* find_bucket(const ResourceInfo& r) const;
  Result<Stored> write_locked(const ResourceInfo& r, const std::string& key, nlohmann::json object,
                              const Stored& current);

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::deque<StoreEvent> history_;
  size_t history_limit_;
  uint64_t rv_ = 1000;
  uint64_t oldest_rv_ = 1000;  // watches and continue tokens at or after this are served
  uint64_t wake_generation_ = 0;
};

std::string object_key(const std::string& ns, const std::string& name);

}  // namespace sim
