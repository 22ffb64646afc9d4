#!/usr/bin/env bash
# Node benchmarks of the `loansyncro` npm package vs loanjs and decimal.js (see bench.cjs).
# Usage: bash benches/node/run.sh [path/to/loansyncro-x.y.z.tgz] [--quick | --smoke] [--tsv FILE]
# Without a tarball, the package must have been built: bash bindings/wasm/scripts/build.sh
# The peers (benches/node/package.json) are installed once into the git-ignored .tools/bench-node;
# the package under test is unpacked there from the tarball on every run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
TARBALL="${1:-}"
if [ -z "$TARBALL" ] || [ "${TARBALL#--}" != "$TARBALL" ]; then
  TARBALL="$(ls "$ROOT"/target/wasm-suite/loansyncro-*.tgz 2>/dev/null | head -1 || true)"
  [ -n "$TARBALL" ] || { echo "no tarball: run bindings/wasm/scripts/build.sh first" >&2; exit 1; }
else
  TARBALL="$(realpath "$TARBALL")"
  shift
fi
DEPS="$ROOT/.tools/bench-node"
mkdir -p "$DEPS"
if ! cmp -s benches/node/package.json "$DEPS/package.json" \
  || [ ! -d "$DEPS/node_modules/loanjs" ] || [ ! -d "$DEPS/node_modules/decimal.js" ]; then
  cp benches/node/package.json "$DEPS/package.json"
  (cd "$DEPS" && npm install --no-audit --no-fund --loglevel=error --no-package-lock > /dev/null)
fi
rm -rf "$DEPS/node_modules/loansyncro"
mkdir -p "$DEPS/node_modules/loansyncro"
tar -xzf "$TARBALL" -C "$DEPS/node_modules/loansyncro" --strip-components=1
NODE_PATH="$DEPS/node_modules" node benches/node/bench.cjs "$@"
