// A Client decorator that serialises every call with one mutex, so the single-threaded
// kube::testing::FakeClient can serve code that calls from several threads (parallel evictions,
// a log follower beside a status poller). Test support only.
#pragma once

#include <mutex>

#include "pkg/kube/client.h"

namespace ku::testing {

class LockedClient : public kube::Client {
 public:
  explicit LockedClient(kube::Client& inner) : inner_(inner) {}

  kube::Result<kube::json> get(std::string_view path, const kube::Query& query = {}) override {
    std::lock_guard lock(mu_);
    return inner_.get(path, query);
  }
  kube::Result<std::string> list(std::string_view path, const kube::ListOptions& options,
                                 const kube::ItemSink& sink) override {
    std::lock_guard lock(mu_);
    return inner_.list(path, options, sink);
  }
  kube::Result<kube::json> create(std::string_view path, const kube::json& body,
                                  const kube::Query& query = {}) override {
    std::lock_guard lock(mu_);
    return inner_.create(path, body, query);
  }
  kube::Result<kube::json> update(std::string_view path, const kube::json& body) override {
    std::lock_guard lock(mu_);
    return inner_.update(path, body);
  }
  kube::Result<kube::json> patch(std::string_view path, kube::PatchType type,
                                 const kube::json& body, const kube::Query& query = {}) override {
    std::lock_guard lock(mu_);
    return inner_.patch(path, type, body, query);
  }
  kube::Result<kube::json> remove(std::string_view path,
                                  const kube::json& delete_options = nullptr) override {
    std::lock_guard lock(mu_);
    return inner_.remove(path, delete_options);
  }
  kube::Result<void> watch(std::string_view path, const kube::WatchOptions& options,
                           const kube::EventSink& sink) override {
    std::lock_guard lock(mu_);
    return inner_.watch(path, options, sink);
  }
  kube::Result<void> stream(std::string_view path, const kube::Query& query,
                            const kube::ChunkSink& sink) override {
    std::lock_guard lock(mu_);
    return inner_.stream(path, query, sink);
  }

 private:
  kube::Client& inner_;
  std::mutex mu_;
};

}  // namespace ku::testing
