#!/usr/bin/env python3
"""Independent reference vectors for balance corrections and biweekly comparisons.

Writes loansyncro-core/tests/data/adjust/{corrections,biweekly}.json. Plain Python `decimal`
at 60 significant digits and `datetime`; it does NOT import loansyncro: every number below is
computed from the conventions stated here, so the Rust and Python golden tests check the
engine against a second implementation of the same rules.

Conventions (shared by both files)
- Money is rounded to cents ROUND_HALF_UP; interest of every period is rounded once.
- Monthly terms: nominal periodic rate annual/12 (30/360: every month is 1/12 of a year);
  level payment L = P*r / (1 - (1+r)^-n) rounded to cents (P/n at 0%); row interest
  round(balance*r); principal = L - interest; the last row pays the balance plus its interest.
  Due dates: the start's day of month, n months on (day 1 in every case here, so no clamping).

Balance corrections (corrections.json)
- Payments are exactly the level installment on each due date (scheduled accrual: interest of
  a period is fixed at its start, on the principal not billed yet; a payment on a due date
  pays that installment).
- A correction on date D (after the payments of D) states the lender's principal balance S;
  the engine's balance B on D is the balance after the last installment due on or before D
  (all were paid). The adjustment booked is S - B; the principal becomes S.
- After it: the installment amount stays L (reduce-term policy); the interest of the period in
  progress stays the one fixed at its start, unless D is the period's first day (a due date, or
  the start), in which case it is recomputed on S; every later period's interest is
  round(balance * r) on the corrected balance; principal part = L - interest.
- Expected: the adjustment, the position on D (principal S) and the position on `as_of` (a due
  date after more on-time payments): principal outstanding, interest and principal paid (the
  repayments only) and the net of the adjustments.

Biweekly comparison (biweekly.json)
- Biweekly payment = round(L * 12 / 26); accelerated = round(L / 2).
- Biweekly periods of 14 days from the start; each bears annual * 14/365 (Actual/365 Fixed):
  interest round(balance * annual * 14 / 365). A row pays the fixed amount (interest first,
  then principal) unless balance + interest is not more than it: then that is the last row.
- Totals are sums of the rounded rows; payoff = date of the last row; interest saved =
  monthly total interest - biweekly total interest; days saved = monthly payoff - biweekly
  payoff.

Run: python3 scripts/vectors/adjust.py  (rewrites the two files; deterministic)
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, getcontext
from pathlib import Path

getcontext().prec = 60
CENT = Decimal("0.01")
OUT = Path(__file__).resolve().parents[2] / "loansyncro-core" / "tests" / "data" / "adjust"


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def s(x: Decimal) -> str:
    return str(r2(x))


def add_months(d: date, k: int) -> date:
    m = d.month - 1 + k
    return date(d.year + m // 12, m % 12 + 1, d.day)


def level_payment(p: Decimal, r: Decimal, n: int) -> Decimal:
    if r == 0:
        return r2(p / n)
    return r2(p * r / (1 - (1 + r) ** -n))


def monthly_rows(p: Decimal, annual_pct: Decimal, n: int, start: date):
    r = annual_pct / 100 / 12
    pay = level_payment(p, r, n)
    bal, rows = p, []
    for k in range(1, n + 1):
        i = r2(bal * r)
        if k == n:
            prin = bal
        else:
            prin = pay - i
        bal -= prin
        rows.append((add_months(start, k), prin + i, i, prin, bal))
    return pay, rows


# ------------------------------------------------------------------------------------------
# Corrections
# ------------------------------------------------------------------------------------------


def correction_case(name, p, pct, n, start, paid_before, d, stated, paid_after):
    """`paid_before` installments paid on time, a correction on `d` (on or after the last of
    them, before the next due date, or equal to a due date after its payment), then
    `paid_after` more installments paid on their due dates."""
    r = Decimal(pct) / 100 / 12
    p = Decimal(p)
    pay, rows = monthly_rows(p, Decimal(pct), n, start)
    payments = []
    bal = p
    paid_i = paid_p = Decimal(0)
    for k in range(paid_before):
        due, amount, i, prin, after = rows[k]
        assert due <= d
        payments.append({"date": str(due), "amount": s(amount)})
        paid_i += i
        paid_p += prin
        bal = after
    nxt = add_months(start, paid_before + 1)
    assert d < nxt
    period_start = add_months(start, paid_before) if paid_before else start
    engine = bal
    # "engine": the lender agrees with the engine (a zero adjustment is booked).
    stated = engine if stated == "engine" else Decimal(stated)
    adjustment = stated - engine
    # The interest of the period in progress: fixed at its start unless D starts it.
    current_interest = rows[paid_before][2] if d != period_start else r2(stated * r)
    bal = stated
    for j in range(paid_after):
        k = paid_before + j
        due = add_months(start, k + 1)
        assert k + 1 < n, "stay before maturity"
        i = current_interest if j == 0 else r2(bal * r)
        prin = pay - i
        payments.append({"date": str(due), "amount": s(pay)})
        paid_i += i
        paid_p += prin
        bal -= prin
    as_of = add_months(start, paid_before + paid_after)
    return {
        "name": name,
        "terms": {
            "principal": s(p),
            "annual_rate_percent": str(pct),
            "installments": n,
            "start": str(start),
        },
        "installment": s(pay),
        "payments": payments,
        "correction": {"date": str(d), "stated_balance": s(stated), "reason": "lender statement"},
        "expected": {
            "adjustment": s(adjustment),
            "at_correction": {"principal_outstanding": s(stated)},
            "as_of": str(max(as_of, d)),
            "position": {
                "principal_outstanding": s(bal),
                "paid_interest": s(paid_i),
                "paid_principal": s(paid_p),
                "paid_total": s(paid_i + paid_p),
                "adjustments": s(adjustment),
            },
        },
    }


def corrections():
    d = date
    return [
        correction_case("car, lender higher mid-period", "20000", "7.5", 60, d(2025, 1, 1),
                        6, d(2025, 7, 15), "18000.00", 5),
        correction_case("car, lender lower mid-period", "20000", "7.5", 60, d(2025, 1, 1),
                        6, d(2025, 7, 15), "17500.00", 5),
        correction_case("mortgage, statement on a due date", "250000", "5.25", 360,
                        d(2024, 3, 1), 12, d(2025, 3, 1), "247000.00", 12),
        correction_case("correction before any payment", "10000", "12", 24, d(2025, 1, 1),
                        0, d(2025, 1, 20), "10150.00", 3),
        correction_case("correction on the start date", "5000", "9", 12, d(2025, 1, 1),
                        0, d(2025, 1, 1), "4900.00", 4),
        correction_case("zero rate loan", "1200", "0", 12, d(2025, 1, 1),
                        3, d(2025, 4, 10), "850.00", 2),
        correction_case("statement agrees", "20000", "7.5", 60, d(2025, 1, 1),
                        2, d(2025, 3, 1), "engine", 1),
    ]


# ------------------------------------------------------------------------------------------
# Biweekly
# ------------------------------------------------------------------------------------------


def biweekly_rows(p: Decimal, annual_pct: Decimal, amount: Decimal, start: date):
    rate = annual_pct / 100 * 14 / 365
    bal, rows, k = p, [], 0
    while bal > 0:
        k += 1
        assert k <= 1200
        i = r2(bal * rate)
        if bal + i <= amount:
            rows.append((start + timedelta(days=14 * k), bal + i, i))
            bal = Decimal(0)
        else:
            prin = amount - i
            assert prin > 0
            bal -= prin
            rows.append((start + timedelta(days=14 * k), amount, i))
    return rows


def summary(freq, payment, rows):
    return {
        "frequency": freq,
        "payment": s(payment),
        "installments": len(rows),
        "total_paid": s(sum((r[1] for r in rows), Decimal(0))),
        "total_interest": s(sum((r[2] for r in rows), Decimal(0))),
        "payoff_date": str(rows[-1][0]),
    }


def biweekly_case(name, p, pct, n, start):
    p, pct_d = Decimal(p), Decimal(pct)
    pay, mrows = monthly_rows(p, pct_d, n, start)
    monthly = summary("monthly", pay, [(r[0], r[1], r[2]) for r in mrows])
    out = {"name": name, "terms": {"principal": s(p), "annual_rate_percent": pct,
                                   "installments": n, "start": str(start)},
           "expected": {"day_count": "actual/365F", "monthly": monthly}}
    for key, amount in (("biweekly", r2(pay * 12 / 26)), ("accelerated", r2(pay / 2))):
        rows = biweekly_rows(p, pct_d, amount, start)
        plan = summary("biweekly", amount, rows)
        out["expected"][key] = {
            "plan": plan,
            "interest_saved": s(Decimal(monthly["total_interest"]) - Decimal(plan["total_interest"])),
            "days_saved": (date.fromisoformat(monthly["payoff_date"])
                           - date.fromisoformat(plan["payoff_date"])).days,
        }
    return out


def biweekly():
    d = date
    return [
        biweekly_case("30-year mortgage 6%", "200000", "6", 360, d(2025, 1, 1)),
        biweekly_case("25-year mortgage 4.79%", "425000", "4.79", 300, d(2026, 2, 1)),
        biweekly_case("15-year mortgage 5.5%", "150000", "5.5", 180, d(2024, 6, 1)),
        biweekly_case("5-year car loan 7.9%", "32000", "7.9", 60, d(2025, 3, 1)),
        biweekly_case("student loan 0%", "12000", "0", 120, d(2025, 9, 1)),
        biweekly_case("high rate 18%", "8000", "18", 36, d(2025, 1, 1)),
    ]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    provenance = ("scripts/vectors/adjust.py: plain Python decimal (60 digits), independent of "
                  "loansyncro; conventions in the script's header")
    for name, cases in (("corrections", corrections()), ("biweekly", biweekly())):
        doc = {"provenance": provenance, "cases": cases}
        (OUT / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n")
        print(f"wrote {OUT / (name + '.json')}: {len(cases)} cases")


if __name__ == "__main__":
    main()
