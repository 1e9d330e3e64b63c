#!/usr/bin/env bash
# Benchmark: how long the real kubectl takes to list every pod of a kube-sim scale scenario.
#   bench/sim_get_pods.sh [scenario] [build dir]   (default scale-200.yaml, build)
# Prints kube-sim's start-up time and three timings of `kubectl get pods -A`.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="tests/sim/scenarios/${1:-scale-200.yaml}"
build="${2:-build}"
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
start=$(date +%s.%N)
"$build/bin/kube-sim" serve --scenario "$scenario" --state-dir "$dir" 2>"$dir/log" &
pid=$!
while [ ! -f "$dir/kubeconfig" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$dir/log" >&2; exit 1; }
  sleep 0.1
done
echo "kube-sim ready in $(echo "$(date +%s.%N) - $start" | bc) s ($scenario)"
export KUBECONFIG="$dir/kubeconfig" HOME="$dir/home"
for i in 1 2 3; do
  /usr/bin/time -f "kubectl get pods -A: %e s" kubectl get pods -A --no-headers >"$dir/pods.txt"
done
echo "pods listed: $(wc -l <"$dir/pods.txt")"
