// Timestamps as the API writes them.
#pragma once

#include <chrono>
#include <string>

#include "pkg/drain/clock.h"

namespace upgrade {

std::string rfc3339(ku::Wall::time_point t);        // 2026-11-26T10:00:00Z
std::string rfc3339_micro(ku::Wall::time_point t);  // 2026-11-26T10:00:00.000000Z (MicroTime)
// "3m12s", "45s", "1h02m"
std::string human_duration(std::chrono::milliseconds d);

}  // namespace upgrade
