// A node's root folder, laid out like a kubeadm node (CONTRACT.md "State directory layout"):
// os-release, the Kubernetes package repo file, static pod manifests on control planes,
// kubeconfigs, the kubelet config, installed packages and the running kubelet. Also the package
// universe.
#pragma once

#include <expected>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/node/spec.h"

namespace sim::node {

// Paths of one node inside kube-sim's state dir.
struct NodePaths {
  std::filesystem::path dir;   // DIR/nodes/<node>
  std::filesystem::path root;  // DIR/nodes/<node>/root: the node's "/"
  std::filesystem::path
      sim_json;  // DIR/nodes/<node>/sim.json: spec + faults, read-only in the sandbox
  std::filesystem::path requests;  // DIR/requests/<node>: request files, read-write in the sandbox
  std::filesystem::path repo;      // DIR/repo: the package universe, read-only in the sandbox
};
NodePaths node_paths(const std::filesystem::path& state_dir, const std::string& node);

// Writes DIR/repo/versions.json.
std::expected<void, std::string> write_universe(const std::filesystem::path& state_dir,
                                                const RepoUniverse& universe);

// Creates (or recreates) the node's folders and files from the spec. Existing files are replaced.
std::expected<void, std::string> lay_out(const std::filesystem::path& state_dir,
                                         const NodeSpec& spec);

// Rewrites only DIR/nodes/<node>/sim.json (faults or time scale changed at run time).
std::expected<void, std::string> write_sim_json(const std::filesystem::path& state_dir,
                                                const NodeSpec& spec);

// The node-level faults of one node from the scenario's `faults: nodes:` section, which maps a node
// name (or "*" for every node) to {repoUnreachable, kubeletRestartSeconds, kubeletRestartFails,
// killScriptAfterSeconds, killScriptAtCommand, kubeadmApplyCrashes, apiOutageSeconds}; the node's
// own entry overrides "*" key by key. Unknown keys are reported.
std::expected<Faults, std::string> faults_for(const nlohmann::json& node_faults,
                                              const std::string& node);

// The image tags kubeadm uses for a Kubernetes version (etcd and CoreDNS have their own versions).
std::string etcd_version_for(const std::string& kubernetes_version);     // "3.6.5-0"
std::string coredns_version_for(const std::string& kubernetes_version);  // "v1.12.1"

}  // namespace sim::node
