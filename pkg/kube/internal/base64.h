// Base64 through OpenSSL's EVP codec (kubeconfig *-data fields, basic auth).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kube::detail {

// Decodes standard base64; whitespace and newlines are ignored. nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace kube::detail
