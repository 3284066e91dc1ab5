#!/usr/bin/env bash
# Runs the whole test suite: unit, store contract and end-to-end tests against real servers, then
# the JavaScript SDK's tests (scripts/js-test.sh) against a server from this build.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
./mvnw -B -ntp verify "$@"
scripts/js-test.sh
