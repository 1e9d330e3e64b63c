// The cobra `__complete` protocol (reference/ecosystem.md section 2).
#include "cmd/kubectl-upgrade/completion.h"
#include "cmd/kubectl-upgrade/exit_codes.h"

namespace cli {

int run_complete(Context& ctx, const std::vector<std::string>& args, bool descriptions) {
  (void)args;
  (void)descriptions;
  ctx.out() << ":" << kDirectiveNoFileComp << "\n";
  return kExitOk;
}

}  // namespace cli
