#include "pkg/upgrade/lease.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "pkg/drain/pod.h"
#include "pkg/kube/paths.h"
#include "pkg/upgrade/timefmt.h"

namespace upgrade {
namespace {

LockHolder holder_of(const kube::json& lease, ku::Wall::time_point now) {
  const kube::json spec = lease.value("spec", kube::json::object());
  LockHolder h;
  h.identity = spec.value("holderIdentity", "");
  h.acquired = spec.value("acquireTime", "");
  h.renewed = spec.value("renewTime", "");
  h.command = lease.value("/metadata/annotations"_json_pointer, kube::json::object())
                  .value(kLockCommandKey, "");
  int duration = spec.value("leaseDurationSeconds", 0);
  auto renewed = drain::parse_rfc3339(h.renewed);
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  h.expired = !renewed || *renewed + duration < now_s;
  return h;
}

kube::Error refused(const LockHolder& h, const LockOptions& o) {
  kube::Status s;
  s.code = 409;
  s.reason = "Conflict";
  s.message = "another kubectl upgrade holds the upgrade lock (Lease " + o.ns + "/" + o.name +
              "): " + h.identity + (h.command.empty() ? "" : " running `" + h.command + "`") +
              ", since " + h.acquired + ", last renewed " + h.renewed;
  kube::Error e = kube::Error::api(s);
  e.hint =
      "wait until it finishes (kubectl upgrade status shows its progress); if that process is "
      "gone, the lock expires " +
      std::to_string(o.duration.count()) +
      "s after its last renewal, or remove it now with: kubectl -n " + o.ns + " delete lease " +
      o.name;
  return e;
}

}  // namespace

bool holder_process_gone(const std::string& holder, const std::string& ours) {
  auto host_of = [](const std::string& id) {
    auto at = id.find('@'), sp = id.find(" pid ");
    return at == std::string::npos || sp == std::string::npos ? std::string()
                                                              : id.substr(at + 1, sp - at - 1);
  };
  std::string host = host_of(holder);
  if (host.empty() || host != host_of(ours)) return false;
  long pid = std::atol(holder.substr(holder.find(" pid ") + 5).c_str());
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::string default_identity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const char* user = std::getenv("USER");
  return std::string(user && *user ? user : "unknown") + "@" + host + " pid " +
         std::to_string(getpid());
}

ClusterLock::ClusterLock(kube::Client& client, ku::Clock& clock, LockOptions options)
    : client_(client), clock_(clock), options_(std::move(options)) {
  if (options_.identity.empty()) options_.identity = default_identity();
}

ClusterLock::~ClusterLock() {
  stop_renewing();
}

kube::json ClusterLock::lease_body(const std::string& command, const std::string& acquire_time,
                                   int transitions) const {
  return {{"apiVersion", "coordination.k8s.io/v1"},
          {"kind", "Lease"},
          {"metadata",
           {{"name", options_.name},
            {"namespace", options_.ns},
            {"annotations", {{kLockCommandKey, command}}}}},
          {"spec",
           {{"holderIdentity", options_.identity},
            {"leaseDurationSeconds", options_.duration.count()},
            {"acquireTime", acquire_time},
            {"renewTime", rfc3339_micro(clock_.wall())},
            {"leaseTransitions", transitions}}}};
}

kube::Result<void> ClusterLock::acquire(const std::string& command) {
  const std::string path = kube::paths::lease(options_.ns, options_.name);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto got = client_.get(path);
    if (!got && got.error().not_found()) {
      auto made = client_.create(kube::paths::leases(options_.ns),
                                 lease_body(command, rfc3339_micro(clock_.wall()), 0));
      if (made) return held_ = true, kube::Result<void>{};
      if (made.error().is_api(409)) continue;  // someone was faster: look again
      return std::unexpected(
          made.error().wrap("taking the upgrade lock " + options_.ns + "/" + options_.name));
    }
    if (!got) return std::unexpected(got.error().wrap("reading the upgrade lock"));
    LockHolder h = holder_of(*got, clock_.wall());
    bool ours = h.identity == options_.identity;
    bool gone = holder_process_gone(h.identity, options_.identity);
    if (!h.identity.empty() && !h.expired && !ours && !gone)
      return std::unexpected(refused(h, options_));
    int transitions = got->value("/spec/leaseTransitions"_json_pointer, 0) + (ours ? 0 : 1);
    kube::json body =
        lease_body(command, ours ? h.acquired : rfc3339_micro(clock_.wall()), transitions);
    body["metadata"]["resourceVersion"] = got->value("/metadata/resourceVersion"_json_pointer, "");
    auto put = client_.update(path, body);
    if (put) return held_ = true, kube::Result<void>{};
    if (!put.error().conflict())
      return std::unexpected(put.error().wrap("taking the upgrade lock"));
  }
  return std::unexpected(kube::Error::transport("the upgrade lock kept changing while taking it",
                                                "run the command again"));
}

