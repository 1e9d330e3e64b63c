#include "pkg/nodeshell/scripts.h"

#include "pkg/nodeshell/quote.h"
#include "pkg/version/package_version.h"

namespace nodeshell {
namespace {

// Shared preamble: the package manager, its repo file, and helpers. No value from outside.
constexpr const char* kPreamble = R"SH(fact() { printf 'ku.%s=%s\n' "$1" "$2"; }
say() { printf 'kubectl-upgrade: %s\n' "$*"; }
die() { code=$1; shift; printf 'kubectl-upgrade: %s\n' "$*" >&2; exit "$code"; }
if command -v apt-get >/dev/null 2>&1; then pm=apt; repo=/etc/apt/sources.list.d/kubernetes.list
elif command -v dnf >/dev/null 2>&1; then pm=dnf; repo=/etc/yum.repos.d/kubernetes.repo
elif command -v yum >/dev/null 2>&1; then pm=yum; repo=/etc/yum.repos.d/kubernetes.repo
else pm=unknown; repo=; fi
noexcl=--disableexcludes=kubernetes
if [ "$pm" = dnf ] && dnf --version 2>/dev/null | grep -q '^dnf5'; then noexcl=--setopt=disable_excludes=kubernetes; fi
offered() {
  case $pm in
    apt) apt-cache madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' ;;
    dnf|yum) $pm list --showduplicates "$1" $noexcl 2>/dev/null | awk -v p="$1" 'index($1, p ".") == 1 {print $2}' ;;
  esac
}
pick() { awk -v w="$1-" 'index($0, w) == 1' | sort -V | tail -n 1; }
)SH";

constexpr const char* kLegacyCheck =
    R"SH(case $pm in unknown) die 6 "no apt-get, dnf or yum on this node" ;; esac
doc=https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/change-package-repository/
[ -f "$repo" ] || die 3 "$repo not found: this node does not install Kubernetes from pkgs.k8s.io; set it up as in $doc"
if grep -qE 'apt\.kubernetes\.io|yum\.kubernetes\.io|packages\.cloud\.google\.com' "$repo"; then
  die 4 "$repo uses the legacy apt.kubernetes.io/yum.kubernetes.io repository, frozen since 2023-09-13 and gone since 2024-03-04; move to pkgs.k8s.io as in $doc and run again"
fi
)SH";

std::string header(const std::string& what) {
  return "# kubectl-upgrade: " + what + "\nset -eu\n" + kPreamble;
}

kube::Result<std::string> checked_version(const kver::Version& v) {
  // Re-parse the canonical text: only what pkg/version accepts may enter a script.
  auto again = kver::parse(v.to_string());
  if (!again || again->to_string() != v.to_string())
    return std::unexpected(kube::Error::config("version " + v.to_string() + " is not allowed"));
  return v.to_string();
}

}  // namespace

std::string gather_facts_script() {
  std::string s = "# kubectl-upgrade: gather node facts (read-only)\nset -u\n";
  s += kPreamble;
  s += R"SH(if [ -r /etc/os-release ]; then
  fact os.id "$(. /etc/os-release; echo "${ID:-}")"
  fact os.version_id "$(. /etc/os-release; echo "${VERSION_ID:-}")"
  fact os.pretty_name "$(. /etc/os-release; echo "${PRETTY_NAME:-}")"
fi
fact pkg.manager "$pm"
fact repo.file "$repo"
if [ -n "$repo" ] && [ -r "$repo" ]; then
  fact repo.present true
  fact repo.line "$(grep -E '^[[:space:]]*(deb[[:space:]]|baseurl=)' "$repo" | head -n 1)"
  fact repo.minor "$(grep -oE 'core:/stable:/v1\.[0-9]+/' "$repo" | head -n 1 | sed -E 's#core:/stable:/(v1\.[0-9]+)/#\1#')"
  if grep -qE 'apt\.kubernetes\.io|yum\.kubernetes\.io|packages\.cloud\.google\.com' "$repo"; then fact repo.legacy true; else fact repo.legacy false; fi
  fact repo.exclude "$(grep -E '^exclude=' "$repo" | head -n 1 | cut -d= -f2-)"
else
  fact repo.present false
fi
for p in kubeadm kubelet kubectl; do
  case $pm in
    apt) v=$(apt-cache policy "$p" 2>/dev/null | awk '/Installed:/ {print $2; exit}') ;;
    dnf|yum) v=$($pm list --installed "$p" 2>/dev/null | awk -v p="$p" 'index($1, p ".") == 1 {print $2; exit}') ;;
    *) v= ;;
  esac
  fact "installed.$p" "$v"
  fact "available.$p" "$(offered "$p" | tr '\n' ' ')"
