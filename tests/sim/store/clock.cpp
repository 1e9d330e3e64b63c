#include "tests/sim/store/clock.h"

#include <fmt/format.h>

#include <ctime>
#include <mutex>
#include <random>

namespace sim {
namespace {

std::mt19937_64& rng() {
  static std::mt19937_64 gen{std::random_device{}()};
  return gen;
}
std::mutex rng_mutex;

std::string date_time(WallTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

long long sub_second_nanos(WallTime t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return ((ns % 1000000000) + 1000000000) % 1000000000;
}

}  // namespace

std::string rfc3339(WallTime t) {
  return date_time(t) + "Z";
}

std::string rfc3339_micro(WallTime t) {
  return fmt::format("{}.{:06d}Z", date_time(t), sub_second_nanos(t) / 1000);
}

std::string rfc3339_nano(WallTime t) {
  return fmt::format("{}.{:09d}Z", date_time(t), sub_second_nanos(t));
}

std::string now_rfc3339() {
  return rfc3339(std::chrono::system_clock::now());
}

bool parse_rfc3339(const std::string& text, WallTime& out) {
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return false;
  long long nanos = 0;
  if (*rest == '.') {
    ++rest;
    int digits = 0;
    while (*rest >= '0' && *rest <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (*rest - '0');
        ++digits;
      }
      ++rest;
    }
    while (digits++ < 9) nanos *= 10;
  }
  if (*rest != 'Z') return false;
  out = std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::nanoseconds(nanos);
  return true;
}

std::string new_uid() {
  std::lock_guard lock(rng_mutex);
  std::uniform_int_distribution<int> hex(0, 15);
  const char* digits = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    int v = hex(rng());
    if (i == 12) v = 4;
    if (i == 16) v = 8 + (v & 3);
    out += digits[v];
  }
  return out;
}

std::string random_suffix(size_t length) {
  static const std::string kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::lock_guard lock(rng_mutex);
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  std::string out;
  for (size_t i = 0; i < length; ++i) out += kAlphabet[pick(rng())];
  return out;
}

std::string human_duration(std::chrono::seconds d) {
  long long s = d.count();
  if (s < 0) s = 0;
  if (s < 120) return fmt::format("{}s", s);
  long long m = s / 60;
  if (m < 10) return s % 60 == 0 ? fmt::format("{}m", m) : fmt::format("{}m{}s", m, s % 60);
  if (m < 180) return fmt::format("{}m", m);
  long long h = m / 60;
  if (h < 8) return m % 60 == 0 ? fmt::format("{}h", h) : fmt::format("{}h{}m", h, m % 60);
  if (h < 48) return fmt::format("{}h", h);
  long long days = h / 24;
  if (days < 8) return h % 24 == 0 ? fmt::format("{}d", days) : fmt::format("{}d{}h", days, h % 24);
  if (days < 365 * 2) return fmt::format("{}d", days);
  long long years = days / 365;
  if (years < 8)
    return days % 365 == 0 ? fmt::format("{}y", years) : fmt::format("{}y{}d", years, days % 365);
  return fmt::format("{}y", years);
}

}  // namespace sim
