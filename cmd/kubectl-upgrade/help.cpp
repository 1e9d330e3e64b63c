#include "cmd/kubectl-upgrade/help.h"

#include <algorithm>
#include <sstream>

namespace cli {
namespace {

constexpr const char* kOptionsHint =
    "Use \"kubectl upgrade options\" for a list of global command-line options (applies to all "
    "commands).\n";

std::string default_shown(const FlagDef& d) {
  if (d.kind == "bool") return d.default_value.empty() ? "false" : d.default_value;
  if (d.kind == "int") return d.default_value.empty() ? "0" : d.default_value;
  if (d.kind == "strings") return "[]";
  return "'" + d.default_value + "'";
}

}  // namespace

std::string render_flags(std::vector<FlagDef> defs) {
  std::ranges::sort(defs, {}, &FlagDef::name);
  std::ostringstream s;
  for (const auto& d : defs) {
    s << "    " << d.display() << "=" << default_shown(d) << ":\n\t" << d.help << "\n\n";
  }
  return s.str();
}

std::string usage_line(const CommandSpec& command) {
  std::string line = "  kubectl upgrade " + command.name;
  if (!command.args_usage.empty()) line += " " + command.args_usage;
  return "Usage:\n" + line + " [options]\n";
}

std::string command_help(const CommandSpec& command) {
  std::ostringstream s;
  s << (command.long_help.empty() ? command.short_help : command.long_help) << "\n\n";
  if (!command.examples.empty()) s << "Examples:\n" << command.examples << "\n";
  std::vector<FlagDef> own;
  for (auto& d : flag_defs(command_options(&command))) {
    if (!d.global) own.push_back(std::move(d));
  }
  if (!own.empty()) s << "Options:\n" << render_flags(std::move(own));
  s << usage_line(command) << "\n" << kOptionsHint;
  return s.str();
}

std::string root_help() {
  std::ostringstream s;
  s << "kubectl upgrade upgrades a kubeadm cluster, one verified step at a time.\n\n"
       " It plans first (version skew, hop path, node order, drain previews, pre-flight checks),\n"
       " then upgrades each node through kubeadm, checking every step before the next.\n\n";
  s << "Commands:\n";
  size_t width = 0;
  for (const auto& c : commands()) {
    if (!c.hidden) width = std::max(width, c.name.size());
  }
  for (const auto& c : commands()) {
    if (c.hidden) continue;
    s << "  " << c.name << std::string(width + 3 - c.name.size(), ' ') << c.short_help << "\n";
  }
  s << "\nUsage:\n  kubectl upgrade [flags] [options]\n\n"
    << "Use \"kubectl upgrade <command> --help\" for more information about a given command.\n"
    << kOptionsHint;
  return s.str();
}

std::string global_options_help() {
  std::vector<FlagDef> globals;
  for (auto& d : flag_defs(command_options(nullptr))) {
    if (d.global && d.name != "help") globals.push_back(std::move(d));
  }
  return "The following options can be passed to any command:\n\n" + render_flags(globals);
}

}  // namespace cli
