# Sourced by the scripts that run servers (demo, emulator tests, benchmark): the shell form of
# tests/support/process.mjs's contract. A server is ready at its first stdout line
# `listening on http://HOST:PORT[/]` (20 s at most) and stopped with SIGTERM, then SIGKILL
# after 10 s; all are stopped on exit. Every server here listens on 127.0.0.1.

SERVER_PIDS=()
SERVER_URL=""
SERVER_PID=""

# stop_servers: SIGTERM every server started, SIGKILL what still runs 10 s later, then reap.
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 200); do
    local alive=0
    for pid in "${SERVER_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.05
  done
  for pid in "${SERVER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}

# start_server NAME OUT LOG CMD [ARG...]: runs CMD with stdout to OUT and stderr to LOG, waits
# for its first line `listening on http://HOST:PORT[/]`, then sets SERVER_URL (without a
# trailing slash) and SERVER_PID. Fails with the end of LOG if it does not start.
start_server() {
  local name=$1 out=$2 log=$3 line pid
  shift 3
  "$@" >"$out" 2>"$log" &
  pid=$!
  SERVER_PIDS+=("$pid")
  for _ in $(seq 1 400); do
    line=$(head -n 1 "$out" 2>/dev/null || true)
    if [[ "$line" =~ ^listening\ on\ (http://[^[:space:]]+[^/])/?$ ]]; then
      SERVER_URL=${BASH_REMATCH[1]}
      SERVER_PID=$pid
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $name did not start; the end of $log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "the $name did not announce its address within 20 s (see $log)" >&2
  return 1
}
