#!/usr/bin/env bash
# Starts a throwaway Tern server for the SDK's tests: a free port (port 0), a temporary data
# directory, cheap password hashing and no rate limits. Builds the server first when its jar is
# missing. Prints the server's log; the line "Tern is ready. Connect a client to ws://…/ws" says
# where it listens. Extra arguments go to the server (e.g. --set key=value).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
. scripts/java-home.sh
jar=$(ls tern-server/target/tern-server-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d tern-server/target/lib ]; then
  echo "Building Tern..." >&2
  ./mvnw -q -B -ntp install -DskipTests >&2
  jar=$(ls tern-server/target/tern-server-*.jar | head -n 1)
fi
data="${TERNJS_DATA_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/tern-js-test.XXXXXX")}"
# TERN_* variables would configure the server: the test server takes only what is set here.
for v in $(compgen -e | grep '^TERN_' || true); do unset "$v"; done
exec "$JAVA_HOME/bin/java" -Xms64m -Xmx512m --enable-native-access=ALL-UNNAMED \
  -cp "$jar:tern-server/target/lib/*" dev.tern.server.Main \
  --set server.host=127.0.0.1 --set server.port=0 --set store.path="$data/store" \
  --set auth.argon2-memory-kib=256 --set auth.argon2-iterations=1 \
  --set limits.send-rate-device=0/1s --set limits.send-rate-user=0/1s \
  --set limits.login-failures-per-username=0/1s --set limits.login-attempts-per-address=0/1s \
  --set limits.registrations-per-address=0/1s --set limits.groups-per-user=0/1s \
  --set limits.connections-per-address=0 --set media.upload-rate=0/1s \
  "$@"
