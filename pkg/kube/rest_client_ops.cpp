// The Client verbs of RestClient on top of Impl::send.
#include <exception>
#include <functional>
#include <unordered_set>

#include "pkg/kube/internal/rest_client_impl.h"
#include "pkg/kube/internal/status.h"

namespace kube {
namespace {

using Call = RestClient::Impl::Call;

const char* patch_content_type(PatchType type) {
  switch (type) {
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kStrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::kJson:
      return "application/json-patch+json";
  }
  return "application/merge-patch+json";
}

// Splits a byte stream into lines; each complete line goes to `on_line`.
class LineSplitter {
 public:
  explicit LineSplitter(std::function<bool(std::string_view)> on_line)
      : on_line_(std::move(on_line)) {}
  bool feed(std::string_view bytes) {
    buffer_.append(bytes);
    size_t start = 0;
    for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view line(buffer_.data() + start, nl - start);
      if (!line.empty() && !on_line_(line)) return false;
    }
    buffer_.erase(0, start);
    return true;
  }
  bool finish() {
    if (buffer_.empty()) return true;
    std::string rest;
    rest.swap(buffer_);
    return on_line_(rest);
  }

 private:
  std::function<bool(std::string_view)> on_line_;
  std::string buffer_;
};

}  // namespace

Result<json> RestClient::get(std::string_view path, const Query& query) {
  return impl_->send_json(Call{"GET", std::string(path), query});
}

Result<json> RestClient::create(std::string_view path, const json& body, const Query& query) {
  return impl_->send_json(Call{"POST", std::string(path), query, &body});
}

Result<json> RestClient::update(std::string_view path, const json& body) {
  return impl_->send_json(Call{"PUT", std::string(path), {}, &body});
}

Result<json> RestClient::patch(std::string_view path, PatchType type, const json& body,
                               const Query& query) {
  return impl_->send_json(Call{"PATCH", std::string(path), query, &body, patch_content_type(type)});
}

Result<json> RestClient::remove(std::string_view path, const json& delete_options) {
  Call call{"DELETE", std::string(path)};
  if (!delete_options.is_null()) call.body = &delete_options;
  return impl_->send_json(call);
}

Result<std::string> RestClient::list(std::string_view path, const ListOptions& options,
                                     const ItemSink& sink) {
  std::string token;
  std::string resource_version;
  bool restarted = false;
  std::unordered_set<size_t> delivered;  // uid hashes, to skip repeats after a restart
  std::hash<std::string> hash;
  for (;;) {
    Call call{"GET", std::string(path)};
    if (!options.label_selector.empty()) call.query["labelSelector"] = options.label_selector;
    if (!options.field_selector.empty()) call.query["fieldSelector"] = options.field_selector;
    if (options.limit > 0) call.query["limit"] = std::to_string(options.limit);
    if (!token.empty()) {
      call.query["continue"] = token;
    } else if (!options.resource_version.empty()) {
      call.query["resourceVersion"] = options.resource_version;
    }
    auto page = impl_->send_json(call);
    if (!page && page.error().gone() && !token.empty() && !restarted) {
      restarted = true;  // the continue token expired: start over once
      token.clear();
      continue;
    }
    if (!page) return std::unexpected(page.error());
    if (!page->is_object()) {
      return std::unexpected(Error::decode("decoding the list " + std::string(path) +
                                           ": the answer is not a JSON object"));
    }
    static const json kNoMetadata = json::object();
    auto meta_field = page->find("metadata");
    const json& meta = meta_field != page->end() ? *meta_field : kNoMetadata;
    resource_version = meta.is_object() ? detail::text(meta, "resourceVersion") : "";
    if (auto items = page->find("items"); items != page->end() && items->is_array()) {
      for (const json& item : *items) {
        if (options.limit > 0) {
          auto meta_it = item.find("metadata");
          std::string uid =
              meta_it != item.end() && meta_it->is_object() ? detail::text(*meta_it, "uid") : "";
          if (!uid.empty() && !delivered.insert(hash(uid)).second && restarted) continue;
        }
        bool more = false;
        try {
          more = sink(item);
        } catch (const std::exception& e) {  // the caller's sink; calls never throw
          return std::unexpected(
              Error::decode("processing an item of " + std::string(path) + ": " + e.what()));
        }
        if (!more) return resource_version;
      }
    }
    token = meta.is_object() ? detail::text(meta, "continue") : "";
    if (token.empty()) return resource_version;
  }
}

Result<void> RestClient::watch(std::string_view path, const WatchOptions& options,
                               const EventSink& sink) {
  Call call{"GET", std::string(path)};
  call.query["watch"] = "true";
  if (!options.label_selector.empty()) call.query["labelSelector"] = options.label_selector;
  if (!options.field_selector.empty()) call.query["fieldSelector"] = options.field_selector;
  if (!options.resource_version.empty()) call.query["resourceVersion"] = options.resource_version;
  if (options.allow_bookmarks) call.query["allowWatchBookmarks"] = "true";
  if (options.timeout_seconds > 0)
    call.query["timeoutSeconds"] = std::to_string(options.timeout_seconds);
  call.streaming = true;
  std::optional<Error> stream_error;
  bool stopped = false;
  LineSplitter lines([&](std::string_view line) {
    json doc = json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      stream_error =
          Error::decode("decoding a watch event from " + std::string(path) + ": not a JSON object");
      return false;
    }
    auto object = doc.find("object");
    WatchEvent event{detail::text(doc, "type"),
                     object != doc.end() ? std::move(*object) : json::object()};
    if (event.type == "ERROR") {
      // The API server ends a watch it cannot serve with an ERROR event carrying a Status
      // (410 Expired/Gone for a too old resourceVersion): hand it back as an API error.
      Status s = detail::status_from_json(event.object)
                     .value_or(Status{500, "InternalError", "watch ERROR event without a Status"});
      if (s.code == 0) s.code = 500;
      stream_error = Error::api(std::move(s)).wrap("watching " + std::string(path));
      return false;
    }
    if (!sink(event)) {
      stopped = true;
      return false;
    }
    return true;
  });
  detail::BodySink body = [&](std::string_view bytes) { return lines.feed(bytes); };
  call.sink = &body;
  auto response = impl_->send(call);
  if (stream_error) return std::unexpected(*stream_error);
  if (!response) return std::unexpected(response.error());
  if (!stopped && !lines.finish() && stream_error) return std::unexpected(*stream_error);
  return {};
}

Result<void> RestClient::stream(std::string_view path, const Query& query, const ChunkSink& sink) {
  Call call{"GET", std::string(path), query};
  call.streaming = true;
  detail::BodySink body = [&](std::string_view bytes) { return sink(bytes); };
  call.sink = &body;
  auto response = impl_->send(call);
  if (!response) return std::unexpected(response.error());
  return {};
}

}  // namespace kube
