// Reads the cluster into an Inventory through a kube::Client, with GET and LIST only (never a
// write). Lists are paged and streamed: each pod is reduced to a PodSummary as it arrives, so
// memory follows the summary, not the API's JSON.
//
// Fails (kube::Error, wrapped with what was being read) when /version, nodes, pods or PDBs cannot
// be read. Optional objects (kube-proxy, CoreDNS, kubeadm-config, the lock Lease, removed APIs)
// that are absent (404) are recorded as absent; other errors on them fail the read too.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "pkg/cluster/inventory.h"
#include "pkg/kube/client.h"

namespace cluster {

struct ReadOptions {
  int page_size = 500;             // limit per LIST page (kubectl's --chunk-size default)
  bool probe_removed_apis = true;  // discovery + object counts for group/versions being removed
  std::string observed_at;         // RFC 3339 "now" to record; empty = the system clock
  // Told what is being read ("listing pods"), for a progress line on stderr. May be empty.
  std::function<void(std::string_view)> progress;
};

kube::Result<Inventory> read_inventory(kube::Client& client, const ReadOptions& options = {});

}  // namespace cluster
