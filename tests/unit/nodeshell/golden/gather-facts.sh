# kubectl-upgrade: gather node facts (read-only)
set -u
fact() { printf 'ku.%s=%s\n' "$1" "$2"; }
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
if [ -r /etc/os-release ]; then
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
