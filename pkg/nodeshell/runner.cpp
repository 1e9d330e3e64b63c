#include "pkg/nodeshell/runner.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "pkg/kube/paths.h"
#include "pkg/nodeshell/log_lines.h"

namespace nodeshell {
namespace {

using std::chrono::milliseconds;

// The API server restarting (kubeadm apply) or overloaded: worth waiting out.
bool transient(const kube::Error& e) {
  if (e.kind == kube::ErrorKind::kTransport) return true;
  int c = e.code();
  return c == 429 || c >= 500;
}

class Backoff {
 public:
  explicit Backoff(milliseconds max) : max_(max) {}
  milliseconds next() {
    auto d = delay_;
    delay_ = std::min(max_, delay_ * 2);
    return d;
  }
  void reset() { delay_ = milliseconds(500); }

 private:
  milliseconds max_;
  milliseconds delay_{500};
};

// One run of one script: the state shared by the status poller and the log follower.
class Run {
 public:
  Run(kube::Client& client, ku::Clock& clock, const ShellOptions& options, const NodeScript& script,
      const ScriptEvents& events, std::stop_token stop)
      : client_(client),
        clock_(clock),
        options_(options),
        script_(script),
        events_(events),
        stop_(stop),
        backoff_(options.max_backoff),
        lines_([this](const std::string& l) {
          if (events_.on_output) events_.on_output(l);
        }) {}

  kube::Result<ScriptResult> go();

 private:
  std::string what() const {
    return "node-shell pod " + (name_.empty() ? std::string("(not created)") : ns() + "/" + name_) +
           " on node " + script_.node;
  }
  const std::string& ns() const { return options_.ns; }
  std::chrono::seconds timeout() const {
    return script_.timeout.count() > 0 ? script_.timeout : options_.script_timeout;
  }
  void waiting(const std::string& s) {
    if (events_.on_waiting) events_.on_waiting(s);
  }
  bool past_deadline() const { return clock_.now() >= deadline_; }

  kube::Result<void> create();
  std::optional<std::string> find_by_run_label();
  kube::Result<ScriptResult> poll();
  void follow_logs(std::stop_token follower_stop);
  void remove_pod();

