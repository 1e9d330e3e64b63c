// core/v1 Events as the components write them (kubernetes-facts.md section 7): name
// "<object>.<hex nanos>", involvedObject, source, first/last timestamps, and a count that goes up
// when the same reason and message repeat for the same object.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/store/store.h"

namespace sim {

struct EventSource {
  std::string component;  // "default-scheduler", "kubelet", "node-controller", ...
  std::string host;       // the node, for kubelet events
};

// `involved` is the object the event is about (a Pod, Node, ReplicaSet, ...); `field_path` e.g.
// "spec.containers{web}".
void record_event(Store& store, const nlohmann::json& involved, const std::string& type,
                  const std::string& reason, const std::string& message, const EventSource& source,
                  const std::string& field_path = {});

}  // namespace sim
