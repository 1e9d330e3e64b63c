// Help text shaped like kubectl's: description, Examples, Options, Usage, and a pointer to
// `kubectl upgrade options` for the connection flags (shown once, there, like `kubectl options`).
#pragma once

#include <string>
#include <vector>

#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/parse.h"

namespace cli {

std::string root_help();
std::string command_help(const CommandSpec& command);
// The connection flags, for `kubectl upgrade options`.
std::string global_options_help();
// "    -o, --output='table':\n\tdesc\n\n" for each flag, sorted by name like pflag.
std::string render_flags(std::vector<FlagDef> defs);
// "Usage:\n  kubectl upgrade node NAME [options]"
std::string usage_line(const CommandSpec& command);

}  // namespace cli
