#include "pkg/kube/internal/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "pkg/kube/internal/base64.h"

namespace kube::detail {
namespace fs = std::filesystem;
namespace {

// A field problem inside one file; becomes `error loading config file "F": <what>`.
struct FieldError {
  std::string what;
};

std::string str(const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsScalar()) throw FieldError{std::string("field \"") + key + "\" must be a string"};
  return v.Scalar();
}

bool boolean(const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return false;
  bool out = false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out)) {
    throw FieldError{std::string("field \"") + key + "\" must be true or false"};
  }
  return out;
}

std::vector<std::string> strings(const YAML::Node& node, const char* key) {
  std::vector<std::string> out;
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return out;
  if (!v.IsSequence()) throw FieldError{std::string("field \"") + key + "\" must be a list"};
  for (const auto& item : v) out.push_back(item.IsScalar() ? item.Scalar() : std::string());
  return out;
}

std::string data(const YAML::Node& node, const char* key) {
  std::string text = str(node, key);
  auto decoded = base64_decode(text);
  if (!decoded) throw FieldError{std::string("field \"") + key + "\" is not valid base64"};
  return *decoded;
}

// Relative paths resolve against the folder of the file that defined them (client-go ResolvePaths).
std::string resolve(const std::string& path, const fs::path& dir) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (dir / path).lexically_normal().string();
}

KubeCluster parse_cluster(const YAML::Node& c, const fs::path& dir) {
  KubeCluster out;
  out.server = str(c, "server");
  out.tls_server_name = str(c, "tls-server-name");
  out.insecure = boolean(c, "insecure-skip-tls-verify");
  out.ca_file = resolve(str(c, "certificate-authority"), dir);
  out.ca_data = data(c, "certificate-authority-data");
  out.proxy_url = str(c, "proxy-url");
  out.disable_compression = boolean(c, "disable-compression");
  return out;
}

ExecConfig parse_exec(const YAML::Node& e, const fs::path& dir) {
  ExecConfig out;
  out.api_version = str(e, "apiVersion");
  out.command = str(e, "command");
  if (out.command.find('/') != std::string::npos) out.command = resolve(out.command, dir);
  out.args = strings(e, "args");
  if (const YAML::Node env = e["env"]; env && env.IsSequence()) {
    for (const auto& item : env) out.env.emplace_back(str(item, "name"), str(item, "value"));
  }
  out.install_hint = str(e, "installHint");
  out.provide_cluster_info = boolean(e, "provideClusterInfo");
  out.interactive_mode = str(e, "interactiveMode");
  out.base_dir = dir;
  return out;
}

KubeUser parse_user(const YAML::Node& u, const fs::path& dir) {
  KubeUser out;
  out.cert_file = resolve(str(u, "client-certificate"), dir);
  out.cert_data = data(u, "client-certificate-data");
  out.key_file = resolve(str(u, "client-key"), dir);
  out.key_data = Secret(data(u, "client-key-data"));
  out.token = Secret(str(u, "token"));
  out.token_file = resolve(str(u, "tokenFile"), dir);
  out.username = str(u, "username");
  out.password = Secret(str(u, "password"));
  out.impersonate.user = str(u, "as");
  out.impersonate.uid = str(u, "as-uid");
  out.impersonate.groups = strings(u, "as-groups");
  if (const YAML::Node extra = u["as-user-extra"]; extra && extra.IsMap()) {
    for (const auto& kv : extra) {
      auto& values = out.impersonate.extra[kv.first.Scalar()];
      if (kv.second.IsSequence()) {
        for (const auto& v : kv.second) values.push_back(v.Scalar());
      } else if (kv.second.IsScalar()) {
        values.push_back(kv.second.Scalar());
      }
    }
  }
  if (const YAML::Node exec = u["exec"]; exec && exec.IsMap()) out.exec = parse_exec(exec, dir);
  if (const YAML::Node ap = u["auth-provider"]; ap && ap.IsMap()) {
    out.auth_provider = str(ap, "name");
    if (const YAML::Node cfg = ap["config"]; cfg && cfg.IsMap()) {
      out.oidc_id_token = Secret(str(cfg, "id-token"));
    }
  }
  return out;
}

