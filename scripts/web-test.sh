#!/usr/bin/env bash
# Tests the web client (web/) in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM)
# driven by playwright-core, against a real Tern server started by the JavaScript SDK's test
# runner. Needs the SDK built (scripts/js-test.sh does it) and the server built after it, so that
# the server's jar holds web/ and clients/js/dist. Screenshots go to web/test/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../web"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "web-test: $chromium not found; install Debian's chromium (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 1
fi
npm ci --no-audit --no-fund
CHROMIUM="$chromium" node ../clients/js/test/run.mjs test/*.test.mjs
