# kubectl-upgrade: install kubeadm v1.36.0
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
pkgs='kubeadm'
want='1.36.0'
case $pm in unknown) die 6 "no apt-get, dnf or yum on this node" ;; esac
doc=https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/change-package-repository/
[ -f "$repo" ] || die 3 "$repo not found: this node does not install Kubernetes from pkgs.k8s.io; set it up as in $doc"
if grep -qE 'apt\.kubernetes\.io|yum\.kubernetes\.io|packages\.cloud\.google\.com' "$repo"; then
  die 4 "$repo uses the legacy apt.kubernetes.io/yum.kubernetes.io repository, frozen since 2023-09-13 and gone since 2024-03-04; move to pkgs.k8s.io as in $doc and run again"
fi
export DEBIAN_FRONTEND=noninteractive
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
