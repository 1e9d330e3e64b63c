#include "cmd/kubectl-upgrade/completers.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "pkg/kube/rest_config.h"
#include "pkg/version/releases.h"
#include "pkg/version/version.h"

namespace cli {
namespace {

using Clock = std::chrono::steady_clock;

Completions from_names(const std::vector<std::string>& names, const std::string& prefix) {
  Completions out;
  for (const auto& n : names) {
    if (n.starts_with(prefix)) out.candidates.push_back({n, ""});
  }
  return out;
}

Completions error_directive() {
  return Completions{{}, kDirectiveNoFileComp};
}

std::optional<kube::KubeconfigNames> names_of(const CompletionQuery& q) {
  auto names = kube::kubeconfig_names(q.ctx.flags, kube_environment(q.ctx.env()));
  if (!names) return std::nullopt;
  return *names;
}

// The client for completion: one attempt per request, cut at the budget.
kube::Client* budget_client(Context& ctx) {
  ctx.client_timeout_ms = kCompletionBudgetMs;
  auto client = ctx.client();
  return client ? *client : nullptr;
}

bool is_control_plane(const kube::json& node) {
  const auto labels = node.value("/metadata/labels"_json_pointer, kube::json::object());
  return labels.contains("node-role.kubernetes.io/control-plane") ||
         labels.contains("node-role.kubernetes.io/master");
}

// "patch upgrade", "next minor", "2 minors ahead (2 hops)"; without a cluster: the minor's line.
std::string target_description(const std::optional<kver::Version>& current,
                               const std::string& candidate) {
  const auto v = kver::parse(candidate);
  if (!v) return "";
  if (!current) return "newest patch of " + v->minor_line().to_string();
  const int minors = kver::minors_between(current->minor_line(), v->minor_line());
  if (minors == 0) return "patch upgrade from " + current->to_string();
  if (minors == 1) return "next minor, from " + current->to_string();
  return std::to_string(minors) + " minors ahead (" + std::to_string(minors) + " hops) from " +
         current->to_string();
}

}  // namespace

Completions complete_contexts(const CompletionQuery& q) {
  const auto names = names_of(q);
  if (!names) return error_directive();
  return from_names(names->contexts, q.to_complete);
}

Completions complete_clusters(const CompletionQuery& q) {
  const auto names = names_of(q);
  if (!names) return error_directive();
  return from_names(names->clusters, q.to_complete);
}

Completions complete_users(const CompletionQuery& q) {
  const auto names = names_of(q);
  if (!names) return error_directive();
  return from_names(names->users, q.to_complete);
}

Completions complete_namespaces(const CompletionQuery& q) {
  kube::Client* client = budget_client(q.ctx);
  if (!client) return error_directive();
  const auto deadline = Clock::now() + std::chrono::milliseconds(kCompletionListBudgetMs);
  std::vector<std::string> names;
  bool late = false;
  auto listed = client->list("/api/v1/namespaces", {}, [&](const kube::json& ns) {
    names.push_back(ns.value("/metadata/name"_json_pointer, std::string()));
    late = Clock::now() > deadline;
    return !late;
  });
  if (!listed || late) return error_directive();
  std::ranges::sort(names);
  return from_names(names, q.to_complete);
}

Completions complete_nodes(const CompletionQuery& q) {
  kube::Client* client = budget_client(q.ctx);
  if (!client) return error_directive();
  const auto deadline = Clock::now() + std::chrono::milliseconds(kCompletionListBudgetMs);
  struct Node {
    bool control_plane;
    std::string name;
    std::string version;
  };
  std::vector<Node> nodes;
  bool late = false;
  auto listed = client->list("/api/v1/nodes", {}, [&](const kube::json& n) {
    const std::string name = n.value("/metadata/name"_json_pointer, std::string());
    if (name.starts_with(q.to_complete)) {
      nodes.push_back({is_control_plane(n), name,
                       n.value("/status/nodeInfo/kubeletVersion"_json_pointer, std::string())});
    }
    late = Clock::now() > deadline;
    return !late;
  });
  if (!listed || late) return error_directive();
  std::ranges::sort(nodes, [](const Node& a, const Node& b) {
    return std::tie(b.control_plane, a.name) < std::tie(a.control_plane, b.name);
  });
  Completions out{{}, kDirectiveNoFileComp | kDirectiveKeepOrder};
  for (const auto& n : nodes) {
    std::string description = n.control_plane ? "control-plane" : "worker";
    if (!n.version.empty()) description += ", " + n.version;
    out.candidates.push_back({n.name, description});
  }
  return out;
}

Completions complete_target_versions(const CompletionQuery& q) {
  std::optional<kver::Version> current;
  if (kube::Client* client = budget_client(q.ctx)) {
    if (auto v = client->get("/version")) {
      if (auto parsed = kver::parse(v->value("gitVersion", std::string()))) current = *parsed;
    }
  }
  const auto& table = kver::builtin_releases();
  Completions out{{}, kDirectiveNoFileComp | kDirectiveKeepOrder};
  for (const auto& v : kver::target_candidates(current, table.versions)) {
    if (!v.starts_with(q.to_complete)) continue;
    out.candidates.push_back({v, target_description(current, v)});
  }
  return out;
}

Completions complete_files(const CompletionQuery&) {
  return Completions{{}, kDirectiveDefault};
}

Completer default_flag_completer(const std::string& flag_name) {
  static const std::map<std::string, Completer> defaults = {
      {"kubeconfig", complete_files},
      {"certificate-authority", complete_files},
      {"client-certificate", complete_files},
      {"client-key", complete_files},
      {"cache-dir",
       [](const CompletionQuery&) {
         return Completions{{}, kDirectiveFilterDirs};
       }},
      {"context", complete_contexts},
      {"cluster", complete_clusters},
      {"user", complete_users},
      {"namespace", complete_namespaces},
      {"shell-namespace", complete_namespaces},
      {"to", complete_target_versions},
  };
  const auto it = defaults.find(flag_name);
  return it == defaults.end() ? nullptr : it->second;
}

Completer default_args_completer(const std::string& command_name) {
  if (command_name == "node") {
    return [](const CompletionQuery& q) {
      return q.ctx.args.empty() ? complete_nodes(q) : Completions{};  // one node per run
    };
  }
  return nullptr;
}

}  // namespace cli
