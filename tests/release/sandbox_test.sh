#!/usr/bin/env bash
# Runs the static release binary in an empty bubblewrap root: no /usr, no dynamic loader, no shared
# library, no /etc/passwd, no nsswitch - only the binary, /proc, /dev, a tmpfs HOME and (for the
# HTTPS checks) an /etc/hosts. The network namespace is shared, so it can reach local servers.
#
#   tests/release/sandbox_test.sh [DIST_BINARY]     (default dist/kubectl-upgrade; run scripts/release)
#
# Checks, in order (each says PASS, FAIL or SKIP with the reason):
#   1. bubblewrap works here, and a dynamic binary cannot run in the empty root (negative control);
#   2. `kubectl-upgrade --help` and `version` run in the empty root;
#   3. the release build's libcurl (build-static/ku-curl-probe, same static libcurl as the binary)
#      speaks HTTPS to a local TLS server by a name that only the sandbox's /etc/hosts knows, which
#      c-ares reads itself; with strace, no NSS module, gai.conf or shared object is opened;
#   4. with kube-sim built (build/bin/kube-sim): the probe GETs /version from it over HTTPS with the
#      kubeconfig's credentials, and once kubectl-upgrade links the real client, `kubectl-upgrade plan`
#      reaches it from the sandbox with the kubeconfig found through $HOME (no getpwuid).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
root=$PWD
bin=$(realpath "${1:-dist/kubectl-upgrade}")
probe=${KU_CURL_PROBE:-$root/build-static/ku-curl-probe}
kube_sim=${KUBE_SIM:-$root/build/bin/kube-sim}
unstripped=${KU_UNSTRIPPED:-$root/build-static/obj/bin/kubectl-upgrade}

failures=0
pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
skip() { echo "SKIP: $*"; }

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$bin" ]; then
  echo "FAIL: $bin does not exist; build it with scripts/release"
  exit 1
fi

# sandbox BIND... -- CMD...: the empty root. Extra "--ro-bind SRC DST" pairs come before "--".
sandbox() {
  local extra=()
  while [ "$1" != "--" ]; do
    extra+=("$1")
    shift
  done
  shift
  bwrap --unshare-all --share-net --die-with-parent --clearenv \
    --tmpfs / --proc /proc --dev /dev --tmpfs /tmp --dir /home/ku \
    --setenv HOME /home/ku --setenv PATH / \
    --ro-bind "$bin" /kubectl-upgrade "${extra[@]}" --chdir / "$@"
}

# --- 1. bubblewrap ---------------------------------------------------------------------------
if ! bwrap --ro-bind / / true 2>"$work/bwrap.err"; then
  echo "SKIP: bubblewrap does not work on this machine: $(cat "$work/bwrap.err")"
  exit 77
fi
if out=$(sandbox --ro-bind "$(command -v true)" /dynamic-true -- /dynamic-true 2>&1); then
  fail "a dynamic binary ran in the sandbox, so the root is not empty of libraries"
else
  pass "the sandbox has no dynamic loader (dynamic true fails: ${out##*: })"
fi

# --- 2. the release binary ---------------------------------------------------------------------
kind=$(file -b "$bin")
case $kind in
  *"statically linked"*) pass "file: statically linked" ;;
  *) fail "file says: $kind" ;;
esac
if out=$(sandbox -- /kubectl-upgrade --help 2>&1) && [[ $out == *"kubectl upgrade"* ]]; then
  pass "kubectl-upgrade --help in the empty root"
else
  fail "kubectl-upgrade --help in the empty root: $out"
fi
out=$(sandbox -- /kubectl-upgrade version 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -n "$out" ]; then
  pass "kubectl-upgrade version in the empty root: $(head -n1 <<<"$out")"
elif [[ $out == *"not implemented yet"* ]]; then
  skip "kubectl-upgrade version: the binary is still the placeholder ($out)"
else
  fail "kubectl-upgrade version in the empty root (exit $rc): $out"
fi

# NSS-dependent glibc functions must not be in the binary: HOME comes from the environment.
if [ -f "$unstripped" ] && command -v nm >/dev/null; then
  if pw=$(nm "$unstripped" | grep -Ew '(getpwuid|getpwnam|getpwuid_r|getpwnam_r|getgrnam)'); then
    fail "the binary links NSS user lookups (HOME must come from \$HOME): $pw"
  else
    pass "no getpwuid/getpwnam in $unstripped"
  fi
