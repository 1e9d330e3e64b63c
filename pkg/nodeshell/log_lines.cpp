#include "pkg/nodeshell/log_lines.h"

#include <algorithm>

#include "pkg/drain/pod.h"

namespace nodeshell {

std::optional<LogLines::Stamp> LogLines::stamp(std::string_view ts) {
  auto secs = drain::parse_rfc3339(std::string(ts));
  if (!secs) return std::nullopt;
  long long nanos = 0;
  auto dot = ts.find('.');
  if (dot != std::string_view::npos) {
    int digits = 0;
    for (size_t i = dot + 1; i < ts.size() && ts[i] >= '0' && ts[i] <= '9' && digits < 9; ++i) {
      nanos = nanos * 10 + (ts[i] - '0');
      ++digits;
    }
    for (; digits < 9; ++digits) nanos *= 10;
  }
  return Stamp{*secs, nanos};
}

void LogLines::line(std::string_view raw) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  auto space = raw.find(' ');
  std::optional<Stamp> s =
      space == std::string_view::npos ? std::nullopt : stamp(raw.substr(0, space));
  std::string text(s ? raw.substr(space + 1) : raw);
  if (s && last_) {
    if (*s < *last_) return;  // seen before the stream broke
    if (*s == *last_) {
      if (std::ranges::find(at_last_, text) != at_last_.end()) return;
    } else {
      at_last_.clear();
    }
  }
  if (s) {
    last_ = s;
    last_text_ = std::string(raw.substr(0, space));
    at_last_.push_back(text);
  }
  lines_.push_back(text);
  if (sink_) sink_(text);
}

void LogLines::feed(std::string_view chunk) {
  partial_.append(chunk);
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
    line(std::string_view(partial_).substr(start, nl - start));
  partial_.erase(0, start);
}

void LogLines::reopen() {
  partial_.clear();
}

void LogLines::finish() {
  if (!partial_.empty()) line(partial_);
  partial_.clear();
}

std::optional<std::string> LogLines::since_time() const {
  if (!last_) return std::nullopt;
  // "2026-11-26T10:00:00.123Z" -> "2026-11-26T10:00:00Z"
  std::string t = last_text_.substr(0, 19);
  return t + "Z";
}

}  // namespace nodeshell
