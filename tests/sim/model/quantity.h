// Resource quantities as Kubernetes writes them ("100m", "2", "128Mi", "8Gi", "1G").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sim {

// CPU in millicores: "100m" -> 100, "2" -> 2000, "0.5" -> 500.
std::optional<int64_t> cpu_millis(const std::string& q);
// Bytes: "128Mi" -> 134217728, "1G" -> 1e9, "1024" -> 1024.
std::optional<int64_t> memory_bytes(const std::string& q);

}  // namespace sim
