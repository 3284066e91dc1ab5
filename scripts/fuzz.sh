#!/usr/bin/env bash
# Runs every Jazzer fuzz target in fuzzing mode, one after another, for a bounded time each, and
# fails on the first finding. Usage: scripts/fuzz.sh [seconds-per-target] [Class#method ...]
# (default 15 s, all targets). docs/fuzzing.md explains the targets and where inputs go.
#
# `./test.sh` already runs the same targets on their committed corpus only; this mutates it.
# A finding is written to src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, where
# the normal test run picks it up as a regression test once it is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

seconds=${1:-15}
shift || true
# module:Class#method. Each run fuzzes exactly one target: Jazzer fuzzes one @FuzzTest per JVM.
all=(
  "tern-protocol:FrameCodecFuzzTest#decodeJson"
  "tern-protocol:FrameCodecFuzzTest#decodeBinary"
  "tern-gateway:HttpFuzzTest#httpRequests"
  "tern-gateway:WebSocketFuzzTest#webSocketFrames"
  "tern-gateway:MediaHeadersFuzzTest#mediaHeaders"
)
targets=()
if [ $# -eq 0 ]; then
  targets=("${all[@]}")
else
  for want in "$@"; do
    for t in "${all[@]}"; do [ "${t#*:}" = "$want" ] && targets+=("$t"); done
  done
  [ ${#targets[@]} -eq $# ] || { echo "unknown target in: $* (known: ${all[*]#*:})" >&2; exit 2; }
fi

mkdir -p target/fuzz
summary=()
status=0
for t in "${targets[@]}"; do
  module=${t%%:*} test=${t#*:}
  log="target/fuzz/${test/\#/.}.log"
  echo "== fuzzing $test for ${seconds}s (log: $log)"
  # JAZZER_MAX_DURATION overrides @FuzzTest(maxDuration). -timeout is libFuzzer's per-input limit:
  # one input running longer than 10 s is reported as a hang. (A JUnit @Timeout would instead bound
  # the whole fuzzing run.) -am builds the modules the target depends on from this checkout.
  # Coverage guidance covers Tern's classes; the gateway targets also instrument Netty's codecs, so
  # the fuzzer is rewarded for reaching new states of the HTTP and WebSocket decoders.
  instrument='dev.tern.**'
  [ "$module" = tern-gateway ] && instrument='dev.tern.**,io.netty.handler.codec.**'
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-$instrument}" ./mvnw -B -ntp test -pl "$module" -am \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout=10 </dev/null >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E "Test unit written to|FuzzTestFinding|ERROR\]   " "$log" | head -n 20 >&2 || true
  fi
  # libFuzzer's closing line, e.g. "Done 553723 runs in 41 second(s)".
  runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 | awk '{print $2 " runs in " $5 " s"}')
  summary+=("$(printf '%-36s %-7s %s' "$test" "$result" "${runs:-no run count (see $log)}")")
  [ $status -eq 0 ] || break
done

echo "== fuzzing summary"
printf '%s\n' "${summary[@]}"
failed=$status
echo "fuzz: $(( ${#summary[@]} - failed )) passed, $failed failed"
exit $status
