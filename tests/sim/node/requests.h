// Request files between a node's tools (inside its sandbox) and the cluster side (CONTRACT.md
// "Requests"): the tool writes <dir>/<seq>.json and waits for <dir>/<seq>.done.json.
// Inside a sandbox <dir> is /run/kube-sim/requests; outside it is DIR/requests/<node>.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace sim::node {

// Sends `request` ({"action": ..., ...}) and waits up to `timeout` for the answer
// ({"ok": bool, "message": ..., ...}). Errors: the request could not be written, or no answer came.
std::expected<nlohmann::json, std::string> ask_cluster(const std::filesystem::path& requests_dir,
                                                       const nlohmann::json& request,
                                                       std::chrono::milliseconds timeout);

bool is_request_file(const std::filesystem::path& p);  // <seq>.json, not .done.json / .state.json
std::filesystem::path done_file(const std::filesystem::path& request);
std::filesystem::path state_file(const std::filesystem::path& request);

}  // namespace sim::node
