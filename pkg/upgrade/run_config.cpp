#include "pkg/upgrade/run_config.h"

#include "pkg/nodeshell/quote.h"
#include "pkg/upgrade/progress_text.h"

namespace upgrade {
namespace {
kube::Error flag_error(const std::string& flag, const std::string& value, const std::string& want) {
  return kube::Error::config("invalid argument \"" + value + "\" for \"--" + flag +
                             "\" flag: " + want);
}
}  // namespace

kube::Result<ValidConfig> validate(const RunConfig& c) {
  ValidConfig v;
  if (c.to) {
    auto t = kver::parse(*c.to);
    if (!t) return std::unexpected(flag_error("to", *c.to, t.error().to_string()));
    v.to = *t;
  }
  auto timeout = parse_duration(c.timeout);
  if (!timeout || timeout->count() == 0)
    return std::unexpected(flag_error("timeout", c.timeout, "a duration such as 30m or 1h"));
  v.node_timeout = *timeout;
  auto kubelet_timeout = parse_duration(c.kubelet_timeout);
  if (!kubelet_timeout || kubelet_timeout->count() == 0)
    return std::unexpected(
        flag_error("kubelet-timeout", c.kubelet_timeout, "a duration such as 5m or 90s"));
  v.kubelet_timeout = *kubelet_timeout;
  auto drain_timeout = parse_duration(c.drain_timeout);
  if (!drain_timeout)
    return std::unexpected(
        flag_error("drain-timeout", c.drain_timeout, "a duration such as 15m (0 = no limit)"));
  if (c.on_drain_timeout != "restore" && c.on_drain_timeout != "keep-cordoned")
    return std::unexpected(
        flag_error("on-drain-timeout", c.on_drain_timeout, "restore or keep-cordoned"));
  if (c.skip_wait_for_delete_timeout < 0)
    return std::unexpected(flag_error("skip-wait-for-delete-timeout",
                                      std::to_string(c.skip_wait_for_delete_timeout),
                                      "0 or more seconds"));
  if (auto ns = nodeshell::checked_namespace(c.shell_namespace); !ns)
    return std::unexpected(ns.error());
  if (auto img = nodeshell::checked_image(c.shell_image); !img) return std::unexpected(img.error());

  v.drain.ignore_daemonsets = c.ignore_daemonsets;
  v.drain.delete_emptydir_data = c.delete_emptydir_data;
  v.drain.force = c.force;
  v.drain.grace_period_seconds = c.grace_period;
  v.drain.disable_eviction = c.disable_eviction;
  v.drain.pod_selector = c.pod_selector;
  v.drain.skip_wait_for_delete_timeout = std::chrono::seconds(c.skip_wait_for_delete_timeout);
  v.drain.timeout = *drain_timeout;
  v.drain.on_timeout = c.on_drain_timeout == "restore" ? drain::OnTimeout::kRestore
                                                       : drain::OnTimeout::kKeepCordoned;
  RunConfig one_node = c;
  one_node.max_unavailable = RunConfig{}.max_unavailable;
  v.resume_flags = repeated_flags(one_node);
  v.shell.ns = c.shell_namespace;
  v.shell.image = c.shell_image;
  // A script never outlives the node's own budget.
  v.shell.script_timeout = std::min(v.shell.script_timeout, v.node_timeout);
  return v;
}

std::string repeated_flags(const RunConfig& c) {
  const RunConfig defaults;
  std::string s;
  auto flag = [&s](const std::string& name, const std::string& value = "") {
    s += " --" + name;
    if (!value.empty()) s += " " + value;
  };
  auto quoted = [](const std::string& v) {
    bool plain = !v.empty() && v.find_first_not_of(
                                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                   "VWXYZ0123456789-_./:%@,=") == std::string::npos;
    return plain ? v : nodeshell::shell_quote(v);
  };
  if (c.timeout != defaults.timeout) flag("timeout", quoted(c.timeout));
  if (c.kubelet_timeout != defaults.kubelet_timeout)
    flag("kubelet-timeout", quoted(c.kubelet_timeout));
  if (c.max_unavailable != defaults.max_unavailable)
    flag("max-unavailable", quoted(c.max_unavailable));
  if (c.ignore_daemonsets != defaults.ignore_daemonsets) flag("ignore-daemonsets=false");
  if (c.delete_emptydir_data) flag("delete-emptydir-data");
  if (c.force) flag("force");
  if (c.grace_period != defaults.grace_period) flag("grace-period", std::to_string(c.grace_period));
  if (c.disable_eviction) flag("disable-eviction");
  if (!c.pod_selector.empty()) flag("pod-selector", quoted(c.pod_selector));
  if (c.skip_wait_for_delete_timeout != defaults.skip_wait_for_delete_timeout)
    flag("skip-wait-for-delete-timeout", std::to_string(c.skip_wait_for_delete_timeout));
  if (c.drain_timeout != defaults.drain_timeout) flag("drain-timeout", quoted(c.drain_timeout));
  if (c.on_drain_timeout != defaults.on_drain_timeout)
    flag("on-drain-timeout", quoted(c.on_drain_timeout));
  if (c.shell_namespace != defaults.shell_namespace)
    flag("shell-namespace", quoted(c.shell_namespace));
  if (c.shell_image != defaults.shell_image) flag("shell-image", quoted(c.shell_image));
  return s;
}

NodeUpgradeOptions node_options(const ValidConfig& v, const std::string& node,
                                const kver::Version& target) {
  NodeUpgradeOptions o;
  o.node = node;
  o.target = target;
  o.drain = v.drain;
  o.script_timeout = v.shell.script_timeout;
  o.shell_namespace = v.shell.ns;
  o.resume_flags = v.resume_flags;
  o.kubelet_ready_timeout = v.kubelet_timeout;
  return o;
}

}  // namespace upgrade
