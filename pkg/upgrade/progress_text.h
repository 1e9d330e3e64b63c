// Words for people, pure: progress lines of a node's run, durations from flags, the resume
// command. The commands write them to stderr; nothing here prints.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "pkg/upgrade/procedure.h"

namespace upgrade {

// "15m", "1h", "90s", "1h30m", "2m30s" (Go's time.ParseDuration subset: h, m, s). nullopt if bad.
std::optional<std::chrono::seconds> parse_duration(const std::string& text);

// "[  3m12s] w1 5/9 drain: evicted 3/4; waiting for shop/web-1: ..." ; script output lines as
// "           w1 | text". `timestamp` (RFC 3339, for non-TTY output) is put first when given.
std::string progress_line(const StepUpdate& u, const std::string& timestamp = "");

// What to run to resume a node.
std::string resume_command(const std::string& node, const std::string& target,
                           const std::string& flags = "");

// The end of a node's run in a few lines: outcome, from/to, time, pods evicted, error and hint.
std::string node_summary(const NodeResult& r);

}  // namespace upgrade
