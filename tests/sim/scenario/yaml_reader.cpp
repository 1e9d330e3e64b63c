#include "tests/sim/scenario/yaml_reader.h"

#include <fmt/format.h>

namespace sim::scenario_yaml {
namespace {

std::string at(const std::filesystem::path& file, const YAML::Mark& m) {
  if (m.is_null()) return file.string();
  return fmt::format("{}:{}:{}", file.string(), m.line + 1, m.column + 1);
}

}  // namespace

Reader::Reader(const std::filesystem::path& file, YAML::Node node, std::string where)
    : file_(file), node_(std::move(node)), where_(std::move(where)) {
  if (!node_.IsMap()) fail_here(where_ + " must be a mapping");
}

void Reader::fail(const std::string& key, const std::string& why) const {
  YAML::Node v = node_[key];
  YAML::Mark m = v.IsDefined() ? v.Mark() : node_.Mark();
  throw LoadError{fmt::format("{}: {}.{}: {}", at(file_, m), where_, key, why)};
}

void Reader::fail_here(const std::string& why) const {
  throw LoadError{fmt::format("{}: {}", at(file_, node_.Mark()), why)};
}

void Reader::only(const std::set<std::string>& known) const {
  for (const auto& kv : node_) {
    std::string key = kv.first.as<std::string>();
    if (!known.contains(key)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw LoadError{fmt::format("{}: {}: unknown field \"{}\" (known: {})",
                                  at(file_, kv.first.Mark()), where_, key, list)};
    }
  }
}

bool Reader::has(const std::string& key) const {
  return node_[key].IsDefined() && !node_[key].IsNull();
}

YAML::Node Reader::value(const std::string& key) const {
  return node_[key];
}

Reader Reader::child(const std::string& key) const {
  YAML::Node v = value(key);
  if (!v.IsMap()) fail(key, "must be a mapping");
  return Reader(file_, v, where_ + "." + key);
}

std::vector<Reader> Reader::list(const std::string& key) const {
  std::vector<Reader> out;
  if (!has(key)) return out;
  YAML::Node v = value(key);
  if (!v.IsSequence()) fail(key, "must be a list");
  for (size_t i = 0; i < v.size(); ++i) {
    out.emplace_back(file_, v[i], fmt::format("{}.{}[{}]", where_, key, i));
  }
  return out;
}

std::string Reader::str(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  YAML::Node v = value(key);
  if (!v.IsScalar()) fail(key, "must be a string");
  return v.as<std::string>();
}

std::string Reader::required_str(const std::string& key) const {
  if (!has(key)) fail_here(fmt::format("{}: missing required field \"{}\"", where_, key));
  std::string s = str(key, "");
  if (s.empty()) fail(key, "must not be empty");
  return s;
}

int Reader::integer(const std::string& key, int fallback) const {
  if (!has(key)) return fallback;
  try {
    return value(key).as<int>();
  } catch (const YAML::Exception&) {
    fail(key, "must be an integer");
  }
}

double Reader::number(const std::string& key, double fallback) const {
  if (!has(key)) return fallback;
  try {
    return value(key).as<double>();
  } catch (const YAML::Exception&) {
    fail(key, "must be a number");
  }
}

bool Reader::boolean(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  try {
    return value(key).as<bool>();
  } catch (const YAML::Exception&) {
    fail(key, "must be true or false");
  }
}

std::map<std::string, std::string> Reader::string_map(const std::string& key) const {
  std::map<std::string, std::string> out;
  if (!has(key)) return out;
  YAML::Node v = value(key);
  if (!v.IsMap()) fail(key, "must be a mapping of strings");
  for (const auto& kv : v) {
    if (!kv.second.IsScalar() && !kv.second.IsNull()) fail(key, "values must be strings");
    out[kv.first.as<std::string>()] = kv.second.IsNull() ? "" : kv.second.as<std::string>();
  }
  return out;
}

std::vector<std::string> Reader::string_list(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  YAML::Node v = value(key);
  if (!v.IsSequence()) fail(key, "must be a list of strings");
  for (const auto& item : v) {
    if (!item.IsScalar()) fail(key, "items must be strings");
    out.push_back(item.as<std::string>());
  }
  return out;
}

nlohmann::json Reader::json(const std::string& key, nlohmann::json fallback) const {
  if (!has(key)) return fallback;
  return to_json(value(key));
}

std::optional<std::string> Reader::int_or_percent(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  std::string s = str(key, "");
  bool percent = !s.empty() && s.back() == '%';
  std::string digits = percent ? s.substr(0, s.size() - 1) : s;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
    fail(key, "must be an integer or a percentage like \"50%\"");
  }
  return s;
}

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      std::string s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted
      if (s == "true" || s == "false") return s == "true";
      try {
        size_t used = 0;
        long long i = std::stoll(s, &used);
        if (used == s.size()) return i;
      } catch (...) {
      }
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace sim::scenario_yaml
