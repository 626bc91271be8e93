#!/usr/bin/env bash
# Tests the package the way a user gets it: `npm pack` of pkg/, installed into a fresh
# project, then node --test against the emulator, and the TypeScript consumer checks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck disable=SC1091
source build/toolchain.env
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
export EMULATOR="$ROOT/${EMULATOR:-target/debug/agent-account-emulator}"
[ -x "$EMULATOR" ] || { echo "test-js: no emulator at $EMULATOR (make emulator)" >&2; exit 1; }

consumer=build/consumer
rm -rf "$consumer" build/*.tgz
mkdir -p "$consumer/test"
tarball=$(cd pkg && npm pack --silent --pack-destination "$ROOT/build")
printf '{ "name": "consumer", "private": true, "type": "module" }\n' > "$consumer/package.json"
(cd "$consumer" && npm_install --silent "$ROOT/build/$tarball")
echo "test-js: installed $tarball into $consumer"

# TypeScript: the consumer compiles under --strict, and a misspelt field does not.
cp tests/ts/* "$consumer/"
# The same consumer again as a CommonJS module (a .cts file), for the `require` types.
cp tests/ts/consumer.ts "$consumer/consumer-cjs.cts"
tsc -p "$consumer/tsconfig.json"
echo "test-js: tsc --strict accepts tests/ts/consumer.ts (ESM, nodenext)"
tsc -p "$consumer/tsconfig.cjs.json"
echo "test-js: tsc --strict accepts tests/ts/consumer-cjs.cts (CommonJS, node16)"
if out=$(tsc -p "$consumer/tsconfig.misspelt.json" 2>&1) ||
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

cp tests/js/*.mjs tests/js/*.cjs tests/runtimes/*.mjs "$consumer/test/"
cd "$consumer" && node --test --test-reporter=spec test/*.test.mjs test/*.test.cjs
