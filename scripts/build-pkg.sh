#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm entries (the client, and the Markdown renderer)
# with cargo and wasm-bindgen, shrunk with wasm-opt, a CommonJS copy of the glue for Node's `require`
# (esbuild), and the hand-written parts from pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/toolchain.env ] || scripts/setup.sh
# shellcheck disable=SC1091
source build/toolchain.env
export PATH="${WASM_PATH_PREFIX:+$WASM_PATH_PREFIX:}$PATH"
export RUSTC="$WASM_RUSTC" CARGO="$WASM_CARGO" CARGO_TARGET_DIR="$PWD/target/wasm"

# The wasm build: cargo, then wasm-bindgen (what `wasm-pack build --no-pack` ran, minus
# wasm-pack itself), then wasm-opt. When the standard library's source is there (Debian's
# rust-web-src, rustup's rust-src), std is rebuilt with the package's own size settings and
# panics that abort at once: no panic messages, locations or formatting machinery in the
# wasm (9-10 KB of the client's 41 KB gzipped; see BENCHMARKS.md). Otherwise the prebuilt
# std is used (WASM_BUILD_STD=0 forces that). Either way a panic traps; none is reachable.
library="$("$RUSTC" --print sysroot)/lib/rustlib/src/rust/library"
cargo_wasm=(cargo build --quiet --locked --lib --profile wasm-release --target wasm32-unknown-unknown)
if [ "${WASM_BUILD_STD:-1}" != 0 ] && [ -f "$library/Cargo.lock" ]; then
  # -Zbuild-std is unstable: RUSTC_BOOTSTRAP lets the stable compiler take it.
  export RUSTC_BOOTSTRAP=1
  if grep -q 'immediate-abort' "$library/core/Cargo.toml"; then
    # Rust >= 1.92: immediate abort is a panic strategy of its own.
    export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
    cargo_wasm+=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  else
    export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Zlocation-detail=none"
    cargo_wasm+=(-Zbuild-std=std,panic_abort -Zbuild-std-features=panic_immediate_abort,optimize_for_size)
  fi
fi

rm -rf pkg
build() { # out-dir out-name features
  "${cargo_wasm[@]}" --no-default-features --features "$3"
  wasm-bindgen --target web --out-dir "pkg/$1" --out-name "$2" \
    target/wasm/wasm32-unknown-unknown/wasm-release/cloudinary_agent_account.wasm
  # Features that Rust's wasm32 target emits by default; wasm-opt must know them.
  # --low-memory-unused: Rust puts the 1 MiB stack first, growing down towards 0, so the
  # lowest KiB is touched only by a stack about to overflow. --strip-producers: tool names.
  wasm-opt -Oz --converge --low-memory-unused --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/$1/$2_bg.wasm" -o "pkg/$1/$2_bg.wasm"
  # The glue minified: 28 -> 12 KB raw, 5.8 -> 4.2 KB gzipped for the client, less to parse at
  # every cold start. Its types are in the .d.ts; the banner keeps Deno's pointer to them.
  esbuild "pkg/$1/$2.js" --minify --format=esm --log-level=error --allow-overwrite \
    --banner:js="/* @ts-self-types=\"./$2.d.ts\" */" --outfile="pkg/$1/$2.js"
  # Node's `require` cannot load the ESM glue (before Node 20.19): convert it once here.
  esbuild "pkg/$1/$2.js" --bundle --format=cjs --platform=node --log-level=error \
    --outfile="pkg/node/$1.cjs"
  # Its types, as CommonJS declarations (TypeScript's node16 resolution of `require`).
  cp "pkg/$1/$2.d.ts" "pkg/node/$1.d.cts"
}
build core cloudinary_agent_account client
build guidance guidance markdown

cp pkg-template/*.js pkg-template/*.cjs pkg-template/*.mjs pkg-template/*.d.ts pkg-template/README.md LICENSE pkg/
# The entry types for `require`: the same declarations, pointing at the CommonJS copies.
for t in index core; do
  sed -e "s#'./core.js'#'./core.cjs'#" -e "s#'./core/cloudinary_agent_account.js'#'./node/core.cjs'#" \
    -e "s#'./guidance/guidance.js'#'./node/guidance.cjs'#" "pkg-template/$t.d.ts" > "pkg/$t.d.cts"
done
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
sed "s/0.0.0-filled-by-build/$version/" pkg-template/package.json > pkg/package.json
echo "built pkg/ (cloudinary-agent-account $version)"
