#include "tests/sim/controllers/events.h"

#include <fmt/format.h>

#include "tests/sim/store/clock.h"

namespace sim {

void record_event(Store& store, const nlohmann::json& involved, const std::string& type,
                  const std::string& reason, const std::string& message, const EventSource& source,
                  const std::string& field_path) {
  const ResourceInfo& events = *find_qualified("events");
  const auto& meta = involved["metadata"];
  std::string name = meta.value("name", "");
  std::string ns = meta.value("namespace", "");
  std::string kind = involved.value("kind", "");
  std::string uid = kind == "Node" ? name : meta.value("uid", "");
  std::string event_ns = ns.empty() ? "default" : ns;
  auto now = std::chrono::system_clock::now();
  // Same object, reason and message: count it again (the event correlator's aggregation).
  for (const auto& s : store.all(events, event_ns)) {
    const auto& e = s.json();
    const auto& io = e.value("involvedObject", nlohmann::json::object());
    if (io.value("name", "") == name && io.value("kind", "") == kind &&
        e.value("reason", "") == reason && e.value("message", "") == message &&
        io.value("fieldPath", "") == field_path) {
      store.mutate(events, event_ns, e["metadata"].value("name", ""),
                   [&](nlohmann::json& ev) -> Result<void> {
                     ev["count"] = ev.value("count", 1) + 1;
                     ev["lastTimestamp"] = rfc3339(now);
                     return {};
                   });
      return;
    }
  }
  nlohmann::json io = {{"kind", kind},
                       {"name", name},
                       {"uid", uid},
                       {"apiVersion", involved.value("apiVersion", "v1")}};
  if (!ns.empty()) io["namespace"] = ns;
  if (kind != "Node") io["resourceVersion"] = meta.value("resourceVersion", "");
  if (!field_path.empty()) io["fieldPath"] = field_path;
  nlohmann::json src = {{"component", source.component}};
  if (!source.host.empty()) src["host"] = source.host;
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  nlohmann::json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", fmt::format("{}.{:x}", name, nanos)}, {"namespace", event_ns}}},
      {"involvedObject", io},
      {"reason", reason},
      {"message", message},
      {"source", src},
      {"firstTimestamp", rfc3339(now)},
      {"lastTimestamp", rfc3339(now)},
      {"count", 1},
      {"type", type},
      {"eventTime", nullptr},
      {"reportingComponent", source.component},
      {"reportingInstance", source.host}};
  store.create(events, std::move(event));
}

}  // namespace sim
