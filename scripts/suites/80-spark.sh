#!/usr/bin/env bash
# Spark (issue 20 §4): the example job examples/spark/portfolio_job.py runs a 200-loan portfolio's
# schedules and positions through mapInArrow and the Arrow batch API on PySpark 4.3.0 in local
# mode (local[2]), then examples/spark/check.py compares every row exactly with the batch API
# called directly and with the per-loan API (LoanTerms.schedule, loansyncro.position).
# Installs pyspark/pyarrow into .venv-spark (git-ignored, kept between runs); the wheel is the
# release abi3 wheel (built by 20-python before: maturin only repackages it). Java 17 must be on
# PATH. The job's JVM is a child of the job: the suite records its PID, checks that it exits with
# the job and kills the job and the JVM by PID on exit if they are still running.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv-spark"
WHEELS="$ROOT/target/wheels-spark"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/loansyncro-spark.XXXXXX")"
JOB_PID=""

step_started=$SECONDS
step() {
  if [ -n "${STEP:-}" ]; then echo "    ($STEP: $((SECONDS - step_started)) s)"; fi
  STEP="$*"
  step_started=$SECONDS
  printf -- '--> %s\n' "$*"
}

cleanup() {
  local pid
  for pid in "$JOB_PID" "$(cat "$WORK/jvm.pid" 2>/dev/null || true)"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "stopping PID $pid" >&2
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v java >/dev/null || { echo "java (17) is needed on PATH" >&2; exit 1; }

step "PySpark 4.3.0 and pyarrow in $VENV"
if ! "$VENV/bin/python" -c 'import pyspark, pyarrow, maturin; assert pyspark.__version__ == "4.3.0"' 2>/dev/null; then
  "$PYTHON" -m venv "$VENV"
  # pandas < 3: PySpark 4.3 warns that it does not fully support pandas 3.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "pyspark==4.3.0" "pyarrow>=14" numpy "pandas<3" "maturin>=1.5,<2"
fi

step "wheel (release, abi3) into $VENV"
rm -rf "$WHEELS"
"$VENV/bin/maturin" build --release --locked --quiet -m bindings/python/Cargo.toml --out "$WHEELS" 2>&1 | grep -v '^$' || true
WHEEL="$(ls "$WHEELS"/loansyncro-*-abi3-*.whl | head -n 1)"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$WHEEL"

step "portfolio: 200 loans"
"$VENV/bin/python" examples/spark/make_portfolio.py --loans 200 --out "$WORK"

step "Spark job (local[2], mapInArrow): schedules and positions"
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"
"$VENV/bin/python" examples/spark/portfolio_job.py --master 'local[2]' \
  --terms "$WORK/terms.csv" --repayments "$WORK/repayments.parquet" --as-of 2026-06-30 \
  --out "$WORK/out" --jvm-pid-file "$WORK/jvm.pid" >"$WORK/job.log" 2>&1 &
JOB_PID=$!
if ! wait "$JOB_PID"; then
  cat "$WORK/job.log" >&2
  echo "the Spark job failed" >&2
  exit 1
fi
JOB_PID=""
grep -E '^(schedules|positions): written' "$WORK/job.log" || true
JVM_PID="$(cat "$WORK/jvm.pid")"
for _ in $(seq 1 20); do
  kill -0 "$JVM_PID" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$JVM_PID" 2>/dev/null; then
  echo "the job's JVM (PID $JVM_PID) is still running after the job ended" >&2
  exit 1
fi
echo "the job's JVM (PID $JVM_PID) exited with the job"

step "exact check against the batch API and the per-loan API"
"$VENV/bin/python" examples/spark/check.py --portfolio "$WORK" --out "$WORK/out" --as-of 2026-06-30
step "done"
