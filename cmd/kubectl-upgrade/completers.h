// Completers that look things up: names from the kubeconfig, namespaces and nodes from the API
// (within a short budget: a slow or unreachable cluster gives no candidates and :4), versions
// for --to from pkg/version's release table.
#pragma once

#include "cmd/kubectl-upgrade/command.h"

namespace cli {

// Time one API request may take during completion: a server that does not answer is given up
// within a second (no candidates, :4).
inline constexpr int kCompletionBudgetMs = 800;
// Time a paged list may take in all while pages keep arriving in time (5,000 nodes are 10 pages).
inline constexpr int kCompletionListBudgetMs = 3000;

Completions complete_contexts(const CompletionQuery& q);
Completions complete_clusters(const CompletionQuery& q);
Completions complete_users(const CompletionQuery& q);
Completions complete_namespaces(const CompletionQuery& q);
// Node names, control planes first (then by name), "control-plane, v1.35.4" as description.
Completions complete_nodes(const CompletionQuery& q);
// Versions for --to: newest patch of each minor after the cluster's, newest first.
Completions complete_target_versions(const CompletionQuery& q);
// Files (the shell's own file completion): --kubeconfig, --certificate-authority, ...
Completions complete_files(const CompletionQuery& q);

// The framework's completer for a flag that the command did not complete itself; nullptr = none.
Completer default_flag_completer(const std::string& flag_name);

// The framework's completer for the positional arguments of a command that did not set
// complete_args: `node` completes node names.
Completer default_args_completer(const std::string& command_name);

}  // namespace cli
