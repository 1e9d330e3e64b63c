// Typed reading of a YAML mapping with errors that carry the file, line and column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sim::scenario_yaml {

// Thrown inside the loader only; load_scenario turns it into an std::unexpected.
struct LoadError {
  std::string message;  // "FILE:LINE:COLUMN: reason"
};

class Reader {
 public:
  Reader(const std::filesystem::path& file, YAML::Node node, std::string where);

  // Refuses keys outside `known` (a typo in a scenario is an error, not a silent default).
  void only(const std::set<std::string>& known) const;
  bool has(const std::string& key) const;
  Reader child(const std::string& key) const;              // must be a mapping
  std::vector<Reader> list(const std::string& key) const;  // a sequence of mappings

  std::string str(const std::string& key, const std::string& fallback) const;
  std::string required_str(const std::string& key) const;
  int integer(const std::string& key, int fallback) const;
  double number(const std::string& key, double fallback) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::map<std::string, std::string> string_map(const std::string& key) const;
  std::vector<std::string> string_list(const std::string& key) const;
  // Any YAML value as JSON (taints, tolerations).
  nlohmann::json json(const std::string& key, nlohmann::json fallback) const;
  // An int-or-string ("2", "50%").
  std::optional<std::string> int_or_percent(const std::string& key) const;

  [[noreturn]] void fail(const std::string& key, const std::string& why) const;
  [[noreturn]] void fail_here(const std::string& why) const;
  const YAML::Node& node() const { return node_; }

 private:
  YAML::Node value(const std::string& key) const;
  std::filesystem::path file_;
  YAML::Node node_;
  std::string where_;
};

nlohmann::json to_json(const YAML::Node& node);

}  // namespace sim::scenario_yaml
