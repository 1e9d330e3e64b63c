# kubectl-upgrade: point the pkgs.k8s.io repository at v1.36
set -eu
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
minor='v1.36'
case $pm in unknown) die 6 "no apt-get, dnf or yum on this node" ;; esac
doc=https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/change-package-repository/
[ -f "$repo" ] || die 3 "$repo not found: this node does not install Kubernetes from pkgs.k8s.io; set it up as in $doc"
if grep -qE 'apt\.kubernetes\.io|yum\.kubernetes\.io|packages\.cloud\.google\.com' "$repo"; then
  die 4 "$repo uses the legacy apt.kubernetes.io/yum.kubernetes.io repository, frozen since 2023-09-13 and gone since 2024-03-04; move to pkgs.k8s.io as in $doc and run again"
fi
grep -qE 'core:/stable:/v1\.[0-9]+/' "$repo" || die 3 "$repo does not point at a pkgs.k8s.io core:/stable:/v1.X repository"
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
