#include "pkg/ui/table.h"

#include <fmt/format.h>

#include "pkg/plan/render.h"

namespace plan {
namespace {

struct Paint {
  bool on;
  std::string operator()(std::string_view code, const std::string& s) const {
    return on ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
  }
  std::string red(const std::string& s) const { return (*this)("31", s); }
  std::string yellow(const std::string& s) const { return (*this)("33", s); }
  std::string green(const std::string& s) const { return (*this)("32", s); }
  std::string bold(const std::string& s) const { return (*this)("1", s); }
};

std::string drain_summary(const DrainPreview& d) {
  std::string s;
  auto part = [&](int n, std::string_view what) {
    if (n > 0) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", what, n);
  };
  part(d.evict, "evict");
  part(d.remove, "delete");
  part(d.ignored, "daemonset");
  part(d.skipped, "skip");
  part(d.blocked, "BLOCKED");
  if (!d.capacity_ok) s += s.empty() ? "NO ROOM" : ", NO ROOM";
  return s.empty() ? "nothing to evict" : s;
}

std::string header(const Plan& p) {
  std::string out;
  const auto& c = p.current;
  out += fmt::format("Cluster:  {}", c.version.empty() ? "unknown" : c.version);
  if (!c.support_window.empty())
    out += fmt::format("  ({}supported minors: {})", c.supported ? "" : "OUT OF SUPPORT; ",
                       c.support_window);
  out += "\n";
  const auto& t = p.target;
  if (t.version.empty()) {
    out += fmt::format("Target:   {}  ({})\n", t.requested.value_or("none"), t.refusal);
  } else {
    out += fmt::format("Target:   {}  ({}; versions from the {})\n", t.version,
                       t.defaulted ? "default: newest patch of the next minor" : "--to",
                       t.source.description);
    std::string path = t.hops.front().from.to_string();
    for (const auto& h : t.hops) path += " -> " + h.to.to_string();
    out += fmt::format("Path:     {}{}\n", path,
                       t.multiple_minors
                           ? fmt::format("  ({} hops, one minor at a time: every node is upgraded "
                                         "on each hop)",
                                         t.hops.size())
                           : "");
  }
  const auto& f = p.first_control_plane;
  if (!f.name.empty())
    out += fmt::format("First control plane: {} ({}{})\n", f.name, f.assumed ? "assumed: " : "",
                       f.reason);
  return out;
}

std::string indent(const std::string& text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += std::string(prefix) + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::string nodes_section(const Plan& p, const TableOptions& o) {
  ui::Table table({{"order"},
                   {"batch", true},
                   {"node"},
                   {"role"},
                   {"kubelet"},
                   {"ready"},
                   {"schedulable", true},
                   {"os-image", true},
                   {"container-runtime", true},
                   {"drain"}});
  int workers_shown = 0, hidden = 0;
  for (const auto& n : p.nodes) {
    if (!o.wide && n.role == Role::kWorker && workers_shown++ >= o.max_worker_rows) {
      ++hidden;
      continue;
    }
    table.add_row({std::to_string(n.order), std::to_string(n.batch), n.name,
                   std::string(role_name(n.role)), n.kubelet_version, n.ready ? "True" : "False",
                   n.unschedulable ? "False" : "True", n.os_image, n.runtime,
                   drain_summary(n.drain)});
  }
  std::string out = fmt::format(
      "\nNodes, in upgrade order (control planes one at a time, then "
      "workers {} at a time):\n",
      p.max_unavailable);
  out += indent(table.render({.wide = o.wide, .no_headers = o.no_headers}), "  ");
  if (hidden > 0)
    out += fmt::format("  ... and {} more workers (-o wide lists every node)\n", hidden);
  return out;
}

std::string drains_section(const Plan& p, const TableOptions& o) {
  std::string out;
  for (const auto& n : p.nodes) {
    std::vector<std::string> lines;
    for (const auto& v : n.drain.pods) {
      if (v.action == PodAction::kBlock)
        lines.push_back(fmt::format("blocks: {} ({}; needs {})", v.pod, v.reason, v.flag));
      else if (o.wide)
        lines.push_back(fmt::format("{}: {}{}{}", action_name(v.action), v.pod,
                                    v.reason.empty() ? "" : " (" + v.reason + ")",
                                    v.moved_from.empty() ? "" : " [from " + v.moved_from + "]"));
    }
    for (const auto& pdb : n.drain.pdbs)
      if (pdb.verdict != "ok" || o.wide)
        lines.push_back(fmt::format("pdb {}: {} (allows {} now, {} pod(s) here){}", pdb.pdb,
                                    pdb.verdict, pdb.allowed_now, pdb.pods_on_node,
                                    pdb.message.empty() ? "" : ": " + pdb.message));
    for (const auto& u : n.drain.unplaceable) lines.push_back("no room: " + u);
    if (lines.empty()) continue;
    out += "  " + n.name + ":\n";
    for (const auto& l : lines) out += "    " + ui::escape_terminal(l) + "\n";
  }
  return out.empty() ? "" : "\nDrains to look at:\n" + out;
}

std::string findings_section(const Plan& p, Severity s, const Paint& paint) {
  std::string out;
  int n = 0;
  for (const auto& f : p.findings) {
    if (f.severity != s) continue;
    if (s == Severity::kInfo && (f.code == "FirstControlPlaneAssumed" || f.code == "MultipleHops"))
      continue;
    ++n;
    out += ui::escape_terminal(fmt::format("  {} {}: {}", f.subject, f.code, f.message)) + "\n";
    if (!f.fix.empty()) out += ui::escape_terminal("      fix: " + f.fix) + "\n";
  }
  if (n == 0) return "";
  std::string title = s == Severity::kBlocker   ? paint.red(fmt::format("Blockers ({})", n))
                      : s == Severity::kWarning ? paint.yellow(fmt::format("Warnings ({})", n))
                                                : fmt::format("Notes ({})", n);
  return "\n" + title + ":\n" + out;
}

}  // namespace

std::string render_table(const Plan& p, const TableOptions& o) {
  Paint paint{o.colour};
  std::string out = header(p);
  out += nodes_section(p, o);
  out += drains_section(p, o);
  out += findings_section(p, Severity::kBlocker, paint);
  out += findings_section(p, Severity::kWarning, paint);
  out += findings_section(p, Severity::kInfo, paint);
  int blockers = p.count(Severity::kBlocker);
  out += "\n";
  out +=
      blockers == 0
          ? paint.green("Ready: no blockers.")
          : paint.red(fmt::format("Not ready: {} blocker{}.", blockers, blockers == 1 ? "" : "s"));
  out += "\n";
  if (!p.next_command.empty())
    out += fmt::format("{} {}\n", blockers == 0 ? "Next:" : "Next, once the blockers are fixed:",
                       paint.bold(p.next_command));
  return out;
}

}  // namespace plan
