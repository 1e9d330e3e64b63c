// Small accessors the controllers share: a resource by its qualified name ("pods", "apps/v1/...")
// and an object's name, namespace and uid.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/store/resources.h"

namespace sim::controllers_detail {

inline const ResourceInfo& res(const char* qualified) {
  return *find_qualified(qualified);
}
inline std::string name_of(const nlohmann::json& o) {
  return o["metadata"].value("name", "");
}
inline std::string ns_of(const nlohmann::json& o) {
  return o["metadata"].value("namespace", "");
}
inline std::string uid_of(const nlohmann::json& o) {
  return o["metadata"].value("uid", "");
}

}  // namespace sim::controllers_detail
