#!/usr/bin/env bash
# Builds and tests the JavaScript SDK (clients/js) against a real Tern server that its test run
# starts from tern-server/target (built by the Maven build when missing). Needs Node.js 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")/../clients/js"
if ! command -v npm >/dev/null 2>&1; then
  echo "js-test: npm not found; the JavaScript SDK needs Node.js 20 or newer" >&2
  exit 1
fi
npm ci --no-audit --no-fund
npm run build
npm test
