#!/usr/bin/env bash
# Runs tern bench (see docs/benchmarks.md), building it first when sources changed.
#   ./bench.sh direct --pairs 100 --window 20      ./bench.sh --help
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
jar=$(ls tern-bench/target/tern-bench-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]; then
  echo "Building tern-bench..." >&2
  ./mvnw -q -B -ntp -DskipTests install
  jar=$(ls tern-bench/target/tern-bench-*.jar | head -n 1)
fi
# BENCH_GENERATOR_CPUS pins the load generator (taskset), BENCH_SERVER_CPUS the server it starts.
pin=()
if [ -n "${BENCH_GENERATOR_CPUS:-}" ]; then pin=(taskset -c "$BENCH_GENERATOR_CPUS"); fi
exec "${pin[@]}" "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseZGC} --enable-native-access=ALL-UNNAMED \
  -cp "$jar:tern-bench/target/lib/*" dev.tern.bench.BenchMain "$@"
