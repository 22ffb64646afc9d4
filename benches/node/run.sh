#!/usr/bin/env bash
# Node benchmarks of the `loansyncro` npm package vs loanjs and decimal.js (see bench.cjs).
# Usage: bash benches/node/run.sh [path/to/loansyncro-x.y.z.tgz] [--quick]
# Without a tarball, the package must have been built: bash scripts/suites/30-wasm.sh
set -euo pipefail
cd "$(dirname "$0")"
TARBALL="${1:-}"
if [ -z "$TARBALL" ] || [ "${TARBALL#--}" != "$TARBALL" ]; then
  TARBALL="$(ls ../../target/wasm-suite/loansyncro-*.tgz 2>/dev/null | head -1 || true)"
  [ -n "$TARBALL" ] || { echo "no tarball: run scripts/suites/30-wasm.sh first" >&2; exit 1; }
else
  shift
fi
npm install --no-audit --no-fund --loglevel=error --no-save --no-package-lock "$(realpath "$TARBALL")" loanjs@^1.1.0 decimal.js@^10.4.3 > /dev/null
node bench.cjs "$@"
