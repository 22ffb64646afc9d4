"""Side-by-side benchmark: loansyncro vs numpy-financial (vectorized), pyxirr and a hand-written
``decimal`` loop. Not a test: run it and read the medians and ratios (one run, one machine).

    python benches/python/bench.py            # needs loansyncro, numpy, numpy-financial, pyxirr

Cases: a scalar ``pmt``; a 360-row schedule; 10,000 schedules. numpy-financial builds schedules
the way its users do, with vectorized ``ipmt``/``ppmt`` over the period numbers (floats,
unrounded); loansyncro's are exact, cent-rounded and close at zero.
"""

from __future__ import annotations

import statistics
import timeit
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Dict, List, Optional

import loansyncro
import loansyncro.finance as lf

try:
    import numpy as np
    import numpy_financial as npf
except ImportError:  # pragma: no cover
    np = None
    npf = None
try:
    import pyxirr
except ImportError:  # pragma: no cover
    pyxirr = None


def median_time(fn: Callable[[], Any], number: Optional[int] = None, repeat: int = 7) -> float:
    """Median seconds per call."""
    timer = timeit.Timer(fn)
    if number is None:
        number, _ = timer.autorange()
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:8.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.2f} us"
    return f"{seconds * 1e3:8.2f} ms"


RATE, N, PV = 0.065 / 12, 360, 250000.0
START = date(2025, 1, 1)


def decimal_schedule(principal: Decimal, annual_percent: Decimal, n: int) -> List[Dict[str, Decimal]]:
    """The hand-written loop people write: Decimal, rounded to cents, last row closes."""
    cent = Decimal("0.01")
    r = annual_percent / Decimal(1200)
    payment = (principal * r / (1 - (1 + r) ** -n)).quantize(cent, ROUND_HALF_UP)
    balance = principal
    rows = []
    for k in range(1, n + 1):
        interest = (balance * r).quantize(cent, ROUND_HALF_UP)
        pay = balance + interest if k == n else payment
        principal_part = pay - interest
        balance -= principal_part
        rows.append({"payment": pay, "interest": interest, "principal": principal_part, "balance": balance})
    return rows


