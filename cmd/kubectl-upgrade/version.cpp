// `kubectl upgrade version`: build information, no I/O.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "cmd/kubectl-upgrade/build_info.h"
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"
#include "cmd/kubectl-upgrade/version_info.h"

namespace cli {
namespace {

constexpr const char* kArch =
#if defined(__x86_64__)
    "amd64";
#elif defined(__aarch64__)
    "arm64";
#elif defined(__arm__)
    "arm";
#elif defined(__powerpc64__)
    "ppc64le";
#elif defined(__s390x__)
    "s390x";
#else
    "unknown";
#endif

// "v0.1.0-rc.1" -> major "0", minor "1".
void split_version(const std::string& v, std::string& major, std::string& minor) {
  const std::string s = v.starts_with('v') ? v.substr(1) : v;
  const auto dot = s.find('.');
  major = s.substr(0, dot);
  if (dot == std::string::npos) return;
  const auto next = s.find_first_not_of("0123456789", dot + 1);
  minor = s.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
}

nlohmann::ordered_json client_version(const VersionInfo& v) {
  return {{"major", v.major},
          {"minor", v.minor},
          {"gitVersion", v.git_version},
          {"gitCommit", v.git_commit},
          {"gitTreeState", v.git_tree_state},
          {"buildDate", v.build_date},
          {"compiler", v.compiler},
          {"platform", v.platform}};
}

struct VersionOptions {
  std::string output;  // "", "json", "yaml"

  int validate(Context& ctx) const {
    if (output.empty() || output == "json" || output == "yaml") return kExitOk;
    return ctx.fail("--output must be 'yaml' or 'json'");
  }
  int run(Context& ctx) const {
    const VersionInfo v = this_build();
    if (output == "json") {
      ctx.out() << version_json(v);
    } else if (output == "yaml") {
      ctx.out() << version_yaml(v);
    } else {
      ctx.out() << version_text(v);
    }
    return kExitOk;
  }
};

}  // namespace

VersionInfo this_build() {
  VersionInfo v;
  v.git_version = build_info::kVersion;
  split_version(v.git_version, v.major, v.minor);
  v.git_commit = build_info::kGitCommit;
  v.git_tree_state = build_info::kGitTreeState;
  v.build_date = build_info::kBuildDate;
  v.compiler = "g++ " __VERSION__;
  v.platform = std::string("linux/") + kArch;
  return v;
}

std::string version_text(const VersionInfo& v) {
  return "Client Version: " + v.git_version + "\nGit Commit: " + v.git_commit + " (" +
         v.git_tree_state + ")\nBuild Date: " + v.build_date + "\nPlatform: " + v.platform + "\n";
}

// kubectl prints this document with json.MarshalIndent(v, "", "  ") (2 spaces).
std::string version_json(const VersionInfo& v) {
  nlohmann::ordered_json doc = {{"clientVersion", client_version(v)}};
  return doc.dump(2) + "\n";
}

// kubectl goes through sigs.k8s.io/yaml: keys sorted, strings quoted when they would read as
// another type ("1", timestamps).
std::string version_yaml(const VersionInfo& v) {
  const nlohmann::json sorted = client_version(v);  // nlohmann::json keeps keys sorted
  YAML::Emitter e;
  e << YAML::BeginMap << YAML::Key << "clientVersion" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : sorted.items()) {
    const std::string s = value.get<std::string>();
    e << YAML::Key << key << YAML::Value;
    const bool ambiguous = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) != 0) &&
                           s.find_first_not_of("0123456789.-:TZ") == std::string::npos;
    if (ambiguous) {
      e << YAML::DoubleQuoted << s;
    } else {
      e << s;
    }
  }
  e << YAML::EndMap << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

CommandSpec version_command() {
  CommandSpec c;
  c.name = "version";
  c.short_help = "Print the version information of kubectl-upgrade";
  c.examples =
      "  # Print the version\n  kubectl upgrade version\n\n"
      "  # Print the build information as JSON\n  kubectl upgrade version -o json\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "o,output", "One of 'yaml' or 'json'.");
    flags::add_bool(o, "client", "Accepted for kubectl's habit; only the client version exists.");
  };
  c.run = [](Context& ctx, const cxxopts::ParseResult& r) {
    VersionOptions opts{r["output"].as<std::string>()};
    if (const int rc = opts.validate(ctx); rc != kExitOk) return rc;
    return opts.run(ctx);
  };
  c.complete_flag["output"] = fixed_values({"json", "yaml"});
  return c;
}

}  // namespace cli
