#!/usr/bin/env bash
# Python package (bindings/python): build the abi3 wheel with maturin (release), install it into
# a fresh virtual environment with the test tools and the frame libraries (numpy,
# numpy-financial whose own test suite runs against loansyncro.finance, pandas, pyarrow, polars,
# pyxirr for the benchmark), run pytest, mypy --strict and the benchmark's quick mode.
# Idempotent; everything lives in git-ignored folders (.venv-python*, target/).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
BUILD_VENV="$ROOT/.venv-python-build"
TEST_VENV="$ROOT/.venv-python"
WHEELS="$ROOT/target/wheels-python"

step() { printf -- '--> %s\n' "$*"; }

if [ ! -x "$BUILD_VENV/bin/maturin" ]; then
  step "build tools (maturin) in $BUILD_VENV"
  "$PYTHON" -m venv "$BUILD_VENV"
  "$BUILD_VENV/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2"
fi

step "wheel (release, abi3)"
rm -rf "$WHEELS"
"$BUILD_VENV/bin/maturin" build --release --locked --quiet -m bindings/python/Cargo.toml --out "$WHEELS" 2>&1 | grep -v '^$' || true
WHEEL="$(ls "$WHEELS"/loansyncro-*-abi3-*.whl | head -n 1)"
[ -f "$WHEEL" ] || { echo "no abi3 wheel built" >&2; exit 1; }
echo "built $(basename "$WHEEL")"

step "fresh test environment $TEST_VENV"
rm -rf "$TEST_VENV"
"$PYTHON" -m venv "$TEST_VENV"
started=$SECONDS
"$TEST_VENV/bin/pip" install --quiet --disable-pip-version-check \
  pytest hypothesis mypy numpy numpy-financial==1.0.0 pandas pyarrow polars pyxirr
echo "test tools installed in $((SECONDS - started)) s"
"$TEST_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "$WHEEL"
# beancount: tests/test_postings.py runs bean-check on a journal the package writes.
"$TEST_VENV/bin/pip" install --quiet --disable-pip-version-check "beancount>=3,<4"

step "numpy-financial 1.1.0's own test suite (from its wheel: the package needs Python 3.13, its tests do not)"
NPF_DIR="$ROOT/.tools/numpy-financial-1.1.0"
if [ ! -f "$NPF_DIR/numpy_financial/tests/test_financial.py" ]; then
  "$TEST_VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --python-version 3.13 --platform manylinux2014_x86_64 -d "$NPF_DIR/wheel" numpy-financial==1.1.0
  "$TEST_VENV/bin/python" -m zipfile -e "$NPF_DIR"/wheel/numpy_financial-1.1.0-*.whl "$NPF_DIR"
fi
export LOANSYNCRO_NPF_TESTS="$NPF_DIR/numpy_financial/tests"

step "pytest"
cd "$ROOT/bindings/python/tests"
"$TEST_VENV/bin/python" -m pytest -q -p no:cacheprovider

step "mypy --strict (package, tests, examples, benchmark)"
cd "$ROOT"
"$TEST_VENV/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null \
  bindings/python/python/loansyncro bindings/python/tests examples/python benches/python/compare.py

step "benchmark script (quick mode: keeps benches/python/compare.py working)"
"$TEST_VENV/bin/python" benches/python/compare.py --quick
