// `kubectl upgrade status`: which node is at which step, the last error, who holds the lock, what
// a re-run would do. Never changes anything. The work is pkg/upgrade's status.h.
#include "pkg/upgrade/status.h"

#include "cmd/kubectl-upgrade/command.h"
#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

struct StatusOptions {
  std::string output = "table";  // table|json|yaml

  void complete(const cxxopts::ParseResult& r) { output = r["output"].as<std::string>(); }
  int run(Context& ctx) {
    if (output != "table" && output != "json" && output != "yaml")
      return ctx.fail("unable to match a printer suitable for the output format \"" + output +
                      "\", allowed formats are: json,table,yaml");
    auto client = ctx.client();
    if (!client) return ctx.fail(client.error());
    auto status = upgrade::read_status(**client, ku::system_clock());
    if (!status) return ctx.fail(status.error());
    if (output == "json")
      ctx.out() << upgrade::status_json(*status).dump(2) << "\n";
    else if (output == "yaml")
      ctx.out() << upgrade::render_status_yaml(*status);
    else
      ctx.out() << upgrade::render_status_table(*status);
    ctx.out().flush();
    return kExitOk;
  }
};

}  // namespace

CommandSpec status_command() {
  CommandSpec c;
  c.name = "status";
  c.short_help = "Show where an upgrade stands on every node";
  c.long_help =
      "Show where an upgrade stands on every node: its version, the step it is at or last "
      "finished (from the annotations upgrade.kubectl-upgrade.dev/* on the Node), the last error "
      "and when, who holds the upgrade lock (Lease kube-system/kubectl-upgrade) and since when, "
      "recent upgrade Events, and what a re-run would do next. Never changes anything.";
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