KubeContext parse_context(const YAML::Node& c) {
  return KubeContext{str(c, "cluster"), str(c, "user"), str(c, "namespace")};
}

// Named lists: `clusters: [{name: x, cluster: {...}}]`. Within a file the first entry wins too.
template <class T, class Parse>
void parse_named(const YAML::Node& root, const char* list, const char* item,
                 std::map<std::string, T>& into, Parse parse) {
  const YAML::Node seq = root[list];
  if (!seq || seq.IsNull()) return;
  if (!seq.IsSequence()) throw FieldError{std::string("field \"") + list + "\" must be a list"};
  for (const auto& entry : seq) {
    std::string name = str(entry, "name");
    const YAML::Node body = entry[item];
    T value = (body && body.IsMap()) ? parse(body) : T{};
    into.emplace(name, std::move(value));
  }
}

Result<Kubeconfig> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::unexpected(
        Error::config("error loading config file \"" + file.string() + "\": cannot read it"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_kubeconfig(buffer.str(), file);
}

template <class T>
void merge_first_wins(std::map<std::string, T>& into, const std::map<std::string, T>& from) {
  for (const auto& [name, value] : from) into.emplace(name, value);
}

void merge(Kubeconfig& into, const Kubeconfig& from) {
  merge_first_wins(into.clusters, from.clusters);
  merge_first_wins(into.users, from.users);
  merge_first_wins(into.contexts, from.contexts);
  if (into.current_context.empty()) into.current_context = from.current_context;
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::string cur;
  std::istringstream in(value);
  while (std::getline(in, cur, ':')) {
    if (!cur.empty() && seen.insert(cur).second) out.push_back(cur);
  }
  return out;
}

}  // namespace

Result<Kubeconfig> parse_kubeconfig(const std::string& text, const fs::path& file) {
  Kubeconfig out;
  const fs::path dir = fs::absolute(file).parent_path();
  try {
    YAML::Node root = YAML::Load(text);
    if (!root || root.IsNull()) return out;  // an empty file is an empty config
    if (!root.IsMap()) throw FieldError{"not a kubeconfig (expected a mapping at the top)"};
    parse_named(root, "clusters", "cluster", out.clusters,
                [&](const YAML::Node& n) { return parse_cluster(n, dir); });
    parse_named(root, "users", "user", out.users,
                [&](const YAML::Node& n) { return parse_user(n, dir); });
    parse_named(root, "contexts", "context", out.contexts, parse_context);
    out.current_context = str(root, "current-context");
  } catch (const YAML::Exception& e) {
    return std::unexpected(
        Error::config("error loading config file \"" + file.string() + "\": " + e.what()));
  } catch (const FieldError& e) {
    return std::unexpected(
        Error::config("error loading config file \"" + file.string() + "\": " + e.what));
  }
  return out;
}

Result<Kubeconfig> load_kubeconfig(const ConfigFlags& flags, const Environment& env) {
  Kubeconfig merged;
  std::vector<std::string> candidates;
  bool must_exist = false;
  if (flags.kubeconfig && !flags.kubeconfig->empty()) {
    candidates.push_back(*flags.kubeconfig);
    must_exist = true;
    merged.explicit_file = true;
  } else if (auto list = env.get("KUBECONFIG"); list && !list->empty()) {
    candidates = split_list(*list);
    merged.explicit_file = true;
  } else if (std::string home = env.home(); !home.empty()) {
    candidates.push_back((fs::path(home) / ".kube" / "config").string());
  }
  for (const auto& file : candidates) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      if (must_exist) {
        return std::unexpected(Error::config("stat " + file + ": no such file or directory",
                                             "check the path given to --kubeconfig"));
      }
      merged.looked.push_back(file + " (not found)");
      continue;
    }
    auto one = read_file(file);
    if (!one) return std::unexpected(one.error());
    merge(merged, *one);
    merged.files.push_back(file);
    merged.looked.push_back(file);
  }
  return merged;
}

}  // namespace kube::detail
