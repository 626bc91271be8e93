#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: a second run only checks.
#
# The wasm32 standard library comes one of two ways (see ../shared/TOOLCHAIN.md):
#   rustup  - `rustup target add wasm32-unknown-unknown` (a laptop whose rustup can download);
#   debian  - Debian's Rust (rustc-web, its std source, lld), with the wasm32 std built once
#             from source into its sysroot (these machines: rustup's download hangs here).
# WASM_TOOLCHAIN=rustup|debian forces one; otherwise rustup is used when it already has the
# target, Debian's route on Debian (apt-get present), rustup elsewhere.
# It writes build/toolchain.env, which the Makefile and scripts source.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
mkdir -p build
log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

SUDO=""
need_root() {
  # $1: the exact command a non-root user must run.
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; return; fi
    die "this step needs root. Run:  sudo $1  and then run make again"
  fi
}

APT_UPDATED=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root "apt-get update && apt-get install -y ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then log "apt-get update"; $SUDO apt-get update -qq >&2; APT_UPDATED=1; fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
}

# The versions the lock file pins; the CLIs must match them exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
[ -n "$WB_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"
WASM_PACK_VERSION=0.15.1

export PATH="$HOME/.cargo/bin:$PATH"

# --- 1. a Rust that can build wasm32 -------------------------------------------------------
route=${WASM_TOOLCHAIN:-}
if [ -z "$route" ]; then
  if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    route=rustup
  elif command -v apt-get >/dev/null; then
    route=debian
  else
    route=rustup
  fi
fi

if [ "$route" = rustup ]; then
  command -v rustup >/dev/null || die "rustup not found: install it from https://rustup.rs or use WASM_TOOLCHAIN=debian on Debian"
  rustup target list --installed | grep -qx wasm32-unknown-unknown || { log "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
  WASM_CARGO=$(rustup which cargo)
  WASM_RUSTC=$(rustup which rustc)
  WASM_PATH_PREFIX=""
else
  apt_install rustc-web cargo-web rust-web-src rust-web-clippy lld-22
  WASM_CARGO=/usr/bin/cargo
  WASM_RUSTC=/usr/bin/rustc
  WASM_PATH_PREFIX=/usr/bin
  libdir=$($WASM_RUSTC --print target-libdir --target wasm32-unknown-unknown)
  if ! ls "$libdir"/libstd-*.rlib "$libdir"/libtest-*.rlib >/dev/null 2>&1; then
    log "building the wasm32 standard library into $libdir (about a minute)"
    std=build/wasm-std
    rm -rf "$std"; mkdir -p "$std/src"
    printf '[package]\nname = "wasm_std_seed"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n[workspace]\n' > "$std/Cargo.toml"
    : > "$std/src/lib.rs"
    (cd "$std" && RUSTC=$WASM_RUSTC RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target \
      $WASM_CARGO build -q --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort,test) >&2
    need_root "cp $ROOT/$std/target/wasm32-unknown-unknown/release/deps/*.rlib $libdir/"
    $SUDO mkdir -p "$libdir"
    # Into an empty directory only: two sets of libcore there make rustc refuse the sysroot.
    $SUDO rm -f "$libdir"/*.rlib
    for f in "$std"/target/wasm32-unknown-unknown/release/deps/*.rlib; do
      case "$(basename "$f")" in libwasm_std_seed-*) ;; *) $SUDO cp "$f" "$libdir/";; esac
    done
    rm -rf "$std"
  fi
fi

# --- 2. wasm-bindgen-cli (exactly the locked version) and wasm-pack ------------------------
have_version() { command -v "$1" >/dev/null && "$1" --version 2>/dev/null | grep -q " $2\$\| $2 "; }
if ! have_version wasm-bindgen "$WB_VERSION"; then
  log "cargo install wasm-bindgen-cli $WB_VERSION (about 2 minutes)"
  # No --locked: the registry mirror lacks a version its lock file names (TOOLCHAIN.md).
  cargo install -q wasm-bindgen-cli --version "=$WB_VERSION" --force >&2
fi
if ! have_version wasm-pack "$WASM_PACK_VERSION"; then
  log "cargo install wasm-pack $WASM_PACK_VERSION (about 2 minutes)"
  cargo install -q wasm-pack --version "=$WASM_PACK_VERSION" --locked --force >&2
fi

# --- 3. npm packages (binaryen's wasm-opt, typescript, playwright-core), from the lock file --
command -v node >/dev/null || { apt_install nodejs npm; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# --- 4. Chromium for browser tests ------------------------------------------------------------
CHROMIUM=${CHROMIUM:-}
CHROMEDRIVER=${CHROMEDRIVER:-}
if [ -z "$CHROMIUM" ]; then
  if command -v apt-get >/dev/null; then apt_install chromium chromium-driver; fi
  CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
  CHROMEDRIVER=$(command -v chromedriver || true)
fi
[ -n "$CHROMIUM" ] || die "no Chromium found: install chromium and chromium-driver, or set CHROMIUM and CHROMEDRIVER"

cat > build/toolchain.env <<ENV
# Written by scripts/setup.sh ($route route); sourced by the Makefile's scripts.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:\$PATH"
export WASM_ROUTE="$route"
export WASM_CARGO="$WASM_CARGO"
export WASM_RUSTC="$WASM_RUSTC"
export WASM_PATH_PREFIX="$WASM_PATH_PREFIX"
export CHROMIUM="$CHROMIUM"
export CHROMEDRIVER="$CHROMEDRIVER"
ENV
log "ready ($route route; wasm-bindgen $WB_VERSION)"