kube::Result<void> ClusterLock::renew() {
  const std::string path = kube::paths::lease(options_.ns, options_.name);
  auto got = client_.get(path);
  if (!got) return std::unexpected(got.error().wrap("renewing the upgrade lock"));
  if (got->value("/spec/holderIdentity"_json_pointer, std::string()) != options_.identity) {
    lost_ = true;
    return std::unexpected(
        kube::Error::transport("lost the upgrade lock to " +
                                   got->value("/spec/holderIdentity"_json_pointer, std::string()),
                               "another kubectl upgrade took over; check kubectl upgrade status"));
  }
  kube::json body = *got;
  body["spec"]["renewTime"] = rfc3339_micro(clock_.wall());
  auto put = client_.update(path, body);
  if (!put) return std::unexpected(put.error().wrap("renewing the upgrade lock"));
  return {};
}

kube::Result<void> ClusterLock::release(const std::string& outcome) {
  stop_renewing();
  if (!held_) return {};
  const std::string path = kube::paths::lease(options_.ns, options_.name);
  auto got = client_.get(path);
  if (!got) return std::unexpected(got.error().wrap("releasing the upgrade lock"));
  if (got->value("/spec/holderIdentity"_json_pointer, std::string()) != options_.identity)
    return {};
  kube::json body = *got;
  body["spec"].erase("holderIdentity");
  auto& annotations = body["metadata"]["annotations"];
  annotations[kLockLastHolderKey] = options_.identity;
  annotations[kLockOutcomeKey] = outcome.empty() ? "released" : outcome;
  body["spec"]["leaseDurationSeconds"] = 1;
  body["spec"]["renewTime"] = rfc3339_micro(clock_.wall());
  auto put = client_.update(path, body);
  if (!put) return std::unexpected(put.error().wrap("releasing the upgrade lock"));
  held_ = false;
  return {};
}

void ClusterLock::start_renewing() {
  renewer_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, stop, options_.renew_every, [] { return false; });
      }
      if (stop.stop_requested()) return;
      (void)renew();  // transient failures: the next round tries again; lost_ is set if taken
    }
  });
}

void ClusterLock::stop_renewing() {
  if (renewer_.joinable()) {
    renewer_.request_stop();
    renewer_.join();
  }
}

kube::Result<std::optional<LockHolder>> read_lock(kube::Client& client, ku::Clock& clock,
                                                  const LockOptions& options) {
  auto state = read_lock_state(client, clock, options);
  if (!state) return std::unexpected(state.error());
  return state->holder;
}

kube::Result<LockState> read_lock_state(kube::Client& client, ku::Clock& clock,
                                        const LockOptions& options) {
  auto got = client.get(kube::paths::lease(options.ns, options.name));
  if (!got && got.error().not_found()) return LockState{};
  if (!got) return std::unexpected(got.error().wrap("reading the upgrade lock"));
  LockHolder h = holder_of(*got, clock.wall());
  h.process_gone = holder_process_gone(
      h.identity, options.identity.empty() ? default_identity() : options.identity);
  if (!h.identity.empty()) return LockState{h, std::nullopt};
  const kube::json annotations =
      got->value("/metadata/annotations"_json_pointer, kube::json::object());
  if (!annotations.contains(kLockOutcomeKey)) return LockState{};
  return LockState{std::nullopt, LastRun{annotations.value(kLockLastHolderKey, ""), h.command,
                                         annotations.value(kLockOutcomeKey, ""), h.renewed}};
}

}  // namespace upgrade
