#include "tests/sim/store/patch.h"

#include <algorithm>
#include <map>

namespace sim {
namespace {

// Lists that strategic merge patch merges by a key instead of replacing (patchMergeKey in the
// Kubernetes types that matter to the sim).
const std::map<std::string, std::string>& merge_keys() {
  static const std::map<std::string, std::string> kKeys = {
      {"containers", "name"},
      {"initContainers", "name"},
      {"ephemeralContainers", "name"},
      {"volumes", "name"},
      {"env", "name"},
      {"volumeMounts", "mountPath"},
      {"ports", "containerPort"},
      {"conditions", "type"},
      {"ownerReferences", "uid"},
      {"imagePullSecrets", "name"},
      {"addresses", "type"},
      {"hostAliases", "ip"},
      {"topologySpreadConstraints", "topologyKey"}};
  return kKeys;
}

bool is_primitive_merge_list(const std::string& field) {
  return field == "finalizers";
}

nlohmann::json merge_keyed_list(const nlohmann::json& original, const nlohmann::json& patch,
                                const std::string& key) {
  nlohmann::json out = original.is_array() ? original : nlohmann::json::array();
  for (const auto& item : patch) {
    if (!item.is_object() || !item.contains(key)) {
      out.push_back(item);
      continue;
    }
    auto same = [&](const nlohmann::json& o) {
      return o.is_object() && o.contains(key) && o[key] == item[key];
    };
    auto it = std::find_if(out.begin(), out.end(), same);
    bool remove = item.value("$patch", "") == "delete";
    if (remove) {
      if (it != out.end()) out.erase(it);
      continue;
    }
    if (it != out.end()) {
      *it = strategic_merge(*it, item);
    } else {
      nlohmann::json clean = item;
      clean.erase("$patch");
      out.push_back(clean);
    }
  }
  return out;
}

nlohmann::json merge_primitive_list(const nlohmann::json& original, const nlohmann::json& patch) {
  nlohmann::json out = original.is_array() ? original : nlohmann::json::array();
  for (const auto& v : patch) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

void delete_from_primitive_list(nlohmann::json& target, const nlohmann::json& values) {
  if (!target.is_array() || !values.is_array()) return;
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& v : target) {
    if (std::find(values.begin(), values.end(), v) == values.end()) kept.push_back(v);
  }
  target = kept;
}

}  // namespace

nlohmann::json strategic_merge(const nlohmann::json& original, const nlohmann::json& patch) {
  if (!patch.is_object()) return patch;
  if (patch.value("$patch", "") == "replace") {
    nlohmann::json replaced = patch;
    replaced.erase("$patch");
    return replaced;
  }
  nlohmann::json out = original.is_object() ? original : nlohmann::json::object();
  for (const auto& [key, value] : patch.items()) {
    if (key == "$patch" || key == "$retainKeys" || key.starts_with("$setElementOrder/")) continue;
    if (key.starts_with("$deleteFromPrimitiveList/")) {
      std::string field = key.substr(std::string("$deleteFromPrimitiveList/").size());
      if (out.contains(field)) delete_from_primitive_list(out[field], value);
      continue;
    }
    if (value.is_null()) {
      out.erase(key);
    } else if (value.is_object()) {
      if (value.value("$patch", "") == "delete") {
        out.erase(key);
        continue;
      }
      out[key] = strategic_merge(out.contains(key) ? out[key] : nlohmann::json(), value);
    } else if (value.is_array()) {
      auto mk = merge_keys().find(key);
      if (mk != merge_keys().end()) {
        out[key] =
            merge_keyed_list(out.contains(key) ? out[key] : nlohmann::json(), value, mk->second);
      } else if (is_primitive_merge_list(key)) {
        out[key] = merge_primitive_list(out.contains(key) ? out[key] : nlohmann::json(), value);
      } else {
        out[key] = value;
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}

Result<PatchType> patch_type_from_content_type(const std::string& content_type) {
  std::string ct = content_type.substr(0, content_type.find(';'));
  if (ct == "application/merge-patch+json") return PatchType::kMerge;
  if (ct == "application/strategic-merge-patch+json") return PatchType::kStrategicMerge;
  if (ct == "application/json-patch+json") return PatchType::kJson;
  return std::unexpected(unsupported_media_type(content_type));
}

Result<nlohmann::json> apply_patch(PatchType type, const nlohmann::json& original,
                                   const std::string& patch_body, const std::string& kind,
                                   const std::string& name) {
  nlohmann::json patch = nlohmann::json::parse(patch_body, nullptr, false);
  if (patch.is_discarded()) {
    return std::unexpected(
        bad_request("error decoding patch: invalid character in the patch document"));
  }
  switch (type) {
    case PatchType::kMerge: {
      if (!patch.is_object())
        return std::unexpected(
            bad_request("error decoding patch: a merge patch must be a JSON object"));
      nlohmann::json out = original;
      out.merge_patch(patch);
      return out;
    }
    case PatchType::kStrategicMerge:
      if (!patch.is_object()) {
        return std::unexpected(
            bad_request("error decoding patch: a strategic merge patch must be a JSON object"));
      }
      return strategic_merge(original, patch);
    case PatchType::kJson: {
      if (!patch.is_array()) {
        return std::unexpected(
            bad_request("error decoding patch: json: cannot unmarshal object into Go value of type "
                        "jsonpatch.Patch"));
      }
      try {
        return original.patch(patch);
      } catch (const nlohmann::json::exception& e) {
        std::string why = e.what();  // drop nlohmann's "[json.exception.x.y] " prefix
        if (auto close = why.find("] ");
            why.starts_with("[json.exception") && close != std::string::npos) {
          why = why.substr(close + 2);
        }
        return std::unexpected(
            invalid("", kind, name, {invalid_field("patch", patch.dump(), why)}));
      }
    }
  }
  return std::unexpected(internal_error("unknown patch type"));
}

}  // namespace sim
