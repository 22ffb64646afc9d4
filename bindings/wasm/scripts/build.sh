#!/usr/bin/env bash
# Builds and packs the npm package `loansyncro` (bindings/wasm) alone, without its tests:
#
#   bash bindings/wasm/scripts/build.sh [OUT_DIR]     # default target/wasm-suite
#
# cargo (wasm32-unknown-unknown, profile wasm-release; once for the main module, once with the
# `books` feature for the optional loansyncro/books module) -> wasm-bindgen (nodejs and web
# targets) -> wasm-opt -Os (see below) -> bindings/wasm/scripts/build-package.mjs
# (bindings/wasm/pkg) -> npm pack.
# Writes OUT_DIR/loansyncro-<version>.tgz and prints its path on the last line.
# Installs what is missing (idempotent): the wasm32 target, wasm-bindgen-cli at the exact
# Cargo.lock version (.tools/wasm-bindgen-<v>, compiled once, a few minutes) and binaryen's
# wasm-opt (npm, .tools/wasm-node). The test suite scripts/suites/30-wasm.sh calls this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT="$PWD"
OUT="${1:-$ROOT/target/wasm-suite}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TOOLS="$ROOT/.tools"
step() { printf -- '--- wasm build: %s\n' "$*"; }

step "toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WB_VERSION" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
WB_ROOT="$TOOLS/wasm-bindgen-$WB_VERSION"
WASM_BINDGEN="$WB_ROOT/bin/wasm-bindgen"
if [ ! -x "$WASM_BINDGEN" ]; then
  step "installing wasm-bindgen-cli $WB_VERSION into $WB_ROOT (a few minutes, once)"
  CARGO_TARGET_DIR="$ROOT/target/wasm-bindgen-cli" \
    cargo install wasm-bindgen-cli --version "=$WB_VERSION" --root "$WB_ROOT"
fi
mkdir -p "$TOOLS/wasm-node"
if [ ! -x "$TOOLS/wasm-node/node_modules/.bin/wasm-opt" ]; then
  step "installing binaryen (wasm-opt) into .tools/wasm-node"
  (cd "$TOOLS/wasm-node" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --loglevel=error binaryen)
fi

step "cargo build (wasm32, profile wasm-release)"
cargo build --locked -p loansyncro-wasm --target wasm32-unknown-unknown --profile wasm-release
WASM="$ROOT/target/wasm32-unknown-unknown/wasm-release/loansyncro_wasm.wasm"

step "wasm-bindgen $WB_VERSION (nodejs, web)"
rm -rf "$OUT/bindgen" "$OUT"/loansyncro-*.tgz
"$WASM_BINDGEN" --target nodejs --out-dir "$OUT/bindgen/node" "$WASM"
"$WASM_BINDGEN" --target web --out-dir "$OUT/bindgen/web" "$WASM"

# The optional second module `loansyncro/books` (statement reconciliation, postings and the real-life events: ~43 KB
# gzipped, kept out of the main module's 300 KB budget): the same crate with the `books`
# feature, which exports only src/books.rs. Same output path, so after the main one is bound.
step "cargo build --features books (the loansyncro/books module)"
cargo build --locked -p loansyncro-wasm --features books --target wasm32-unknown-unknown --profile wasm-release
cp "$WASM" "$OUT/loansyncro_books.wasm"
"$WASM_BINDGEN" --target nodejs --out-dir "$OUT/bindgen/node" "$OUT/loansyncro_books.wasm"
"$WASM_BINDGEN" --target web --out-dir "$OUT/bindgen/web" "$OUT/loansyncro_books.wasm"
rm "$OUT/loansyncro_books.wasm"

step "wasm-opt"
WASM_OPT="$TOOLS/wasm-node/node_modules/.bin/wasm-opt"
# --low-memory-unused: nothing lives in the first 1 KiB (rustc's layout puts the 1 MiB stack
# first, growing down from 1 MiB, so only a stack already ~1 MiB deep would reach it); it lets
# binaryen fold constant offsets into loads and stores (-1.8 KB gzipped). --converge repeats the
# passes until the module stops shrinking. Measured (gzip -9): -Os 309,314 B; -Os
# --low-memory-unused --converge 306,786 B; -Oz --low-memory-unused 308,809 B.
wasm_opt() {
  "$WASM_OPT" -Os --low-memory-unused --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types --strip-debug --strip-producers "$1" -o "$1.opt"
  mv "$1.opt" "$1"
}
for f in "$OUT"/bindgen/web/loansyncro_*_bg.wasm; do
  twin="$OUT/bindgen/node/$(basename "$f")"
  # wasm-bindgen's nodejs and web targets write the same .wasm: optimize it once.
  if cmp -s "$f" "$twin"; then
    wasm_opt "$f"
    cp "$f" "$twin"
  else
    wasm_opt "$f"
    wasm_opt "$twin"
  fi
done

step "assemble and npm pack"
node bindings/wasm/scripts/build-package.mjs "$OUT/bindgen/node" "$OUT/bindgen/web"
(cd bindings/wasm/pkg && npm pack --silent --pack-destination "$OUT" > /dev/null)
TARBALL="$(ls "$OUT"/loansyncro-*.tgz)"
echo "$TARBALL"
