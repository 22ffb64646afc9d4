"""Schedules and positions of a loan portfolio on Apache Spark, through ``mapInArrow`` and
LoanSyncro's Arrow batch API (``loansyncro.batch``): each Arrow batch of loans goes to Rust in
one call on the executor, no Python object per loan or per row.

    python portfolio_job.py --terms terms.parquet --repayments repayments.parquet \\
        --as-of 2026-06-30 --out out/ [--master local[2]]

Inputs: Parquet (by the ``.parquet`` suffix) or CSV with a header. Terms: one row per loan with
``loan_id``, ``principal``, ``annual_rate_percent``, ``installments``, ``start`` and optional
convention columns named as the terms' JSON fields (``day_count``, ``method``...). Repayments:
``loan_id``, ``date``, ``amount``. Outputs (Parquet): ``out/schedules`` (one row per
installment) and ``out/positions`` (one row per loan on ``--as-of``), money as
``decimal(precision, scale)`` (default ``decimal(18, 2)``). On a cluster, submit it with ``spark-submit`` (see README.md).
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date
from typing import Any, Iterator

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

#: CSV column types (Parquet carries its own).
TERMS_DDL = (
    "loan_id STRING, principal DECIMAL(18,2), annual_rate_percent DECIMAL(9,3), installments INT, "
    "start DATE, day_count STRING, method STRING"
)
REPAYMENTS_DDL = "loan_id STRING, date DATE, amount DECIMAL(18,2)"


def read(spark: SparkSession, path: str, ddl: str) -> DataFrame:
    if path.endswith(".parquet"):
        return spark.read.parquet(path)
    return spark.read.csv(path, header=True, schema=ddl)


def schedules(terms: DataFrame, scale: int, precision: int) -> DataFrame:
    import loansyncro.batch as lb

    schema = from_arrow_schema(lb.schedule_schema(scale=scale, precision=precision))

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import loansyncro.batch as lb  # imported on the executor

        # One thread per task: Spark runs a task per core already.
        return lb.iter_schedules(batches, key="loan_id", scale=scale, precision=precision, threads=1)

    return terms.mapInArrow(run, schema)


def positions(
    terms: DataFrame, repayments: DataFrame, as_of: date, scale: int, precision: int
) -> DataFrame:
    """Repayments travel with their loan as a ``list<struct<date, amount>>`` column (one
    shuffle), which the batch API reads as the terms' ``repayments`` column."""
    import loansyncro.batch as lb

    schema = from_arrow_schema(lb.position_schema(scale=scale, precision=precision))
    grouped = repayments.groupBy("loan_id").agg(
        F.collect_list(F.struct("date", "amount")).alias("repayments")
    )
    joined = terms.join(grouped, "loan_id", "left")

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import loansyncro.batch as lb

        return lb.iter_positions(
            batches, as_of=as_of, key="loan_id", scale=scale, precision=precision, threads=1
        )

    return joined.mapInArrow(run, schema)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--terms", required=True)
    ap.add_argument("--repayments", required=True)
    ap.add_argument("--as-of", required=True, type=date.fromisoformat)
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=int, default=2, help="decimal places of the money columns")
    ap.add_argument(
        "--precision",
        type=int,
        default=18,
        help="digits of the money columns (18 holds every amount the core allows; Parquet "
        "stores decimals of up to 18 digits as 64-bit integers)",
    )
    ap.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    ap.add_argument("--jvm-pid-file", default=None, help="write the local JVM's PID here (tests)")
    args = ap.parse_args()

    builder = SparkSession.builder.appName("loansyncro-portfolio")
    if args.master:
        builder = (
            builder.master(args.master)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", "1g")
        )
    spark = builder.getOrCreate()
    if args.jvm_pid_file:
        proc = getattr(spark.sparkContext._gateway, "proc", None)  # the JVM py4j started
        with open(args.jvm_pid_file, "w") as f:
            f.write(f"{proc.pid if proc else ''}\n")
    try:
        terms = read(spark, args.terms, TERMS_DDL)
        repayments = read(spark, args.repayments, REPAYMENTS_DDL)
        for name, frame in (
            ("schedules", schedules(terms, args.scale, args.precision)),
            ("positions", positions(terms, repayments, args.as_of, args.scale, args.precision)),
        ):
            started = time.perf_counter()
            frame.write.mode("overwrite").parquet(os.path.join(args.out, name))
            print(f"{name}: written in {time.perf_counter() - started:.1f} s")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
