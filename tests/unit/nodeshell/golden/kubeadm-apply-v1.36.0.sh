# kubectl-upgrade: kubeadm upgrade apply v1.36.0 (first control plane)
set -eu
version='v1.36.0'
kubeadm upgrade plan "$version"
kubeadm upgrade apply "$version" --yes
