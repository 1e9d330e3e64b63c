#include "tests/unit/kube/test_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace kube::testing {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

KeyPtr new_key() {
  return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) throw std::runtime_error("bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string to_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

struct Issued {
  CertPtr cert{nullptr, &X509_free};
  KeyPtr key{nullptr, &EVP_PKEY_free};
};

// Self-signed when issuer is null.
Issued issue(const char* cn, const char* org, const Issued* issuer, bool is_ca, const char* san,
             long serial) {
  Issued out;
  out.key = new_key();
  out.cert = CertPtr(X509_new(), &X509_free);
  X509* c = out.cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
  X509_gmtime_adj(X509_getm_notBefore(c), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c), 3600L * 24);
  X509_set_pubkey(c, out.key.get());
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  if (org) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(org),
                               -1, -1, 0);
  }
  X509* issuer_cert = issuer ? issuer->cert.get() : c;
  X509_set_issuer_name(c, X509_get_subject_name(issuer_cert));
  add_ext(c, issuer_cert, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_ext(c, issuer_cert, NID_key_usage,
          is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
  if (!is_ca) add_ext(c, issuer_cert, NID_ext_key_usage, san ? "serverAuth" : "clientAuth");
  if (san) add_ext(c, issuer_cert, NID_subject_alt_name, san);
  X509_sign(c, issuer ? issuer->key.get() : out.key.get(), EVP_sha256());
  return out;
}

Pem pem(const Issued& i) {
  return Pem{to_pem(i.cert.get()), to_pem(i.key.get())};
}

}  // namespace

const TestPki& TestPki::get() {
  static const TestPki pki = [] {
    TestPki p;
    Issued ca = issue("kube-test-ca", nullptr, nullptr, true, nullptr, 1);
    Issued server = issue("kube-apiserver", nullptr, &ca, false,
                          "IP:127.0.0.1,DNS:localhost,DNS:api.internal.test", 2);
    Issued client = issue("jane", "system:masters", &ca, false, nullptr, 3);
    Issued other = issue("other-ca", nullptr, nullptr, true, nullptr, 4);
    p.ca = pem(ca);
    p.server = pem(server);
    p.client = pem(client);
    p.other_ca = pem(other);
    return p;
  }();
  return pki;
}

}  // namespace kube::testing
