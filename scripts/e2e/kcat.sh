#!/usr/bin/env bash
# End to end with clients nobody here wrote: kcat produces log lines into `faultline demo`'s embedded
# broker and reads faultline.enriched and faultline.alerts back (read_committed); jq checks them.
# Needs the built jar (topology/target/faultline.jar; built here if missing). Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=topology/target/faultline.jar
DEADLINE_S=${KCAT_E2E_DEADLINE_S:-120}
WORK=$(mktemp -d -t faultline-kcat-XXXXXX)
DEMO_PID=""

cleanup() {
  if [[ -n "$DEMO_PID" ]] && kill -0 "$DEMO_PID" 2>/dev/null; then
    kill -TERM "$DEMO_PID" 2>/dev/null || true      # the demo stops generator, streams, broker in order
    for _ in $(seq 1 60); do kill -0 "$DEMO_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$DEMO_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "kcat-e2e: FAIL: $*" >&2; echo "--- demo output (tail) ---" >&2; tail -n 40 "$WORK/demo.log" >&2 || true; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "kcat-e2e: installing $2 (apt-get)" >&2
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=""; fi
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq "$2" >/dev/null
  command -v "$1" >/dev/null 2>&1 || { echo "kcat-e2e: cannot install $2" >&2; exit 1; }
}
need kcat kcat
need jq jq

if [[ ! -f "$JAR" ]]; then
  echo "kcat-e2e: building $JAR" >&2
  mvn -q -B -pl catalog,topology -am package -DskipTests
fi

# The demo with no generated traffic of its own (kcat is the only producer) and alert settings small
# enough to fire on a burst of 30 within a 10 s window and resolve 10 s after it.
java -jar "$JAR" demo --rate 0 --no-spike --bad-ratio 0 --duration "$((DEADLINE_S + 60))s" \
  --ready-file "$WORK/bootstrap" \
  --set windows.sizes=10s --set windows.grace=0s \
  --set alerts.window=10s --set alerts.min-count=20 --set alerts.resolve-hold-down=10s \
  >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!

for _ in $(seq 1 $((DEADLINE_S * 2))); do
  [[ -s "$WORK/bootstrap" ]] && break
  kill -0 "$DEMO_PID" 2>/dev/null || fail "the demo exited before it was ready"
  sleep 0.5
done
[[ -s "$WORK/bootstrap" ]] || fail "the demo was not ready within ${DEADLINE_S}s"
BS=$(tr -d '[:space:]' < "$WORK/bootstrap")
echo "kcat-e2e: demo ready at $BS"

now_iso() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
now_ms() { date -u +%s%3N; }

# One error line per format, key = service; kcat -K splits key and value at the first '|'.
T=$(now_iso); MS=$(now_ms)
cat > "$WORK/lines" <<LINES
nefia-agent|time=$T level=error service=nefia-agent host=web-1 op=exec msg="ssh exec failed" err_code=E2001
agent-tasks-api|{"level":50,"time":$MS,"service":"agent-tasks-api","msg":"claim failed","err":{"type":"ConflictError","message":"task already claimed","code":"task.already_claimed"}}
vault-rpc|{"time":"$T","level":"error","service":"vault-rpc","msg":"rpc call failed","response":{"jsonrpc":"2.0","id":7,"error":{"code":-32010,"message":"no such file"}}}
foundry-mcp|{"timestamp":"$T","level":"ERROR","service":"foundry-mcp","success":false,"data":{"error_code":"SPEC_NOT_FOUND","error_type":"not_found"},"error":"spec missing"}
nps-gateway|{"@timestamp":"$T","log.level":"error","message":"query rejected","ecs.version":"8.11.0","service.name":"nps-gateway","error.code":"NWP-QUERY-CURSOR-INVALID"}
nps-node|<131>1 $T edge-1 nps-node 4242 - - frame rejected; error: NCP-FRAME-FLAGS-INVALID
LINES
kcat -P -b "$BS" -t logs -K '|' -l "$WORK/lines"
echo "kcat-e2e: produced $(wc -l < "$WORK/lines") lines with kcat"

# Reads a topic from the beginning (read_committed) until jq filter $2 holds for the array of values.
wait_for() {
  local topic=$1 filter=$2 what=$3 end=$((SECONDS + DEADLINE_S))
  while (( SECONDS < end )); do
    kcat -C -b "$BS" -t "$topic" -o beginning -e -q -X isolation.level=read_committed -f '%s\n' \
      > "$WORK/$topic.jsonl" 2>/dev/null || true
    if jq -s -e "$filter" "$WORK/$topic.jsonl" >/dev/null 2>&1; then
      echo "kcat-e2e: ok: $what"; return 0
    fi
    sleep 1
  done
  echo "--- $topic ---" >&2; tail -n 5 "$WORK/$topic.jsonl" >&2 || true
  fail "$what (not seen on $topic within ${DEADLINE_S}s)"
}

has() { # has SERVICE CATALOG CODE STAGE -> jq condition on the enriched array
  printf 'any(.[]; .service == "%s" and .source.topic == "logs" and (.source.offset | type) == "number" and any(.errors[]; .catalog == "%s" and .code == "%s" and .stage == "%s"))' "$1" "$2" "$3" "$4"
}
wait_for faultline.enriched "$(has nefia-agent nefia SSH_AUTH_FAILED typed) and $(has agent-tasks-api agent-tasks task.already_claimed typed) and $(has vault-rpc vault-rpc FileNotFound typed) and $(has foundry-mcp foundry-mcp SPEC_NOT_FOUND typed) and $(has nps-gateway nps NWP-QUERY-CURSOR-INVALID typed) and $(has nps-node nps NCP-FRAME-FLAGS-INVALID fallback)" \
  "all six lines enriched with catalog, code, stage and source"

# A burst of a transient code: 30 in one window fires an alert ...
: > "$WORK/burst"
for i in $(seq 1 30); do
  echo "nefia-agent|{\"level\":50,\"time\":$(now_ms),\"service\":\"nefia-agent\",\"msg\":\"vpn down\",\"err\":{\"code\":\"VPN_NOT_READY\"}}" >> "$WORK/burst"
done
kcat -P -b "$BS" -t logs -K '|' -l "$WORK/burst"
# ... and normal lines keep stream time moving so the windows close and, after the hold-down, it resolves.
END_FEED=$((SECONDS + DEADLINE_S))
(
  while (( SECONDS < END_FEED )); do
    echo "nps-node|{\"level\":30,\"time\":$(now_ms),\"service\":\"nps-node\",\"msg\":\"frame forwarded\"}"
    echo "nps-node|time=$(now_iso) level=error service=nps-node msg=\"stream gap\" err_code=NCP-STREAM-SEQ-GAP"
    sleep 1
  done | kcat -P -b "$BS" -t logs -K '|' 2>/dev/null
) &
FEED_PID=$!
trap 'kill $FEED_PID 2>/dev/null || true; cleanup' EXIT

wait_for faultline.alerts 'any(.[]; .status == "firing" and .labels.service == "nefia-agent" and .labels.code == "VPN_NOT_READY")' \
  "a firing alert for nefia-agent VPN_NOT_READY"
wait_for faultline.alerts '([.[] | select(.labels.code == "VPN_NOT_READY") | .status] | index("firing")) as $f | $f != null and ([.[] | select(.labels.code == "VPN_NOT_READY") | .status][$f:] | index("resolved")) != null' \
  "the alert resolved after the hold-down"
kill "$FEED_PID" 2>/dev/null || true
echo "kcat-e2e: PASS"
