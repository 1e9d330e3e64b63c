// Exit codes of kubectl-upgrade (documented in README.md and cmd/kubectl-upgrade/README.md).
// kubectl returns the plugin's exit code to the user unchanged.
#pragma once

namespace cli {

inline constexpr int kExitOk = 0;        // success; for `plan`: ready, no blockers
inline constexpr int kExitError = 1;     // any error: usage, configuration, API, a failed step
inline constexpr int kExitBlockers = 2;  // `plan` (and refusals from pre-flight): blockers found

}  // namespace cli
