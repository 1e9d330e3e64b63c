// Shell completion: the cobra `__complete` protocol, kubectl's plugin completion
// (`kubectl_complete-upgrade`) and the scripts of `kubectl upgrade completion SHELL`.
#pragma once

#include <string>
#include <vector>

#include "cmd/kubectl-upgrade/command.h"

namespace cli {

// The name kubectl runs for `kubectl upgrade <TAB>` (kubectl 1.26+).
inline constexpr const char* kKubectlCompletionName = "kubectl_complete-upgrade";

// Answers one completion request: `args` are the words after the program name, the last one being
// the word under the cursor ("" for a new word). Prints candidates, then ":<directive>"; exit 0.
int run_complete(Context& ctx, const std::vector<std::string>& args, bool descriptions);

// The script of `kubectl upgrade completion SHELL`; empty for an unknown shell.
std::string completion_script(const std::string& shell);

}  // namespace cli
