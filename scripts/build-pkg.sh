#!/usr/bin/env bash
# Builds the npm package into pkg/: three wasms (the client, the Markdown renderer, and the
# rules wasm of the Node entries) with cargo and wasm-bindgen, shrunk with wasm-opt, a CommonJS
# copy of the glue for Node's `require` (esbuild), the two bundled Node entries, and the
# hand-written parts from pkg-template/; then the MCP package into pkg-mcp/.
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
# wasm (9-10 KB of the client's 41 KB gzipped; BENCHMARKS.md, "Std rebuilt for size").
# Otherwise the prebuilt std is used (WASM_BUILD_STD=0 forces that). Either way a panic
# traps; none is reachable.
library="$("$RUSTC" --print sysroot)/lib/rustlib/src/rust/library"
# Without multi-value returns: wasm-bindgen then returns a string through memory (a return
# pointer), since V8 compiles a TurboFan wrapper for each export that returns several values
# at every start (BENCHMARKS.md, "No multi-value returns").
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Ctarget-feature=-multivalue"
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
build() { # out-dir out-name features [wasm-opt flags]
  "${cargo_wasm[@]}" --no-default-features --features "$3"
  wasm-bindgen --target web --out-dir "pkg/$1" --out-name "$2" \
    target/wasm/wasm32-unknown-unknown/wasm-release/cloudinary_agent_account.wasm
  # The rules wasm holds no JS value: the two imports wasm-bindgen gives it anyway go. The
  # others' hashed import names become short ones, in the wasm and its glue alike, and the
  # functions only their table lists, which nothing can call, are emptied.
  if [ "$1" = rules ]; then node scripts/wasm-no-imports.mjs "pkg/$1/$2_bg.wasm"
  else
    node scripts/wasm-short-imports.mjs "pkg/$1/$2_bg.wasm" "pkg/$1/$2.js"
    node scripts/wasm-table-shims.mjs "pkg/$1/$2_bg.wasm"
  fi
  # Features that Rust's wasm32 target emits by default; wasm-opt must know them.
  # --low-memory-unused: Rust puts the 1 MiB stack first, growing down towards 0, so the
  # lowest KiB is touched only by a stack about to overflow. --strip-producers: tool names.
  # ${4-}: extra wasm-opt flags of one build.
  wasm-opt -Oz --converge --low-memory-unused --strip-producers ${4-} \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/$1/$2_bg.wasm" -o "pkg/$1/$2_bg.wasm"
  # The glue minified: 28 -> 12 KB raw, 5.8 -> 4.2 KB gzipped for the client, less to parse at
  # every cold start. Its types are in the .d.ts; the banner keeps Deno's pointer to them.
  esbuild "pkg/$1/$2.js" --minify --format=esm --log-level=error --allow-overwrite \
    --banner:js="/* @ts-self-types=\"./$2.d.ts\" */" --outfile="pkg/$1/$2.js"
  # Node's `require` cannot load the ESM glue (before Node 20.19): convert it once here.
  # Whitespace and syntax minified like node.mjs (the snippet it inlines is not minified
  # yet); identifiers kept, so AgentAccountError keeps its name.
  esbuild "pkg/$1/$2.js" --bundle --format=cjs --platform=node --log-level=error \
    --minify-whitespace --minify-syntax \
    --outfile="pkg/node/$1.cjs"
  # Its types, as CommonJS declarations (TypeScript's node16 resolution of `require`).
  cp "pkg/$1/$2.d.ts" "pkg/node/$1.d.cts"
}
# `-ocimfs 20`: a function with one caller is inlined into it only when small; inlining the
# large ones grew the gzipped client by 1.1 KB (BENCHMARKS.md, "wasm-opt flags").
build core cloudinary_agent_account client "-ocimfs 20"
build guidance guidance markdown
# validateRequest alone, without imports, for the Node entries (src/wasm/packed.rs), so an
# import that only validates compiles little and no import wrapper (BENCHMARKS.md, "Node cold
# start: a rules wasm without imports"). Its glue is bundled into them.
# `-ocimfs 0`: functions with one caller stay out of line, so that the error paths Rust keeps
# cold and apart (validate.rs field_issue, packed.rs issues_json) are not inlined back into
# the functions a valid request runs, which V8 compiles on their first call (BENCHMARKS.md,
# "Error paths out of line").
build rules rules rules "-ocimfs 0"