done
if [ "$pm" = apt ]; then fact held "$(apt-mark showhold 2>/dev/null | tr '\n' ' ')"; fi
fact bin.kubeadm "$(kubeadm version -o short 2>/dev/null)"
fact bin.kubelet "$(kubelet --version 2>/dev/null | awk '{print $2}')"
fact bin.kubectl "$(kubectl version --client 2>/dev/null | awk '/Client Version/ {print $3}')"
if [ -f /etc/kubernetes/manifests/kube-apiserver.yaml ]; then fact node.control_plane true; else fact node.control_plane false; fi
if [ -f /etc/kubernetes/admin.conf ]; then fact node.admin_conf true; else fact node.admin_conf false; fi
fact end 1
)SH";
  return s;
}

kube::Result<std::string> switch_repo_script(const kver::Version& target) {
  auto v = checked_version(target);
  if (!v) return std::unexpected(v.error());
  std::string minor = target.minor_line().to_string();  // "v1.36": digits and dots only
  std::string s = header("point the pkgs.k8s.io repository at " + minor);
  s += "minor=" + shell_quote(minor) + "\n";
  s += kLegacyCheck;
  s +=
      R"SH(grep -qE 'core:/stable:/v1\.[0-9]+/' "$repo" || die 3 "$repo does not point at a pkgs.k8s.io core:/stable:/v1.X repository"
if grep -q "core:/stable:/$minor/" "$repo"; then
  say "$repo already points at $minor"
else
  sed -i -E "s#core:/stable:/v1\.[0-9]+/#core:/stable:/$minor/#g" "$repo"
  grep -q "core:/stable:/$minor/" "$repo" || die 3 "could not point $repo at $minor"
  say "$repo now points at $minor"
fi
case $pm in
  apt) apt-get update -q ;;
  dnf|yum) $pm makecache -y $noexcl ;;
esac
fact repo.minor "$minor"
for p in kubeadm kubelet kubectl; do fact "available.$p" "$(offered "$p" | tr '\n' ' ')"; done
fact end 1
)SH";
  return s;
}

kube::Result<std::string> install_packages_script(const std::vector<std::string>& packages,
                                                  const kver::Version& target) {
  auto v = checked_version(target);
  if (!v) return std::unexpected(v.error());
  std::string list;
  for (const auto& p : packages) {
    auto ok = checked_package(p);
    if (!ok) return std::unexpected(ok.error());
    list += (list.empty() ? "" : " ") + *ok;
  }
  if (list.empty()) return std::unexpected(kube::Error::config("no package to install"));
  std::string want = kver::package_upstream(target);  // "1.36.0" / "1.38.0~rc.1"
  std::string s = header("install " + list + " " + target.to_string());
  s += "pkgs=" + shell_quote(list) + "\nwant=" + shell_quote(want) + "\n";
  s += kLegacyCheck;
  s += R"SH(export DEBIAN_FRONTEND=noninteractive
set --
for p in $pkgs; do
  v=$(offered "$p" | pick "$want")
  [ -n "$v" ] || die 5 "the repository in $repo offers no $p $want: run kubectl upgrade again (it switches the repository first) or check the repository"
  case $pm in
    apt) set -- "$@" "$p=$v" ;;
    *) set -- "$@" "$p-$v" ;;
  esac
done
case $pm in
  apt)
    apt-mark unhold $pkgs
    trap 'apt-mark hold $pkgs >/dev/null' EXIT
    apt-get install -y -q "$@"
    apt-mark hold $pkgs
    trap - EXIT
    ;;
  dnf|yum)
    # The repo's exclude= line is the hold: installs name it with --disableexcludes.
    $pm install -y $noexcl "$@"
    ;;
esac
for p in $pkgs; do
  case $p in
    kubeadm) fact bin.kubeadm "$(kubeadm version -o short)" ;;
    kubelet) fact bin.kubelet "$(kubelet --version | awk '{print $2}')" ;;
    kubectl) fact bin.kubectl "$(kubectl version --client 2>/dev/null | awk '/Client Version/ {print $3}')" ;;
  esac
done
fact end 1
)SH";
  return s;
}

kube::Result<std::string> kubeadm_upgrade_script(bool first_control_plane,
                                                 const kver::Version& target) {
  auto v = checked_version(target);
  if (!v) return std::unexpected(v.error());
  if (!first_control_plane)
    return std::string("# kubectl-upgrade: kubeadm upgrade node\nset -eu\nkubeadm upgrade node\n");
  std::string s = "# kubectl-upgrade: kubeadm upgrade apply " + *v + " (first control plane)\n";
  s += "set -eu\nversion=" + shell_quote(*v) + "\n";
  // With the version, plan does not ask dl.k8s.io (air-gapped clusters); --yes: stdin is empty.
  s += "kubeadm upgrade plan \"$version\"\nkubeadm upgrade apply \"$version\" --yes\n";
  return s;
}

std::string restart_kubelet_script() {
  return "# kubectl-upgrade: restart the kubelet (the last command: it may end this pod)\n"
         "set -eu\nsystemctl daemon-reload\nsystemctl restart kubelet\n";
}

}  // namespace nodeshell
