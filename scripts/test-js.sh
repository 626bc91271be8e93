#!/usr/bin/env bash
# Tests the package the way a user gets it: `npm pack` of pkg/, installed into a fresh
# project (scripts/consumer.sh), then node --test of tests/js/ and tests/runtimes/ (Deno,
# workerd) against the emulator, and the TypeScript consumer checks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck disable=SC1091
source build/toolchain.env
export EMULATOR="$ROOT/${EMULATOR:-target/debug/agent-account-emulator}"
[ -x "$EMULATOR" ] || { echo "test-js: no emulator at $EMULATOR (make emulator)" >&2; exit 1; }
scripts/consumer.sh

# TypeScript: the consumer compiles under --strict, and a misspelt field does not. The sources
# go into the consumer project, whose package.json makes consumer.ts an ES module.
ts=build/consumer/ts
rm -rf "$ts"
mkdir -p "$ts"
cp tests/ts/* "$ts/"
# The same consumer again as a CommonJS module (a .cts file), for the `require` types.
cp tests/ts/consumer.ts "$ts/consumer-cjs.cts"
tsc -p "$ts/tsconfig.json"
echo "test-js: tsc --strict accepts tests/ts/consumer.ts (ESM, nodenext)"
tsc -p "$ts/tsconfig.cjs.json"
echo "test-js: tsc --strict accepts tests/ts/consumer-cjs.cts (CommonJS, node16)"
if out=$(tsc -p "$ts/tsconfig.misspelt.json" 2>&1) ||
   ! grep -q "'sdkFramework' does not exist in type 'AgentAccountRequest'" <<<"$out"; then
  echo "test-js: FAILED: tsc should reject the misspelt field sdkFramework; it said:" >&2
  echo "$out" >&2
  exit 1
fi
echo "test-js: tsc --strict rejects tests/ts/misspelt.ts (sdkFramework)"
# No `any` in the public surface (wasm-bindgen's own init declarations come last; not ours).
node -e '
  const fs = require("fs");
  const files = ["pkg/index.d.ts", "pkg/core.d.ts", "pkg/core/cloudinary_agent_account.d.ts", "pkg/guidance/guidance.d.ts"];
  let bad = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8").split("export type InitInput")[0];
    text.split("\n").forEach((line, i) => {
      if (/\bany\b/.test(line.replace(/\/\/.*|\/?\*.*/, ""))) { console.error(`${f}:${i + 1}: ${line}`); bad++; }
    });
  }
  if (bad) { console.error("test-js: FAILED: any in the public type declarations"); process.exit(1); }
'
echo "test-js: no 'any' in the public type declarations"

node --test --test-reporter=spec tests/js/*.test.mjs tests/js/*.test.cjs tests/runtimes/*.test.mjs
