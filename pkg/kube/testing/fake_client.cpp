#include "pkg/kube/testing/fake_client.h"

#include <sstream>

namespace kube::testing {
namespace {

struct ParsedPath {
  std::string prefix;  // "/api/v1" or "/apis/apps/v1"
  std::string ns;
  std::string resource;
  std::string name;
  std::string sub;
};

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

ParsedPath parse(std::string_view path) {
  std::vector<std::string> seg;
  for (auto& s : split(path, '/'))
    if (!s.empty()) seg.push_back(s);
  ParsedPath p;
  size_t i = 0;
  if (seg.size() >= 2 && seg[0] == "api") {
    p.prefix = "/api/" + seg[1];
    i = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    p.prefix = "/apis/" + seg[1] + "/" + seg[2];
    i = 3;
  } else {
    return p;
  }
  std::vector<std::string> rest(seg.begin() + static_cast<long>(i), seg.end());
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    p.ns = rest[1];
    p.resource = rest[2];
    if (rest.size() > 3) p.name = rest[3];
    if (rest.size() > 4) p.sub = rest[4];
  } else if (!rest.empty()) {
    p.resource = rest[0];
    if (rest.size() > 1) p.name = rest[1];
    if (rest.size() > 2) p.sub = rest[2];
  }
  return p;
}

std::string object_path(const ParsedPath& p, const std::string& name) {
  std::string out = p.prefix;
  if (!p.ns.empty()) out += "/namespaces/" + p.ns;
  return out + "/" + p.resource + "/" + name;
}

Error status_error(int code, std::string reason, std::string message, const ParsedPath& p) {
  Status s;
  s.code = code;
  s.reason = std::move(reason);
  s.message = std::move(message);
  s.kind = p.resource;
  s.name = p.name;
  return Error::api(std::move(s));
}

Error not_found(const ParsedPath& p) {
  return status_error(404, "NotFound", p.resource + " \"" + p.name + "\" not found", p);
}

const json* field(const json& obj, const std::string& dotted) {
  const json* cur = &obj;
  for (auto& part : split(dotted, '.')) {
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
  }
  return cur;
}

std::string as_text(const json* v) {
  if (!v || v->is_null()) return "";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

bool matches_fields(const json& obj, const std::string& selector) {
  if (selector.empty()) return true;
  for (auto& term : split(selector, ',')) {
    auto neq = term.find("!=");
    if (neq != std::string::npos) {
      if (as_text(field(obj, term.substr(0, neq))) == term.substr(neq + 2)) return false;
      continue;
    }
    auto eq = term.find('=');
    if (eq == std::string::npos) continue;
    size_t value_at = (term.compare(eq, 2, "==") == 0) ? eq + 2 : eq + 1;
    if (as_text(field(obj, term.substr(0, eq))) != term.substr(value_at)) return false;
  }
  return true;
}

bool matches_labels(const json& obj, const std::string& selector) {
  if (selector.empty()) return true;
  json labels = obj.value("/metadata/labels"_json_pointer, json::object());
  for (auto& term : split(selector, ',')) {
    if (term.empty()) continue;
    auto neq = term.find("!=");
    auto eq = term.find('=');
    if (neq != std::string::npos) {
      auto k = term.substr(0, neq);
      if (labels.contains(k) && labels[k] == term.substr(neq + 2)) return false;
    } else if (eq != std::string::npos) {
      auto k = term.substr(0, eq);
      size_t value_at = (term.compare(eq, 2, "==") == 0) ? eq + 2 : eq + 1;
      if (!labels.contains(k) || labels[k] != term.substr(value_at)) return false;
    } else if (term[0] == '!') {
      if (labels.contains(term.substr(1))) return false;
    } else if (!labels.contains(term)) {
      return false;
    }
  }
  return true;
}

}  // namespace

json& FakeClient::bump(json& object) {
  object["metadata"]["resourceVersion"] = std::to_string(++next_resource_version_);
  return object;
}

json FakeClient::add(const std::string& collection_path, json object) {
  ParsedPath p = parse(collection_path);
  std::string name = object["metadata"].value("name", "");
  if (!p.ns.empty()) object["metadata"]["namespace"] = p.ns;
  if (!object["metadata"].contains("uid"))
    object["metadata"]["uid"] = "uid-" + std::to_string(next_uid_++);
  bump(object);
  objects_[object_path(p, name)] = object;
  return object;
}

std::optional<json> FakeClient::object(const std::string& path) const {
  auto it = objects_.find(path);
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

void FakeClient::set_watch_events(const std::string& path, std::vector<WatchEvent> events) {
  watch_events_[path] = std::move(events);
}

void FakeClient::set_stream(const std::string& path, std::vector<std::string> chunks) {
  streams_[path] = std::move(chunks);
}

std::vector<Call> FakeClient::calls_with(std::string_view verb) const {
  std::vector<Call> out;
  for (auto& c : calls_)
    if (c.verb == verb) out.push_back(c);
  return out;
}

std::optional<Error> FakeClient::record(std::string verb, std::string_view path, const json& body) {
  calls_.push_back(Call{std::move(verb), std::string(path), body});
  if (hook_) return hook_(calls_.back());
  return std::nullopt;
}

Result<json> FakeClient::get(std::string_view path, const Query&) {
  if (auto e = record("GET", path)) return std::unexpected(*e);
  if (auto raw = raw_.find(std::string(path)); raw != raw_.end()) return raw->second;
  auto it = objects_.find(std::string(path));
  if (it == objects_.end()) return std::unexpected(not_found(parse(path)));
  return it->second;
}

Result<std::string> FakeClient::list(std::string_view path, const ListOptions& options,
                                     const ItemSink& sink) {
  if (auto e = record("LIST", path)) return std::unexpected(*e);
  ParsedPath want = parse(path);
  for (auto& [obj_path, obj] : objects_) {
    ParsedPath have = parse(obj_path);
    if (have.prefix != want.prefix || have.resource != want.resource) continue;
    if (!want.ns.empty() && have.ns != want.ns) continue;
    if (!matches_labels(obj, options.label_selector)) continue;
    if (!matches_fields(obj, options.field_selector)) continue;
    if (!sink(obj)) break;
  }
  return std::to_string(next_resource_version_);
}

Result<json> FakeClient::create(std::string_view path, const json& body, const Query&) {
  if (auto e = record("CREATE", path, body)) return std::unexpected(*e);
  ParsedPath p = parse(path);
  if (p.sub == "eviction") {
    std::string target = object_path(p, p.name);
    if (!objects_.erase(target)) return std::unexpected(not_found(p));
    return json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Success"}};
  }
  json object = body;
  std::string name = object["metadata"].value("name", "");
  if (name.empty() && object["metadata"].contains("generateName"))
    name = object["metadata"]["generateName"].get<std::string>() + std::to_string(next_uid_);
  object["metadata"]["name"] = name;
  p.name = name;
  if (objects_.contains(object_path(p, name)))
    return std::unexpected(
        status_error(409, "AlreadyExists", p.resource + " \"" + name + "\" already exists", p));
  return add(std::string(path), object);
}

Result<json> FakeClient::update(std::string_view path, const json& body) {
  if (auto e = record("UPDATE", path, body)) return std::unexpected(*e);
  ParsedPath p = parse(path);
  auto it = objects_.find(std::string(path));
  if (it == objects_.end()) return std::unexpected(not_found(p));
  auto sent_rv = body.value("/metadata/resourceVersion"_json_pointer, std::string());
  if (!sent_rv.empty() && sent_rv != it->second["metadata"]["resourceVersion"])
    return std::unexpected(status_error(
        409, "Conflict",
        "Operation cannot be fulfilled on " + p.resource + " \"" + p.name +
            "\": the object has been modified; please apply your changes to the latest version "
            "and try again",
        p));
  json object = body;
  object["metadata"]["uid"] = it->second["metadata"]["uid"];
  if (!p.ns.empty()) object["metadata"]["namespace"] = p.ns;
  it->second = bump(object);
  return it->second;
}

Result<json> FakeClient::patch(std::string_view path, PatchType type, const json& body,
                               const Query&) {
  if (auto e = record("PATCH", path, body)) return std::unexpected(*e);
  ParsedPath p = parse(path);
  std::string target = object_path(p, p.name);
  auto it = objects_.find(target);
  if (it == objects_.end()) return std::unexpected(not_found(p));
  try {
    if (type == PatchType::kJson) {
      it->second = it->second.patch(body);
    } else {
      it->second.merge_patch(body);
    }
  } catch (const json::exception& ex) {
    return std::unexpected(status_error(422, "Invalid", ex.what(), p));
  }
  return bump(it->second);
}

Result<json> FakeClient::remove(std::string_view path, const json& delete_options) {
  if (auto e = record("DELETE", path, delete_options)) return std::unexpected(*e);
  auto it = objects_.find(std::string(path));
  if (it == objects_.end()) return std::unexpected(not_found(parse(path)));
  json gone = it->second;
  objects_.erase(it);
  return gone;
}

Result<void> FakeClient::watch(std::string_view path, const WatchOptions&,
                               const EventSink& sink) {
  if (auto e = record("WATCH", path)) return std::unexpected(*e);
  for (auto& ev : watch_events_[std::string(path)])
    if (!sink(ev)) break;
  return {};
}

Result<void> FakeClient::stream(std::string_view path, const Query&, const ChunkSink& sink) {
  if (auto e = record("STREAM", path)) return std::unexpected(*e);
  for (auto& chunk : streams_[std::string(path)])
    if (!sink(chunk)) break;
  return {};
}

}  // namespace kube::testing
