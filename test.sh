#!/usr/bin/env bash
# Runs the whole test suite: unit, store contract and end-to-end tests against real servers.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
exec ./mvnw -B -ntp verify "$@"
