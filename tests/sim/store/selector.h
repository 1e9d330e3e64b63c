// Label and field selectors with the apiserver's syntax and errors.
//
// Label: `a=b,c!=d,e in (x,y),f notin (z),g,!h` (k8s.io/apimachinery/pkg/labels).
// Field: `spec.nodeName=n,status.phase!=Failed` with the per-resource supported labels; an
// unsupported field label is a 400 like the real "field label not supported: x".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/sim/store/api_error.h"
#include "tests/sim/store/resources.h"

namespace sim {

struct LabelRequirement {
  enum class Op { kExists, kNotExists, kEquals, kNotEquals, kIn, kNotIn, kGreater, kLess };
  std::string key;
  Op op = Op::kExists;
  std::vector<std::string> values;
  bool matches(const nlohmann::json& labels) const;
};

class LabelSelector {
 public:
  // Parses the query-string form. Errors are 400 BadRequest.
  static Result<LabelSelector> parse(const std::string& text);
  // From a metav1.LabelSelector object ({matchLabels, matchExpressions}). An absent or null
  // selector matches nothing (as for PDBs and workloads); an empty one `{}` matches everything.
  static Result<LabelSelector> from_object(const nlohmann::json& selector);

  bool matches(const nlohmann::json& labels) const;
  bool matches_nothing() const { return nothing_; }
  bool empty() const { return requirements_.empty() && !nothing_; }
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<LabelRequirement> requirements_;
  bool nothing_ = false;
};

struct FieldRequirement {
  std::string field;
  std::string value;
  bool negate = false;
};

class FieldSelector {
 public:
  static Result<FieldSelector> parse(const std::string& text, const ResourceInfo& resource);
  bool matches(const nlohmann::json& object) const;
  bool empty() const { return requirements_.empty(); }
  // The value of an equality requirement on `field`, for indexed lookups.
  std::optional<std::string> equals(const std::string& field) const;
  const std::vector<FieldRequirement>& requirements() const { return requirements_; }

 private:
  const ResourceInfo* resource_ = nullptr;
  std::vector<FieldRequirement> requirements_;
};

// The value of a selectable field of an object ("" when absent), as the apiserver's field set
// shows it; nullopt when `field` is not selectable on that resource.
std::optional<std::string> field_value(const ResourceInfo& resource, const nlohmann::json& object,
                                       const std::string& field);

}  // namespace sim
