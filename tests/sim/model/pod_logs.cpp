#include "tests/sim/model/pod_logs.h"

namespace sim {
namespace {
std::string key(const std::string& uid, const std::string& container) {
  return uid + "/" + container;
}
}  // namespace

void PodLogs::append(const std::string& pod_uid, const std::string& container,
                     const std::string& output) {
  std::lock_guard lock(mu_);
  Log& log = logs_[key(pod_uid, container)];
  auto now = std::chrono::system_clock::now();
  log.partial += output;
  size_t pos = 0;
  while (true) {
    size_t nl = log.partial.find('\n', pos);
    if (nl == std::string::npos) break;
    log.lines.push_back({now, log.partial.substr(pos, nl - pos)});
    pos = nl + 1;
  }
  log.partial.erase(0, pos);
  cv_.notify_all();
}

void PodLogs::set_finished(const std::string& pod_uid, const std::string& container,
                           bool finished) {
  std::lock_guard lock(mu_);
  Log& log = logs_[key(pod_uid, container)];
  if (finished && !log.partial.empty()) {
    log.lines.push_back({std::chrono::system_clock::now(), log.partial});
    log.partial.clear();
  }
  log.finished = finished;
  cv_.notify_all();
}

void PodLogs::forget(const std::string& pod_uid) {
  std::lock_guard lock(mu_);
  std::string prefix = pod_uid + "/";
  for (auto it = logs_.lower_bound(prefix); it != logs_.end() && it->first.starts_with(prefix);) {
    it = logs_.erase(it);
  }
  cv_.notify_all();
}

PodLogs::Chunk PodLogs::read(const std::string& pod_uid, const std::string& container, size_t from,
                             std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mu_);
  std::string k = key(pod_uid, container);
  uint64_t wake = wake_;
  cv_.wait_until(lock, deadline, [&] {
    auto it = logs_.find(k);
    return wake_ != wake || it == logs_.end() || it->second.finished ||
           it->second.lines.size() > from;
  });
  Chunk c;
  auto it = logs_.find(k);
  if (it == logs_.end()) {
    c.finished = true;
    c.next = from;
    return c;
  }
  const Log& log = it->second;
  for (size_t i = from; i < log.lines.size(); ++i) c.lines.push_back(log.lines[i]);
  c.next = std::max(from, log.lines.size());
  c.finished = log.finished;
  return c;
}

std::string PodLogs::tail(const std::string& pod_uid, const std::string& container,
                          size_t max_bytes, size_t max_lines) const {
  std::lock_guard lock(mu_);
  auto it = logs_.find(key(pod_uid, container));
  if (it == logs_.end()) return {};
  const auto& lines = it->second.lines;
  std::string out;
  size_t count = 0;
  for (auto l = lines.rbegin(); l != lines.rend() && count < max_lines; ++l, ++count) {
    std::string piece = l->text + "\n";
    if (out.size() + piece.size() > max_bytes) {
      if (out.empty()) out = piece.substr(piece.size() - max_bytes);
      break;
    }
    out = piece + out;
  }
  return out;
}

void PodLogs::wake_all() {
  std::lock_guard lock(mu_);
  ++wake_;
  cv_.notify_all();
}

}  // namespace sim
