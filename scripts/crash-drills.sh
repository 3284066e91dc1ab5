#!/usr/bin/env bash
# Crash drill with many cycles: load from SDK clients, kill -9 of the server at a random moment,
# restart on the same data, and at the end a check of every view (CrashDrillIT).
#   scripts/crash-drills.sh [cycles]      (default 20; ./test.sh runs 3)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
cycles="${1:-20}"
start=$(date +%s)
status=0
# The drill is an integration test (failsafe, -Dit.test); -Dtest=none leaves out the unit tests.
./mvnw -B -ntp verify -pl tern-server -am -Dit.test=CrashDrillIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dtern.drill.cycles="$cycles" || status=$?
report=tern-server/target/failsafe-reports/dev.tern.server.CrashDrillIT-output.txt
if [[ -f "$report" ]]; then
    grep -E '^(cycle [0-9]+:|crash drill:)' "$report" || true
fi
echo "crash-drills.sh: $cycles cycles, exit $status, $(( $(date +%s) - start )) s including the build"
exit "$status"
