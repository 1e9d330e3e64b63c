#include "tests/sim/server/pki.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace sim {
namespace {

namespace fs = std::filesystem;

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

std::string ssl_error() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::expected<void, std::string> write_file(const fs::path& p, const std::string& data,
                                            bool secret) {
  fs::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return std::unexpected("cannot write " + tmp.string());
    out << data;
    if (!out.flush()) return std::unexpected("cannot write " + tmp.string());
  }
  if (secret) ::chmod(tmp.c_str(), 0600);
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) return std::unexpected("cannot rename " + tmp.string() + ": " + ec.message());
  return {};
}

std::string key_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string cert_pem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

struct CertSpec {
  std::string common_name;
  std::string organization;
  bool is_ca = false;
  std::string extended_usage;  // "serverAuth" / "clientAuth"
  std::string alt_names;       // "DNS:localhost,IP:127.0.0.1"
  long days = 365;
};

// Signs `key`'s certificate with `issuer_key` (self-signed when issuer is null).
std::expected<CertPtr, std::string> make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer,
                                              EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.days * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!spec.organization.empty()) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(spec.organization.c_str()),
                               -1, -1, 0);
  }
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  bool ok = true;
  if (spec.is_ca) {
    ok &= add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    ok &= add_ext(cert.get(), signer, NID_key_usage,
                  "critical,digitalSignature,keyEncipherment,keyCertSign");
    ok &= add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    ok &= add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    ok &= add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    ok &= add_ext(cert.get(), signer, NID_ext_key_usage, spec.extended_usage.c_str());
    ok &= add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  if (!spec.alt_names.empty())
    ok &= add_ext(cert.get(), signer, NID_subject_alt_name, spec.alt_names.c_str());
  if (!ok) return std::unexpected("adding certificate extensions: " + ssl_error());
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    return std::unexpected("signing certificate " + spec.common_name + ": " + ssl_error());
  }
  return cert;
}

std::expected<KeyPtr, std::string> new_key() {
  KeyPtr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return std::unexpected("generating an EC P-256 key: " + ssl_error());
  return key;
}

std::string random_token() {
  unsigned char raw[24];
  RAND_bytes(raw, sizeof raw);
  std::string out;
  for (unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

std::expected<Pki, std::string> load(const fs::path& dir) {
  Pki p;
  p.dir = dir;
  p.ca_cert_pem = read_file(dir / "ca.crt");
  p.server_cert_pem = read_file(dir / "apiserver.crt");
  p.server_key_pem = read_file(dir / "apiserver.key");
  p.admin_cert_pem = read_file(dir / "admin.crt");
  p.admin_key_pem = read_file(dir / "admin.key");
  p.token = read_file(dir / "token");
  if (p.ca_cert_pem.empty() || p.server_cert_pem.empty() || p.server_key_pem.empty() ||
      p.admin_cert_pem.empty() || p.admin_key_pem.empty() || p.token.empty()) {
    return std::unexpected("incomplete credentials in " + dir.string());
  }
  return p;
}

std::expected<Pki, std::string> create(const fs::path& dir) {
  auto ca_key = new_key();
  auto server_key = new_key();
  auto admin_key = new_key();
  if (!ca_key) return std::unexpected(ca_key.error());
  if (!server_key) return std::unexpected(server_key.error());
  if (!admin_key) return std::unexpected(admin_key.error());
  auto ca = make_cert({.common_name = "kubernetes", .is_ca = true, .days = 3650}, ca_key->get(),
                      nullptr, nullptr);
  if (!ca) return std::unexpected(ca.error());
  auto server = make_cert({.common_name = "kube-apiserver",
                           .extended_usage = "serverAuth",
                           .alt_names = "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
                                        "DNS:kubernetes.default.svc,IP:127.0.0.1"},
                          server_key->get(), ca->get(), ca_key->get());
  if (!server) return std::unexpected(server.error());
  auto admin = make_cert({.common_name = kAdminUser,
                          .organization = "kubeadm:cluster-admins",
                          .extended_usage = "clientAuth"},
                         admin_key->get(), ca->get(), ca_key->get());
  if (!admin) return std::unexpected(admin.error());
  Pki p;
  p.dir = dir;
  p.ca_cert_pem = cert_pem(ca->get());
  p.server_cert_pem = cert_pem(server->get());
  p.server_key_pem = key_pem(server_key->get());
  p.admin_cert_pem = cert_pem(admin->get());
  p.admin_key_pem = key_pem(admin_key->get());
  p.token = random_token();
  const std::pair<const char*, std::pair<const std::string*, bool>> files[] = {
      {"ca.key", {nullptr, true}},
      {"ca.crt", {&p.ca_cert_pem, false}},
      {"apiserver.crt", {&p.server_cert_pem, false}},
      {"apiserver.key", {&p.server_key_pem, true}},
      {"admin.crt", {&p.admin_cert_pem, false}},
      {"admin.key", {&p.admin_key_pem, true}},
      {"token", {&p.token, true}}};
  std::string ca_key_pem = key_pem(ca_key->get());
  for (const auto& [file, content] : files) {
    const std::string& data = content.first != nullptr ? *content.first : ca_key_pem;
    if (auto ok = write_file(dir / file, data, content.second); !ok)
      return std::unexpected(ok.error());
  }
  return p;
}

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::expected<Pki, std::string> ensure_pki(const fs::path& state_dir) {
  fs::path dir = state_dir / "pki";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return std::unexpected("creating " + dir.string() + ": " + ec.message());
  if (fs::exists(dir / "token")) {
    if (auto p = load(dir)) return p;
  }
  return create(dir);
}

std::expected<void, std::string> write_kubeconfig(const fs::path& state_dir, const Pki& pki,
                                                  int port) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "kind" << YAML::Value << "Config";
  out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << "kube-sim";
  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "server" << YAML::Value << fmt::format("https://127.0.0.1:{}", port);
  out << YAML::Key << "certificate-authority-data" << YAML::Value << base64(pki.ca_cert_pem);
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "kube-sim-admin";
  out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "client-certificate-data" << YAML::Value << base64(pki.admin_cert_pem);
  out << YAML::Key << "client-key-data" << YAML::Value << base64(pki.admin_key_pem);
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "kube-sim-token";
  out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "token" << YAML::Value << pki.token;
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq;
  for (const auto& [ctx, user] :
       {std::pair{"kube-sim", "kube-sim-admin"}, std::pair{"kube-sim-token", "kube-sim-token"}}) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << ctx;
    out << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "cluster" << YAML::Value << "kube-sim";
    out << YAML::Key << "user" << YAML::Value << user;
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "current-context" << YAML::Value << "kube-sim";
  out << YAML::Key << "preferences" << YAML::Value << YAML::BeginMap << YAML::EndMap;
  out << YAML::EndMap;
  return write_file(state_dir / "kubeconfig", std::string(out.c_str()) + "\n", true);
}

}  // namespace sim
