# Shared helpers for the end-to-end scripts; sourced by them (not a *.sh, so scripts/test.sh does not run it).
# shellcheck shell=bash

E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

# ROOT: the prefix that runs a command as root (nothing when root already, else sudo). An array of
# words, not a function, so that `timeout` can run it: timeout executes programs, not shell functions.
ROOT=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then ROOT=(sudo); fi

# as_root CMD...: run as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" -ne 0 ] && [ ${#ROOT[@]} -eq 0 ]; then die "need root (or sudo) to run: $*"; fi
  ${ROOT[@]+"${ROOT[@]}"} "$@"
}

# ensure_debian_package BINARY PACKAGE: install PACKAGE with apt-get when BINARY is missing.
# Services the package would start are denied while installing (a temporary policy-rc.d): every
# script starts its own instance on its own port and storage, and leaves nothing running behind.
ensure_debian_package() {
  local binary=$1 package=$2
  if command -v "$binary" >/dev/null 2>&1; then return 0; fi
  command -v apt-get >/dev/null 2>&1 || die "$binary is missing and apt-get is not available (install $package)"
  log "installing Debian package $package"
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && created_policy=1
  fi
  local rc=0
  {
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      timeout 300 ${ROOT[@]+"${ROOT[@]}"} apt-get update -qq
    fi
    timeout 600 ${ROOT[@]+"${ROOT[@]}"} apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  } || rc=$?
  if [ "$created_policy" = 1 ]; then as_root rm -f "$policy"; fi
  [ "$rc" -eq 0 ] || die "could not install $package"
  command -v "$binary" >/dev/null 2>&1 || die "$package installed but $binary is not on PATH"
}

# free_port: a TCP port on 127.0.0.1 that nothing answers on right now.
free_port() {
  local port i
  for i in $(seq 1 50); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

# http_ok URL: true when URL answers 2xx (curl if present, else bash's /dev/tcp).
http_ok() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 5 -o /dev/null "$url" 2>/dev/null
  else
    local hostport=${url#http://}; hostport=${hostport%%/*}
    local path=/${url#http://*/}
    local host=${hostport%:*} port=${hostport##*:}
    exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
    local status; IFS=' ' read -r _ status _ <&3 || true
    exec 3<&- 3>&-
    [[ "$status" == 2* ]]
  fi
}

# http_get URL: print the body (curl if present, else bash's /dev/tcp with HTTP/1.0).
http_get() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 5 "$url"
  else
    local hostport=${url#http://}; hostport=${hostport%%/*}
    local path=/${url#http://*/}
    local host=${hostport%:*} port=${hostport##*:}
    exec 3<>"/dev/tcp/$host/$port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
    sed '1,/^\r\{0,1\}$/d' <&3
    exec 3<&- 3>&-
  fi
}

# stop_pid PID: TERM, then KILL after a few seconds; only the process this script started.
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# topology_classpath: builds the topology test classes (with the catalog module) and prints the
# classpath to run the e2e probes with.
topology_classpath() {
  local mvn_flags=${E2E_MVN_FLAGS:--B -ntp -q}
  (cd "$E2E_ROOT" && timeout 900 mvn $mvn_flags -pl topology -am test-compile \
      dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2) || die "maven build of the topology test classes failed"
  local deps
  deps=$(cat "$E2E_ROOT/topology/target/test-classpath.txt")
  printf '%s' "$E2E_ROOT/topology/target/test-classes:$E2E_ROOT/topology/target/classes:$deps"
}
