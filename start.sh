#!/usr/bin/env bash
# Builds Tern (when the sources changed) and starts one node with the embedded store.
# Data goes to ./data; the server listens on 127.0.0.1:8080 unless tern.properties or
# TERN_* variables say otherwise. Extra arguments go to the server (try --help).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
jar=$(ls tern-server/target/tern-server-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]; then
  echo "Building Tern (first build downloads dependencies; this takes a minute)..."
  ./mvnw -q -B -ntp -DskipTests install
  jar=$(ls tern-server/target/tern-server-*.jar | head -n 1)
fi
config=()
if [ -f tern.properties ]; then config=(--config tern.properties); fi
exec "$JAVA_HOME/bin/java" ${TERN_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseZGC} --enable-native-access=ALL-UNNAMED \
  -cp "$jar:tern-server/target/lib/*" dev.tern.server.Main "${config[@]}" "$@"
