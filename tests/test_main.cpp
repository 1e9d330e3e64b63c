// The main of every test executable (unit and e2e). It ignores SIGPIPE, which gtest_main does
// not: the tests talk TLS through cpp-httplib (the kube unit tests' TestServer, the e2e
// harness's requests to kube-sim), and OpenSSL's socket BIO writes with a plain write(2), no
// MSG_NOSIGNAL. A peer that closes first (kube-sim's API server restarting under a request during
// `kubeadm upgrade apply`, a client that timed out) would otherwise kill the whole test binary
// with SIGPIPE instead of failing one request. Children are spawned with SIGPIPE back at its
// default (tests/e2e/harness/process.cpp), so the binaries under test see it as from a shell.
#include <gtest/gtest.h>

#include <csignal>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
