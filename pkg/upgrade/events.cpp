#include "pkg/upgrade/events.h"

#include <fmt/format.h>

#include "pkg/kube/paths.h"
#include "pkg/upgrade/timefmt.h"

namespace upgrade {

kube::Result<void> EventRecorder::node_event(const std::string& node, const std::string& type,
                                             const std::string& reason,
                                             const std::string& message) {
  auto now = clock_.wall();
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::string ts = rfc3339(now);
  kube::json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", node + "." + fmt::format("{:x}", nanos)}, {"namespace", "default"}}},
      {"involvedObject", {{"kind", "Node"}, {"name", node}, {"uid", node}, {"apiVersion", "v1"}}},
      {"reason", reason},
      {"message", message.substr(0, 1024)},
      {"type", type},
      {"source", {{"component", kEventComponent}}},
      {"reportingComponent", kEventComponent},
      {"firstTimestamp", ts},
      {"lastTimestamp", ts},
      {"count", 1},
  };
  auto made = client_.create(kube::paths::events("default"), event);
  if (!made) return std::unexpected(made.error().wrap("recording an event on node " + node));
  return {};
}

}  // namespace upgrade
