// Drain one node with kubectl drain's semantics, as a library: no flags, no printing. Progress goes
// to an Observer (calls are serialised, never concurrent); the outcome is a DrainReport value.
//
//   Drainer d(client, clock, options, &observer);
//   auto report = d.drain({.node = "w1"}, stop);   // kube::Error only if the API could not be read
//
// Order: list + filter (a refusal changes nothing), cordon (remembering whether we did), list +
// filter again, evict in parallel (429 retried until the timeout, naming the PDB; 403
// NamespaceTerminating retried; 404 = gone), wait until each pod is gone (404 or a new UID).
// On a timeout or failure the node is put back (uncordoned, only if we cordoned it) unless
// options.on_timeout says keep-cordoned. A stop request ends it early and leaves the node cordoned.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include "pkg/drain/clock.h"
#include "pkg/drain/filters.h"
#include "pkg/drain/options.h"
#include "pkg/drain/pdb.h"
#include "pkg/kube/client.h"

namespace drain {

struct PendingPod {
  PodRef pod;
  std::string
      why;  // "evicting", "eviction refused by PodDisruptionBudget ns/web (will retry)", ...
};

struct Progress {
  std::string node;
  int gone = 0;   // evicted (or deleted) and confirmed gone
  int total = 0;  // pods to evict
  std::vector<PendingPod> pending;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_cordon(const std::string& /*node*/, bool /*changed*/) {}
  virtual void on_preview(const std::string& /*node*/, const DrainPreview& /*preview*/) {}
  // Every change: a pod evicted, refused, gone.
  virtual void on_progress(const Progress& /*progress*/) {}
  virtual void on_uncordon(const std::string& /*node*/) {}
};

enum class Outcome {
  kDrained,    // every evictable pod is gone
  kRefused,    // the filters refused (kubectl's "cannot delete ..."); nothing was evicted
  kTimedOut,   // options.timeout passed with pods left
  kFailed,     // an eviction failed for good (e.g. 500: several PDBs, 403 not allowed)
  kCancelled,  // stop requested
};

struct Blocker {
  PodRef pod;
  std::string why;
  std::vector<PdbInfo> pdbs;  // the PDBs that cover it, when a PDB is the reason
  std::string unblock;        // what would let it go
};

struct DrainReport {
  std::string node;
  Outcome outcome = Outcome::kDrained;
  bool cordoned_by_us = false;  // this drain or the earlier run given in the request
  bool restored = false;        // uncordoned again after a failure
  int evicted = 0;
  int total = 0;
  std::vector<std::string> warnings;
  std::vector<std::string> errors;
  std::vector<Blocker> blockers;
  bool ok() const { return outcome == Outcome::kDrained; }
  // Several lines for a person: what happened, what blocked it, what would unblock it, what now.
  std::string explain() const;
};

struct DrainRequest {
  std::string node;
  bool cordoned_by_us = false;  // an earlier run (the record on the Node) cordoned it
};

class Drainer {
 public:
  Drainer(kube::Client& client, ku::Clock& clock, Options options, Observer* observer = nullptr);

  // Read-only: the node's pods and the verdict for each (for --dry-run and plans).
  kube::Result<DrainPreview> preview(const std::string& node);
  kube::Result<DrainReport> drain(const DrainRequest& request, std::stop_token stop = {});

 private:
  kube::Result<std::vector<json>> list_pods(const std::string& node);
  FilterContext filter_context();
  void finish_failed(DrainReport& report);

  kube::Client& client_;
  ku::Clock& clock_;
  Options options_;
  Observer* observer_;
  Observer null_observer_;
};

const char* to_string(Outcome o);

}  // namespace drain
