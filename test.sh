#!/usr/bin/env bash
# Runs the whole test suite: unit, store contract and end-to-end tests against real servers, then
# the JavaScript SDK's tests (scripts/js-test.sh) and the web client's browser tests
# (scripts/web-test.sh) against a server from this build. The SDK is built first: the server's jar
# serves it to the web client.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
(cd clients/js && npm ci --no-audit --no-fund && npm run build)
./mvnw -B -ntp verify "$@"
scripts/js-test.sh
scripts/web-test.sh
