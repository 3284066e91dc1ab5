#!/usr/bin/env bash
# Builds Tern (when the sources changed) and starts one node with the embedded store and the web
# client at its HTTP address.
# Data goes to ./data; the server listens on 127.0.0.1:8080 unless tern.properties or
# TERN_* variables say otherwise. Extra arguments go to the server (try --help).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
# The web client served at / imports the JavaScript SDK's build (clients/js/dist), which the
# server's jar includes: build the SDK first when it changed.
if command -v npm >/dev/null 2>&1; then
  if [ ! -f clients/js/dist/index.js ] || [ -n "$(find clients/js/src clients/js/package-lock.json -newer clients/js/dist/index.js -print -quit)" ]; then
    echo "Building the JavaScript SDK for the web client..."
    (cd clients/js && npm ci --no-audit --no-fund --silent && npm run build --silent)
  fi
else
  echo "npm not found: starting without the web client (it needs Node.js 20+ to build)" >&2
fi
jar=$(ls tern-server/target/tern-server-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find . \( -path ./data -o -name node_modules \) -prune -o \( -name '*.java' -o -name '*.proto' \
    -o -name 'pom.xml' -o -path './web/*' -o -path './clients/js/dist/*.js' \) -newer "$jar" -print -quit)" ]; then
  echo "Building Tern (first build downloads dependencies; this takes a minute)..."
  ./mvnw -q -B -ntp -DskipTests install
  jar=$(ls tern-server/target/tern-server-*.jar | head -n 1)
fi
config=()
if [ -f tern.properties ]; then config=(--config tern.properties); fi
exec "$JAVA_HOME/bin/java" ${TERN_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseZGC} --enable-native-access=ALL-UNNAMED \
  -cp "$jar:tern-server/target/lib/*" dev.tern.server.Main "${config[@]}" "$@"
