// A Client decorator for tests: `intercept` sees get/create/patch/remove first and may answer
// in place of the inner client (an eviction accepted without deleting, a 429 with causes, an
// outage). Thread-safe when the inner client is (wrap a LockedClient). Test support only.
#pragma once

#include <functional>
#include <mutex>
#include <optional>

#include "pkg/kube/client.h"

namespace ku::testing {

class InterceptClient : public kube::Client {
 public:
  using Answer = std::optional<kube::Result<kube::json>>;
  using Intercept = std::function<Answer(const std::string& verb, const std::string& path,
                                         const kube::json& body)>;

  explicit InterceptClient(kube::Client& inner) : inner_(inner) {}
  void set(Intercept i) {
    std::lock_guard lock(mu_);
    intercept_ = std::move(i);
  }

  kube::Result<kube::json> get(std::string_view path, const kube::Query& query = {}) override {
    if (auto a = ask("GET", path, nullptr)) return *a;
    return inner_.get(path, query);
  }
  kube::Result<std::string> list(std::string_view path, const kube::ListOptions& options,
                                 const kube::ItemSink& sink) override {
    if (auto a = ask("LIST", path, nullptr); a && !*a) return std::unexpected(a->error());
    return inner_.list(path, options, sink);
  }
  kube::Result<kube::json> create(std::string_view path, const kube::json& body,
                                  const kube::Query& query = {}) override {
    if (auto a = ask("CREATE", path, body)) return *a;
    return inner_.create(path, body, query);
  }
  kube::Result<kube::json> update(std::string_view path, const kube::json& body) override {
    if (auto a = ask("UPDATE", path, body)) return *a;
    return inner_.update(path, body);
  }
  kube::Result<kube::json> patch(std::string_view path, kube::PatchType type,
                                 const kube::json& body, const kube::Query& query = {}) override {
    if (auto a = ask("PATCH", path, body)) return *a;
    return inner_.patch(path, type, body, query);
  }
  kube::Result<kube::json> remove(std::string_view path,
                                  const kube::json& delete_options = nullptr) override {
    if (auto a = ask("DELETE", path, delete_options)) return *a;
    return inner_.remove(path, delete_options);
  }
  kube::Result<void> watch(std::string_view path, const kube::WatchOptions& options,
                           const kube::EventSink& sink) override {
    return inner_.watch(path, options, sink);
  }
  kube::Result<void> stream(std::string_view path, const kube::Query& query,
                            const kube::ChunkSink& sink) override {
    if (auto a = ask("STREAM", path, nullptr); a && !*a) return std::unexpected(a->error());
    return inner_.stream(path, query, sink);
  }

 private:
  Answer ask(const std::string& verb, std::string_view path, const kube::json& body) {
    Intercept i;
    {
      std::lock_guard lock(mu_);
      i = intercept_;
    }
    return i ? i(verb, std::string(path), body) : std::nullopt;
  }

  kube::Client& inner_;
  std::mutex mu_;
  Intercept intercept_;
};

inline kube::Error api_error(int code, std::string reason, std::string message,
                             std::vector<kube::StatusCause> causes = {}) {
  kube::Status s;
  s.code = code;
  s.reason = std::move(reason);
  s.message = std::move(message);
  s.causes = std::move(causes);
  return kube::Error::api(std::move(s));
}

}  // namespace ku::testing
