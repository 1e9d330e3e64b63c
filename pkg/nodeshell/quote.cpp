#include "pkg/nodeshell/quote.h"

#include <regex>
#include <set>

#include "pkg/version/error.h"

namespace nodeshell {
namespace {

kube::Result<std::string> refuse(std::string_view what, std::string_view value, std::string rule) {
  return std::unexpected(
      kube::Error::config(std::string(what) + " " + kver::quote(value) + " is not allowed: " + rule,
                          "check the value; it would be used on the node"));
}

bool matches(std::string_view text, const std::regex& re) {
  return std::regex_match(text.begin(), text.end(), re);
}

}  // namespace

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

kube::Result<std::string> checked_package(std::string_view name) {
  static const std::set<std::string, std::less<>> allowed = {"kubeadm", "kubelet", "kubectl",
                                                             "cri-tools", "kubernetes-cni"};
  if (!allowed.contains(name))
    return refuse("package", name, "only kubeadm, kubelet, kubectl, cri-tools, kubernetes-cni");
  return std::string(name);
}

kube::Result<std::string> checked_host(std::string_view host) {
  static const std::regex re(
      R"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?)");
  if (host.size() > 253 || !matches(host, re))
    return refuse("host", host, "a DNS name of lower-case letters, digits, '-' and '.'");
  return std::string(host);
}

kube::Result<std::string> checked_repo_url(std::string_view url) {
  static const std::regex re(R"(https://([^/]+)(/[A-Za-z0-9._~:/-]*)?)");
  std::match_results<std::string_view::const_iterator> m;
  if (url.size() > 512 || !std::regex_match(url.begin(), url.end(), m, re))
    return refuse("repository URL", url, "https://HOST/PATH with a path of [A-Za-z0-9._~:/-]");
  if (auto host = checked_host(m[1].str()); !host) return std::unexpected(host.error());
  if (url.find("..") != std::string_view::npos) return refuse("repository URL", url, "no '..'");
  return std::string(url);
}

kube::Result<std::string> checked_image(std::string_view image) {
  static const std::regex re(
      R"([a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?)");
  if (image.size() > 255 || !matches(image, re))
    return refuse("image", image, "an image reference such as docker.io/library/alpine:3.20");
  return std::string(image);
}

kube::Result<std::string> checked_namespace(std::string_view ns) {
  static const std::regex re(R"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)");
  if (!matches(ns, re)) return refuse("namespace", ns, "a DNS-1123 label");
  return std::string(ns);
}

}  // namespace nodeshell
