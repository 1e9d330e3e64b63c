// `kubectl upgrade status`: which node is at which step, the last error, who holds the lock.
#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

struct StatusOptions {
  std::string output = "table";  // table|json|yaml

  void complete(const cxxopts::ParseResult& r) { output = r["output"].as<std::string>(); }
  int run(Context& ctx) { return ctx.fail("\"kubectl upgrade status\" is not implemented yet"); }
};

}  // namespace

CommandSpec status_command() {
  CommandSpec c;
  c.name = "status";
  c.short_help = "Show where an upgrade stands on every node (not implemented yet)";
  c.examples = "  # Show the upgrade state of every node\n  kubectl upgrade status\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_string(o, "o,output", "Output format. One of: (table, json, yaml).", "table");
  };
  c.run = [](Context& ctx, const cxxopts::ParseResult& r) {
    StatusOptions opts;
    opts.complete(r);
    return opts.run(ctx);
  };
  c.complete_flag["output"] = fixed_values({"table", "json", "yaml"});
  return c;
}

}  // namespace cli
