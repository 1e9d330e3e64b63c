// Container logs kept by the sim's kubelets and served by GET .../pods/P/log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tests/sim/store/clock.h"

namespace sim {

struct LogLine {
  WallTime time;
  std::string text;  // without the trailing newline
};

class PodLogs {
 public:
  // Appends output; it is split into lines (a partial last line waits for its newline unless the
  // container finishes).
  void append(const std::string& pod_uid, const std::string& container, const std::string& output);
  // The container exited (followers stop) or was restarted (finished=false).
  void set_finished(const std::string& pod_uid, const std::string& container, bool finished);
  void forget(const std::string& pod_uid);

  struct Chunk {
    std::vector<LogLine> lines;
    size_t next = 0;        // index to ask from next time
    bool finished = false;  // no more lines will come
  };
  // Lines from index `from`, waiting until `deadline` for at least one when none is there yet.
  Chunk read(const std::string& pod_uid, const std::string& container, size_t from,
             std::chrono::steady_clock::time_point deadline) const;
  // The log's tail, at most `max_bytes` and `max_lines` (FallbackToLogsOnError).
  std::string tail(const std::string& pod_uid, const std::string& container, size_t max_bytes,
                   size_t max_lines) const;
  void wake_all();

 private:
  struct Log {
    std::vector<LogLine> lines;
    std::string partial;
    bool finished = false;
  };
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, Log> logs_;  // "uid/container"
  uint64_t wake_ = 0;
};

}  // namespace sim
