#include "cmd/kubectl-upgrade/parse.h"

#include <algorithm>
#include <charconv>

#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

constexpr const char* kRoot = "kubectl upgrade";

const FlagDef* find_long(const std::vector<FlagDef>& defs, std::string_view name) {
  for (const auto& d : defs) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const FlagDef* find_short(const std::vector<FlagDef>& defs, char c) {
  for (const auto& d : defs) {
    if (d.short_name.size() == 1 && d.short_name[0] == c) return &d;
  }
  return nullptr;
}

// strconv.ParseBool's spellings.
std::optional<bool> parse_bool(std::string_view s) {
  static constexpr std::string_view kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::string_view kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
  if (std::ranges::find(kTrue, s) != std::end(kTrue)) return true;
  if (std::ranges::find(kFalse, s) != std::end(kFalse)) return false;
  return std::nullopt;
}

bool is_int(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  long long v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

UsageError usage(std::string message, const std::string& path) {
  return UsageError{std::move(message), path, false};
}

// Checks a value against the flag's type and normalises bools, with pflag's wording.
std::expected<FlagValue, UsageError> typed(const FlagDef& def, std::string value,
                                           const std::string& path) {
  if (def.kind == "bool") {
    const auto b = parse_bool(value);
    if (!b) {
      return std::unexpected(usage("invalid argument \"" + value + "\" for \"" + def.display() +
                                       "\" flag: strconv.ParseBool: parsing \"" + value +
                                       "\": invalid syntax",
                                   path));
    }
    return FlagValue{&def, *b ? "true" : "false"};
  }
  if (def.kind == "int" && !is_int(value)) {
    return std::unexpected(usage("invalid argument \"" + value + "\" for \"" + def.display() +
                                     "\" flag: strconv.ParseInt: parsing \"" + value +
                                     "\": invalid syntax",
                                 path));
  }
  return FlagValue{&def, std::move(value)};
}

std::vector<FlagDef> all_flag_defs() {
  std::vector<FlagDef> all = flag_defs(command_options(nullptr));
  for (const auto& c : commands()) {
    for (auto& d : flag_defs(command_options(&c))) {
      if (!find_long(all, d.name)) all.push_back(std::move(d));
    }
  }
  return all;
}

std::string path_of(const CommandSpec* command) {
  return command ? std::string(kRoot) + " " + command->name : std::string(kRoot);
}

// Long option: "--name" or "--name=value". `i` is advanced past a consumed value.
std::expected<void, UsageError> long_flag(const std::vector<std::string>& args, size_t& i,
                                          const std::vector<FlagDef>& defs, const std::string& path,
                                          Tokens& out, bool lenient) {
  const std::string& a = args[i];
  const std::string body = a.substr(2);
  const auto eq = body.find('=');
  const std::string name = body.substr(0, eq);
  if (name.empty() || name[0] == '-' || name[0] == '=') {
    return std::unexpected(usage("bad flag syntax: " + a, path));
  }
  const FlagDef* def = find_long(defs, name);
  if (!def && lenient) return {};
  if (!def) return std::unexpected(usage("unknown flag: --" + name, path));
  std::string value;
  if (eq != std::string::npos) {
    value = body.substr(eq + 1);
  } else if (!def->takes_value()) {
    value = "true";
  } else if (i + 1 < args.size()) {
    value = args[++i];
  } else {
    if (lenient) return {};
    return std::unexpected(usage("flag needs an argument: " + a, path));
  }
  auto v = typed(*def, std::move(value), path);
  if (!v && lenient) return {};
  if (!v) return std::unexpected(v.error());
  out.flags.push_back(std::move(*v));
  return {};
}

// Shorthand group: "-n", "-nkube-system", "-n=kube-system", "-yv6".
std::expected<void, UsageError> short_flags(const std::vector<std::string>& args, size_t& i,
                                            const std::vector<FlagDef>& defs,
                                            const std::string& path, Tokens& out, bool lenient) {
  const std::string a = args[i];
  for (size_t j = 1; j < a.size(); ++j) {
    const FlagDef* def = find_short(defs, a[j]);
    if (!def && lenient) return {};
    if (!def) {
      return std::unexpected(
          usage(std::string("unknown shorthand flag: '") + a[j] + "' in " + a, path));
    }
    std::string value;
    bool rest_consumed = true;
    if (j + 1 < a.size() && a[j + 1] == '=') {
      value = a.substr(j + 2);
    } else if (!def->takes_value()) {
      value = "true";
      rest_consumed = false;
    } else if (j + 1 < a.size()) {
      value = a.substr(j + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      if (lenient) return {};
      return std::unexpected(
          usage(std::string("flag needs an argument: '") + a[j] + "' in " + a, path));
    }
    auto v = typed(*def, std::move(value), path);
    if (!v && lenient) return {};
    if (!v) return std::unexpected(v.error());
    out.flags.push_back(std::move(*v));
    if (rest_consumed) break;
  }
  return {};
}

}  // namespace

std::string FlagDef::display() const {
  if (short_name.empty()) return "--" + name;
  return "-" + short_name + ", --" + name;
}

std::vector<FlagDef> flag_defs(const cxxopts::Options& options) {
  std::vector<FlagDef> defs;
  for (const auto& group : options.groups()) {
    for (const auto& o : options.group_help(group).options) {
      FlagDef d;
      d.short_name = o.s;
      d.name = o.l.empty() ? o.s : o.l.front();
      d.kind = o.arg_help;
      if (d.kind.empty()) d.kind = o.is_boolean ? "bool" : o.is_container ? "strings" : "string";
      d.help = o.desc;
      d.default_value = o.has_default ? o.default_value : "";
      d.global = group == flags::kGlobalGroup;
      defs.push_back(std::move(d));
    }
  }
  return defs;
}

cxxopts::Options command_options(const CommandSpec* command) {
  cxxopts::Options options(path_of(command));
  if (command && command->add_flags) command->add_flags(options);
  flags::add_global_flags(options);
  return options;
}

std::expected<const CommandSpec*, UsageError> find_invoked_command(
    const std::vector<std::string>& args) {
  static const std::vector<FlagDef> all = all_flag_defs();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      if (i + 1 >= args.size()) return nullptr;
      return find_invoked_command({args[i + 1]});
    }
    if (a.size() > 1 && a[0] == '-') {
      // Like cobra's stripFlags: a flag without "=" that is not a known bool takes the next word.
      if (a.find('=') != std::string::npos) continue;
      const FlagDef* def = a[1] == '-'     ? find_long(all, a.substr(2))
                           : a.size() == 2 ? find_short(all, a[1])
                                           : nullptr;
      const bool is_bool = def && !def->takes_value();
      const bool attached_value = a[1] != '-' && a.size() > 2;
      if (!is_bool && !attached_value) ++i;
      continue;
    }
    if (const CommandSpec* c = find_command(a)) return c;
    std::string message = "unknown command \"" + a + "\" for \"" + kRoot + "\"";
    const auto suggestions = suggest_commands(a);
    if (!suggestions.empty()) {
      message += "\n\nDid you mean this?\n";
      for (const auto& s : suggestions) message += "\t" + s + "\n";
    }
    return std::unexpected(UsageError{message, kRoot, true});
  }
  return nullptr;
}