cp pkg-template/*.js pkg-template/*.cjs pkg-template/*.mjs pkg-template/*.d.ts pkg-template/README.md LICENSE pkg/
cp pkg-template/node/*.js pkg/node/
# The entries' export lists, from the one list in expose.js (API; Node's entry adds EXTRAS):
# each entry's `export const {}` is filled in, and the build fails if one was not.
api=$(node --input-type=module -e "import { API } from './pkg-template/expose.js'; process.stdout.write(API.join(', '))")
extras=$(node --input-type=module -e "import { EXTRAS } from './pkg-template/expose.js'; process.stdout.write(EXTRAS.join(', '))")
for entry in browser-core workerd-core edge-light-core wasm-file-core; do
  sed -i "s/^export const {} = expose(glue);$/export const { $api } = expose(glue);/" "pkg/$entry.js"
  grep -q "^export const { $api } = expose(glue);$" "pkg/$entry.js" || { echo "build-pkg: pkg/$entry.js: export list not written" >&2; exit 1; }
done
sed -i "s/^export const {} = once(() => {$/export const { $api, $extras } = once(() => {/" pkg/node.mjs
grep -q "^export const { $api, $extras } = once" pkg/node.mjs || { echo "build-pkg: pkg/node.mjs: export list not written" >&2; exit 1; }
# The entry types for `require`: the same declarations, pointing at the CommonJS copies.
for t in index core; do
  sed -e "s#'./core.js'#'./core.cjs'#" -e "s#'./core/cloudinary_agent_account.js'#'./node/core.cjs'#" \
    -e "s#'./guidance/guidance.js'#'./node/guidance.cjs'#" "pkg-template/$t.d.ts" > "pkg/$t.d.cts"
done
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
sed "s/0.0.0-filled-by-build/$version/" pkg-template/package.json > pkg/package.json
echo "built pkg/ (cloudinary-agent-account $version)"

# --- The agent surfaces (tool schema, /node, /tool, CLI) and the MCP package ---------------
# The tool's input schema, generated from src/validate.rs by a native example binary (run
# with the native toolchain: the wasm one set above cannot build for the host everywhere).
native_path="${PATH#"${WASM_PATH_PREFIX:+$WASM_PATH_PREFIX:}"}"
request_schema() {
  env -u RUSTC -u CARGO -u CARGO_TARGET_DIR -u RUSTFLAGS -u RUSTC_BOOTSTRAP PATH="$native_path" \
    cargo run --quiet --locked --example request-schema -- "$@"
}
schema_json=$(request_schema)
cloud_schema_json=$(request_schema cloud)
{
  echo "// Generated by scripts/build-pkg.sh from src/schema.rs (cargo run --example request-schema)."
  echo "/** The request's JSON Schema (2020-12 compatible, no \$ref), from the Rust rules. */"
  echo "export const inputSchema = ${schema_json};"
  echo "/** The Claimable Cloud request's JSON Schema (every field optional), from the Rust rules. */"
  echo "export const cloudInputSchema = ${cloud_schema_json};"
} > pkg/tool-schema.js
# The credential helpers for `require` (save.cjs), and the CommonJS twins of their types.
esbuild pkg-template/credentials.js --format=cjs --platform=neutral --log-level=error \
  --outfile=pkg/node/credentials.cjs
for m in credentials activation; do
  sed -e "s#'./core/cloudinary_agent_account.js'#'./core.cjs'#" "pkg-template/$m.d.ts" > "pkg/node/$m.d.cts"
  sed -i -e "s#'./$m.js'#'./node/$m.cjs'#" pkg/core.d.cts
