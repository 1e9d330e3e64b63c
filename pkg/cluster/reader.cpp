#include "pkg/cluster/reader.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <set>

#include "pkg/cluster/decode.h"
#include "pkg/kube/paths.h"
#include "pkg/version/releases.h"

namespace cluster {
namespace {

using kube::Result;

void say(const ReadOptions& o, std::string_view what) {
  if (o.progress) o.progress(what);
}

std::string now_rfc3339() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

// GET that treats 404 as "absent".
Result<std::optional<json>> get_optional(kube::Client& c, const std::string& path) {
  auto r = c.get(path);
  if (r) return std::optional<json>(std::move(*r));
  if (r.error().not_found()) return std::optional<json>();
  return std::unexpected(r.error());
}

Result<void> read_version(kube::Client& c, Inventory& inv) {
  auto v = c.get(kube::paths::version());
  if (!v) return std::unexpected(v.error().wrap("reading the API server version (/version)"));
  if (v->is_object() && v->contains("gitVersion") && (*v)["gitVersion"].is_string())
    inv.server_git_version = (*v)["gitVersion"].get<std::string>();
  if (auto parsed = kver::parse(inv.server_git_version)) inv.server_version = *parsed;
  return {};
}

Result<void> read_nodes(kube::Client& c, const ReadOptions& o, Inventory& inv) {
  say(o, "listing nodes");
  auto r = c.list(kube::paths::nodes(), {.limit = o.page_size}, [&](const json& item) {
    inv.nodes.push_back(decode_node(item));
    return true;
  });
  if (!r) return std::unexpected(r.error().wrap("listing nodes"));
  return {};
}

Result<void> read_pdbs(kube::Client& c, const ReadOptions& o, Inventory& inv) {
  say(o, "listing PodDisruptionBudgets");
  auto r = c.list(kube::paths::all_pdbs(), {.limit = o.page_size}, [&](const json& item) {
    inv.pdbs.push_back(decode_pdb(item));
    return true;
  });
  if (!r) return std::unexpected(r.error().wrap("listing PodDisruptionBudgets"));
  return {};
}

// DaemonSets that exist (namespace/name), to tell a pod whose DaemonSet is gone.
Result<std::set<std::string>> read_daemonsets(kube::Client& c, const ReadOptions& o) {
  say(o, "listing DaemonSets");
  std::set<std::string> names;
  auto r = c.list("/apis/apps/v1/daemonsets", {.limit = o.page_size}, [&](const json& item) {
    const auto& m = item.value("metadata", json::object());
    names.insert(m.value("namespace", "") + "/" + m.value("name", ""));
    return true;
  });
  if (!r) return std::unexpected(r.error().wrap("listing DaemonSets"));
  return names;
}

Result<void> read_pods(kube::Client& c, const ReadOptions& o, const std::set<std::string>& ds,
                       Inventory& inv) {
  say(o, "listing pods");
  auto r = c.list(kube::paths::all_pods(), {.limit = o.page_size}, [&](const json& item) {
    if (auto cp = decode_control_plane_pod(item)) inv.control_plane_pods.push_back(std::move(*cp));
    PodSummary p = decode_pod(item, inv.pdbs);
    if (p.node.empty()) return true;  // not bound: no drain touches it
    if (p.owner_kind == "DaemonSet") p.owner_missing = !ds.contains(p.ns + "/" + p.owner_name);
    inv.pods.push_back(std::move(p));
    return true;
  });
  if (!r) return std::unexpected(r.error().wrap("listing pods"));
  return {};
}

Result<void> read_addon(kube::Client& c, const std::string& path, std::string_view container,
                        bool kubernetes_versioned, Addon& addon) {
  auto r = get_optional(c, path);
  if (!r) return std::unexpected(r.error().wrap("reading " + path));
  if (!*r) return {};
  addon.found = true;
  addon.image = workload_image(**r, container);
  addon.tag = kver::image_tag(addon.image);
  if (kubernetes_versioned)
    if (auto v = kver::parse_image(addon.image)) addon.version = *v;
  return {};
}

Result<void> read_kube_system(kube::Client& c, const ReadOptions& o, Inventory& inv) {
  say(o, "reading kube-proxy, CoreDNS, kubeadm-config and the upgrade lock");
  if (auto r = read_addon(c, kube::paths::daemon_set("kube-system", "kube-proxy"), "kube-proxy",
                          true, inv.kube_proxy);
      !r)
    return r;
  if (auto r = read_addon(c, kube::paths::deployment("kube-system", "coredns"), "coredns", false,
                          inv.coredns);
      !r)
    return r;
  auto cm = get_optional(c, kube::paths::config_map("kube-system", "kubeadm-config"));
  if (!cm) return std::unexpected(cm.error().wrap("reading ConfigMap kube-system/kubeadm-config"));
  if (*cm) inv.kubeadm_config = decode_kubeadm_config(**cm);
  auto lease = get_optional(c, kube::paths::lease(kLockNamespace, kLockName));
  if (!lease)
    return std::unexpected(lease.error().wrap(
        fmt::format("reading Lease {}/{} (the upgrade lock)", kLockNamespace, kLockName)));
  if (*lease) inv.lock = decode_lease(**lease);
  return {};
}

// Group/versions that a later minor removes: served today? objects stored? applied with it?
Result<void> read_removed_apis(kube::Client& c, const ReadOptions& o, Inventory& inv) {
  if (!inv.server_version) return {};
  say(o, "checking APIs that later versions remove");
  for (const auto& api : kver::removed_apis()) {
    if (api.removed_in <= inv.server_version->minor_line()) continue;
    ServedRemovedApi s{api.group_version(), api.removed_in, false, {}, 0};
    std::string base = "/apis/" + api.group_version();
    auto discovery = get_optional(c, base);
    if (!discovery) return std::unexpected(discovery.error().wrap("discovering " + base));
    s.served = discovery->has_value();
    for (const auto& resource : s.served ? api.resources : std::vector<std::string>{}) {
      int count = 0;
      auto r = c.list(base + "/" + resource, {.limit = o.page_size}, [&](const json& item) {
        ++count;
        auto applied = item.value("metadata", json::object())
                           .value("annotations", json::object())
                           .value("kubectl.kubernetes.io/last-applied-configuration", "");
        if (!applied.empty()) {
          auto doc = json::parse(applied, nullptr, false);
          if (doc.is_object() && doc.value("apiVersion", "") == s.group_version)
            ++s.applied_with_it;
        }
        return true;
      });
      if (!r && !r.error().not_found())
        return std::unexpected(r.error().wrap("listing " + base + "/" + resource));
      s.objects[resource] = count;
    }
    inv.removed_apis.push_back(std::move(s));
  }
  return {};
}

}  // namespace

Result<Inventory> read_inventory(kube::Client& client, const ReadOptions& options) {
  Inventory inv;
  inv.observed_at = options.observed_at.empty() ? now_rfc3339() : options.observed_at;
  if (auto r = read_version(client, inv); !r) return std::unexpected(r.error());
  if (auto r = read_nodes(client, options, inv); !r) return std::unexpected(r.error());
  if (auto r = read_pdbs(client, options, inv); !r) return std::unexpected(r.error());
  auto ds = read_daemonsets(client, options);
  if (!ds) return std::unexpected(ds.error());
  if (auto r = read_pods(client, options, *ds, inv); !r) return std::unexpected(r.error());
  if (auto r = read_kube_system(client, options, inv); !r) return std::unexpected(r.error());
  if (options.probe_removed_apis)
    if (auto r = read_removed_apis(client, options, inv); !r) return std::unexpected(r.error());
  return inv;
}

}  // namespace cluster
