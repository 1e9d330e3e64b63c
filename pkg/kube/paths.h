// API paths for the resources this project touches. Names are not escaped here: callers pass
// names that came from the API or were validated (DNS-1123), never free text.
#pragma once

#include <string>
#include <string_view>

namespace kube::paths {

inline std::string nodes() {
  return "/api/v1/nodes";
}
inline std::string node(std::string_view n) {
  return "/api/v1/nodes/" + std::string(n);
}
inline std::string all_pods() {
  return "/api/v1/pods";
}
inline std::string pods(std::string_view ns) {
  return "/api/v1/namespaces/" + std::string(ns) + "/pods";
}
inline std::string pod(std::string_view ns, std::string_view n) {
  return pods(ns) + "/" + std::string(n);
}
inline std::string eviction(std::string_view ns, std::string_view n) {
  return pod(ns, n) + "/eviction";
}
inline std::string pod_log(std::string_view ns, std::string_view n) {
  return pod(ns, n) + "/log";
}
inline std::string config_map(std::string_view ns, std::string_view n) {
  return "/api/v1/namespaces/" + std::string(ns) + "/configmaps/" + std::string(n);
}
inline std::string events(std::string_view ns) {
  return "/api/v1/namespaces/" + std::string(ns) + "/events";
}
inline std::string namespaces() {
  return "/api/v1/namespaces";
}
inline std::string daemon_set(std::string_view ns, std::string_view n) {
  return "/apis/apps/v1/namespaces/" + std::string(ns) + "/daemonsets/" + std::string(n);
}
inline std::string deployment(std::string_view ns, std::string_view n) {
  return "/apis/apps/v1/namespaces/" + std::string(ns) + "/deployments/" + std::string(n);
}
inline std::string all_pdbs() {
  return "/apis/policy/v1/poddisruptionbudgets";
}
inline std::string leases(std::string_view ns) {
  return "/apis/coordination.k8s.io/v1/namespaces/" + std::string(ns) + "/leases";
}
inline std::string lease(std::string_view ns, std::string_view n) {
  return leases(ns) + "/" + std::string(n);
}
inline std::string version() {
  return "/version";
}

}  // namespace kube::paths
