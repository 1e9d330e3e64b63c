#include "tests/sim/node/requests.h"

#include <fmt/format.h>
#include <unistd.h>

#include <thread>

#include "tests/sim/node/node_files.h"

namespace sim::node {

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
std::filesystem::path with_suffix(const std::filesystem::path& request, const char* suffix) {
  std::string name = request.filename().string();
  name.erase(name.size() - 5);  // ".json"
  return request.parent_path() / (name + suffix);
}
}  // namespace

bool is_request_file(const std::filesystem::path& p) {
  std::string name = p.filename().string();
  return ends_with(name, ".json") && !ends_with(name, ".done.json") &&
         !ends_with(name, ".state.json") && name.find(".tmp") == std::string::npos;
}

std::filesystem::path done_file(const std::filesystem::path& request) {
  return with_suffix(request, ".done.json");
}
std::filesystem::path state_file(const std::filesystem::path& request) {
  return with_suffix(request, ".state.json");
}

std::expected<nlohmann::json, std::string> ask_cluster(const std::filesystem::path& dir,
                                                       const nlohmann::json& request,
                                                       std::chrono::milliseconds timeout) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string seq = fmt::format(
      "{:020}-{}", std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(), ::getpid());
  std::filesystem::path file = dir / (seq + ".json");
  if (auto w = write_json(file, request); !w) return std::unexpected(w.error());
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::filesystem::path done = done_file(file);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (std::filesystem::exists(done, ec)) {
      auto answer = read_json(done);
      if (answer) {
        std::filesystem::remove(file, ec);
        std::filesystem::remove(done, ec);
        std::filesystem::remove(state_file(file), ec);
        return *answer;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::unexpected(
      fmt::format("no answer to {} within {}s", file.filename().string(),
                  std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
}

}  // namespace sim::node
