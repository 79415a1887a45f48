#!/usr/bin/env bash
# End-to-end: a real Prometheus (Debian prometheus) scrapes Faultline's /metrics.
#
# Starts dev.faultline.ops.PrometheusProbe (an OpsServer on 127.0.0.1 with a few Faultline metrics),
# then its own Prometheus on 127.0.0.1 (free port, temp config and TSDB) scraping it every second, and
# polls Prometheus's query API until faultline_events_read_total is there. Stops both on exit.
set -euo pipefail
# shellcheck source=common.bash
source "$(dirname "$0")/common.bash"

ensure_debian_package prometheus prometheus

WORK=$(mktemp -d "${TMPDIR:-/tmp}/faultline-e2e-prom.XXXXXX")
PROBE_PID=""
PROM_PID=""
cleanup() {
  stop_pid "$PROM_PID"
  stop_pid "$PROBE_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CP=$(topology_classpath)

# 1. Faultline's metrics endpoint, on an ephemeral loopback port (the probe writes it to a file).
java -cp "$CP" dev.faultline.ops.PrometheusProbe 0 "$WORK/ops.port" 300 >"$WORK/probe.log" 2>&1 &
PROBE_PID=$!
deadline=$((SECONDS + 60))
while [ ! -s "$WORK/ops.port" ]; do
  kill -0 "$PROBE_PID" 2>/dev/null || { cat "$WORK/probe.log" >&2; die "PrometheusProbe exited"; }
  [ $SECONDS -lt $deadline ] || die "PrometheusProbe did not start within 60 s"
  sleep 0.2
done
OPS_PORT=$(cat "$WORK/ops.port")
metrics=$(http_get "http://127.0.0.1:$OPS_PORT/metrics") || die "GET /metrics failed"
grep -q '^faultline_events_read_total' <<<"$metrics" || die "the ops server does not serve faultline_events_read_total"
log "Faultline metrics on 127.0.0.1:$OPS_PORT"

# 2. Prometheus scraping it every second.
cat > "$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: faultline
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$OPS_PORT']
YAML

PROM_PORT=""
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  log "starting Prometheus on 127.0.0.1:$port (attempt $attempt)"
  prometheus \
    --config.file="$WORK/prometheus.yml" \
    --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$port" \
    --log.level=warn >"$WORK/prometheus.log" 2>&1 &
  PROM_PID=$!
  deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ] && kill -0 "$PROM_PID" 2>/dev/null; do
    if http_ok "http://127.0.0.1:$port/-/ready"; then PROM_PORT=$port; break 2; fi
    sleep 0.2
  done
  log "Prometheus did not come up on $port:"; tail -n 20 "$WORK/prometheus.log" >&2 || true
  stop_pid "$PROM_PID"; PROM_PID=""
done
[ -n "$PROM_PORT" ] || die "could not start Prometheus"
log "Prometheus ready on 127.0.0.1:$PROM_PORT"

# 3. The Faultline series, as Prometheus stored it.
query="http://127.0.0.1:$PROM_PORT/api/v1/query?query=faultline_events_read_total"
deadline=$((SECONDS + 60))
result=""
while [ $SECONDS -lt $deadline ]; do
  result=$(http_get "$query" 2>/dev/null || true)
  if grep -q '"__name__":"faultline_events_read_total"' <<<"$result" \
     && grep -q '"format":"json"' <<<"$result" && grep -q '"job":"faultline"' <<<"$result"; then
    log "Prometheus has the series: ${result:0:400}"
    health=$(http_get "http://127.0.0.1:$PROM_PORT/api/v1/query?query=up%7Bjob%3D%22faultline%22%7D" || true)
    grep -q '"value":\[[0-9.]*,"1"\]' <<<"$health" || die "target not up: $health"
    log "PASS"
    exit 0
  fi
  sleep 0.5
done
log "last answer: $result"
log "Prometheus log:"; tail -n 30 "$WORK/prometheus.log" >&2 || true
die "faultline_events_read_total did not appear in Prometheus within 60 s"