  kube::Client& client_;
  ku::Clock& clock_;
  const ShellOptions& options_;
  const NodeScript& script_;
  const ScriptEvents& events_;
  std::stop_token stop_;
  Backoff backoff_;
  std::string run_id_ = new_run_id();
  std::string name_;
  ku::Steady::time_point deadline_;
  std::mutex lines_mu_;
  LogLines lines_;
  std::atomic<bool> finished_{false};
  std::mutex wake_mu_;
  std::condition_variable_any wake_;
};

kube::Result<ScriptResult> Run::go() {
  deadline_ = clock_.now() + timeout() + options_.start_slack;
  if (auto made = create(); !made) return std::unexpected(made.error());
  if (events_.on_created) events_.on_created(ns() + "/" + name_);
  kube::Result<ScriptResult> result;
  {
    std::stop_source follower_stop;
    std::jthread follower([this, token = follower_stop.get_token()] { follow_logs(token); });
    result = poll();
    {
      std::lock_guard lock(wake_mu_);
      finished_ = true;
    }
    wake_.notify_all();
    if (!result) follower_stop.request_stop();
  }  // joins the follower: it ends with a last read of the finished container's log
  remove_pod();
  if (!result) return result;
  std::lock_guard lock(lines_mu_);
  lines_.finish();
  for (const auto& l : lines_.lines()) result->output += l + "\n";
  return result;
}

kube::Result<void> Run::create() {
  json pod = shell_pod(script_.node, script_.body, script_.purpose, run_id_, ns(), options_.image,
                       timeout());
  for (;;) {
    auto made = client_.create(kube::paths::pods(ns()), pod);
    if (made) {
      name_ = made->value("/metadata/name"_json_pointer, std::string());
      return {};
    }
    const kube::Error& e = made.error();
    if (e.is_api(403)) {
      kube::Error out =
          e.wrap("creating the node-shell pod for node " + script_.node + " in namespace " + ns());
      out.hint = "the namespace " + ns() +
                 " does not allow privileged host-namespace pods (Pod Security admission); "
                 "run again with --shell-namespace NAME of a namespace whose "
                 "pod-security.kubernetes.io/enforce label is privileged (kube-system is, unless "
                 "relabelled)";
      return std::unexpected(out);
    }
    if (!transient(e) || past_deadline() || stop_.stop_requested())
      return std::unexpected(e.wrap("creating the node-shell pod for node " + script_.node));
    // The answer may have been lost after the pod was made: look for it before trying again.
    if (auto found = find_by_run_label()) {
      name_ = *found;
      return {};
    }
    waiting("API unavailable (" + e.message + "), retrying");
    clock_.sleep_for(backoff_.next(), stop_);
  }
}

std::optional<std::string> Run::find_by_run_label() {
  std::optional<std::string> found;
  kube::ListOptions lo{.label_selector = std::string(kRunLabel) + "=" + run_id_};
  auto listed = client_.list(kube::paths::pods(ns()), lo, [&](const json& p) {
    found = p.value("/metadata/name"_json_pointer, std::string());
    return false;
  });
  if (!listed) return std::nullopt;
  return found;
}

kube::Result<ScriptResult> Run::poll() {
  std::string last_waiting;
  for (;;) {
    if (stop_.stop_requested())
      return std::unexpected(kube::Error::cancelled("stopped while " + what() + " was running"));
    if (past_deadline())
      return std::unexpected(kube::Error::transport(
          "timed out waiting for " + what() +
              (last_waiting.empty() ? "" : " (" + last_waiting + ")"),
          "raise --timeout if the step needs longer, or look at the pod's events"));
    auto got = client_.get(kube::paths::pod(ns(), name_));
    if (!got) {
      const kube::Error& e = got.error();
      if (e.not_found()) return std::unexpected(e.wrap(what() + " disappeared before it finished"));
      if (!transient(e)) return std::unexpected(e.wrap("reading " + what()));
      waiting("API unavailable (" + e.message + "), retrying");
      clock_.sleep_for(backoff_.next(), stop_);
      continue;
    }
    backoff_.reset();
    const json status = got->value("status", json::object());
    const json cs = status.value("containerStatuses", json::array());
    const json state = cs.empty() ? json::object() : cs[0].value("state", json::object());
    if (state.contains("terminated")) {
      const json& t = state["terminated"];
      return ScriptResult{ns() + "/" + name_, t.value("exitCode", -1), t.value("reason", ""),
                          t.value("message", ""), ""};
    }
    if (status.value("phase", "") == "Failed")
      return std::unexpected(kube::Error::transport(
          what() + " failed: " + status.value("reason", "") + " " + status.value("message", ""),
          "raise --timeout if the step needs longer"));
    if (state.contains("waiting")) {
      std::string w =
          state["waiting"].value("reason", "") + ": " + state["waiting"].value("message", "");
      if (w != last_waiting) waiting(last_waiting = w);
    }
    clock_.sleep_for(options_.poll_interval, stop_);
  }
}

void Run::follow_logs(std::stop_token follower_stop) {
  for (;;) {
    bool last_read = finished_.load();
    kube::Query q{{"container", kContainerName}, {"timestamps", "true"}};
    if (!last_read) q["follow"] = "true";
    {
      std::lock_guard lock(lines_mu_);
      if (auto since = lines_.since_time()) q["sinceTime"] = *since;
      lines_.reopen();
    }
    auto r = client_.stream(kube::paths::pod_log(ns(), name_), q, [&](std::string_view chunk) {
      std::lock_guard lock(lines_mu_);
      lines_.feed(chunk);
      return !follower_stop.stop_requested();
    });
    if (last_read || follower_stop.stop_requested()) return;
    // Not started yet (400 "waiting to start"), API restarting, or the stream broke: again soon,
    // or at once when the poller saw the end. Real time, not clock_: the follower must not move a
    // test's virtual clock under the poller's deadline.
    (void)r;
    std::unique_lock lock(wake_mu_);
    wake_.wait_for(lock, follower_stop, options_.poll_interval,
                   [this] { return finished_.load(); });
  }
}

void Run::remove_pod() {
  // Ride out an outage here too, but not forever: a stuck delete is reported by name.
  auto until = clock_.now() + std::chrono::seconds(60) + options_.max_backoff;
  Backoff b(options_.max_backoff);
  for (;;) {
    auto r = client_.remove(kube::paths::pod(ns(), name_));
    if (r || r.error().not_found()) return;
    if (!transient(r.error()) || clock_.now() >= until) {
      waiting("could not delete " + what() + ": " + r.error().message +
              " (delete it with: kubectl -n " + ns() + " delete pod " + name_ + ")");
      return;
    }
    clock_.sleep_for(b.next());
  }
}

}  // namespace

std::string new_run_id() {
  static std::mutex mu;
  static std::mt19937_64 gen{std::random_device{}()};
  std::lock_guard lock(mu);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return std::string(buf, 12);
}

PodScriptRunner::PodScriptRunner(kube::Client& client, ku::Clock& clock, ShellOptions options)
    : client_(client), clock_(clock), options_(std::move(options)) {}

kube::Result<ScriptResult> PodScriptRunner::run(const NodeScript& script,
                                                const ScriptEvents& events, std::stop_token stop) {
  return Run(client_, clock_, options_, script, events, stop).go();
}

}  // namespace nodeshell
