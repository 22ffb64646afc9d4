"""Portfolio throughput of the Arrow batch API (``loansyncro.batch``) and of the Spark path
(``mapInArrow``), in loans per second: the portfolio of ``benches/src/bin/batch_throughput.rs``
(360 monthly installments per loan, positions from the first 24 installments paid on their due
dates, as of 2022-06-30). Run by ``benches/arrow/run.sh``.

    python throughput.py python --loans 100000 --batch 10000 --threads 1
    python throughput.py spark --loans 20000 --cores 1
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from typing import Any, Callable, Iterator, List, Tuple

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

import loansyncro.batch as lb

AS_OF = date(2022, 6, 30)


def terms_table(first: int, count: int) -> Any:
    """Loans ``first..first+count`` (the Rust driver's rule), built with NumPy."""
    i = np.arange(first, first + count, dtype=np.int64)
    start = np.datetime64("2020-01-01") + (i % 365).astype("timedelta64[D]")
    money = pa.Array.from_buffers(
        pa.decimal128(18, 2), count, [None, pa.py_buffer(np.stack([10_000_000 + (i * 7_919) % 40_000_000,
                                                                   np.zeros(count, np.int64)], axis=1).ravel())]
    )
    rate = pa.Array.from_buffers(
        pa.decimal128(9, 2), count, [None, pa.py_buffer(np.stack([200 + (i * 37) % 1_000,
                                                                  np.zeros(count, np.int64)], axis=1).ravel())]
    )
    return pa.table({
        "loan_id": pa.array(i),
        "principal": money,
        "annual_rate_percent": rate,
        "installments": pa.array(np.full(count, 360, np.int32)),
        "start": pa.array(start.astype("datetime64[D]"), pa.date32()),
    })


def repayments_of(schedules: Any) -> Any:
    """The first 24 installments of each loan, paid on their due dates."""
    first = schedules.filter(pc.less_equal(schedules.column("number"), 24))
    return pa.table({"loan_id": first.column("loan_id"), "date": first.column("due_date"),
                     "amount": first.column("payment")})


def best(f: Callable[[], Any], runs: int = 3, cpu: Callable[[], float] = time.process_time) -> Tuple[float, float]:
    """Best wall time and best CPU time (user + system, by ``cpu``) of ``runs`` runs: on a
    shared machine the CPU time is the per-core figure (one thread), the wall time includes
    waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), cpu()
        f()
        walls.append(time.perf_counter() - t)
        cpus.append(cpu() - c)
    return min(walls), min(cpus)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system, with reaped children) of process ``pid`` and its
    descendants, from /proc (Linux): the Spark JVM and its Python workers."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, (0, 0))[1]
        todo += [c for c, (parent, _) in stats.items() if parent == p]
    return total / tick


def python(loans: int, batch: int, threads: int) -> None:
    parts: List[Tuple[Any, Any]] = []
    for first in range(0, loans, batch):
        t = terms_table(first, min(batch, loans - first))
        parts.append((t, repayments_of(pa.Table.from_batches([lb.schedules(t)]))))
    rows = [0]

    def schedules() -> None:
        rows[0] = sum(lb.schedules(t, threads=threads).num_rows for t, _ in parts)

    def positions() -> None:
        for t, r in parts:
            lb.positions(t, r, as_of=AS_OF, threads=threads)

    s, sc = best(schedules)
    print(f"python batch schedules: {loans} loans, {rows[0]} rows, batches of {batch}, {threads} thread(s): "
          f"wall {s:.3f} s, {loans / s:.0f} loans/s; CPU {sc:.3f} s, {loans / sc:.0f} loans/s per core")
    p, pcpu = best(positions)
    print(f"python batch positions: {loans} loans, {threads} thread(s): wall {p:.3f} s, {loans / p:.0f} loans/s; "
          f"CPU {pcpu:.3f} s, {loans / pcpu:.0f} loans/s per core")


def spark(loans: int, cores: int, precision: int) -> None:
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    with tempfile.TemporaryDirectory() as tmp:
        t = terms_table(0, loans)
        pq.write_table(t, os.path.join(tmp, "terms.parquet"))
        pq.write_table(repayments_of(pa.Table.from_batches([lb.schedules(t)])), os.path.join(tmp, "reps.parquet"))
        spark = (SparkSession.builder.master(f"local[{cores}]").appName("loansyncro-throughput")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", str(cores))
                 .config("spark.driver.memory", "2g").getOrCreate())
        try:
            key = pa.field("loan_id", pa.int64())
            terms = spark.read.parquet(os.path.join(tmp, "terms.parquet")).repartition(cores).cache()
            terms.count()
            reps = spark.read.parquet(os.path.join(tmp, "reps.parquet"))
            joined = terms.join(
                reps.groupBy("loan_id").agg(F.collect_list(F.struct("date", "amount")).alias("repayments")),
                "loan_id", "left").cache()
            joined.count()

            def sched(it: Iterator[Any]) -> Iterator[Any]:
                return lb.iter_schedules(it, scale=2, precision=precision, threads=1)

            def pos(it: Iterator[Any]) -> Iterator[Any]:
                return lb.iter_positions(it, as_of=AS_OF, scale=2, precision=precision, threads=1)

            s_frame = terms.mapInArrow(sched, from_arrow_schema(lb.schedule_schema(key, precision=precision)))
            p_frame = joined.mapInArrow(pos, from_arrow_schema(lb.position_schema(key, precision=precision)))
            jvm = spark.sparkContext._gateway.proc.pid
            for name, frame in (("schedules", s_frame), ("positions", p_frame)):
                w, c = best(lambda: frame.write.format("noop").mode("overwrite").save(), runs=2,
                            cpu=lambda: tree_cpu(jvm))
                print(f"spark {name}: {loans} loans, local[{cores}], decimal({precision}, 2): wall {w:.3f} s, "
                      f"{loans / w / cores:.0f} loans/s per core; CPU (JVM + Python workers) {c:.3f} s, "
                      f"{loans / c:.0f} loans/s per core")
        finally:
            spark.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", choices=["python", "spark"])
    ap.add_argument("--loans", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cores", type=int, default=1)
    ap.add_argument("--precision", type=int, default=18, help="Spark: digits of the money columns")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()}")
    if args.path == "python":
        python(args.loans, args.batch, args.threads)
    else:
        spark(args.loans, args.cores, args.precision)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
