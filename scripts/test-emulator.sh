#!/usr/bin/env bash
# Tests of the emulator: its Rust integration tests, then Cloudinary's own Python SDK and CLI
# against it, then Schemathesis holding openapi.json against it, from the virtual environment
# scripts/setup.sh makes under build/venv.
#
#   scripts/test-emulator.sh        # from the repository root (or anywhere)
#
# EMULATOR names the binary the Python tests run (default: the debug build, built here).
#
# Every server it starts listens on 127.0.0.1 and is stopped before it exits.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="$ROOT/build/venv"
REQUIREMENTS="$ROOT/tests/python/requirements.txt"

echo "== cargo test -p agent-account-emulator"
cargo test --locked -p agent-account-emulator

# The virtual environment is made by scripts/setup.sh (make setup), with everything else the
# tests install.
[ -x "$VENV/bin/python" ] && cmp -s "$REQUIREMENTS" "$VENV/.requirements.txt" ||
    { echo "test-emulator: $VENV is missing or out of date (make setup)" >&2; exit 1; }

echo "== the shared emulator for the Python tests"
if [ -n "${EMULATOR:-}" ]; then
    BIN="$(cd "$(dirname "$EMULATOR")" && pwd)/$(basename "$EMULATOR")"
else
    cargo build --quiet --locked -p agent-account-emulator
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/agent-account-emulator"
fi
[ -x "$BIN" ] || { echo "no emulator binary at $BIN" >&2; exit 1; }
WORK="$(mktemp -d)"
# shellcheck source=scripts/servers.sh
source "$ROOT/scripts/servers.sh"
trap 'stop_servers; rm -rf "$WORK"' EXIT
start_server emulator "$WORK/stdout" "$WORK/stderr" \
    "$BIN" --listen 127.0.0.1:0 --test-controls --daily-cap off --cloud-daily-cap off \
    --deny-file "$ROOT/tests/python/deny-rules.txt"
URL=$SERVER_URL
echo "emulator at $URL"

echo "== Python tests (Cloudinary's SDK and CLI)"
# pytest exits non-zero on a failure and with 5 when it collects no test, so set -e fails
# this script either way.
cd "$ROOT/tests/python"
EMULATOR_URL="$URL" EMULATOR_BIN="$BIN" "$VENV/bin/python" -m pytest

echo "== Schemathesis: openapi.json against the running emulator"
# Two emulators: one with the default flags (the answers of the real service; the document it
# serves has no test controls), and one with --test-controls for the control operations only
# (their faults would replace the account endpoint's answers, so nothing else runs there).
# Run from the temporary folder: Hypothesis and Schemathesis write their state into the
# current directory.
cd "$WORK"
ST=("$VENV/bin/schemathesis" --config-file "$ROOT/tests/python/schemathesis.toml" run
    --checks all --phases examples,coverage,fuzzing,stateful --no-color)
start_server "emulator (default flags)" "$WORK/st-default.out" "$WORK/st-default.log" \
    "$BIN" --listen 127.0.0.1:0
"${ST[@]}" "$SERVER_URL/openapi.json" --report-dir "$WORK/st-report"
start_server "emulator (test controls)" "$WORK/st-controls.out" "$WORK/st-controls.log" \
    "$BIN" --listen 127.0.0.1:0 --test-controls
# No stateful phase here: no links lead between the controls.
"${ST[@]}" "$SERVER_URL/openapi.json" --include-tag "Test controls" \
    --phases examples,coverage,fuzzing --report-dir "$WORK/st-report"
