// Certificates for the client tests, made with OpenSSL's API at test start (EC P-256, fast):
// a CA, a server certificate for 127.0.0.1 / localhost / api.internal.test, a client certificate
// (CN=jane, O=system:masters) and a second, unrelated CA.
#pragma once

#include <string>

namespace kube::testing {

struct Pem {
  std::string cert;
  std::string key;
};

struct TestPki {
  Pem ca;
  Pem server;
  Pem client;
  Pem other_ca;

  static const TestPki& get();  // made once per process
};

}  // namespace kube::testing
