// The part a node plays in a kubeadm upgrade: the first control plane runs `kubeadm upgrade
// apply`, the other control planes and the workers `kubeadm upgrade node`. Shared by the plan (its
// order) and the node procedure (its record), so both say the same words.
#pragma once

#include <optional>
#include <string>

namespace cluster {

enum class Role { kFirstControlPlane, kControlPlane, kWorker };

const char* role_name(Role r);  // "first-control-plane", "control-plane", "worker"
std::optional<Role> parse_role(const std::string& s);

}  // namespace cluster
