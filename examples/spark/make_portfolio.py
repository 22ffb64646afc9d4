"""Writes a deterministic test portfolio for the Spark example: loan terms (one row per loan)
and repayments (one row per repayment), as Parquet and CSV.

    python make_portfolio.py --loans 200 --out /tmp/portfolio

Loans mix principals, rates (0 to 15 %, up to three decimals), terms (6 to 360 months),
start dates, day counts and methods; each loan has paid its first installments, some a few
days late, up to the as-of date 2026-06-30 (amounts from the loan's own schedule).
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

import loansyncro

AS_OF = date(2026, 6, 30)
DAY_COUNTS = ["30/360", "actual/365F", "actual/360"]
METHODS = ["equal_installments", "equal_installments", "equal_principal"]


def portfolio(loans: int, seed: int = 20) -> tuple[pa.Table, pa.Table]:
    rnd = random.Random(seed)
    terms: dict[str, list[object]] = {
        "loan_id": [], "principal": [], "annual_rate_percent": [], "installments": [], "start": [],
        "day_count": [], "method": [],
    }
    reps: dict[str, list[object]] = {"loan_id": [], "date": [], "amount": []}
    for i in range(loans):
        loan_id = f"L{i:07d}"
        principal = Decimal(rnd.randrange(100_000, 50_000_000)).scaleb(-2)
        rate = Decimal(rnd.randrange(0, 15_000)).scaleb(-3)
        installments = rnd.choice([6, 12, 24, 36, 60, 120, 180, 240, 360])
        start = date(2020, 1, 1) + timedelta(days=rnd.randrange(0, 6 * 365))
        day_count, method = rnd.choice(DAY_COUNTS), rnd.choice(METHODS)
        for k, v in zip(terms, [loan_id, principal, rate, installments, start, day_count, method]):
            terms[k].append(v)
        schedule = loansyncro.LoanTerms(
            principal=principal, annual_rate_percent=rate, installments=installments, start=start,
            day_count=day_count, method=method,
        ).schedule()
        for row in schedule:
            paid_on = row.due_date + timedelta(days=rnd.choice([0, 0, 0, 1, 3]))
            if paid_on > AS_OF or rnd.random() < 0.03:
                break
            reps["loan_id"].append(loan_id)
            reps["date"].append(paid_on)
            reps["amount"].append(row.payment)
    terms_table = pa.table({
        "loan_id": pa.array(terms["loan_id"], pa.string()),
        "principal": pa.array(terms["principal"], pa.decimal128(18, 2)),
        "annual_rate_percent": pa.array(terms["annual_rate_percent"], pa.decimal128(9, 3)),
        "installments": pa.array(terms["installments"], pa.int32()),
        "start": pa.array(terms["start"], pa.date32()),
        "day_count": pa.array(terms["day_count"], pa.string()),
        "method": pa.array(terms["method"], pa.string()),
    })
    reps_table = pa.table({
        "loan_id": pa.array(reps["loan_id"], pa.string()),
        "date": pa.array(reps["date"], pa.date32()),
        "amount": pa.array(reps["amount"], pa.decimal128(18, 2)),
    })
    return terms_table, reps_table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--loans", type=int, default=200)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    terms, reps = portfolio(args.loans)
    for name, table in (("terms", terms), ("repayments", reps)):
        pq.write_table(table, args.out / f"{name}.parquet")
        pacsv.write_csv(table, args.out / f"{name}.csv")
    print(f"{terms.num_rows} loans, {reps.num_rows} repayments in {args.out}")


if __name__ == "__main__":
    main()
