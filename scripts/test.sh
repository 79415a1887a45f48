#!/usr/bin/env bash
# The test command (README): every test tier, on a fresh machine with JDK 17 and Maven.
#  1. unit, property, TopologyTestDriver and real-broker integration tests: mvn verify
#     (the KRaft broker runs in-process; Testcontainers tests skip where no Docker engine runs);
#  2. end-to-end scripts with clients no one here wrote (each installs its own Debian packages).
# Ends with one line totalling every tier: "faultline: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

mvn -B -ntp verify 2>&1 | tee "$log"

# Surefire's per-module summary lines (not the per-class ones, which end in "-- in <class>").
read -r run failed skipped < <(grep -E '^\[INFO\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$log" \
  | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)/\1 \2 \3 \4/' \
  | awk '{r+=$1; f+=$2+$3; s+=$4} END {print r+0, f+0, s+0}')
passed=$((run - failed - skipped))

e2e_failed=0
for e2e in scripts/e2e/*.sh; do
  [ -e "$e2e" ] || continue
  echo "==> $e2e"
  if bash "$e2e"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $e2e"
    e2e_failed=$((e2e_failed + 1))
  fi
done

failed=$((failed + e2e_failed))
echo "faultline: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ]
