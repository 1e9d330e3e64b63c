#include <set>

#include "pkg/drain/drain.h"

namespace drain {

std::string DrainReport::explain() const {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  switch (outcome) {
    case Outcome::kDrained:
      line("node " + node + " drained: " + std::to_string(evicted) + " pod(s) evicted");
      break;
    case Outcome::kRefused:
      line("cannot drain node " + node + ", nothing was evicted:");
      for (const auto& e : errors) line("  " + e);
      break;
    case Outcome::kTimedOut:
      line("drain of node " + node + " timed out: " + std::to_string(evicted) + " of " +
           std::to_string(total) + " pod(s) evicted; still there:");
      break;
    case Outcome::kFailed:
      line("drain of node " + node + " failed: " + std::to_string(evicted) + " of " +
           std::to_string(total) + " pod(s) evicted");
      for (const auto& e : errors) line("  " + e);
      break;
    case Outcome::kCancelled:
      line("drain of node " + node + " stopped: " + std::to_string(evicted) + " of " +
           std::to_string(total) + " pod(s) evicted");
      break;
  }
  if (outcome == Outcome::kTimedOut || outcome == Outcome::kCancelled) {
    std::set<std::string> seen_pdbs;
    for (const auto& b : blockers) {
      line("  pod " + b.pod.key() + ": " + b.why);
      for (const auto& pdb : b.pdbs)
        if (seen_pdbs.insert(pdb.key()).second) line("    " + drain::explain(pdb));
      if (!b.unblock.empty()) line("    to unblock: " + b.unblock);
    }
  }
  if (outcome != Outcome::kDrained && outcome != Outcome::kCancelled) {
    if (restored)
      line("node " + node + " was uncordoned again (as it was before this drain)");
    else if (cordoned_by_us)
      line("node " + node + " stays cordoned (kubectl uncordon " + node + " to undo)");
    else
      line("node " + node + " was left as it was (this drain did not cordon it)");
  }
  return out;
}

}  // namespace drain
