#include <fmt/format.h>

#include "tests/sim/model/objects.h"
#include "tests/sim/model/pod_deletion.h"
#include "tests/sim/server/admission.h"
#include "tests/sim/server/handlers.h"
#include "tests/sim/server/tables.h"
#include "tests/sim/store/patch.h"

namespace sim {
namespace {

using json = nlohmann::json;

const ResourceInfo& res(const char* q) {
  return *find_qualified(q);
}

void send_object(RequestContext& c, int code, const Stored& s) {
  if (c.wants_table()) {
    json meta = {{"resourceVersion", std::to_string(s.rv)}};
    send_json(c.res, code,
              make_table(*c.api.info, {s}, meta, include_object_from(c.param("includeObject"))));
    return;
  }
  send_raw_json(c.res, code, *s.text);
}

void send_object_json(RequestContext& c, int code, const json& obj) {
  send_json(c.res, code, obj);
}

AdmissionOptions admission(RequestContext& c, std::vector<std::string>& warnings) {
  return {.strict_fields = c.param("fieldValidation") == "Strict", .warnings = &warnings};
}

void flush_warnings(RequestContext& c, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) add_warning(c.res, w);
}

// Keeps the parts of `stored` a write through the main resource (or /status) must not change.
json scope_write(const ResourceInfo& r, const std::string& subresource, json incoming,
                 const json& stored) {
  if (subresource == "status") {
    json out = stored;
    if (incoming.contains("status")) out["status"] = incoming["status"];
    out["metadata"]["resourceVersion"] = incoming["metadata"].value("resourceVersion", "");
    for (const char* f : {"labels", "annotations"}) {
      if (incoming["metadata"].contains(f)) out["metadata"][f] = incoming["metadata"][f];
    }
    return out;
  }
  if (r.has_status_subresource()) {
    if (stored.contains("status"))
      incoming["status"] = stored["status"];
    else
      incoming.erase("status");
  }
  return incoming;
}

int64_t param_int(const RequestContext& c, const std::string& key, int64_t fallback) {
  std::string v = c.param(key);
  if (v.empty()) return fallback;
  try {
    return std::stoll(v);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

Result<ListOptions> list_options(const RequestContext& c) {
  ListOptions o;
  o.ns = c.api.ns;
  if (std::string l = c.param("labelSelector"); !l.empty()) {
    auto sel = LabelSelector::parse(l);
    if (!sel) return std::unexpected(sel.error());
    o.labels = *sel;
  }
  if (std::string f = c.param("fieldSelector"); !f.empty()) {
    auto sel = FieldSelector::parse(f, *c.api.info);
    if (!sel) return std::unexpected(sel.error());
    o.fields = *sel;
  }
  std::string limit = c.param("limit");
  if (!limit.empty()) {
    try {
      o.limit = std::stoll(limit);
    } catch (...) {
      return std::unexpected(bad_request("invalid limit: " + limit));
    }
    if (o.limit < 0) o.limit = 0;
  }
  o.continue_token = c.param("continue");
  return o;
}

void handle_get(RequestContext& c) {
  auto s = c.cluster.store().get(*c.api.info, c.api.ns, c.api.name);
  if (!s) return send_error(c.res, s.error());
  send_object(c, 200, *s);
}

void handle_list(RequestContext& c) {
  auto o = list_options(c);
  if (!o) return send_error(c.res, o.error());
  auto r = c.cluster.store().list(*c.api.info, *o);
  if (!r) return send_error(c.res, r.error());
  json meta = {{"resourceVersion", std::to_string(r->rv)}};
  if (!r->continue_token.empty()) meta["continue"] = r->continue_token;
  if (r->remaining_count) meta["remainingItemCount"] = *r->remaining_count;
  if (c.wants_table()) {
    return send_json(
        c.res, 200,
        make_table(*c.api.info, r->items, meta, include_object_from(c.param("includeObject"))));
  }
  std::string body;
  size_t size = 128;
  for (const auto& s : r->items) size += s.text->size() + 1;
  body.reserve(size);
  body += fmt::format(R"({{"kind":"{}List","apiVersion":"{}","metadata":{},"items":[)",
                      c.api.info->kind, c.api.info->api_version(), meta.dump());
  for (size_t i = 0; i < r->items.size(); ++i) {
    if (i > 0) body += ',';
    body += *r->items[i].text;
  }
  body += "]}";
  send_raw_json(c.res, 200, std::move(body));
}

void handle_create(RequestContext& c) {
  if (!c.api.subresource.empty()) {
    return send_error(c.res, method_not_supported(
                                 c.api.group, c.api.resource + "/" + c.api.subresource, "create"));
  }
  auto body = decode_body(c.req);
  if (!body) return send_error(c.res, body.error());
  const ResourceInfo& r = *c.api.info;
  json obj = std::move(*body);
  if (obj.contains("kind") && obj["kind"] != r.kind) {
    return send_error(
        c.res, bad_request(fmt::format(
                   "the kind in the data ({}) does not match the expected kind ({})",
                   obj["kind"].is_string() ? obj["kind"].get<std::string>() : obj["kind"].dump(),
                   r.kind)));
  }
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = json::object();
  if (r.namespaced) {
    std::string body_ns = obj["metadata"].value("namespace", "");
    if (!body_ns.empty() && body_ns != c.api.ns) {
      return send_error(c.res, bad_request("the namespace of the provided object does not match "
                                           "the namespace sent on the request"));
    }
    obj["metadata"]["namespace"] = c.api.ns;
  }
  std::vector<std::string> warnings;
  auto admitted = admit_create(c.cluster.store(), r, std::move(obj), admission(c, warnings));
  if (!admitted) return send_error(c.res, admitted.error());
  flush_warnings(c, warnings);
  if (c.dry_run()) {
    json out = *admitted;
    out["metadata"]["uid"] = new_uid();
    out["metadata"]["creationTimestamp"] = now_rfc3339();
    return send_object_json(c, 201, out);
  }
  auto s = c.cluster.store().create(r, std::move(*admitted));
  if (!s) return send_error(c.res, s.error());
  send_object(c, 201, *s);
}

void handle_update(RequestContext& c) {
  if (!c.api.subresource.empty() && c.api.subresource != "status") {
    return send_error(c.res, method_not_supported(
                                 c.api.group, c.api.resource + "/" + c.api.subresource, "update"));
  }
  auto body = decode_body(c.req);
  if (!body) return send_error(c.res, body.error());
  const ResourceInfo& r = *c.api.info;
  auto current = c.cluster.store().get(r, c.api.ns, c.api.name);
  if (!current) return send_error(c.res, current.error());
  json obj = std::move(*body);
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = json::object();
  if (r.namespaced && obj["metadata"].value("namespace", c.api.ns) != c.api.ns) {
    return send_error(c.res, bad_request("the namespace of the provided object does not match the "
                                         "namespace sent on the request"));
  }
  std::vector<std::string> warnings;
  if (auto ok = admit_update(r, obj, current->json(), admission(c, warnings)); !ok) {
    return send_error(c.res, ok.error());
  }
  flush_warnings(c, warnings);
  json scoped = scope_write(r, c.api.subresource, std::move(obj), current->json());
  if (c.dry_run()) return send_object_json(c, 200, scoped);
  auto s = c.cluster.store().update(r, std::move(scoped));
  if (!s) return send_error(c.res, s.error());
  send_object(c, 200, *s);
}

void handle_patch(RequestContext& c) {
  if (!c.api.subresource.empty() && c.api.subresource != "status") {
    return send_error(c.res, method_not_supported(
                                 c.api.group, c.api.resource + "/" + c.api.subresource, "patch"));
  }
  if (c.req.body.size() > kMaxRequestBytes)
    return send_error(c.res, request_entity_too_large("limit is 3145728"));
  auto type = patch_type_from_content_type(c.req.get_header_value("Content-Type"));
  if (!type) return send_error(c.res, type.error());
  const ResourceInfo& r = *c.api.info;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto current = c.cluster.store().get(r, c.api.ns, c.api.name);
    if (!current) return send_error(c.res, current.error());
    auto patched = apply_patch(*type, current->json(), c.req.body, r.kind, c.api.name);
    if (!patched) return send_error(c.res, patched.error());
    if (!patched->is_object()) {
      return send_error(c.res,
                        invalid(r.group, r.kind, c.api.name,
                                {invalid_field("patch", "", "the patch result is not an object")}));
    }
    std::vector<std::string> warnings;
    if (auto ok = admit_update(r, *patched, current->json(), admission(c, warnings)); !ok) {
      return send_error(c.res, ok.error());
    }
    json scoped = scope_write(r, c.api.subresource, std::move(*patched), current->json());
    std::string asked_rv = scoped["metadata"].value("resourceVersion", "");
    bool patch_sets_rv = asked_rv != std::to_string(current->rv);
    if (!patch_sets_rv) scoped["metadata"]["resourceVersion"] = std::to_string(current->rv);
    if (c.dry_run()) return send_object_json(c, 200, scoped);
    auto s = c.cluster.store().update(r, std::move(scoped));
    if (s) {
      flush_warnings(c, warnings);
      return send_object(c, 200, *s);
    }
    if (s.error().code != 409 || patch_sets_rv) return send_error(c.res, s.error());
  }
  send_error(c.res, conflict(r.group, r.resource, c.api.name,
                             "the object has been modified; please apply your changes to the "
                             "latest version and try again"));
}

namespace {

struct DeleteOptions {
  int64_t grace = -1;
  std::string uid;
  std::string rv;
  std::string propagation;
  bool dry_run = false;
};

Result<DeleteOptions> delete_options(RequestContext& c) {
  DeleteOptions o;
  o.grace = param_int(c, "gracePeriodSeconds", -1);
  o.propagation = c.param("propagationPolicy");
  o.dry_run = c.dry_run();
  if (!c.req.body.empty()) {
    auto body = nlohmann::json::parse(c.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return std::unexpected(
          bad_request("couldn't get version/kind; json parse error: the DeleteOptions body is not "
                      "a JSON object"));
    }
    if (body.contains("gracePeriodSeconds") && body["gracePeriodSeconds"].is_number_integer()) {
      o.grace = body["gracePeriodSeconds"].get<int64_t>();
    }
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      o.uid = body["preconditions"].value("uid", "");
      o.rv = body["preconditions"].value("resourceVersion", "");
    }
    if (body.contains("propagationPolicy") && body["propagationPolicy"].is_string()) {
      o.propagation = body["propagationPolicy"].get<std::string>();
    }
    if (body.contains("dryRun") && body["dryRun"].is_array() && !body["dryRun"].empty())
      o.dry_run = true;
  }
  return o;
}

void orphan_dependents(Cluster& cluster, const std::string& owner_uid) {
  for (const auto* r : {&res("pods"), &res("replicasets.apps")}) {
    for (const auto& s : cluster.store().all(*r)) {
      const json& refs = s.json()["metadata"].value("ownerReferences", json::array());
      bool owned = false;
      for (const auto& ref : refs) owned |= ref.value("uid", "") == owner_uid;
      if (!owned) continue;
      cluster.store().mutate(*r, s.json()["metadata"].value("namespace", ""),
                             s.json()["metadata"].value("name", ""), [&](json& o) -> Result<void> {
                               json kept = json::array();
                               for (const auto& ref : o["metadata"]["ownerReferences"]) {
                                 if (ref.value("uid", "") != owner_uid) kept.push_back(ref);
                               }
                               o["metadata"]["ownerReferences"] = kept;
                               return {};
                             });
    }
  }
}

Result<Stored> delete_namespace(Cluster& cluster, const std::string& name, bool dry_run) {
  if (name == "default" || name == "kube-system" || name == "kube-public") {
    return std::unexpected(forbidden("", "namespaces", name, "this namespace may not be deleted"));
  }
  auto current = cluster.store().get(res("namespaces"), "", name);
  if (!current || dry_run) return current;
  for (const auto& r : all_resources()) {
    if (!r.namespaced) continue;
    for (const auto& s : cluster.store().all(r, name)) {
      cluster.store().erase(r, name, s.json()["metadata"].value("name", ""));
    }
  }
  return cluster.store().erase(res("namespaces"), "", name);
}

Result<Stored> delete_one(RequestContext& c, const std::string& name, const DeleteOptions& o) {
  const ResourceInfo& r = *c.api.info;
  auto current = c.cluster.store().get(r, c.api.ns, name);
  if (!current) return current;
  if (!o.rv.empty() && o.rv != std::to_string(current->rv)) {
    return std::unexpected(
        conflict(r.group, r.resource, name,
                 "Precondition failed: ResourceVersion in precondition: " + o.rv +
                     ", ResourceVersion in object meta: " + std::to_string(current->rv)));
  }
  if (r.resource == "pods") return delete_pod(c.cluster, c.api.ns, name, o.grace, o.uid, o.dry_run);
  if (r.resource == "namespaces") return delete_namespace(c.cluster, name, o.dry_run);
  if (o.dry_run) return current;
  if (o.propagation == "Orphan")
    orphan_dependents(c.cluster, current->json()["metadata"].value("uid", ""));
  if (!current->json()["metadata"].value("finalizers", json::array()).empty()) {
    return c.cluster.store().mutate(r, c.api.ns, name, [](json& obj) -> Result<void> {
      if (!obj["metadata"].contains("deletionTimestamp"))
        obj["metadata"]["deletionTimestamp"] = now_rfc3339();
      return {};
    });
  }
  return c.cluster.store().erase(r, c.api.ns, name, o.uid);
}

}  // namespace

void handle_delete(RequestContext& c) {
  if (!c.api.subresource.empty()) {
    return send_error(c.res, method_not_supported(
                                 c.api.group, c.api.resource + "/" + c.api.subresource, "delete"));
  }
  auto o = delete_options(c);
  if (!o) return send_error(c.res, o.error());
  auto s = delete_one(c, c.api.name, *o);
  if (!s) return send_error(c.res, s.error());
  send_object(c, 200, *s);
}

void handle_delete_collection(RequestContext& c) {
  auto o = delete_options(c);
  if (!o) return send_error(c.res, o.error());
  auto lo = list_options(c);
  if (!lo) return send_error(c.res, lo.error());
  lo->limit = 0;
  auto items = c.cluster.store().list(*c.api.info, *lo);
  if (!items) return send_error(c.res, items.error());
  json out = json::array();
  for (const auto& s : items->items) {
    auto d = delete_one(c, s.json()["metadata"].value("name", ""), *o);
    if (d) out.push_back(d->json());
  }
  send_json(
      c.res, 200,
      {{"kind", c.api.info->kind + "List"},
       {"apiVersion", c.api.info->api_version()},
       {"metadata", {{"resourceVersion", std::to_string(c.cluster.store().resource_version())}}},
       {"items", out}});
}

}  // namespace sim
