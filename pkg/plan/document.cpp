#include <yaml-cpp/yaml.h>

#include <charconv>

#include "pkg/plan/render.h"

namespace plan {
namespace {

using json = nlohmann::ordered_json;

json finding_json(const Finding& f) {
  return {{"severity", severity_name(f.severity)},
          {"code", f.code},
          {"subject", f.subject},
          {"message", f.message},
          {"fix", f.fix}};
}

json drain_json(const DrainPreview& d) {
  json pods = json::array();
  for (const auto& p : d.pods) {
    json j = {{"pod", p.pod}, {"action", action_name(p.action)}, {"reason", p.reason}};
    if (!p.flag.empty()) j["allowedBy"] = p.flag;
    if (!p.moved_from.empty()) j["movedFrom"] = p.moved_from;
    pods.push_back(std::move(j));
  }
  json pdbs = json::array();
  for (const auto& p : d.pdbs)
    pdbs.push_back({{"pdb", p.pdb},
                    {"allowedDisruptions", p.allowed_now},
                    {"podsOnNode", p.pods_on_node},
                    {"verdict", p.verdict},
                    {"message", p.message}});
  return {{"summary",
           {{"evict", d.evict},
            {"delete", d.remove},
            {"ignored", d.ignored},
            {"skipped", d.skipped},
            {"blocked", d.blocked}}},
          {"pods", pods},
          {"pdbs", pdbs},
          {"capacity", {{"fits", d.capacity_ok}, {"unplaceable", d.unplaceable}}}};
}

json target_json(const Target& t) {
  json hops = json::array();
  for (const auto& h : t.hops)
    hops.push_back({{"from", h.from.to_string()}, {"to", h.to.to_string()}});
  json j = {{"requested", t.requested ? json(*t.requested) : json(nullptr)},
            {"defaulted", t.defaulted},
            {"version", t.version},
            {"hops", hops},
            {"multipleMinors", t.multiple_minors},
            {"source", {{"kind", t.source.kind}, {"description", t.source.description}}}};
  if (!t.refusal.empty()) j["refusal"] = t.refusal;
  return j;
}

json cluster_json(const CurrentState& c) {
  json components = json::array();
  for (const auto& r : c.components)
    components.push_back(
        {{"component", r.component}, {"instance", r.instance}, {"version", r.version}});
  json skew = json::array();
  for (const auto& v : c.skew)
    skew.push_back({{"rule", v.rule_text},
                    {"component", kver::component_name(v.component)},
                    {"instance", v.instance},
                    {"version", v.version.to_string()},
                    {"reference", v.reference.to_string()},
                    {"message", v.message}});
  return {{"version", c.version},
          {"serverGitVersion", c.server_git_version},
          {"kubeadmConfigVersion", c.kubeadm_version},
          {"supported", c.supported},
          {"supportWindow", c.support_window},
          {"components", components},
          {"skewViolations", skew}};
}

// Strings YAML would read back as something else get quotes.
bool needs_quotes(const std::string& s) {
  static const char* kWords[] = {"true", "false", "yes",  "no",   "on",    "off",   "null",
                                 "~",    "y",     "n",    "True", "False", "Yes",   "No",
                                 "On",   "Off",   "Null", "NULL", "TRUE",  "FALSE", "YES",
                                 "NO",   "Y",     "N",    "ON",   "OFF"};
  if (s.empty()) return true;
  for (const char* w : kWords)
    if (s == w) return true;
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return ec == std::errc() && end == s.data() + s.size();
}

void emit(YAML::Emitter& out, const json& j) {
  switch (j.type()) {
    case json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [k, v] : j.items()) {
        out << YAML::Key << k << YAML::Value;
        emit(out, v);
      }
      out << YAML::EndMap;
      break;
    case json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& v : j) emit(out, v);
      out << YAML::EndSeq;
      break;
    case json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (needs_quotes(s)) out << YAML::DoubleQuoted;
      out << s;
      break;
    }
    case json::value_t::boolean:
      out << j.get<bool>();
      break;
    case json::value_t::null:
      out << YAML::Null;
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      out << j.get<long long>();
      break;
    default:
      out << j.dump();
      break;
  }
}

}  // namespace

json to_document(const Plan& plan) {
  json nodes = json::array();
  for (const auto& n : plan.nodes)
    nodes.push_back({{"order", n.order},
                     {"batch", n.batch},
                     {"name", n.name},
                     {"role", role_name(n.role)},
                     {"kubeletVersion", n.kubelet_version},
                     {"ready", n.ready},
                     {"unschedulable", n.unschedulable},
                     {"osImage", n.os_image},
                     {"containerRuntime", n.runtime},
                     {"steps", n.steps},
                     {"drain", drain_json(n.drain)}});
  json findings = json::array();
  for (const auto& f : plan.findings) findings.push_back(finding_json(f));
  return {{"apiVersion", kApiVersion},
          {"kind", kKind},
          {"metadata", {{"observedAt", plan.observed_at}}},
          {"status",
           {{"ready", plan.ready()},
            {"blockers", plan.count(Severity::kBlocker)},
            {"warnings", plan.count(Severity::kWarning)}}},
          {"cluster", cluster_json(plan.current)},
          {"target", target_json(plan.target)},
          {"firstControlPlane",
           {{"name", plan.first_control_plane.name},
            {"assumed", plan.first_control_plane.assumed},
            {"reason", plan.first_control_plane.reason}}},
          {"maxUnavailable", plan.max_unavailable},
          {"nodes", nodes},
          {"findings", findings},
          {"nextCommand", plan.next_command}};
}

std::string render_json(const Plan& plan) {
  return to_document(plan).dump(2) + "\n";
}

std::string render_yaml(const Plan& plan) {
  YAML::Emitter out;
  emit(out, to_document(plan));
  return std::string(out.c_str()) + "\n";
}

}  // namespace plan
