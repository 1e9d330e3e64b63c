#include "pkg/cluster/role.h"

namespace cluster {

const char* role_name(Role r) {
  switch (r) {
    case Role::kFirstControlPlane:
      return "first-control-plane";
    case Role::kControlPlane:
      return "control-plane";
    case Role::kWorker:
      return "worker";
  }
  return "worker";
}

std::optional<Role> parse_role(const std::string& s) {
  for (Role r : {Role::kFirstControlPlane, Role::kControlPlane, Role::kWorker})
    if (s == role_name(r)) return r;
  return std::nullopt;
}

}  // namespace cluster
