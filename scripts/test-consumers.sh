#!/usr/bin/env bash
# The consumer matrix: the packed package installed into a small app per tool (Vite, webpack,
# esbuild, Next.js, Bun; tests/consumers/<tool>, each with its own lock file), built with the
# real tool and run against the emulator (tests/consumers/consumers.test.mjs).
#
# Each app is copied to build/consumers/<tool> and installed with `npm ci` (all in parallel:
# it is network and disk bound; the npm cache is used as scripts/npm.sh says). An install
# whose lock file has not changed since the last run is kept. The packed package is then
# unpacked into node_modules, so the lock files never name a build artefact.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
EMULATOR=${EMULATOR:-target/debug/agent-account-emulator}
[[ $EMULATOR = /* ]] || EMULATOR="$ROOT/$EMULATOR"
export EMULATOR
[ -x "$EMULATOR" ] || { echo "test-consumers: no emulator at $EMULATOR (make emulator)" >&2; exit 1; }
[ -f pkg/package.json ] || { echo "test-consumers: pkg/ is not built (make pkg)" >&2; exit 1; }

tools=(vite webpack esbuild next bun)
out=build/consumers
mkdir -p "$out"
rm -f "$out"/*.tgz
tarball="$ROOT/$out/$(cd pkg && npm pack --silent --pack-destination "$ROOT/$out")"

install() { # tool
  local tool=$1 dir="$out/$1" stamp
  stamp=$(sha256sum "tests/consumers/$tool/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$dir/node_modules/.lock-sha256" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    cp -r "tests/consumers/$tool/." "$dir/"
    (cd "$dir" && npm_ci)
    echo "$stamp" > "$dir/node_modules/.lock-sha256"
  fi
  # The app's sources afresh (they may have changed without the lock file), and the shared
  # smoke script and browser entry. Next's .next/cache (Turbopack's) is kept: a rebuild of an
  # unchanged app then takes seconds.
  rm -rf "$dir/dist"
  cp -r "tests/consumers/$tool/." "$dir/"
  cp tests/runtimes/smoke.mjs tests/consumers/tool-smoke.mjs "$dir/"
  case $tool in vite | webpack | esbuild) cp tests/consumers/page.mjs "$dir/main.mjs" ;; esac
  # The package has no dependencies, so installing it is unpacking it: what `npm install
  # --no-save <tarball>` does, without re-reading the whole tree (53 s for Next's here).
  rm -rf "$dir/node_modules/cloudinary-agent-account"
  mkdir -p "$dir/node_modules/cloudinary-agent-account"
  tar -xzf "$tarball" -C "$dir/node_modules/cloudinary-agent-account" --strip-components=1
}

pids=()
for tool in "${tools[@]}"; do
  install "$tool" > "$out/$tool.install.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!tools[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "test-consumers: installing ${tools[$i]} failed:" >&2
    cat "$out/${tools[$i]}.install.log" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
echo "test-consumers: installed $(basename "$tarball") into ${tools[*]}"

# `timeout` signals the whole process group: servers and Chromium go down with it.
CONSUMERS_DIR="$ROOT/$out" timeout --kill-after=10 600 \
  node --test --test-reporter=spec --test-timeout=300000 tests/consumers/consumers.test.mjs