else
  skip "no unstripped $unstripped to inspect with nm"
fi

# check_opened WHAT EXE BWRAP-ARGS...: runs the sandbox under strace and fails when, after EXE's
# execve, anything opens an NSS module, gai.conf, /etc/passwd or a shared object (all threads).
check_opened() {
  local what=$1 exe=$2 opened bad
  shift 2
  if ! command -v strace >/dev/null; then
    skip "no strace: did not trace which files $what opens"
    return
  fi
  strace -f -qq -e trace=execve,open,openat -o "$work/strace.log" \
    bwrap --unshare-all --share-net --die-with-parent --clearenv --tmpfs / --proc /proc \
    --dev /dev --tmpfs /tmp --setenv HOME /home/ku "$@" >/dev/null 2>&1
  opened=$(awk -v exe="execve(\"$exe\"" 'index($0, exe) { seen = 1 } seen && /open/' "$work/strace.log")
  if [ -z "$opened" ]; then
    skip "strace saw no open by $what (ptrace limited here?)"
  elif bad=$(grep -E 'libnss|gai\.conf|/etc/passwd|\.so[."]|ld-linux' <<<"$opened"); then
    fail "$what opened NSS, passwd or shared-library files: $bad"
  else
    pass "$what opened only: $(grep -oE '"[^"]+"' <<<"$opened" | sort -u | tr '\n' ' ')"
  fi
}

# --- 3. static libcurl: HTTPS and c-ares in the sandbox -----------------------------------------
probe_in_sandbox() {
  sandbox --ro-bind "$probe" /ku-curl-probe --ro-bind "$work/hosts" /etc/hosts \
    --ro-bind "$work/certs" /certs -- /ku-curl-probe "$@"
}

# Waits for a line matching REGEX in FILE (up to ~20 s) and prints it.
wait_for_line() {
  local _
  for _ in $(seq 100); do
    grep -m1 -E "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

mkdir -p "$work/certs"
printf '127.0.0.1 localhost ku-release.test\n::1 localhost\n' >"$work/hosts"
if [ ! -x "$probe" ]; then
  skip "no $probe (scripts/release builds it): HTTPS from the sandbox not checked"
elif ! command -v openssl >/dev/null; then
  skip "no openssl command for a local TLS server: HTTPS from the sandbox not checked"
else
  info=$(sandbox --ro-bind "$probe" /ku-curl-probe -- /ku-curl-probe --info 2>&1)
  if [[ $info == *"resolver: c-ares"* && $info == *"tls: OpenSSL"* &&
    $info == *"protocols: http https"* ]]; then
    pass "static libcurl: $(tr '\n' ';' <<<"$info")"
  else
    fail "static libcurl is not HTTP(S)-only with OpenSSL and c-ares: $info"
  fi

  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj /CN=ku-release.test -addext subjectAltName=DNS:ku-release.test \
    -keyout "$work/certs/key.pem" -out "$work/certs/ca.pem" 2>/dev/null
  openssl s_server -accept 127.0.0.1:0 -www -cert "$work/certs/ca.pem" \
    -key "$work/certs/key.pem" >"$work/s_server.log" 2>&1 &
  pids+=($!)
  if ! accept=$(wait_for_line "$work/s_server.log" '^ACCEPT'); then
    fail "openssl s_server did not start: $(cat "$work/s_server.log")"
  else
    url="https://ku-release.test:${accept##*:}/"
    if out=$(probe_in_sandbox "$url" --cacert /certs/ca.pem 2>&1) && [[ $out == "status: 200"* ]]; then
      pass "HTTPS from the empty root to $url (name from /etc/hosts via c-ares, verified TLS)"
    else
      fail "HTTPS from the empty root to $url: $out"
    fi
    check_opened "the probe" /ku-curl-probe --ro-bind "$probe" /ku-curl-probe \
      --ro-bind "$work/hosts" /etc/hosts --ro-bind "$work/certs" /certs \
      /ku-curl-probe "$url" --cacert /certs/ca.pem
  fi
fi

# --- 4. kube-sim ---------------------------------------------------------------------------------
# Pulls a base64 field (certificate-authority-data, ...) out of a kubeconfig into a file.
kubeconfig_field() {
  sed -n "s/^ *$1: *//p" "$2" | head -n1 | tr -d '"' | base64 -d >"$3" 2>/dev/null && [ -s "$3" ]
}

if [ ! -x "$kube_sim" ]; then
  skip "no $kube_sim yet: HTTPS to kube-sim from the sandbox not checked"
elif [ ! -x "$probe" ]; then
  skip "no $probe: HTTPS to kube-sim from the sandbox not checked"
else
  state=$work/sim
  "$kube_sim" serve --scenario "$root/tests/sim/scenarios/single-cp.yaml" --state-dir "$state" \
    >"$work/kube-sim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 150); do
    [ -s "$state/kubeconfig" ] && break
    sleep 0.2
  done
  if [ ! -s "$state/kubeconfig" ]; then
    fail "kube-sim wrote no $state/kubeconfig: $(tail -n5 "$work/kube-sim.log")"
  else
    server=$(sed -n 's/^ *server: *//p' "$state/kubeconfig" | head -n1 | tr -d '"')
    creds=()
    kubeconfig_field certificate-authority-data "$state/kubeconfig" "$work/certs/sim-ca.pem" &&
      creds+=(--cacert /certs/sim-ca.pem)
    if kubeconfig_field client-certificate-data "$state/kubeconfig" "$work/certs/sim-cert.pem" &&
      kubeconfig_field client-key-data "$state/kubeconfig" "$work/certs/sim-key.pem"; then
      creds+=(--cert /certs/sim-cert.pem --key /certs/sim-key.pem)
    fi
    if token=$(sed -n 's/^ *token: *//p' "$state/kubeconfig" | head -n1 | tr -d '"') &&
      [ -n "$token" ]; then
      printf '%s' "$token" >"$work/certs/sim-token"
      creds+=(--token-file /certs/sim-token)
    fi
    if out=$(probe_in_sandbox "$server/version" "${creds[@]}" 2>&1) &&
      [[ $out == *gitVersion* ]]; then
      pass "probe GET $server/version from the empty root: $(grep -o '"gitVersion": *"[^"]*"' <<<"$out")"
    else
      fail "probe GET $server/version from the empty root: $out"
    fi

    # The real client: only once kubectl-upgrade links libcurl (pkg/kube in the tree).
    # (grep -c, not -q: with pipefail an early exit of grep would fail the pipeline through nm)
    if [ -f "$unstripped" ] && [ "$(nm "$unstripped" 2>/dev/null | grep -cw curl_easy_init)" -gt 0 ]; then
      mkdir -p "$work/home/.kube"
      cp "$state/kubeconfig" "$work/home/.kube/config"
      out=$(bwrap --unshare-all --share-net --die-with-parent --clearenv --tmpfs / --proc /proc \
        --dev /dev --tmpfs /tmp --ro-bind "$work/home" /home/ku --setenv HOME /home/ku \
        --ro-bind "$bin" /kubectl-upgrade --ro-bind "$work/hosts" /etc/hosts --chdir / \
        /kubectl-upgrade plan 2>&1)
      rc=$?
      # 0 = ready, 2 = a plan with blockers: both need the cluster read over HTTPS; 1 is any error
      # (configuration, TLS, API). Whether the scenario has blockers is the plan tests' business.
      if [ $rc -eq 0 ] || [ $rc -eq 2 ]; then
        pass "kubectl-upgrade plan from the empty root via \$HOME/.kube/config (exit $rc): $(grep -m1 -E 'Ready|ready|blocker' <<<"$out")"
      else
        fail "kubectl-upgrade plan from the empty root (exit $rc): $(tail -n5 <<<"$out")"
      fi
      check_opened "kubectl-upgrade plan" /kubectl-upgrade --ro-bind "$work/home" /home/ku \
        --ro-bind "$bin" /kubectl-upgrade --ro-bind "$work/hosts" /etc/hosts /kubectl-upgrade plan
    else
      skip "kubectl-upgrade does not link the HTTP client yet: plan against kube-sim not checked"
    fi
  fi
fi

if [ $failures -gt 0 ]; then
  echo "sandbox test: $failures failure(s)"
  exit 1
fi
echo "sandbox test: ok"
