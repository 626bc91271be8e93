#!/usr/bin/env bash
# Benchmark of the emulator (not a test): accounts created per second and latency at
# concurrency 1, 32 and 128 with a database file (--db), then the resident memory once
# 100,000 accounts exist. Every request goes to 127.0.0.1 and every run is bounded in time.
#
#   scripts/bench-emulator.sh            # from the repository root
#   BENCH_SECONDS=10 BENCH_ACCOUNTS=50000 scripts/bench-emulator.sh
#
# Needs wrk (installed with apt-get when missing and running as root).
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS_PER_LEVEL="${BENCH_SECONDS:-5}"
TARGET_ACCOUNTS="${BENCH_ACCOUNTS:-100000}"
DURABILITY="${BENCH_DURABILITY:-normal}"
LEVELS=(1 32 128)

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing wrk with apt-get" >&2
        apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "wrk is missing; install it with: sudo apt-get install -y wrk" >&2
        exit 1
    fi
fi

echo "building the emulator (release)" >&2
# The full release profile of Cargo.toml (thin LTO, opt-level 3): `make emulator` builds the
# tests' binary cheaper, and this rebuilds it before measuring.
env -u CARGO_PROFILE_RELEASE_LTO -u CARGO_PROFILE_RELEASE_CODEGEN_UNITS -u CARGO_PROFILE_RELEASE_OPT_LEVEL \
  cargo build --release -p agent-account-emulator >&2
BIN="target/release/agent-account-emulator"

WORK="$(mktemp -d)"
# shellcheck source=scripts/servers.sh
source scripts/servers.sh
trap 'stop_servers; rm -rf "$WORK"' EXIT

# Per-request logging is at debug level, so the default (info) writes nothing per request.
start_server emulator "$WORK/stdout" "$WORK/stderr" \
    "$BIN" --listen 127.0.0.1:0 --db "$WORK/bench.sqlite" --durability "$DURABILITY" \
    --rate-limit off --daily-cap off
URL=$SERVER_URL
EMU_PID=$SERVER_PID

# Unique e-mail addresses: a run label, the wrk thread and a counter. With a quota (second
# argument) each thread stops after that many requests.
cat >"$WORK/create.lua" <<'LUA'
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
local counter = 0
local label = "run"
local quota = 0
function init(args)
    label = (args[1] or "run") .. "-" .. tid
    quota = tonumber(args[2] or "0")
end
function request()
    counter = counter + 1
    if quota > 0 and counter > quota then
        wrk.thread:stop()
    end
    local body = string.format(
        '{"email":"bench-%s-%d@example.com","agent_framework":"wrk","agent_llm_model":"bench-model-1",' ..
        '"agent_goal":"Measure account creation","sdk_framework":"python"}', label, counter)
    return wrk.format("POST", "/v1_1/provisioning/agents/accounts",
        {["Content-Type"] = "application/json"}, body)
end
function done(summary, latency, requests)
    io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
        summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
        summary.errors.timeout))
end
LUA

field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2"; }
accounts() { curl -s --noproxy '*' "$URL/" | sed -n 's/.*"accounts":\([0-9]*\).*/\1/p'; }

echo
echo "agent-account-emulator, --db (durability $DURABILITY), $(nproc) cores, ${SECONDS_PER_LEVEL}s per level"
printf '%-12s %12s %10s %10s %8s\n' concurrency accounts/s p50_ms p99_ms errors
for c in "${LEVELS[@]}"; do
    threads=$(( c < 2 ? 1 : 2 ))
    out="$(wrk -t"$threads" -c"$c" -d"${SECONDS_PER_LEVEL}s" --timeout 10s -s "$WORK/create.lua" "$URL" -- "c$c" 0 2>&1 | grep '^RESULT')"
    req=$(field requests "$out"); dur=$(field duration_us "$out")
    p50=$(field p50_us "$out"); p99=$(field p99_us "$out")
    errs=$(( $(field non2xx "$out") + $(field socket_errors "$out") ))
    awk -v c="$c" -v r="$req" -v d="$dur" -v p50="$p50" -v p99="$p99" -v e="$errs" \
        'BEGIN { printf "%-12s %12.0f %10.2f %10.2f %8d\n", c, r / (d / 1e6), p50 / 1000, p99 / 1000, e }'
done

# Fill up to the target, in bounded rounds.
have="$(accounts)"
round=0
while [ "${have:-0}" -lt "$TARGET_ACCOUNTS" ] && [ "$round" -lt 10 ]; do
    round=$((round + 1))
    missing=$((TARGET_ACCOUNTS - have))
    per_thread=$(( (missing + 1) / 2 ))
    wrk -t2 -c64 -d120s --timeout 10s -s "$WORK/create.lua" "$URL" -- "fill$round" "$per_thread" >/dev/null 2>&1 || true
    have="$(accounts)"
done
rss_kb="$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$EMU_PID/status")"
hwm_kb="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$EMU_PID/status")"
db_kb="$(du -k "$WORK/bench.sqlite" | cut -f1)"
echo
echo "accounts in the database: $have"
awk -v r="$rss_kb" -v h="$hwm_kb" -v d="$db_kb" \
    'BEGIN { printf "resident memory: %.1f MB (peak %.1f MB); database file: %.1f MB\n", r / 1024, h / 1024, d / 1024 }'
