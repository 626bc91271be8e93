#!/usr/bin/env bash
# The demo: the emulator and the page, on 127.0.0.1. Prints one line, the page's URL, and runs
# until Ctrl-C or SIGTERM, which stop both servers.
#
# Assumes scripts/setup.sh, `make pkg` and the emulator's release build have run (`make demo`
# does those first). Variables:
#   PORT           the page's port (default 8080; 0 picks a free one)
#   EMULATOR_PORT  the emulator's port (default 8787; 0 picks a free one)
#   EMULATOR       the emulator binary (default target/release/agent-account-emulator)
# The emulator keeps its accounts in build/demo/emulator.sqlite3, so they survive a restart;
# both servers' logs are in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

emulator="${EMULATOR:-target/release/agent-account-emulator}"
port="${PORT:-8080}"
emulator_port="${EMULATOR_PORT:-8787}"
dir=build/demo

die() { echo "demo: $*" >&2; exit 1; }
[[ -x "$emulator" ]] || die "no emulator at $emulator: run \`cargo build --release -p agent-account-emulator\` (or \`make demo\`)"
[[ -f pkg/browser.js ]] || die "pkg/ is not built: run \`make pkg\` (or \`make demo\`)"
command -v node >/dev/null || die "node is not on PATH"
mkdir -p "$dir"

pids=()
stop_all() {
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
# Exiting from these traps runs stop_all through the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits for a server's first stdout line, `listening on http://HOST:PORT[/]`; prints the URL.
wait_listening() {
  local name=$1 pid=$2 out=$3 log=$4 line
  for _ in $(seq 1 200); do
    line=$(head -n 1 "$out" 2>/dev/null || true)
    if [[ "$line" =~ ^listening\ on\ (http://[^[:space:]]+[^/])/?$ ]]; then
      echo "${BASH_REMATCH[1]}"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: the $name did not start; the end of $log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "demo: the $name did not announce its address within 10 s (see $log)" >&2
  return 1
}

"$emulator" --listen "127.0.0.1:$emulator_port" --test-controls --db "$dir/emulator.sqlite3" \
  >"$dir/emulator.out" 2>"$dir/emulator.log" &
pids+=($!)
emulator_url=$(wait_listening emulator "$!" "$dir/emulator.out" "$dir/emulator.log")

PORT="$port" EMULATOR_URL="$emulator_url" node www/serve.mjs \
  >"$dir/page.out" 2>"$dir/page.log" &
pids+=($!)
page_url=$(wait_listening "page server" "$!" "$dir/page.out" "$dir/page.log")

echo "$page_url/"

# Until a signal, or until either server stops on its own (then say so and stop the other).
set +e
wait -n "${pids[@]}"
status=$?
echo "demo: a server stopped unexpectedly (exit $status); logs are in $dir/" >&2
exit 1
