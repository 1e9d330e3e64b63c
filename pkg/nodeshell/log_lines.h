// Turns a pod log requested with timestamps=true into lines, across reopened streams: a stream
// that broke is reopened with sinceTime (whole seconds), so lines already seen come again and are
// dropped by their timestamp ("2026-11-26T10:00:00.123456789Z text", RFC 3339 with nanoseconds).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nodeshell {

class LogLines {
 public:
  using Sink = std::function<void(const std::string& line)>;
  explicit LogLines(Sink sink) : sink_(std::move(sink)) {}

  void feed(std::string_view chunk);  // bytes of the current stream
  void reopen();                      // the stream ended; a partial line will come again whole
  void finish();                      // no more streams: emit a partial last line
  // For the next request's sinceTime: the last timestamp seen, truncated to seconds.
  std::optional<std::string> since_time() const;
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  using Stamp = std::pair<long long, long long>;  // seconds, nanoseconds
  void line(std::string_view raw);
  static std::optional<Stamp> stamp(std::string_view ts);

  Sink sink_;
  std::string partial_;
  std::optional<Stamp> last_;
  std::string last_text_;             // the text of the line at last_ (the seconds-truncated key)
  std::vector<std::string> at_last_;  // lines already seen with the timestamp last_
  std::vector<std::string> lines_;
};

}  // namespace nodeshell
