// Timestamps, UIDs and generated names as the apiserver writes them.
#pragma once

#include <chrono>
#include <string>

namespace sim {

using WallTime = std::chrono::system_clock::time_point;

// RFC 3339 with seconds, "2026-11-26T10:30:00Z" (metav1.Time).
std::string rfc3339(WallTime t);
// RFC 3339 with microseconds, "2026-11-26T10:30:00.123456Z" (metav1.MicroTime).
std::string rfc3339_micro(WallTime t);
// RFC 3339 with nanoseconds (log timestamps), "2026-11-26T10:30:00.123456789Z".
std::string rfc3339_nano(WallTime t);
std::string now_rfc3339();
// Parses the three forms above; nullopt-like epoch when unparsable (returns false).
bool parse_rfc3339(const std::string& text, WallTime& out);

std::string new_uid();
// The apiserver's generateName suffix: 5 characters from "bcdfghjklmnpqrstvwxz2456789".
std::string random_suffix(size_t length = 5);

// "5m", "3h", "2d", "45s" like kubectl's HumanDuration (as the server's Table AGE cells).
std::string human_duration(std::chrono::seconds d);

}  // namespace sim
