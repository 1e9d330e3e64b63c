// Errors of pkg/version: a named code (callers branch on it) and a sentence for people that says
// what was wrong, with which value, and what to do next. Values from outside (flags, the API,
// node scripts) are quoted with quote(), which escapes control characters and truncates, so a
// hostile string can never break a terminal or a log line.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace kver {

enum class ErrorCode {
  kInvalidVersion,         // not a Kubernetes version
  kInvalidPackageVersion,  // not a kubeadm/kubelet/kubectl package version
  kDowngrade,              // target older than current
  kAlreadyAtTarget,        // nothing to do (an expected outcome, not a failure)
  kUnknownVersion,         // well-formed, but not among the available versions
  kUnsupportedTarget,      // outside the support window, a different major, or too new
  kPrereleaseNotAllowed,   // a pre-release target without the explicit opt-in
  kMissingIntermediate,    // no release of a minor the path must go through
};

struct Error {
  ErrorCode code = ErrorCode::kInvalidVersion;
  std::string message;  // what failed and why
  std::string hint;     // what to do next (may be empty)

  std::string to_string() const { return hint.empty() ? message : message + "; " + hint; }
};

template <class T>
using Result = std::expected<T, Error>;

// `"text"` with control and non-ASCII bytes as \xNN, quotes and backslashes escaped, and at most
// `max_chars` characters of the input shown (then `...`).
std::string quote(std::string_view text, std::size_t max_chars = 48);

}  // namespace kver
