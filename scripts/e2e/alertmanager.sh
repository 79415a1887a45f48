#!/usr/bin/env bash
# End-to-end: Faultline's AlertmanagerSink against a real Alertmanager (Debian prometheus-alertmanager).
#
# Starts its own Alertmanager on 127.0.0.1 (free port, temp config and storage, clustering off), runs
# dev.faultline.ops.AlertmanagerProbe (push firing → visible in GET /api/v2/alerts with the right labels
# and escaped annotations → push resolved → no longer active), and stops Alertmanager on exit.
set -euo pipefail
# shellcheck source=common.bash
source "$(dirname "$0")/common.bash"

ensure_debian_package prometheus-alertmanager prometheus-alertmanager

WORK=$(mktemp -d "${TMPDIR:-/tmp}/faultline-e2e-am.XXXXXX")
AM_PID=""
cleanup() {
  stop_pid "$AM_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat > "$WORK/alertmanager.yml" <<'YAML'
route:
  receiver: blackhole
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: blackhole
YAML

CP=$(topology_classpath)

start_alertmanager() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    log "starting Alertmanager on 127.0.0.1:$port (attempt $attempt)"
    prometheus-alertmanager \
      --config.file="$WORK/alertmanager.yml" \
      --storage.path="$WORK/data" \
      --web.listen-address="127.0.0.1:$port" \
      --cluster.listen-address= \
      --log.level=warn >"$WORK/alertmanager.log" 2>&1 &
    AM_PID=$!
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ]; do
      if ! kill -0 "$AM_PID" 2>/dev/null; then break; fi
      if http_ok "http://127.0.0.1:$port/-/ready"; then AM_PORT=$port; return 0; fi
      sleep 0.2
    done
    log "Alertmanager did not come up on $port:"; tail -n 20 "$WORK/alertmanager.log" >&2 || true
    stop_pid "$AM_PID"; AM_PID=""
  done
  die "could not start Alertmanager"
}

AM_PORT=""
start_alertmanager
log "Alertmanager ready on 127.0.0.1:$AM_PORT"

if ! timeout 180 java -cp "$CP" dev.faultline.ops.AlertmanagerProbe "http://127.0.0.1:$AM_PORT"; then
  log "Alertmanager log:"; tail -n 50 "$WORK/alertmanager.log" >&2 || true
  die "AlertmanagerProbe failed"
fi
log "PASS"
