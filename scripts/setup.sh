#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: a second run only checks.
#
# The wasm32 standard library comes one of two ways:
#   rustup  - `rustup target add wasm32-unknown-unknown` (a laptop whose rustup can download);
#   debian  - Debian's Rust (rustc-web, its std source, lld), with the wasm32 std built once
#             from source into its sysroot (these machines: rustup's download hangs here).
# WASM_TOOLCHAIN=rustup|debian forces one; otherwise rustup is used when it already has the
# target, Debian's route on Debian (apt-get present), rustup elsewhere.
# It writes build/toolchain.env, which the Makefile and scripts source.
#
# What the Debian route needs, and why (verified on Debian 12, Rust 1.96 from Debian):
# - apt: rustc-web cargo-web rust-web-src rust-web-clippy lld-22 give /usr/bin/rustc and
#   cargo 1.96, the std source under /usr/lib/rustlib/src/rust/library and the linker behind
#   /usr/bin/rust-lld. rustup's ~/.cargo/bin stays first on PATH, so wasm builds call the
#   Debian tools by path (build/toolchain.env: WASM_RUSTC, WASM_CARGO, WASM_PATH_PREFIX).
# - The wasm32 std: `cargo build -Zbuild-std=std,panic_abort,test` (RUSTC_BOOTSTRAP=1) of an
#   empty crate, its rlibs copied into an EMPTY `rustc --print target-libdir` (two libcore
#   there and rustc refuses the sysroot). `test` is for `cargo test` on wasm32.
# - wasm-bindgen-cli exactly at Cargo.lock's wasm-bindgen version, without --locked (the
#   registry mirror lacks a version its lock names). Its test runner serves `make
#   test-wasm`; wasm-pack is not needed (scripts/build-pkg.sh and the Makefile run cargo and
#   wasm-bindgen as it did).
# - wasm-opt from npm's `binaryen` (wasm-pack's own download fails offline; Debian's
#   binaryen 108 is too old for what current LLVM emits).
# - Chromium and chromedriver from Debian; as root Chromium needs --no-sandbox and the
#   no-network flags in webdriver.json. Playwright's own browser download fails here.
#
# Set-up time from a bare machine is dominated by `cargo install` (minutes of compiling on
# 2 cores), so it starts first, in the background, with a profile that compiles quickly (these tools run for a second per build; their speed does not matter),
# while apt, the wasm32 std and npm ci run; each step logs how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
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
  APT_DID=1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
}

