// Errors from the Kubernetes API and from getting there, as values.
//
// Two kinds, never confused: an API answer (`Status`, with the server's code, reason, message and
// causes) and a transport failure (connection refused, TLS, timeout). Configuration problems
// (kubeconfig, credentials) are a third kind. Every error says what was being done and to what;
// callers add context with `wrap()`. No secret is ever put into an Error.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace kube {

struct StatusCause {
  std::string reason;  // e.g. "DisruptionBudget", "FieldValueInvalid"
  std::string message;
  std::string field;
};

// The API's `Status` object (kubernetes-facts.md section 8).
struct Status {
  int code = 0;         // HTTP code, e.g. 404
  std::string reason;   // "NotFound", "Conflict", "TooManyRequests", ...
  std::string message;  // the server's sentence
  std::string kind;     // details.kind
  std::string name;     // details.name
  std::vector<StatusCause> causes;
  std::optional<int> retry_after_seconds;
};

enum class ErrorKind {
  kApi,        // the server answered with a Status
  kTransport,  // no usable answer: refused, reset, TLS, timeout, DNS
  kConfig,     // kubeconfig, flags, credentials
  kDecode,     // an answer we could not understand
  kCancelled,  // the caller (or Ctrl-C) stopped it
};

// What went wrong below HTTP, for kTransport errors (the retry policy reads it).
enum class TransportFailure {
  kOther,
  kRefused,  // connection refused
  kReset,    // connection reset / closed early / empty reply
  kTimeout,
  kDns,
  kTls,  // handshake, verification, client certificate
};

struct Error {
  ErrorKind kind = ErrorKind::kTransport;
  std::string message;  // what failed, including the context chain: "getting node w1: ..."
  Status status;        // meaningful when kind == kApi
  std::string hint;     // what to do next, if known ("did you specify the right host or port?")
  TransportFailure failure = TransportFailure::kOther;  // meaningful when kind == kTransport

  static Error api(Status s);
  static Error transport(std::string message, std::string hint = {});
  static Error config(std::string message, std::string hint = {});
  static Error decode(std::string message);
  static Error cancelled(std::string message);

  int code() const { return kind == ErrorKind::kApi ? status.code : 0; }
  bool is_api(int http_code) const { return kind == ErrorKind::kApi && status.code == http_code; }
  bool not_found() const { return is_api(404); }
  bool conflict() const { return is_api(409); }
  bool gone() const { return is_api(410); }

  // Prefix the message with what the caller was doing: e.wrap("evicting pod ns/p").
  Error wrap(const std::string& doing) const;
  // The way kubectl prints it: "Error from server (NotFound): nodes \"x\" not found",
  // "error: You must be logged in to the server (Unauthorized)", "error: <message>"; the
  // sentences kubectl prints bare stay bare ("The connection to the server ... was refused ...",
  // "Unable to connect to the server ...", "Error in configuration: ..."). Plus the hint on a
  // new line.
  std::string to_string() const;
};

template <class T>
using Result = std::expected<T, Error>;

}  // namespace kube
