// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for, with the columns
// the real apiserver's printers give each type (pkg/printers/internalversion/printers.go).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/store/clock.h"
#include "tests/sim/store/resources.h"
#include "tests/sim/store/store.h"

namespace sim {

enum class IncludeObject { kNone, kMetadata, kObject };
IncludeObject include_object_from(const std::string& param);

nlohmann::json table_columns(const ResourceInfo& r);
nlohmann::json table_cells(const ResourceInfo& r, const nlohmann::json& obj, WallTime now);
nlohmann::json table_row(const ResourceInfo& r, const nlohmann::json& obj, WallTime now,
                         IncludeObject include);
// A Table for objects; `list_meta` is the list's metadata (resourceVersion, continue).
nlohmann::json make_table(const ResourceInfo& r, const std::vector<Stored>& items,
                          nlohmann::json list_meta, IncludeObject include);

// The STATUS column of `kubectl get pods` (Running, Pending, ContainerCreating, Terminating,
// Completed, Error, ...).
std::string pod_status_text(const nlohmann::json& pod);

}  // namespace sim
