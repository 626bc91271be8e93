#!/usr/bin/env bash
# The consumer project test-js and test-agent share: pkg/ and pkg-mcp/ packed with `npm pack`
# and installed together into build/consumer, as a user gets them (the MCP package's
# dependency on the main one met by the local tarball). Kept while both tarballs are
# byte-for-byte the same (npm pack fixes every date), so a `make test` installs once.
# tests/node_modules links to its node_modules: the tests run where they are and import the
# installed packages by name.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
[ -f pkg/package.json ] && [ -f pkg-mcp/package.json ] || { echo "consumer: pkg/ or pkg-mcp/ is not built (make pkg)" >&2; exit 1; }

consumer=build/consumer
tgz=build/consumer-tgz
mkdir -p build
exec 9>build/consumer.lock
flock 9
rm -rf "$tgz"
mkdir -p "$tgz"
main=$(cd pkg && npm pack --silent --pack-destination "$ROOT/$tgz")
mcp=$(cd pkg-mcp && npm pack --silent --pack-destination "$ROOT/$tgz")
stamp=$(cd "$tgz" && sha256sum "$main" "$mcp" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$consumer/.tgz-sha256" 2>/dev/null)" = "$stamp" ]; then
  echo "consumer: $consumer already has $main and $mcp"
else
  rm -rf "$consumer"
  mkdir -p "$consumer"
  printf '{ "name": "consumer", "private": true, "type": "module" }\n' > "$consumer/package.json"
  (cd "$consumer" && npm_install --silent "$ROOT/$tgz/$main" "$ROOT/$tgz/$mcp")
  echo "$stamp" > "$consumer/.tgz-sha256"
  echo "consumer: installed $main and $mcp into $consumer"
fi
ln -sfn ../build/consumer/node_modules tests/node_modules
