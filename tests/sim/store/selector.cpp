#include "tests/sim/store/selector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace sim {
namespace {

using Op = LabelRequirement::Op;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Splits on commas that are not inside parentheses.
Result<std::vector<std::string>> split_requirements(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth < 0)
      return std::unexpected(bad_request("unable to parse requirement: unexpected ')'"));
    if (c == ',' && depth == 0) {
      parts.push_back(trim(current));
      current.clear();
      continue;
    }
    current += c;
  }
  if (depth != 0)
    return std::unexpected(bad_request("unable to parse requirement: found '', expected: ')'"));
  parts.push_back(trim(current));
  return parts;
}

bool valid_label_key(const std::string& key) {
  if (key.empty() || key.size() > 316) return false;
  return std::ranges::all_of(key, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '/';
  });
}

bool valid_label_value(const std::string& value) {
  if (value.size() > 63) return false;
  return std::ranges::all_of(value, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

ApiError parse_error(const std::string& requirement, const std::string& why) {
  return bad_request(fmt::format("unable to parse requirement: {}: {}", requirement, why));
}

Result<std::vector<std::string>> parse_set(const std::string& req, std::string_view rest) {
  std::string body = trim(rest);
  if (body.size() < 2 || body.front() != '(' || body.back() != ')') {
    return std::unexpected(parse_error(req, "expected a value set in parentheses"));
  }
  std::vector<std::string> values;
  std::string inner = body.substr(1, body.size() - 2);
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    std::string v = trim(std::string_view(inner).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!valid_label_value(v))
      return std::unexpected(parse_error(req, "invalid label value: \"" + v + "\""));
    values.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

Result<LabelRequirement> parse_label_requirement(const std::string& req) {
  LabelRequirement r;
  if (req.starts_with("!")) {
    r.key = trim(std::string_view(req).substr(1));
    r.op = Op::kNotExists;
  } else if (auto p = req.find(" notin "); p != std::string::npos) {
    r.key = trim(std::string_view(req).substr(0, p));
    r.op = Op::kNotIn;
    auto set = parse_set(req, std::string_view(req).substr(p + 7));
    if (!set) return std::unexpected(set.error());
    r.values = *set;
  } else if (auto q = req.find(" in "); q != std::string::npos) {
    r.key = trim(std::string_view(req).substr(0, q));
    r.op = Op::kIn;
    auto set = parse_set(req, std::string_view(req).substr(q + 4));
    if (!set) return std::unexpected(set.error());
    r.values = *set;
  } else if (auto ne = req.find("!="); ne != std::string::npos) {
    r.key = trim(std::string_view(req).substr(0, ne));
    r.op = Op::kNotEquals;
    r.values = {trim(std::string_view(req).substr(ne + 2))};
  } else if (auto eq = req.find('='); eq != std::string::npos) {
    size_t skip = req.compare(eq, 2, "==") == 0 ? 2 : 1;
    r.key = trim(std::string_view(req).substr(0, eq));
    r.op = Op::kEquals;
    r.values = {trim(std::string_view(req).substr(eq + skip))};
  } else if (auto gt = req.find('>'); gt != std::string::npos) {
    r.key = trim(std::string_view(req).substr(0, gt));
    r.op = Op::kGreater;
    r.values = {trim(std::string_view(req).substr(gt + 1))};
  } else if (auto lt = req.find('<'); lt != std::string::npos) {
    r.key = trim(std::string_view(req).substr(0, lt));
    r.op = Op::kLess;
    r.values = {trim(std::string_view(req).substr(lt + 1))};
  } else {
    r.key = req;
    r.op = Op::kExists;
  }
  if (!valid_label_key(r.key)) {
    return std::unexpected(parse_error(req, "invalid label key \"" + r.key + "\""));
  }
  for (const auto& v : r.values) {
    if (!valid_label_value(v)) {
      return std::unexpected(parse_error(req, "invalid label value: \"" + v + "\""));
    }
  }
  return r;
}

std::string label_of(const nlohmann::json& labels, const std::string& key, bool& present) {
  present = false;
  if (!labels.is_object()) return {};
  auto it = labels.find(key);
  if (it == labels.end() || !it->is_string()) return {};
  present = true;
  return it->get<std::string>();
}

}  // namespace

bool LabelRequirement::matches(const nlohmann::json& labels) const {
  bool present = false;
  std::string v = label_of(labels, key, present);
  auto in_values = [&] { return std::ranges::find(values, v) != values.end(); };
  switch (op) {
    case Op::kExists:
      return present;
    case Op::kNotExists:
      return !present;
    case Op::kEquals:
      return present && in_values();
    case Op::kNotEquals:
      return !present || !in_values();
    case Op::kIn:
      return present && in_values();
    case Op::kNotIn:
      return !present || !in_values();
    case Op::kGreater:
    case Op::kLess: {
      if (!present || values.empty()) return false;
      char* end = nullptr;
      long long have = std::strtoll(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0') return false;
      long long want = std::strtoll(values[0].c_str(), nullptr, 10);
      return op == Op::kGreater ? have > want : have < want;
    }
  }
  return false;
}

Result<LabelSelector> LabelSelector::parse(const std::string& text) {
  LabelSelector sel;
  if (trim(text).empty()) return sel;
  auto parts = split_requirements(text);
  if (!parts) return std::unexpected(parts.error());
  for (const auto& p : *parts) {
    if (p.empty())
      return std::unexpected(
          bad_request("unable to parse requirement: found ',', expected: identifier"));
    auto r = parse_label_requirement(p);
    if (!r) return std::unexpected(r.error());
    sel.requirements_.push_back(std::move(*r));
  }
  return sel;
}

Result<LabelSelector> LabelSelector::from_object(const nlohmann::json& selector) {
  LabelSelector sel;
  if (!selector.is_object()) {
    sel.nothing_ = true;
    return sel;
  }
  if (auto ml = selector.find("matchLabels"); ml != selector.end() && ml->is_object()) {
    for (const auto& [k, v] : ml->items()) {
      if (!v.is_string()) return std::unexpected(bad_request("matchLabels values must be strings"));
      sel.requirements_.push_back({k, Op::kEquals, {v.get<std::string>()}});
    }
  }
  if (auto me = selector.find("matchExpressions"); me != selector.end() && me->is_array()) {
    for (const auto& e : *me) {
      LabelRequirement r;
      r.key = e.value("key", "");
      std::string op = e.value("operator", "");
      if (op == "In")
        r.op = Op::kIn;
      else if (op == "NotIn")
        r.op = Op::kNotIn;
      else if (op == "Exists")
        r.op = Op::kExists;
      else if (op == "DoesNotExist")
        r.op = Op::kNotExists;
      else
        return std::unexpected(
            bad_request("\"" + op + "\" is not a valid label selector operator"));
      if (auto vs = e.find("values"); vs != e.end() && vs->is_array()) {
        for (const auto& v : *vs)
          r.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      }
      sel.requirements_.push_back(std::move(r));
    }
  }
  return sel;
}

bool LabelSelector::matches(const nlohmann::json& labels) const {
  if (nothing_) return false;
  return std::ranges::all_of(requirements_, [&](const auto& r) { return r.matches(labels); });
}

namespace {

std::string string_at(const nlohmann::json& object, const nlohmann::json::json_pointer& ptr) {
  if (!object.contains(ptr)) return {};
  const auto& v = object.at(ptr);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return {};
}

std::optional<std::string> pointer_for(const ResourceInfo& r, const std::string& field) {
  if (field == "metadata.name") return "/metadata/name";
  if (field == "metadata.namespace" && r.namespaced) return "/metadata/namespace";
  if (r.qualified() == "pods") {
    static const std::vector<std::pair<std::string, std::string>> kPods = {
        {"spec.nodeName", "/spec/nodeName"},
        {"spec.restartPolicy", "/spec/restartPolicy"},
        {"spec.schedulerName", "/spec/schedulerName"},
        {"spec.serviceAccountName", "/spec/serviceAccountName"},
        {"spec.hostNetwork", "/spec/hostNetwork"},
        {"status.phase", "/status/phase"},
        {"status.podIP", "/status/podIP"},
        {"status.nominatedNodeName", "/status/nominatedNodeName"}};
    for (const auto& [f, p] : kPods) {
      if (f == field) return p;
    }
  }
  if (r.qualified() == "nodes" && field == "spec.unschedulable") return "/spec/unschedulable";
  if (r.qualified() == "namespaces" && field == "status.phase") return "/status/phase";
  if (r.qualified() == "secrets" && field == "type") return "/type";
  if (r.qualified() == "events") {
    static const std::vector<std::pair<std::string, std::string>> kEvents = {
        {"involvedObject.kind", "/involvedObject/kind"},
        {"involvedObject.namespace", "/involvedObject/namespace"},
        {"involvedObject.name", "/involvedObject/name"},
        {"involvedObject.uid", "/involvedObject/uid"},
        {"involvedObject.apiVersion", "/involvedObject/apiVersion"},
        {"involvedObject.resourceVersion", "/involvedObject/resourceVersion"},
        {"involvedObject.fieldPath", "/involvedObject/fieldPath"},
        {"reason", "/reason"},
        {"reportingComponent", "/reportingComponent"},
        {"source", "/source/component"},
        {"type", "/type"}};
    for (const auto& [f, p] : kEvents) {
      if (f == field) return p;
    }
  }
  return std::nullopt;
}

// Field selector values may escape ',', '=' and '\' with a backslash.
Result<std::vector<std::string>> split_fields(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      current += c;
      current += text[++i];
      continue;
    }
    if (c == ',') {
      parts.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  parts.push_back(current);
  return parts;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

}  // namespace

std::optional<std::string> field_value(const ResourceInfo& resource, const nlohmann::json& object,
                                       const std::string& field) {
  auto ptr = pointer_for(resource, field);
  if (!ptr) return std::nullopt;
  std::string v = string_at(object, nlohmann::json::json_pointer(*ptr));
  if (v.empty() && field == "spec.hostNetwork") return "false";
  if (v.empty() && field == "spec.unschedulable") return "false";
  return v;
}

Result<FieldSelector> FieldSelector::parse(const std::string& text, const ResourceInfo& resource) {
  FieldSelector sel;
  sel.resource_ = &resource;
  if (trim(text).empty()) return sel;
  auto parts = split_fields(text);
  for (const auto& raw : *parts) {
    std::string p = trim(raw);
    FieldRequirement r;
    size_t pos = p.find("!=");
    size_t width = 2;
    if (pos != std::string::npos) {
      r.negate = true;
    } else if ((pos = p.find("==")) != std::string::npos) {
      width = 2;
    } else if ((pos = p.find('=')) != std::string::npos) {
      width = 1;
    } else {
      return std::unexpected(
          bad_request(fmt::format("invalid selector: '{}'; can't understand '{}'", text, p)));
    }
    r.field = trim(std::string_view(p).substr(0, pos));
    r.value = unescape(trim(std::string_view(p).substr(pos + width)));
    if (!pointer_for(resource, r.field)) {
      return std::unexpected(bad_request(
          fmt::format("Unable to find \"{}, Resource={}\" that match label selector \"\", field "
                      "selector \"{}\": field label not supported: {}",
                      resource.api_version(), resource.resource, text, r.field)));
    }
    sel.requirements_.push_back(std::move(r));
  }
  return sel;
}

bool FieldSelector::matches(const nlohmann::json& object) const {
  for (const auto& r : requirements_) {
    std::string v = field_value(*resource_, object, r.field).value_or("");
    if ((v == r.value) == r.negate) return false;
  }
  return true;
}

std::optional<std::string> FieldSelector::equals(const std::string& field) const {
  for (const auto& r : requirements_) {
    if (r.field == field && !r.negate) return r.value;
  }
  return std::nullopt;
}

}  // namespace sim
