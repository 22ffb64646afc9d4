#!/usr/bin/env bash
# Instructions per `POST /repayments` on the local server (in memory), counted by callgrind:
# repeatable on a loaded machine, where latency percentiles are not.
#
#   cargo build --release -p loansyncro-server -p loansyncro-benches --bin loansyncro-server --bin post_repayments
#   benches/post_repayments_callgrind.sh [PORT] [PREFILL]
#
# Two runs on fresh servers (instrumented from the moment they listen), 100 and 400 timed POSTs
# by 2 clients (no DELETEs) after PREFILL repayments (default 300); the difference of the two
# totals divided by 300 is the cost of one POST, prefill and start-up cancelled out. The call
# graphs stay in target/callgrind/ (`callgrind_annotate --inclusive=yes FILE`). BIN=DIR takes
# the two binaries from another build, e.g. one with line tables for per-line annotation:
#   CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --target-dir /tmp/prof ...
#   BIN=/tmp/prof/release benches/post_repayments_callgrind.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release}
PORT=${1:-3191}
PREFILL=${2:-300}
OUT=target/callgrind
mkdir -p "$OUT"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 2; }
total() {
  local requests=$1 file="$OUT/post_repayments.$1.out" log="$OUT/server.$1.log" token="$OUT/token"
  rm -f "$file" "$token"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$file" \
    "$BIN"/loansyncro-server --dev-identity --store memory --port "$PORT" \
    --token-file "$token" >"$log" 2>&1 &
  local pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do grep -q listening "$log" 2>/dev/null && break; sleep 1; done
  callgrind_control -i on "$pid" >/dev/null 2>&1
  "$BIN"/post_repayments --base "127.0.0.1:$PORT" --token-file "$token" \
    --prefill "$PREFILL" --requests "$requests" --clients 2 >/dev/null 2>&1
  kill -INT "$pid"
  wait "$pid" || true
  trap - EXIT
  grep '^totals:' "$file" | awk '{print $2}'
}
small=$(total 100)
large=$(total 400)
echo "instructions per POST /repayments (prefill $PREFILL): $(( (large - small) / 300 ))"