# The versions the lock file pins; the CLIs must match them exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
[ -n "$WB_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"

export PATH="$HOME/.cargo/bin:$PATH"
LOGS=build/setup-logs
mkdir -p "$LOGS"
since() { echo "$(( $(date +%s) - $1 )) s"; }
T_START=$(date +%s)

# --- 0. which route for wasm32 ---------------------------------------------------------------
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

# --- 1. wasm-bindgen-cli (exactly the locked version), in the background ---------------------
have_version() { command -v "$1" >/dev/null && "$1" --version 2>/dev/null | grep -q " $2\$\| $2 "; }
TOOLS_PID=""
start_tools() {
  local want=()
  have_version wasm-bindgen "$WB_VERSION" || want+=(wasm-bindgen-cli)
  [ ${#want[@]} -eq 0 ] && return 0
  command -v cargo >/dev/null || die "no cargo to install ${want[*]} with"
  log "cargo install ${want[*]}, in the background (log: $LOGS/cargo-install.log)"
  (
    t=$(date +%s)
    # A profile that compiles fast: these tools run for about a second per build, so
    # opt-level 3 (the release default) would cost minutes of compiling to save nothing.
    export CARGO_PROFILE_RELEASE_OPT_LEVEL="${SETUP_TOOLS_OPT_LEVEL:-1}" \
      CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_INCREMENTAL=false
    export CARGO_TARGET_DIR="$ROOT/build/tools-target"
    for tool in "${want[@]}"; do
      case $tool in
        # No --locked: the registry mirror lacks a version its lock file names. No default
        # features: they only add TLS to the test runner's WebDriver client, which talks to
        # a local chromedriver over plain HTTP.
        wasm-bindgen-cli) cargo install wasm-bindgen-cli --version "=$WB_VERSION" --no-default-features --force ;;
      esac
    done
    rm -rf "$CARGO_TARGET_DIR"
    echo "cargo install: done in $(since "$t")"
  ) >"$LOGS/cargo-install.log" 2>&1 &
  TOOLS_PID=$!
}
# Waits for a background step; on failure shows its log and stops.
wait_for() { # pid name log
  [ -n "$1" ] || return 0
  local t
  t=$(date +%s)
  if ! wait "$1"; then
    tail -n 40 "$3" >&2
    die "$2 failed (whole log: $3)"
  fi
  log "$2 done ($(since "$t") waited for it)"
}
# A failed step must not leave a background step running.
trap 'for p in "$TOOLS_PID" "$NPM_PID" "$VENV_PID"; do [ -z "$p" ] || kill "$p" 2>/dev/null; done; true' EXIT
command -v cargo >/dev/null && start_tools

# --- 2. npm packages (binaryen's wasm-opt, typescript, playwright-core), in the background -
NPM_PID=""
start_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci, in the background (log: $LOGS/npm-ci.log)"
    npm_ci >"$LOGS/npm-ci.log" 2>&1 &
    NPM_PID=$!
  fi
}
command -v node >/dev/null && start_npm

# --- 2b. Python: Cloudinary's own SDK and CLI, Schemathesis and python-dotenv, which the tests
# run against the emulator (tests/python/requirements.txt), in build/venv, in the background -
VENV=build/venv
VENV_PID=""
start_venv() {
  if [ ! -x "$VENV/bin/python" ] || ! cmp -s tests/python/requirements.txt "$VENV/.requirements.txt"; then
    log "Python packages into $VENV, in the background (log: $LOGS/venv.log)"
    (
      rm -rf "$VENV"
      python3 -m venv "$VENV"
      "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
      cp tests/python/requirements.txt "$VENV/.requirements.txt"
    ) >"$LOGS/venv.log" 2>&1 &
    VENV_PID=$!
  fi
}
# Started after the apt run below, never before: Debian ships venv (ensurepip) apart from
# python3, and installing it may upgrade the python3 that a running pip would be using.

# --- 3. system packages, in one apt-get run --------------------------------------------------
CHROMIUM=${CHROMIUM:-}
CHROMEDRIVER=${CHROMEDRIVER:-}
packages=()
[ "$route" = debian ] && packages+=(rustc-web cargo-web rust-web-src rust-web-clippy lld-22)
command -v node >/dev/null || packages+=(nodejs npm)
[ -z "$CHROMIUM" ] && command -v apt-get >/dev/null && packages+=(chromium chromium-driver)
command -v apt-get >/dev/null && packages+=(python3-venv)
if [ ${#packages[@]} -gt 0 ]; then
  t=$(date +%s)
  apt_install "${packages[@]}"
  [ -z "${APT_DID:-}" ] || log "system packages installed ($(since "$t"))"
fi
[ -z "$TOOLS_PID" ] && start_tools
[ -z "$NPM_PID" ] && start_npm
start_venv

# --- 4. a Rust that can build wasm32 ---------------------------------------------------------
if [ "$route" = rustup ]; then
  command -v rustup >/dev/null || die "rustup not found: install it from https://rustup.rs or use WASM_TOOLCHAIN=debian on Debian"
  rustup target list --installed | grep -qx wasm32-unknown-unknown || { log "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
  # The std source: scripts/build-pkg.sh rebuilds std for the package's size (make size).
  rustup component list --installed | grep -q '^rust-src' || { log "rustup component add rust-src"; rustup component add rust-src; }
  WASM_CARGO=$(rustup which cargo)
  WASM_RUSTC=$(rustup which rustc)
  WASM_PATH_PREFIX=""
else
  WASM_CARGO=/usr/bin/cargo
  WASM_RUSTC=/usr/bin/rustc
  WASM_PATH_PREFIX=/usr/bin
  libdir=$($WASM_RUSTC --print target-libdir --target wasm32-unknown-unknown)
  if ! ls "$libdir"/libstd-*.rlib "$libdir"/libtest-*.rlib >/dev/null 2>&1; then
    log "building the wasm32 standard library into $libdir (about a minute)"
    t=$(date +%s)
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
    log "wasm32 standard library built ($(since "$t"))"
  fi
fi

# --- 5. Chromium for browser tests ------------------------------------------------------------
if [ -z "$CHROMIUM" ]; then
  CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
  CHROMEDRIVER=$(command -v chromedriver || true)
fi
[ -n "$CHROMIUM" ] || die "no Chromium found: install chromium and chromium-driver, or set CHROMIUM and CHROMEDRIVER"

# --- 6. the background steps -------------------------------------------------------------------
wait_for "$NPM_PID" "npm ci" "$LOGS/npm-ci.log"
wait_for "$VENV_PID" "Python packages" "$LOGS/venv.log"
wait_for "$TOOLS_PID" "cargo install" "$LOGS/cargo-install.log"
TOOLS_PID="" NPM_PID="" VENV_PID=""
have_version wasm-bindgen "$WB_VERSION" || die "wasm-bindgen $WB_VERSION is not on PATH after installing it"

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
log "ready ($route route; wasm-bindgen $WB_VERSION; $(since "$T_START"))"
