#include "tests/sim/store/store.h"

#include <openssl/evp.h>

#include <algorithm>

#include "tests/sim/store/clock.h"

namespace sim {
namespace {

std::string base64url_encode(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string in) {
  for (char& c : in) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
  }
  size_t pad = (4 - in.size() % 4) % 4;
  if (pad == 3) return std::nullopt;
  in.append(pad, '=');
  std::string out(in.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

struct ContinueToken {
  uint64_t rv = 0;
  std::string start;  // first key to return
};

std::string encode_continue(uint64_t rv, const std::string& start) {
  nlohmann::json j = {{"v", "meta.k8s.io/v1"}, {"rv", rv}, {"start", start + '\0'}};
  return base64url_encode(j.dump());
}

Result<ContinueToken> decode_continue(const std::string& token) {
  auto bad = [] {
    return std::unexpected(
        bad_request("continue key is not valid: incorrect encoded start resourceVersion (version "
                    "meta.k8s.io/v1)"));
  };
  auto raw = base64url_decode(token);
  if (!raw) return bad();
  auto j = nlohmann::json::parse(*raw, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", "") != "meta.k8s.io/v1" ||
      !j.contains("rv") || !j["rv"].is_number_unsigned() || !j.contains("start") ||
      !j["start"].is_string()) {
    return bad();
  }
  ContinueToken t;
  t.rv = j["rv"].get<uint64_t>();
  t.start = j["start"].get<std::string>();
  if (!t.start.empty() && t.start.back() == '\0') t.start.pop_back();
  return t;
}

std::string meta_string(const nlohmann::json& obj, const char* field) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return {};
  auto it = m->find(field);
  return it != m->end() && it->is_string() ? it->get<std::string>() : std::string();
}

const char* kTooOldContinue =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this response "
    "to retrieve the remainder of the results. Continuing with the provided token results in an "
    "inconsistent list - objects that were created, modified, or deleted between the time the "
    "first chunk was returned and now may show up in the list.";

}  // namespace

const char* event_type_name(EventType t) {
  switch (t) {
    case EventType::kAdded:
      return "ADDED";
    case EventType::kModified:
      return "MODIFIED";
    case EventType::kDeleted:
      return "DELETED";
  }
  return "ERROR";
}

std::string object_key(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

Store::Store(size_t history_limit) : history_limit_(history_limit) {}

Stored Store::seal(nlohmann::json object, uint64_t rv) const {
  object["metadata"]["resourceVersion"] = std::to_string(rv);
  Stored s;
  s.rv = rv;
  s.text = std::make_shared<const std::string>(object.dump());
  s.object = std::make_shared<const nlohmann::json>(std::move(object));
  return s;
}

void Store::record(EventType type, const ResourceInfo& r, const Stored& s, const Stored& previous) {
  history_.push_back({s.rv, type, &r, s, previous});
  while (history_.size() > history_limit_) {
    oldest_rv_ = history_.front().rv;
    history_.pop_front();
  }
  cv_.notify_all();
}

Store::Bucket& Store::bucket(const ResourceInfo& r) {
  return buckets_[r.qualified()];
}

const Store::Bucket* Store::find_bucket(const ResourceInfo& r) const {
  auto it = buckets_.find(r.qualified());
  return it == buckets_.end() ? nullptr : &it->second;
}

Result<Stored> Store::get(const ResourceInfo& r, const std::string& ns,
                          const std::string& name) const {
  std::lock_guard lock(mu_);
  const Bucket* b = find_bucket(r);
  if (b != nullptr) {
    auto it = b->items.find(object_key(r.namespaced ? ns : "", name));
    if (it != b->items.end()) return it->second;
  }
  return std::unexpected(not_found(r.group, r.resource, name));
}

Result<Stored> Store::create(const ResourceInfo& r, nlohmann::json object) {
  if (!object.is_object()) return std::unexpected(bad_request("the object must be a JSON object"));
  auto& meta = object["metadata"];
  if (!meta.is_object()) meta = nlohmann::json::object();
  std::string name = meta.value("name", "");
  if (name.empty() && meta.contains("generateName") && meta["generateName"].is_string()) {
    name = meta["generateName"].get<std::string>() + random_suffix();
    meta["name"] = name;
  }
  if (name.empty()) {
    return std::unexpected(
        invalid(r.group, r.kind, "",
                {{"FieldValueRequired", "name or generateName is required", "metadata.name"}}));
  }
  std::string ns = r.namespaced ? meta.value("namespace", "") : "";
  if (!r.namespaced) meta.erase("namespace");
  object["apiVersion"] = r.api_version();
  object["kind"] = r.kind;
  if (!meta.contains("uid")) meta["uid"] = new_uid();
  if (!meta.contains("creationTimestamp") || !meta["creationTimestamp"].is_string()) {
    meta["creationTimestamp"] = now_rfc3339();
  }
  if (r.has_spec_generation) meta["generation"] = 1;
  meta.erase("deletionTimestamp");
  std::lock_guard lock(mu_);
  Bucket& b = bucket(r);
  std::string key = object_key(ns, name);
  if (b.items.contains(key)) return std::unexpected(already_exists(r.group, r.resource, name));
  Stored s = seal(std::move(object), ++rv_);
  b.items.emplace(key, s);
  record(EventType::kAdded, r, s);
  return s;
}

Result<Stored> Store::write_locked(const ResourceInfo& r, const std::string& key,
                                   nlohmann::json object, const Stored& stored) {
  const Stored current = stored;  // `stored` lives in the bucket and is overwritten below
  const auto& old = current.json();
  auto& meta = object["metadata"];
  for (const char* f : {"uid", "creationTimestamp", "namespace", "name"}) {
    if (old["metadata"].contains(f)) meta[f] = old["metadata"][f];
  }
  if (old["metadata"].contains("deletionTimestamp")) {
    meta["deletionTimestamp"] = old["metadata"]["deletionTimestamp"];
  }
  object["apiVersion"] = r.api_version();
  object["kind"] = r.kind;
  if (r.has_spec_generation) {
    int64_t gen = old["metadata"].value("generation", int64_t{1});
    bool spec_changed =
        object.value("spec", nlohmann::json()) != old.value("spec", nlohmann::json());
    meta["generation"] = spec_changed ? gen + 1 : gen;
  }
  // An object being deleted whose last finalizer went away is removed now.
  bool had_finalizers = !old["metadata"].value("finalizers", nlohmann::json::array()).empty();
  bool finalized = meta.contains("deletionTimestamp") && had_finalizers &&
                   (!meta.contains("finalizers") || meta["finalizers"].empty());
  nlohmann::json without_rv = object;
  without_rv["metadata"]["resourceVersion"] = old["metadata"].value("resourceVersion", "");
  if (!finalized && without_rv == old) return current;  // no-op writes keep the version
  Stored s = seal(std::move(object), ++rv_);
  auto& items = bucket(r).items;
  if (finalized) {
    items.erase(key);
    record(EventType::kDeleted, r, s);
  } else {
    items[key] = s;
    record(EventType::kModified, r, s, current);
  }
  return s;
}

Result<Stored> Store::update(const ResourceInfo& r, nlohmann::json object) {
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object()) {
    return std::unexpected(bad_request("the object has no metadata"));
  }
  std::string name = meta_string(object, "name");
  std::string ns = r.namespaced ? meta_string(object, "namespace") : "";
  std::string want_rv = meta_string(object, "resourceVersion");
  std::lock_guard lock(mu_);
  Bucket& b = bucket(r);
  std::string key = object_key(ns, name);
  auto it = b.items.find(key);
  if (it == b.items.end()) return std::unexpected(not_found(r.group, r.resource, name));
  if (!want_rv.empty() && want_rv != std::to_string(it->second.rv)) {
    return std::unexpected(conflict(r.group, r.resource, name,
                                    "the object has been modified; please apply your changes to "
                                    "the latest version and try again"));
  }
  return write_locked(r, key, std::move(object), it->second);
}

Result<Stored> Store::mutate(const ResourceInfo& r, const std::string& ns, const std::string& name,
                             const Mutator& change) {
  std::lock_guard lock(mu_);
  Bucket& b = bucket(r);
  std::string key = object_key(r.namespaced ? ns : "", name);
  auto it = b.items.find(key);
  if (it == b.items.end()) return std::unexpected(not_found(r.group, r.resource, name));
  nlohmann::json copy = it->second.json();
  if (auto ok = change(copy); !ok) return std::unexpected(ok.error());
  return write_locked(r, key, std::move(copy), it->second);
}

Result<Stored> Store::erase(const ResourceInfo& r, const std::string& ns, const std::string& name,
                            const std::string& uid) {
  std::lock_guard lock(mu_);
  Bucket& b = bucket(r);
  std::string key = object_key(r.namespaced ? ns : "", name);
  auto it = b.items.find(key);
  if (it == b.items.end()) return std::unexpected(not_found(r.group, r.resource, name));
  if (!uid.empty() && meta_string(it->second.json(), "uid") != uid) {
    return std::unexpected(
        conflict(r.group, r.resource, name,
                 "Precondition failed: UID in precondition: " + uid +
                     ", UID in object meta: " + meta_string(it->second.json(), "uid")));
  }
  nlohmann::json gone = it->second.json();
  b.items.erase(it);
  Stored s = seal(std::move(gone), ++rv_);
  record(EventType::kDeleted, r, s);
  return s;
}

Result<ListResult> Store::list(const ResourceInfo& r, const ListOptions& o) const {
  ContinueToken from;
  if (!o.continue_token.empty()) {
    auto t = decode_continue(o.continue_token);
    if (!t) return std::unexpected(t.error());
    from = *t;
  }
  std::lock_guard lock(mu_);
  if (!o.continue_token.empty() && from.rv < oldest_rv_) {
    return std::unexpected(expired(kTooOldContinue));
  }
  ListResult out;
  out.rv = o.continue_token.empty() ? rv_ : from.rv;
  const Bucket* b = find_bucket(r);
  if (b == nullptr) return out;
  std::string prefix = r.namespaced && !o.ns.empty() ? o.ns + "/" : "";
  std::string start = std::max(prefix, from.start);
  bool filtered = o.labels.has_value() || o.fields.has_value();
  auto it = b->items.lower_bound(start);
  for (; it != b->items.end(); ++it) {
    if (!prefix.empty() && !it->first.starts_with(prefix)) break;
    if (o.limit > 0 && static_cast<int64_t>(out.items.size()) == o.limit) {
      out.continue_token = encode_continue(out.rv, it->first);
      break;
    }
    const auto& obj = it->second.json();
    if (o.labels && !o.labels->matches(obj["metadata"].value("labels", nlohmann::json::object())))
      continue;
    if (o.fields && !o.fields->matches(obj)) continue;
    out.items.push_back(it->second);
  }
  if (!out.continue_token.empty() && !filtered) {
    int64_t remaining = 0;
    for (; it != b->items.end() && (prefix.empty() || it->first.starts_with(prefix)); ++it)
      ++remaining;
    out.remaining_count = remaining;
  }
  return out;
}

std::vector<Stored> Store::all(const ResourceInfo& r, const std::string& ns) const {
  std::lock_guard lock(mu_);
  std::vector<Stored> out;
  const Bucket* b = find_bucket(r);
  if (b == nullptr) return out;
  std::string prefix = r.namespaced && !ns.empty() ? ns + "/" : "";
  for (auto it = b->items.lower_bound(prefix); it != b->items.end(); ++it) {
    if (!prefix.empty() && !it->first.starts_with(prefix)) break;
    out.push_back(it->second);
  }
  return out;
}

uint64_t Store::resource_version() const {
  std::lock_guard lock(mu_);
  return rv_;
}

Result<std::vector<StoreEvent>> Store::events_after(
    uint64_t after_rv, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mu_);
  if (after_rv < oldest_rv_) {
    return std::unexpected(expired("too old resource version: " + std::to_string(after_rv) + " (" +
                                   std::to_string(oldest_rv_) + ")"));
  }
  uint64_t generation = wake_generation_;
  cv_.wait_until(lock, deadline, [&] { return rv_ > after_rv || wake_generation_ != generation; });
  std::vector<StoreEvent> out;
  if (after_rv < oldest_rv_) {
    return std::unexpected(expired("too old resource version: " + std::to_string(after_rv) + " (" +
                                   std::to_string(oldest_rv_) + ")"));
  }
  auto first = std::ranges::upper_bound(history_, after_rv, {}, &StoreEvent::rv);
  out.assign(first, history_.end());
  return out;
}

void Store::compact() {
  std::lock_guard lock(mu_);
  history_.clear();
  oldest_rv_ = rv_;
  ++wake_generation_;
  cv_.notify_all();
}

void Store::wake_all() {
  std::lock_guard lock(mu_);
  ++wake_generation_;
  cv_.notify_all();
}

}  // namespace sim
