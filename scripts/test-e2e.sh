#!/usr/bin/env bash
# Browser tests of the demo page: Playwright (playwright-core) driving Debian's Chromium
# against the real emulator and www/serve.mjs, both started by the tests on 127.0.0.1:0.
#
# Assumes scripts/setup.sh, `make pkg` and `make emulator` have run (the emulator is the
# dev-profile binary, target/debug/agent-account-emulator). EMULATOR overrides the emulator
# binary, CHROMIUM the browser.
# Also type-checks www/app.js against the package's .d.ts (cheap, catches API drift).
set -euo pipefail
cd "$(dirname "$0")/.."

emulator="${EMULATOR:-target/debug/agent-account-emulator}"
[[ -x "$emulator" ]] || { echo "test-e2e: no emulator at $emulator (make emulator)" >&2; exit 1; }
[[ -f pkg/browser.js ]] || { echo "test-e2e: pkg/ is not built (make pkg)" >&2; exit 1; }
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || { echo "test-e2e: no Chromium at ${CHROMIUM:-/usr/bin/chromium}" >&2; exit 1; }

echo "test-e2e: type-checking www/app.js"
node_modules/.bin/tsc -p www

# `timeout` signals its whole process group, so the emulator, the page server and Chromium
# started by the tests go down with it; every test also has its own limit.
timeout --kill-after=10 300 \
  node --test --test-timeout=90000 tests/e2e/demo.test.mjs tests/e2e/cloud.test.mjs tests/e2e/serve.test.mjs
