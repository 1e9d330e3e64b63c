// GET ...?watch=true: newline-delimited watch events, optionally as Table rows.
#include <fmt/format.h>

#include "tests/sim/server/handlers.h"
#include "tests/sim/server/tables.h"

namespace sim {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct WatchState {
  const ResourceInfo* resource = nullptr;
  ListOptions filter;
  uint64_t rv = 0;
  Clock::time_point deadline;
  Clock::time_point last_sent;
  bool bookmarks = false;
  bool table = false;
  IncludeObject include = IncludeObject::kMetadata;
  std::string pending;  // initial events or an error, written first
  bool finished = false;
};

bool matches(const WatchState& w, const json& obj) {
  if (!obj.is_object()) return false;
  const json& meta = obj["metadata"];
  if (w.resource->namespaced && !w.filter.ns.empty() && meta.value("namespace", "") != w.filter.ns)
    return false;
  if (w.filter.labels && !w.filter.labels->matches(meta.value("labels", json::object())))
    return false;
  if (w.filter.fields && !w.filter.fields->matches(obj)) return false;
  return true;
}

std::string event_line(const WatchState& w, const char* type, const json& obj) {
  if (!w.table) return fmt::format(R"({{"type":"{}","object":{}}})", type, obj.dump()) + "\n";
  json table = {
      {"kind", "Table"},
      {"apiVersion", "meta.k8s.io/v1"},
      {"metadata", {{"resourceVersion", obj["metadata"].value("resourceVersion", "")}}},
      {"columnDefinitions", table_columns(*w.resource)},
      {"rows", {table_row(*w.resource, obj, std::chrono::system_clock::now(), w.include)}}};
  return json{{"type", type}, {"object", table}}.dump() + "\n";
}

std::string event_line_text(const char* type, const std::string& text) {
  return fmt::format(R"({{"type":"{}","object":{}}})", type, text) + "\n";
}

std::string bookmark_line(const WatchState& w, uint64_t rv, bool initial_end) {
  json meta = {{"resourceVersion", std::to_string(rv)}};
  if (initial_end) meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  json obj = {
      {"kind", w.resource->kind}, {"apiVersion", w.resource->api_version()}, {"metadata", meta}};
  return json{{"type", "BOOKMARK"}, {"object", obj}}.dump() + "\n";
}

std::string error_line(const ApiError& e) {
  return json{{"type", "ERROR"}, {"object", e.to_status()}}.dump() + "\n";
}

// Turns store events into the watcher's events: objects that start or stop matching the
// selectors become ADDED / DELETED, as the apiserver's watch cache does.
std::string translate(WatchState& w, const std::vector<StoreEvent>& events) {
  std::string out;
  for (const auto& e : events) {
    w.rv = e.rv;
    if (e.resource != w.resource) continue;
    bool now_matches = matches(w, e.object.json());
    bool was_matching = e.previous.object && matches(w, e.previous.json());
    const char* type = nullptr;
    switch (e.type) {
      case EventType::kAdded:
        type = now_matches ? "ADDED" : nullptr;
        break;
      case EventType::kDeleted:
        type = now_matches ? "DELETED" : nullptr;
        break;
      case EventType::kModified:
        if (now_matches)
          type = was_matching ? "MODIFIED" : "ADDED";
        else if (was_matching)
          type = "DELETED";
        break;
    }
    if (type == nullptr) continue;
    out += w.table ? event_line(w, type, e.object.json()) : event_line_text(type, *e.object.text);
  }
  return out;
}

}  // namespace

void handle_watch(RequestContext& c) {
  auto o = list_options(c);
  if (!o) return send_error(c.res, o.error());
  auto w = std::make_shared<WatchState>();
  w->resource = c.api.info;
  w->filter = *o;
  w->filter.limit = 0;
  w->filter.continue_token.clear();
  w->bookmarks = c.flag("allowWatchBookmarks");
  w->table = c.wants_table();
  w->include = include_object_from(c.param("includeObject"));
  int64_t timeout = 1800;
  if (std::string t = c.param("timeoutSeconds"); !t.empty()) {
    try {
      timeout = std::stoll(t);
    } catch (...) {
      return send_error(c.res, bad_request("invalid timeoutSeconds: " + t));
    }
  }
  w->deadline = Clock::now() + std::chrono::seconds(std::clamp<int64_t>(timeout, 0, 3600));
  w->last_sent = Clock::now();
  std::string rv = c.param("resourceVersion");
  bool initial = rv.empty() || rv == "0" || c.flag("sendInitialEvents");
  Store& store = c.cluster.store();
  if (initial) {
    ListOptions all = w->filter;
    auto list = store.list(*w->resource, all);
    if (!list) return send_error(c.res, list.error());
    w->rv = list->rv;
    for (const auto& s : list->items) {
      w->pending +=
          w->table ? event_line(*w, "ADDED", s.json()) : event_line_text("ADDED", *s.text);
    }
    if (c.flag("sendInitialEvents") && w->bookmarks) w->pending += bookmark_line(*w, w->rv, true);
  } else {
    try {
      w->rv = std::stoull(rv);
    } catch (...) {
      return send_error(c.res, bad_request("invalid resource version: " + rv));
    }
    w->rv = std::min(w->rv, store.resource_version());
    auto probe = store.events_after(w->rv, Clock::now());
    if (!probe) {
      w->pending = error_line(probe.error());
      w->finished = true;
    }
  }
  const std::atomic<bool>* stopping = &c.stopping;
  c.res.status = 200;
  c.res.set_chunked_content_provider("application/json", [w, &store, stopping](
                                                             size_t, httplib::DataSink& sink) {
    if (!w->pending.empty()) {
      std::string data = std::move(w->pending);
      w->pending.clear();
      if (!sink.write(data.data(), data.size())) return false;
      w->last_sent = Clock::now();
      return true;
    }
    auto now = Clock::now();
    if (w->finished || stopping->load() || now >= w->deadline) {
      sink.done();
      return true;
    }
    auto events = store.events_after(w->rv, std::min(w->deadline, now + std::chrono::seconds(1)));
    std::string data;
    if (!events) {
      data = error_line(events.error());
      w->finished = true;
    } else {
      data = translate(*w, *events);
    }
    if (data.empty() && w->bookmarks && Clock::now() - w->last_sent > std::chrono::seconds(10)) {
      data = bookmark_line(*w, w->rv, false);
    }
    if (!data.empty()) {
      if (!sink.write(data.data(), data.size())) return false;
      w->last_sent = Clock::now();
    }
    return sink.is_writable();
  });
}

}  // namespace sim