done
sed -e "s#'./core/cloudinary_agent_account.js'#'./node/core.cjs'#" pkg-template/save.d.ts > pkg/save.d.cts
chmod +x pkg/cli.mjs
# --- The Node entries: one bundled file each -----------------------------------------------
# node.mjs and node.cjs, each bundled with everything it loads into one file: Node's `import`
# of CommonJS lexes every file for its export names, and each file costs a resolution and a
# load; together more than compiling the wasm (BENCHMARKS.md, "Node entries: one bundled file
# each"). node.mjs takes the ESM glue (scope-hoisted: no CommonJS wrappers to evaluate at
# start), node.cjs its CommonJS copy. Identifiers are kept (the glue in them is minified
# already, and AgentAccountError keeps its name). The two meet in node/once.js, bundled into
# both.
sed -i "s/0.0.0-filled-by-build/$version/" pkg/node/once.js
sed -i "s/^const RULES_WASM_BYTES = 0; \/\/ filled by the build$/const RULES_WASM_BYTES = $(stat -c %s pkg/rules/rules_bg.wasm);/" pkg/node.mjs
grep -q '^const RULES_WASM_BYTES = [1-9]' pkg/node.mjs || { echo "build-pkg: RULES_WASM_BYTES not filled in" >&2; exit 1; }
# The glue's own init (a fetch of `new URL('…_bg.wasm', import.meta.url)`) is never called in
# Node (initSync is), but bundlers that trace node.mjs would look for that file beside it:
# import.meta.url is made undefined in the glue alone before it is bundled into node.mjs.
# The Node entries use two things of the client glue's objects.js snippet before (or without)
# instantiating the client: the error class and the request packer. Its ESM and CommonJS
# copies export them beside the glue, from their one copy of the snippet, so that the class
# Rust throws is the class the entry exports.
snippet=$(cd pkg/core && ls snippets/*/src/wasm/objects.js)
printf "export * from './cloudinary_agent_account.js';\nexport { AgentAccountError, packedEntries } from './%s';\n" \
  "$snippet" > pkg/core/node-entry.js
esbuild pkg/core/node-entry.js --bundle --format=esm --platform=node --log-level=error \
  --define:import.meta.url=undefined --outfile=pkg/node/core.mjs
esbuild pkg/core/node-entry.js --bundle --format=cjs --platform=node --log-level=error \
  --minify-whitespace --minify-syntax --allow-overwrite --outfile=pkg/node/core.cjs
esbuild pkg/rules/rules.js --bundle --format=esm --platform=node --log-level=error \
  --define:import.meta.url=undefined --outfile=pkg/node/rules.mjs
for entry in esm:mjs cjs:cjs; do
  esbuild "pkg/node.${entry#*:}" --bundle --platform=node --format="${entry%:*}" \
    --minify-whitespace --minify-syntax --log-level=error --allow-overwrite --outfile="pkg/node.${entry#*:}"
done
# Fails the build if a wasm-bindgen release changes the glue so that node.mjs names
# import.meta other than in its own three wasm URLs (a bundler would
# trace a `new URL(…, import.meta.url)` of the glue's).
urls=$(grep -o 'new URL("[^"]*",import\.meta\.url)' pkg/node.mjs | sort | tr '\n' ' ')
metas=$(grep -o 'import\.meta' pkg/node.mjs | wc -l)
if [ "$metas" != 3 ] || [ "$urls" != 'new URL("./core/cloudinary_agent_account_bg.wasm",import.meta.url) new URL("./guidance/guidance_bg.wasm",import.meta.url) new URL("./rules/rules_bg.wasm",import.meta.url) ' ]; then
  echo "build-pkg: pkg/node.mjs: import.meta named $metas times (expected 3); wasm URLs: $urls" >&2
  exit 1
fi
# The rules glue lives only inside node.mjs and node.cjs: of pkg/rules, the wasm is shipped.
rm pkg/node/once.js pkg/node/instance.js pkg/node/core.mjs pkg/node/rules.mjs pkg/node/rules.cjs \
  pkg/core/node-entry.js \
  pkg/node/rules.d.cts pkg/rules/rules.js pkg/rules/rules.d.ts pkg/rules/rules_bg.wasm.d.ts
# The MCP server: a second package beside the first, depending on this very version of it.
rm -rf pkg-mcp
mkdir -p pkg-mcp
cp pkg-mcp-template/* LICENSE pkg-mcp/
# The MCP Registry's server.json and the MCP Bundle's manifest.json carry the same version
# (neither is in the npm tarball: `files` leaves them out; scripts/build-mcpb.sh packs the bundle).
for f in package.json server.json manifest.json; do
  sed "s/0.0.0-filled-by-build/$version/g" "pkg-mcp-template/$f" > "pkg-mcp/$f"
done
chmod +x pkg-mcp/server.mjs
echo "built pkg-mcp/ (cloudinary-agent-account-mcp $version)"
