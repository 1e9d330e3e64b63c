#include "pkg/upgrade/timefmt.h"

#include <fmt/format.h>

#include <ctime>

namespace upgrade {
namespace {
std::string seconds_part(ku::Wall::time_point t) {
  std::time_t secs = ku::Wall::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}
}  // namespace

std::string rfc3339(ku::Wall::time_point t) {
  return seconds_part(t) + "Z";
}

std::string rfc3339_micro(ku::Wall::time_point t) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return seconds_part(t) + fmt::format(".{:06}Z", ((micros % 1000000) + 1000000) % 1000000);
}

std::string human_duration(std::chrono::milliseconds d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

}  // namespace upgrade
