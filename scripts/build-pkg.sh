#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm entries (the client, and the Markdown renderer)
# with wasm-pack, shrunk with wasm-opt, a CommonJS copy of the glue for Node's `require`
# (esbuild), and the hand-written parts from pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/toolchain.env ] || scripts/setup.sh
# shellcheck disable=SC1091
source build/toolchain.env
export PATH="${WASM_PATH_PREFIX:+$WASM_PATH_PREFIX:}$PATH"
export RUSTC="$WASM_RUSTC" CARGO="$WASM_CARGO" CARGO_TARGET_DIR="$PWD/target/wasm"

rm -rf pkg
build() { # out-dir out-name features
  wasm-pack --quiet build --profile wasm-release --target web --no-pack --out-dir "pkg/$1" --out-name "$2" . \
    -- --no-default-features --features "$3"
  rm -f "pkg/$1/.gitignore"
  # Features that Rust's wasm32 target emits by default; wasm-opt must know them.
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/$1/$2_bg.wasm" -o "pkg/$1/$2_bg.wasm"
  # Node's `require` cannot load the ESM glue (before Node 20.19): convert it once here.
  esbuild "pkg/$1/$2.js" --bundle --format=cjs --platform=node --log-level=error \
    --outfile="pkg/node/$1.cjs"
  # Its types, as CommonJS declarations (TypeScript's node16 resolution of `require`).
  cp "pkg/$1/$2.d.ts" "pkg/node/$1.d.cts"
}
build core cloudinary_agent_account client
build guidance guidance markdown

cp pkg-template/*.js pkg-template/*.cjs pkg-template/*.mjs pkg-template/*.d.ts pkg-template/README.md LICENSE pkg/
cp pkg-template/node/*.cjs pkg/node/
# The entry types for `require`: the same declarations, pointing at the CommonJS copies.
for t in index core; do
  sed -e "s#'./core.js'#'./core.cjs'#" -e "s#'./core/cloudinary_agent_account.js'#'./node/core.cjs'#" \
    -e "s#'./guidance/guidance.js'#'./node/guidance.cjs'#" "pkg-template/$t.d.ts" > "pkg/$t.d.cts"
done
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
sed "s/0.0.0-filled-by-build/$version/" pkg-template/package.json > pkg/package.json
echo "built pkg/ (cloudinary-agent-account $version)"
