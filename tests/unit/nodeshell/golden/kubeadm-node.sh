# kubectl-upgrade: kubeadm upgrade node
set -eu
kubeadm upgrade node
