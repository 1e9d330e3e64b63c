# kubectl-upgrade: restart the kubelet (the last command: it may end this pod)
set -eu
systemctl daemon-reload
systemctl restart kubelet
