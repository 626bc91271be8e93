#!/usr/bin/env bash
# The demo: the emulator and the page, on 127.0.0.1. Prints one line, the page's URL, and runs
# until Ctrl-C or SIGTERM, which stop both servers.
#
# Assumes scripts/setup.sh, `make pkg` and `make emulator` (the emulator's dev-profile build)
# have run (`make demo` does those first). Variables:
#   PORT           the page's port (default 8080; 0 picks a free one)
#   EMULATOR_PORT  the emulator's port (default 8787; 0 picks a free one)
#   EMULATOR       the emulator binary (default target/debug/agent-account-emulator)
# The emulator keeps its accounts and clouds in build/demo/emulator.sqlite3, so they survive a restart;
# both servers' logs are in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

emulator="${EMULATOR:-target/debug/agent-account-emulator}"
port="${PORT:-8080}"
emulator_port="${EMULATOR_PORT:-8787}"
dir=build/demo

die() { echo "demo: $*" >&2; exit 1; }
[[ -x "$emulator" ]] || die "no emulator at $emulator: run \`cargo build --release -p agent-account-emulator\` (or \`make demo\`)"
[[ -f pkg/browser.js ]] || die "pkg/ is not built: run \`make pkg\` (or \`make demo\`)"
command -v node >/dev/null || die "node is not on PATH"
mkdir -p "$dir"

# shellcheck source=scripts/servers.sh
source scripts/servers.sh
trap stop_servers EXIT
# Exiting from these traps runs stop_servers through the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM

start_server emulator "$dir/emulator.out" "$dir/emulator.log" \
  "$emulator" --listen "127.0.0.1:$emulator_port" --test-controls --db "$dir/emulator.sqlite3" ||
  die "see above"
emulator_url=$SERVER_URL

start_server "page server" "$dir/page.out" "$dir/page.log" \
  env PORT="$port" EMULATOR_URL="$emulator_url" node www/serve.mjs || die "see above"

echo "$SERVER_URL/"

# Until a signal, or until either server stops on its own (then say so and stop the other).
set +e
wait -n "${SERVER_PIDS[@]}"
status=$?
echo "demo: a server stopped unexpectedly (exit $status); logs are in $dir/" >&2
exit 1
