#!/usr/bin/env bash
# The test command (README): every test tier, on a fresh machine with JDK 17 and Maven.
#  1. unit, property, TopologyTestDriver and real-broker integration tests: mvn verify
#     (the KRaft broker runs in-process; Testcontainers tests skip where no Docker engine runs);
#  2. end-to-end scripts with clients no one here wrote (each installs its own Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp verify

for e2e in scripts/e2e/*.sh; do
  [ -e "$e2e" ] || continue
  echo "==> $e2e"
  bash "$e2e"
done
