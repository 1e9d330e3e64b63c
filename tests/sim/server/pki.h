// The sim's credentials: a CA, the API server's certificate, an admin client certificate and a
// bearer token, under DIR/pki, plus DIR/kubeconfig. Made with OpenSSL's C API (kube-sim is a test
// tool; only pkg/kube is kept away from OpenSSL in the product). Reused when already present, so a
// restarted sim keeps its kubeconfig valid.
#pragma once

#include <expected>
#include <filesystem>
#include <string>

namespace sim {

struct Pki {
  std::filesystem::path dir;  // DIR/pki
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
  std::string admin_cert_pem;
  std::string admin_key_pem;
  std::string token;  // bearer token of the second user

  std::filesystem::path ca_cert_file() const { return dir / "ca.crt"; }
  std::filesystem::path server_cert_file() const { return dir / "apiserver.crt"; }
  std::filesystem::path server_key_file() const { return dir / "apiserver.key"; }
};

// Loads DIR/pki or creates it. The error names the file and the OpenSSL failure.
std::expected<Pki, std::string> ensure_pki(const std::filesystem::path& state_dir);

// Writes DIR/kubeconfig atomically (temp file + rename): cluster `kube-sim`, users
// `kube-sim-admin` (client certificate, CN=kubernetes-admin) and `kube-sim-token` (bearer token),
// contexts `kube-sim` (admin, current) and `kube-sim-token`.
std::expected<void, std::string> write_kubeconfig(const std::filesystem::path& state_dir,
                                                  const Pki& pki, int port);

// Names of the users the credentials authenticate as.
inline constexpr const char* kAdminUser = "kubernetes-admin";
inline constexpr const char* kTokenUser = "kube-sim-token-user";

}  // namespace sim
