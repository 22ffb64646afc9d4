#!/usr/bin/env bash
# Side-by-side Python benchmark: builds the release wheel, installs it with numpy-financial and
# pyxirr into a git-ignored venv (.venv-bench-python), prints the table of compare.py.
# Usage: bash benches/python/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv-bench-python"
WHEELS="$ROOT/target/wheels-bench-python"

if [ ! -x "$VENV/bin/maturin" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2" numpy numpy-financial pyxirr
fi
rm -rf "$WHEELS"
"$VENV/bin/maturin" build --release --locked --quiet -m bindings/python/Cargo.toml --out "$WHEELS" 2>&1 | grep -v '^$' || true
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$WHEELS"/loansyncro-*-abi3-*.whl
"$VENV/bin/python" benches/python/compare.py "$@"
