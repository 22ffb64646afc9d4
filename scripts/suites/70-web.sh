#!/usr/bin/env bash
# Suite "web": the web app (web/) built and tested in headless Chromium against the local server.
#   npm ci into web/node_modules (git-ignored); the loansyncro WASM package linked from
#   bindings/wasm/pkg (built by the wasm suite: reused when present, else that suite runs first);
#   the local server (debug build, memory store, --dev-identity); tsc --strict + vite build + the
#   bundle budget (app JS <= 150 KB gzip); vitest unit tests; Playwright (playwright-core with
#   Debian's /usr/bin/chromium, never a downloaded browser) flows at 1280 and 390 px with axe-core.
#   With moto (the AWS emulator, from .venv-api if the api suite installed it, else .venv-web): the
#   same account screens in Cognito mode (amazon-cognito-identity-js: sign-up, confirmation, SRP
#   sign-in) against a moto user pool and a second server trusting it. LOANSYNCRO_WEB_MOTO=0 skips it.
# Servers (loansyncro-server x2, moto, vite preview) start on free loopback ports, stop by PID.
# Artifacts: target/web-suite/ (screenshots, server and preview logs).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/web-suite"
step() { printf -- '--- web: %s\n' "$*"; }
timed() { local t=$SECONDS; "$@"; echo "    ($(( SECONDS - t )) s)"; }

SERVER_PID=""
PREVIEW_PID=""
MOTO_PID=""
COGNITO_SERVER_PID=""
cleanup() {
  for pid in "$PREVIEW_PID" "$COGNITO_SERVER_PID" "$MOTO_PID" "$SERVER_PID"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  # Nothing the suite started may outlive it: a server still bound to its port fails the run.
  if [ -n "${PORT:-}" ] && curl -fsS "http://127.0.0.1:$PORT/config.json" > /dev/null 2>&1; then
    echo "vite preview still answering on port $PORT after the suite" >&2
    exit 1
  fi
}
trap cleanup EXIT
mkdir -p "$OUT"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

if [ ! -x /usr/bin/chromium ]; then
  step "installing chromium (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
fi

PKG="$ROOT/bindings/wasm/pkg"
if [ -f "$PKG/web/loansyncro_wasm_bg.wasm" ] && ls "$ROOT"/target/wasm-suite/loansyncro-*.tgz > /dev/null 2>&1; then
  step "reusing the WASM package built by the wasm suite ($PKG)"
else
  step "building the WASM package (scripts/suites/30-wasm.sh)"
  timed bash scripts/suites/30-wasm.sh
fi

step "npm ci (web/node_modules)"
cd "$ROOT/web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  timed npm ci --no-audit --no-fund --loglevel=error
fi
# The link to the package (file:../bindings/wasm/pkg) must resolve to the build just made.
[ -f node_modules/loansyncro/web/index.js ] || { echo "node_modules/loansyncro is not linked to $PKG" >&2; exit 1; }

step "cargo build -p loansyncro-server (debug)"
cd "$ROOT"
timed cargo build --locked -q --bin loansyncro-server

# start_server LOG ARGS...: starts the local server on a free port; sets SERVER_URL and LAST_PID.
start_server() {
  local log="$1"; shift
  env -u LOANSYNCRO_DYNAMODB_ENDPOINT "$@" "$ROOT/target/debug/loansyncro-server" --port 0 $SERVER_ARGS > "$log" 2>&1 &
  LAST_PID=$!
  SERVER_URL=""
  for _ in $(seq 1 100); do
    SERVER_URL="$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$log")"
    [ -n "$SERVER_URL" ] && return 0
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log"; echo "server did not start" >&2; exit 1
}

step "local server (memory store, development identity)"
SERVER_ARGS="--dev-identity"
start_server "$OUT/server.log"
SERVER_PID=$LAST_PID
API="$SERVER_URL"
echo "server at $API"

if [ "${LOANSYNCRO_WEB_MOTO:-1}" != 0 ]; then
  MOTO_SERVER=""
  for v in "$ROOT/.venv-api" "$ROOT/.venv-web"; do
    [ -x "$v/bin/moto_server" ] && { MOTO_SERVER="$v/bin/moto_server"; break; }
  done
  if [ -z "$MOTO_SERVER" ]; then
    step "installing moto[server] into .venv-web (once)"
    python3 -m venv "$ROOT/.venv-web"
    timed "$ROOT/.venv-web/bin/pip" install -q --disable-pip-version-check 'moto[server]'
    MOTO_SERVER="$ROOT/.venv-web/bin/moto_server"
  fi
  step "moto (Cognito emulation) and a server trusting its user pool"
  MOTO_PORT="$(free_port)"
  "$MOTO_SERVER" -H 127.0.0.1 -p "$MOTO_PORT" > "$OUT/moto.log" 2>&1 &
  MOTO_PID=$!
  export MOTO_URL="http://127.0.0.1:$MOTO_PORT"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$MOTO_URL/" && break
    kill -0 "$MOTO_PID" 2>/dev/null || { cat "$OUT/moto.log"; echo "moto exited" >&2; exit 1; }
    sleep 0.2
  done
  eval "$(node "$ROOT/web/tests/e2e/moto-setup.mjs" "$MOTO_URL")"
  export COGNITO_POOL_ID COGNITO_CLIENT_ID COGNITO_REGION
  SERVER_ARGS=""
  start_server "$OUT/server-cognito.log" AWS_REGION="$COGNITO_REGION" LOANSYNCRO_COGNITO_USER_POOL_ID="$COGNITO_POOL_ID" \
    LOANSYNCRO_COGNITO_REGION="$COGNITO_REGION" LOANSYNCRO_COGNITO_CLIENT_ID="$COGNITO_CLIENT_ID" \
    LOANSYNCRO_JWKS_URL="$MOTO_URL/$COGNITO_POOL_ID/.well-known/jwks.json"
  COGNITO_SERVER_PID=$LAST_PID
  export COGNITO_API_URL="$SERVER_URL"
  echo "moto at $MOTO_URL, pool $COGNITO_POOL_ID, server at $COGNITO_API_URL"
fi

cd "$ROOT/web"
step "typecheck (tsc --strict) and vite build"
timed npm run --silent build > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }

step "bundle budget"
node scripts/bundle-size.mjs 150

step "vitest (unit tests)"
timed npx vitest run

step "vite preview (the built app, /api proxied to the server)"
PORT="$(free_port)"
# node itself, not `npx`: npx's PID would be killed while the node child it spawned kept
# serving (seen: a `vite preview` left running after the suite).
LOANSYNCRO_API="$API" node node_modules/vite/bin/vite.js preview --port "$PORT" --strictPort > "$OUT/preview.log" 2>&1 &
PREVIEW_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/config.json" > /dev/null 2>&1 && break
  kill -0 "$PREVIEW_PID" 2>/dev/null || { cat "$OUT/preview.log"; echo "preview exited" >&2; exit 1; }
  sleep 0.1
done

step "Playwright in headless Chromium (flows at 1280 and 390 px, bad input, Cognito via moto, axe-core)"
BASE_URL="http://127.0.0.1:$PORT" SCREENSHOTS="$OUT" timed node --test --test-concurrency=1 tests/e2e/
echo "screenshots: $OUT/*.png"
step "ok"
