"""Side-by-side timings of loansyncro's Python call paths against numpy-financial and pyxirr.

One run, one machine; prints a table of per-call times, the ratio to the fastest peer and the
target of issue 16::

    benches/python/run.sh              # builds the wheel, installs peers into .venv-bench-python
    python benches/python/compare.py   # in any environment with loansyncro (+ numpy, peers)
    python benches/python/compare.py --quick   # one short repeat per case (the test suite runs
                                               # this to keep the script working)

Peers that are not installed are shown as ``-``. Every case first checks that loansyncro and
each peer agree on the value being timed (1e-9 relative), so the table never compares different
work.
"""

from __future__ import annotations

import argparse
import importlib
import math
import statistics
import timeit
from datetime import date
from typing import Any, Callable, Dict, List, Optional, Tuple

import loansyncro
import loansyncro.finance as lf


def _optional(name: str) -> Any:
    """A module that may be missing (then ``None``: its column shows ``-``)."""
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - depends on the environment
        return None


np: Any = _optional("numpy")
npf: Any = _optional("numpy_financial")
pyxirr: Any = _optional("pyxirr")

Timing = Optional[float]


def per_call(fn: Callable[[], Any], quick: bool) -> float:
    """Median seconds per call (``quick``: a single short measurement)."""
    timer = timeit.Timer(fn)
    if quick:
        return timer.timeit(number=1)
    number, _ = timer.autorange()
    return statistics.median(timer.repeat(repeat=5, number=number)) / number


def fmt(seconds: Timing) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    return f"{seconds * 1e3:.2f} ms"


def agree(a: Any, b: Any) -> None:
    """Raises unless two results (scalars or arrays) agree to 1e-9 relative."""
    xs = np.ravel(np.asarray(a, dtype=float)) if np is not None else [float(a)]
    ys = np.ravel(np.asarray(b, dtype=float)) if np is not None else [float(b)]
    for x, y in zip(xs, ys):
        if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
            raise AssertionError(f"results differ: {x} vs {y}")


def case(
    name: str,
    ours: Optional[Callable[[], Any]],
    peers: Dict[str, Optional[Callable[[], Any]]],
    target: str,
    quick: bool,
) -> Tuple[str, Timing, Dict[str, Timing], str]:
    mine: Timing = None
    if ours is not None:
        expected = ours()
        mine = per_call(ours, quick)
    times: Dict[str, Timing] = {}
    for peer, fn in peers.items():
        if fn is None:
            times[peer] = None
            continue
        if ours is not None and peer != "npf 2-D":
            agree(expected, fn())
        times[peer] = per_call(fn, quick)
    return name, mine, times, target


def optional(fn: Callable[[], Any]) -> Optional[Callable[[], Any]]:
    """``fn`` if this loansyncro build has what it calls, else ``None``."""
    try:
        fn()
    except (AttributeError, TypeError):
        return None
    return fn


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short measurement per case")
    args = parser.parse_args(argv)
    quick: bool = args.quick
    rate, n, pv = 0.065 / 12, 360, 250000.0
    rows: List[Tuple[str, Timing, Dict[str, Timing], str]] = []

    rows.append(case(
        "pmt(float)",
        lambda: lf.pmt(rate, n, pv),
        {
            "pyxirr": (lambda: pyxirr.pmt(rate, n, pv)) if pyxirr else None,
            "npf": (lambda: npf.pmt(rate, n, pv)) if npf else None,
        },
        "<= 0.3 us",
        quick,
    ))
    if np is not None:
        size = 1_000 if quick else 10_000
        rates = np.linspace(0.01, 0.12, size) / 12
        rows.append(case(
            f"pmt over {size:,} float64",
            lambda: lf.pmt(rates, n, pv),
            {
                "pyxirr": (lambda: pyxirr.pmt(rates, n, pv)) if pyxirr else None,
                "npf": (lambda: npf.pmt(rates, n, pv)) if npf else None,
            },
            "<= 0.2 ms (10,000)",
            quick,
        ))
    payment = -1580.1700587395
    rows.append(case(
        f"rate({n} periods)",
        lambda: lf.rate(n, payment, pv, 0),
        {
            "pyxirr": (lambda: pyxirr.rate(n, payment, pv)) if pyxirr else None,
            "npf": (lambda: npf.rate(n, payment, pv, 0)) if npf else None,
        },
        "<= 5 us",
        quick,
    ))
    flows = [-pv] + [-payment] * n
    rows.append(case(
        f"irr({n} level payments)",
        optional(lambda: lf.irr(flows)),
        {
            "pyxirr": (lambda: pyxirr.irr(flows)) if pyxirr else None,
            # numpy-financial solves a degree-360 polynomial (seconds): left out of --quick.
            "npf": (lambda: npf.irr(flows)) if npf and not quick else None,
        },
        "<= 20 us",
        quick,
    ))
    loans = 100 if quick else 10_000
    terms = [
        loansyncro.LoanTerms(
            principal=100_000 + 10 * k,
            annual_rate_percent="6.5",
            installments=n,
            start=date(2025, 1, 1),
        )
        for k in range(loans)
    ]
    periods = np.arange(1, n + 1) if np is not None else None
    principals = (100_000 + 10 * np.arange(loans, dtype=float))[:, None] if np is not None else None

    def npf_grid() -> Any:
        return npf.ipmt(rate, periods, n, principals), npf.ppmt(rate, periods, n, principals)

    rows.append(case(
        f"{loans:,} schedules of {n} rows (columns)",
        lambda: [s.columns() for s in loansyncro.schedules(terms)],
        {"npf 2-D": npf_grid if npf is not None else None},
        "<= 25 ms (10,000)",
        quick,
    ))
    batch = getattr(loansyncro, "schedule_columns", None)
    rows.append(case(
        f"{loans:,} schedules (schedule_columns)",
        (lambda: batch(terms)) if batch is not None else None,
        {"npf 2-D": npf_grid if npf is not None else None},
        "<= 25 ms (10,000)",
        quick,
    ))

    if batch is not None:
        four = ["loan", "number", "interest", "principal"]
        rows.append(case(
            f"{loans:,} schedules, 4 of 9 columns",
            optional(lambda: batch(terms, columns=four)),
            {"npf 2-D": npf_grid if npf is not None else None},
            "<= 25 ms (10,000)",
            quick,
        ))
    if np is not None:
        # The floor on this machine: NumPy itself allocating and writing as many bytes as the
        # nine int64 columns (fresh pages are zeroed by the kernel when first written).
        elements = loans * n

        def write_nine() -> Any:
            out = [np.empty(elements, dtype=np.int64) for _ in range(9)]
            for column in out:
                column.fill(7)
            return out

        rows.append(case(
            f"floor: numpy writes 9 x {elements:,} int64",
            None,
            {"numpy": write_nine},
            "-",
            quick,
        ))

    peers = ["pyxirr", "npf", "npf 2-D", "numpy"]
    header = f"{'call':<36} {'loansyncro':>11} " + " ".join(f"{p:>10}" for p in peers)
    header += f" {'ratio':>7}  target"
    print(header)
    print("-" * len(header))
    for name, mine, times, target in rows:
        known = [t for t in times.values() if t is not None]
        ratio = f"{mine / min(known):.2f}x" if mine is not None and known else "-"
        cells = " ".join(f"{fmt(times.get(p)):>10}" if p in times else f"{'':>10}" for p in peers)
        print(f"{name:<36} {fmt(mine):>11} {cells} {ratio:>7}  {target}")
    print("ratio = loansyncro / fastest peer (below 1 is faster)")
    if quick:
        print("--quick: one first call per case (keeps the script working), not a measurement")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