def main() -> None:
    results: Dict[str, float] = {}

    def run(name: str, fn: Callable[[], Any], **kw: Any) -> None:
        results[name] = median_time(fn, **kw)
        print(f"  {name:58} {fmt(results[name])}")

    print("scalar pmt (250,000 at 6.5% over 360 months)")
    if npf is not None:
        run("numpy-financial pmt (float)", lambda: npf.pmt(RATE, N, PV))
    if pyxirr is not None:
        run("pyxirr pmt (float)", lambda: pyxirr.pmt(RATE, N, PV))
    run("loansyncro.finance pmt (float in, float out)", lambda: lf.pmt(RATE, N, PV))
    drate = Decimal("0.065") / 12
    run("loansyncro.finance pmt (Decimal in, Decimal out)", lambda: lf.pmt(drate, N, 250000))

    print("\none 360-row schedule")
    terms = loansyncro.LoanTerms(principal=250000, annual_rate_percent="6.5", installments=360, start=START)
    if npf is not None and np is not None:
        per = np.arange(1, N + 1)
        run("numpy-financial vectorized ipmt+ppmt (floats, unrounded)", lambda: (npf.ipmt(RATE, per, N, PV), npf.ppmt(RATE, per, N, PV)))
    if pyxirr is not None:
        try:
            per_list = list(range(1, N + 1))
            pyxirr.ipmt(RATE, per_list, N, PV)
            run("pyxirr vectorized ipmt+ppmt (floats)", lambda: (pyxirr.ipmt(RATE, per_list, N, PV), pyxirr.ppmt(RATE, per_list, N, PV)))
        except Exception:  # older pyxirr: scalar only
            run("pyxirr ipmt+ppmt per row (floats)", lambda: [(pyxirr.ipmt(RATE, k, N, PV), pyxirr.ppmt(RATE, k, N, PV)) for k in range(1, N + 1)])
    run("hand-written decimal loop (cent-exact)", lambda: decimal_schedule(Decimal(250000), Decimal("6.5"), N))
    run("loansyncro terms.schedule() (lazy sequence)", terms.schedule)
    run("loansyncro list(terms.schedule()) (360 row objects)", lambda: list(terms.schedule()))
    run("loansyncro terms.schedule().columns() (int64 cents)", lambda: terms.schedule().columns())
    run("loansyncro LoanTerms(...) + schedule() + columns()", lambda: loansyncro.LoanTerms(
        principal=250000, annual_rate_percent="6.5", installments=360, start=START).schedule().columns())
    run("loansyncro schedule().to_dicts() (360 x 4 Decimals)", lambda: terms.schedule().to_dicts(), repeat=5)

    print("\n10,000 schedules (different principals and rates)")
    count = 10_000
    principals = [100_000 + 37 * i for i in range(count)]
    percents = [Decimal(3) + Decimal(i % 500) / 100 for i in range(count)]
    if npf is not None and np is not None:
        r = (np.array([float(p) for p in percents]) / 1200)[:, None]
        pv = np.array(principals, dtype=float)[:, None]
        per2 = np.arange(1, N + 1)[None, :]
        run("numpy-financial 2-D vectorized ipmt+ppmt", lambda: (npf.ipmt(r, per2, N, pv), npf.ppmt(r, per2, N, pv)), number=1, repeat=3)
    many = [loansyncro.LoanTerms(principal=p, annual_rate_percent=q, installments=360, start=START)
            for p, q in zip(principals, percents)]
    run("loansyncro build 10,000 LoanTerms", lambda: [loansyncro.LoanTerms(principal=p, annual_rate_percent=q, installments=360, start=START)
                                                   for p, q in zip(principals, percents)], number=1, repeat=3)
    run("loansyncro [t.schedule() for t in terms] (one thread)", lambda: [t.schedule() for t in many], number=1, repeat=3)
    run("loansyncro [t.schedule().totals for t in terms] (not kept)", lambda: [t.schedule().totals for t in many], number=1, repeat=3)
    run("loansyncro.schedules(terms) (GIL released, all cores)", lambda: loansyncro.schedules(many), number=1, repeat=3)
    run("loansyncro.schedules(terms, threads=1)", lambda: loansyncro.schedules(many, threads=1), number=1, repeat=3)
    run("hand-written decimal loop x 10,000", lambda: [decimal_schedule(Decimal(p), q, N) for p, q in zip(principals, percents)], number=1, repeat=1)

    print("\nratios (numpy-financial time / loansyncro time; targets from issue 6)")
    def ratio(a: str, b: str, target: float) -> None:
        if a in results and b in results:
            x = results[a] / results[b]
            print(f"  {b:58} {x:7.1f}x  (target {target:g}x) {'ok' if x >= target else 'BELOW'}")
    ratio("numpy-financial pmt (float)", "loansyncro.finance pmt (float in, float out)", 50)
    ratio("numpy-financial pmt (float)", "loansyncro.finance pmt (Decimal in, Decimal out)", 50)
    ratio("numpy-financial vectorized ipmt+ppmt (floats, unrounded)", "loansyncro list(terms.schedule()) (360 row objects)", 8)
    ratio("numpy-financial vectorized ipmt+ppmt (floats, unrounded)", "loansyncro terms.schedule().columns() (int64 cents)", 25)
    ratio("numpy-financial vectorized ipmt+ppmt (floats, unrounded)", "loansyncro LoanTerms(...) + schedule() + columns()", 25)
    ratio("numpy-financial 2-D vectorized ipmt+ppmt", "loansyncro.schedules(terms) (GIL released, all cores)", 8)
    ratio("numpy-financial 2-D vectorized ipmt+ppmt", "loansyncro [t.schedule() for t in terms] (one thread)", 8)
    ratio("numpy-financial 2-D vectorized ipmt+ppmt", "loansyncro [t.schedule().totals for t in terms] (not kept)", 8)
    if "loansyncro build 10,000 LoanTerms" in results and "numpy-financial 2-D vectorized ipmt+ppmt" in results:
        total = results["loansyncro build 10,000 LoanTerms"] + results["loansyncro.schedules(terms) (GIL released, all cores)"]
        print(f"  {'loansyncro build terms + schedules (end to end)':58} {results['numpy-financial 2-D vectorized ipmt+ppmt'] / total:7.1f}x  (target 8x)")


if __name__ == "__main__":
    main()
