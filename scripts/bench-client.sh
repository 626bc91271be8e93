#!/usr/bin/env bash
# Benchmark of the client (not a test), on the package as users get it: `npm pack` of pkg/
# installed into a fresh project (as scripts/test-js.sh does), with bench/*.mjs beside it.
# Prints sizes, cold start, createAccount latency and validateRequest rate, each against a
# plain-JavaScript client (bench/plain-client.mjs) and raw fetch. Loopback only; bounded.
#   scripts/bench-client.sh            (after `make pkg`; BENCH_CALLS, BENCH_COLD to change)
#   BENCH_PKG=/path/to/other/pkg scripts/bench-client.sh   (another build, e.g. an older one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck disable=SC1091
source build/toolchain.env
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
dir=build/bench
rm -rf "$dir"
mkdir -p "$dir/consumer"
tarball=$(cd "${BENCH_PKG:-pkg}" && npm pack --silent --pack-destination "$ROOT/$dir")
printf '{ "name": "bench", "private": true, "type": "module" }\n' > "$dir/consumer/package.json"
(cd "$dir/consumer" && npm_install --silent "$ROOT/$dir/$tarball")
cp bench/*.mjs "$dir/consumer/"
cd "$dir/consumer" && ESBUILD="$ROOT/node_modules/.bin/esbuild" node client.mjs