std::expected<Tokens, UsageError> tokenize(const std::vector<std::string>& args,
                                           const std::vector<FlagDef>& defs,
                                           const std::string& command_path, bool lenient) {
  Tokens out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.positional.insert(out.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      out.positional.push_back(a);
      continue;
    }
    auto ok = a[1] == '-' ? long_flag(args, i, defs, command_path, out, lenient)
                          : short_flags(args, i, defs, command_path, out, lenient);
    if (!ok) return std::unexpected(ok.error());
  }
  return out;
}

std::vector<std::string> suggest_commands(const std::string& typed) {
  // Levenshtein distance, as cobra's SuggestionsMinimumDistance (2) uses.
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        const size_t cost = std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::vector<std::string> out;
  for (const auto& c : commands()) {
    if (c.hidden) continue;
    if (distance(typed, c.name) <= 2 || c.name.starts_with(typed)) out.push_back(c.name);
  }
  return out;
}

std::expected<void, UsageError> bind_flags(Invocation& inv) {
  // Hand cxxopts a normalised command line it cannot misread: --name=value, -v value.
  std::vector<std::string> normal{inv.command_path};
  for (const auto& f : inv.tokens.flags) {
    if (f.def->name.size() == 1 && f.def->name == f.def->short_name) {
      normal.push_back("-" + f.def->short_name);
      normal.push_back(f.value);
    } else {
      normal.push_back("--" + f.def->name + "=" + f.value);
    }
    if (f.def->name == "help" && f.value == "true") inv.help = true;
  }
  std::vector<const char*> argv;
  for (const auto& s : normal) argv.push_back(s.c_str());
  try {
    inv.result = inv.options->parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cxxopts::exceptions::exception& e) {
    return std::unexpected(usage(e.what(), inv.command_path));
  }
  return {};
}

Invocation prepare(const CommandSpec* command) {
  Invocation inv;
  inv.command = command;
  inv.command_path = path_of(command);
  inv.options = std::make_shared<cxxopts::Options>(command_options(command));
  inv.defs = flag_defs(*inv.options);
  return inv;
}

std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args) {
  auto found = find_invoked_command(args);
  if (!found) return std::unexpected(found.error());
  Invocation inv = prepare(*found);
  auto tokens = tokenize(args, inv.defs, inv.command_path, /*lenient=*/false);
  if (!tokens) return std::unexpected(tokens.error());
  inv.tokens = std::move(*tokens);
  // The command's own name is the first positional word.
  if (inv.command) inv.tokens.positional.erase(inv.tokens.positional.begin());
  if (auto bound = bind_flags(inv); !bound) return std::unexpected(bound.error());
  return inv;
}

}  // namespace cli
