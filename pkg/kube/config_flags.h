// The standard kubectl connection flags (cli-runtime genericclioptions/config_flags.go), as
// parsed from the command line. An unset optional means "flag not given", which matters: the
// precedence and clearing rules depend on whether a flag was set, not on its value.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kube {

struct ConfigFlags {
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
  std::optional<std::string> cluster;
  std::optional<std::string> user;
  std::optional<std::string> namespace_;
  std::optional<std::string> server;
  std::optional<std::string> tls_server_name;
  std::optional<std::string> certificate_authority;
  std::optional<bool> insecure_skip_tls_verify;
  std::optional<std::string> client_certificate;
  std::optional<std::string> client_key;
  std::optional<std::string> token;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> as;
  std::vector<std::string> as_groups;
  std::optional<std::string> as_uid;
  std::vector<std::string> as_user_extra;      // "key=value", repeatable
  std::optional<std::string> request_timeout;  // "0", "5", "1s", "2m", "3h"
  std::optional<std::string> cache_dir;        // accepted, unused
  bool disable_compression = false;
  int verbosity = 0;  // -v / --v
};

}  // namespace kube
