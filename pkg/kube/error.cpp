#include "pkg/kube/error.h"

namespace kube {

Error Error::api(Status s) {
  Error e;
  e.kind = ErrorKind::kApi;
  e.message = s.message;
  e.status = std::move(s);
  return e;
}

Error Error::transport(std::string message, std::string hint) {
  return Error{ErrorKind::kTransport, std::move(message), {}, std::move(hint)};
}

Error Error::config(std::string message, std::string hint) {
  return Error{ErrorKind::kConfig, std::move(message), {}, std::move(hint)};
}

Error Error::decode(std::string message) {
  return Error{ErrorKind::kDecode, std::move(message), {}, {}};
}

Error Error::cancelled(std::string message) {
  return Error{ErrorKind::kCancelled, std::move(message), {}, {}};
}

Error Error::wrap(const std::string& doing) const {
  Error e = *this;
  e.message = doing + ": " + message;
  return e;
}

std::string Error::to_string() const {
  std::string out;
  if (kind == ErrorKind::kApi && status.code == 401) {
    out = "error: You must be logged in to the server (" +
          (status.message.empty() ? std::string("Unauthorized") : status.message) + ")";
  } else if (kind == ErrorKind::kApi) {
    std::string reason = status.reason.empty() ? "Unknown" : status.reason;
    out = "Error from server (" + reason + "): " + message;
  } else if ((kind == ErrorKind::kTransport && failure == TransportFailure::kRefused) ||
             message.rfind("Unable to connect to the server", 0) == 0 ||
             message.rfind("Error in configuration:", 0) == 0) {
    out = message;  // kubectl prints these sentences without "error: "
  } else {
    out = "error: " + message;
  }
  if (!hint.empty()) out += "\n" + hint;
  return out;
}

}  // namespace kube
