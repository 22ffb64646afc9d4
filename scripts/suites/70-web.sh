#!/usr/bin/env bash
# Suite "web": the web app (web/) built and tested in headless Chromium against the local server.
#   npm ci into web/node_modules (git-ignored); the loansyncro WASM package linked from
#   bindings/wasm/pkg (built by the wasm suite: reused when present, else that suite runs first);
#   the local server (debug build, memory store, --dev-identity); tsc --strict + vite build + the
#   bundle budget (app JS <= 150 KB gzip); vitest unit tests; Playwright (playwright-core with
#   Debian's /usr/bin/chromium, never a downloaded browser) flows at 1280 and 390 px with axe-core.
# Servers (loansyncro-server, vite preview) are started on free loopback ports and stopped by PID.
# Artifacts: target/web-suite/ (screenshots, server and preview logs).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/web-suite"
step() { printf -- '--- web: %s\n' "$*"; }
timed() { local t=$SECONDS; "$@"; echo "    ($(( SECONDS - t )) s)"; }

SERVER_PID=""
PREVIEW_PID=""
cleanup() {
  for pid in "$PREVIEW_PID" "$SERVER_PID"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
mkdir -p "$OUT"

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
timed cargo build --locked -q -p loansyncro-server

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

step "local server (memory store, development identity)"
env -u LOANSYNCRO_DYNAMODB_ENDPOINT "$ROOT/target/debug/loansyncro-server" --dev-identity --port 0 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
API=""
for _ in $(seq 1 100); do
  API="$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$OUT/server.log")"
  [ -n "$API" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; echo "server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$API" ] || { cat "$OUT/server.log"; echo "server did not start" >&2; exit 1; }
echo "server at $API"

cd "$ROOT/web"
step "typecheck (tsc --strict) and vite build"
timed npm run --silent build > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }

step "bundle budget"
node scripts/bundle-size.mjs 150

step "vitest (unit tests)"
timed npx vitest run

step "vite preview (the built app, /api proxied to the server)"
PORT="$(free_port)"
LOANSYNCRO_API="$API" npx vite preview --port "$PORT" --strictPort > "$OUT/preview.log" 2>&1 &
PREVIEW_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/config.json" > /dev/null 2>&1 && break
  kill -0 "$PREVIEW_PID" 2>/dev/null || { cat "$OUT/preview.log"; echo "preview exited" >&2; exit 1; }
  sleep 0.1
done

step "Playwright in headless Chromium (flows at 1280 and 390 px, bad input, axe-core)"
BASE_URL="http://127.0.0.1:$PORT" SCREENSHOTS="$OUT" timed node --test --test-concurrency=1 tests/e2e/
echo "screenshots: $OUT/*.png"
step "ok"
