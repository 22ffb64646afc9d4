#!/usr/bin/env bash
# Portfolio throughput (issue 20 §4), loans per second per core for schedules and positions:
# the Rust core alone (benches/src/bin/batch_throughput.rs, one thread), the Python Arrow batch
# API (loansyncro.batch, one thread, batches of 10,000 loans) and Spark local mode (mapInArrow,
# local[1], written to Spark's "noop" sink; money as decimal(18, 2) and decimal(38, 2)). Same
# portfolio everywhere: 360 monthly installments per loan, positions from 24 repayments each.
# Each figure: wall time and CPU time (user + system; on a shared machine the CPU time is the
# per-core figure), best of 3 runs (2 for Spark).
#   bash benches/arrow/run.sh                      # 100,000 loans (Rust, Python), 20,000 (Spark)
#   LOANS=20000 SPARK_LOANS=5000 bash benches/arrow/run.sh
# Not part of the test command. Uses .venv-spark (as scripts/suites/80-spark.sh: PySpark 4.3.0).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
LOANS="${LOANS:-100000}"
SPARK_LOANS="${SPARK_LOANS:-20000}"
VENV="$ROOT/.venv-spark"
WHEELS="$ROOT/target/wheels-spark"

if ! "$VENV/bin/python" -c 'import pyspark, pyarrow, maturin; assert pyspark.__version__ == "4.3.0"' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "pyspark==4.3.0" "pyarrow>=14" numpy "pandas<3" "maturin>=1.5,<2"
fi
rm -rf "$WHEELS"
"$VENV/bin/maturin" build --release --locked --quiet -m bindings/python/Cargo.toml --out "$WHEELS" 2>&1 | grep -v '^$' || true
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$WHEELS"/loansyncro-*-abi3-*.whl
cargo build --release -q -p loansyncro-benches --bin batch_throughput

echo "load: $(cat /proc/loadavg) on $(nproc) cores"
"$ROOT/target/release/batch_throughput" "$LOANS"
echo "load: $(cat /proc/loadavg)"
"$VENV/bin/python" benches/arrow/throughput.py python --loans "$LOANS" --batch 10000 --threads 1
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"
for precision in 18 38; do
  "$VENV/bin/python" benches/arrow/throughput.py spark --loans "$SPARK_LOANS" --cores 1 --precision "$precision" 2>&1 \
    | grep -E '^(spark|load)' || true
done
echo "load: $(cat /proc/loadavg)"
