// Small read-only views of a Pod object (nlohmann::json) used by the filters and the evictor.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace drain {

using json = nlohmann::json;

struct PodRef {
  std::string ns;
  std::string name;
  std::string uid;
  std::string key() const { return ns + "/" + name; }
  bool operator==(const PodRef&) const = default;
};

struct OwnerRef {
  std::string kind;
  std::string name;
};

PodRef pod_ref(const json& pod);
std::optional<OwnerRef> controller_of(const json& pod);
bool is_finished(const json& pod);  // phase Succeeded or Failed
bool has_emptydir(const json& pod);
bool is_mirror(const json& pod);
bool is_ours(const json& pod);  // one of our node-shell pods
std::string label(const json& pod, const std::string& key);
// metadata.deletionTimestamp parsed, as seconds since the epoch.
std::optional<long long> deletion_timestamp(const json& pod);
// RFC 3339 ("2026-11-26T10:00:00Z", fractional seconds allowed) to seconds since the epoch.
std::optional<long long> parse_rfc3339(const std::string& text);

}  // namespace drain
