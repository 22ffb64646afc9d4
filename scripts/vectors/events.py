#!/usr/bin/env python3
"""Independent vectors for loan timeline events: loans entered mid-term and renewals.

Writes loansyncro-core/tests/data/events/events.json. This script does NOT import loansyncro:
it computes every schedule from first principles with Python's `fractions.Fraction` (exact
rationals) and rounds to cents with `decimal` ROUND_HALF_UP, so it checks the engine rather
than repeating it.

How it computes (the conventions of these vectors):
- Monthly installments; due dates keep the anchor's day of month (every case uses day 1, so no
  month-end clamping is involved). The interest of every period is balance x annual rate / 12
  (30/360 nominal: every regular monthly period is 1/12 of a year), rounded half-up to the
  cent, exactly (Fraction), once per row.
- Level payment from balance B over n periods at periodic rate r: B r / (1 - (1 + r)^-n),
  computed exactly as a Fraction and rounded half-up to the cent once (B / n at r = 0).
- A row: interest as above; principal = payment - interest; the row that ends the loan (the
  last of the term, or one whose payment reaches the balance plus interest) pays the whole
  balance plus its interest, so the balance ends at exactly 0.
- Entry from the current state (balance, rate, payment, next due): the loan starts one month
  before the next due date from the stated balance and keeps the payment until the balance
  is repaid (same payment, the term moves; the last payment adjusted). History: unknown.
- Entry from the original terms plus a stated balance on a date D: the original schedule's
  rows due on or before D are the history (count, sum of interest, sum of principal, the
  schedule's balance after them, stated - scheduled = difference); from the next row on the
  loan continues from the stated balance with the payment the original schedule asks next.
- Renewal at a date E: the first installment k whose period starts on or after E (its
  previous due date, or the start, is >= E) begins the new segment: the new rate applies
  from that period; the payment is recast as the level payment of the balance before k over
  the remaining amortization (the renewal's amortization_installments, else the current
  amortization's end - k + 1); the segment lasts term_installments (else to the end of the
  amortization) and its last row pays the balance.

Run: python3 scripts/vectors/events.py            (writes the JSON)
     python3 scripts/vectors/events.py --check    (exit 1 if the committed JSON differs)
"""

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "loansyncro-core/tests/data/events/events.json"


def cents(x: Fraction) -> Fraction:
    """Rounds a non-negative exact rational half-up to the cent."""
    assert x >= 0
    scaled = x * 100
    floor = scaled.numerator // scaled.denominator
    if scaled - floor >= Fraction(1, 2):
        floor += 1
    return Fraction(floor, 100)


def money(x: Fraction) -> str:
    """A whole number of cents as a decimal string with two places."""
    c = x * 100
    assert c.denominator == 1, x
    return str((Decimal(c.numerator) / 100).quantize(Decimal("0.01")))


def add_months(y: int, m: int, k: int) -> tuple:
    t = y * 12 + (m - 1) + k
    return (t // 12, t % 12 + 1)


def due(start: str, k: int) -> str:
    """The date k months after `start` (YYYY-MM-01 in every case)."""
    y, m, d = (int(p) for p in start.split("-"))
    assert d == 1
    y2, m2 = add_months(y, m, k)
    return f"{y2:04d}-{m2:02d}-01"


def level(balance: Fraction, r: Fraction, n: int) -> Fraction:
    if r == 0:
        return cents(balance / n)
    return cents(balance * r / (1 - (1 + r) ** -n))


def pct(p: str) -> Fraction:
    return Fraction(Decimal(p)) / 100


def walk(principal, rate_pct, installments, start, renewals=(), payment=None, amortization=None):
    """Rows of a monthly schedule with renewals. payment=None: equal installments (level
    payment over the amortization, `amortization` installments or else `installments`: a term
    shorter than the amortization ends with the balance due); else a fixed payment kept until
    the balance is repaid (then `installments` is only a bound)."""
    r = pct(rate_pct) / 12
    balance = Fraction(Decimal(principal))
    amort_end = amortization or installments
    seg_end = installments
    fixed = payment is not None
    pay = Fraction(Decimal(payment)) if fixed else level(balance, r, amort_end)
    rows, adjustments, seg_starts = [], [], [(1, rate_pct)]
    pending = sorted(renewals, key=lambda x: x["effective"])
    k = 1
    runs_on = False  # the last row of a term, followed by a renewal that continues the loan
    while k <= seg_end or runs_on:
        period_start = start if k == 1 else due(start, k - 1)
        applied = False
        recast = False
        while pending and pending[0]["effective"] <= period_start:
            ren = pending.pop(0)
            applied = True
            if ren.get("rate_percent") is not None:
                r = pct(ren["rate_percent"]) / 12
                rate_pct = ren["rate_percent"]
            if ren.get("amortization_installments") is not None:
                amort_end = k - 1 + ren["amortization_installments"]
                recast = True
            seg_end = k - 1 + ren["term_installments"] if ren.get("term_installments") else amort_end
            if not fixed:
                recast = True
        if applied:
            seg_starts.append((k, rate_pct))
        if recast:
            pay = level(balance, r, amort_end - k + 1)
            adjustments.append({"payment_number": k, "balance_before": money(balance),
                                "remaining_installments": seg_end - k + 1, "payment": money(pay)})
        interest = cents(balance * r)
        nxt = pending[0]["effective"] if pending else None
        extends = nxt is not None and nxt <= due(start, k) and (
            pending[0].get("amortization_installments") is not None or amort_end > k)
        last = (k == seg_end and not extends) or pay - interest >= balance
        principal_part = balance if last else pay - interest
        balance -= principal_part
        rows.append([k, due(start, k), money(principal_part + interest), money(interest),
                     money(principal_part), money(balance)])
        if balance == 0:
            break
        runs_on = k == seg_end and extends
        k += 1
    assert balance == 0
    return rows, adjustments, seg_starts


def segments(rows, seg_starts, principal):
    out = []
    for i, (k0, rate_pct) in enumerate(seg_starts):
        k1 = seg_starts[i + 1][0] - 1 if i + 1 < len(seg_starts) else rows[-1][0]
        part = rows[k0 - 1:k1]
        before = Decimal(principal) if k0 == 1 else Decimal(rows[k0 - 2][5])
        out.append({
            "index": i, "first_installment": k0, "last_installment": k1,
            "rate_percent": rate_pct, "payment": part[0][2],
            "balance_before": str(before.quantize(Decimal("0.01"))),
            "interest": str(sum(Decimal(p[3]) for p in part)),
            "principal": str(sum(Decimal(p[4]) for p in part)),
            "balance_after": part[-1][5],
        })
    return out


def renewal_case(name, principal, rate_pct, installments, start, renewals, amortization=None):
    rows, adjustments, starts = walk(principal, rate_pct, installments, start, renewals,
                                     amortization=amortization)
    wire = []
    for ren in renewals:
        w = {"effective": ren["effective"]}
        if ren.get("rate_percent") is not None:
            w["annual_rate"] = str(Decimal(ren["rate_percent"]) / 100)
        for f in ("amortization_installments", "term_installments"):
            if ren.get(f) is not None:
                w[f] = ren[f]
        wire.append(w)
    terms = {"principal": principal, "annual_rate_percent": rate_pct,
             "installments": installments, "start": start, "renewals": wire}
    if amortization:
        terms["amortization_installments"] = amortization
    return {
        "name": name, "kind": "renewal",
        "terms": terms,
        "expected": {"rows": rows, "adjustments": adjustments,
                     "segments": segments(rows, starts, principal)},
    }


def current_case(name, balance, rate_pct, payment, next_due):
    y, m, _ = (int(p) for p in next_due.split("-"))
    y0, m0 = add_months(y, m, -1)
    start = f"{y0:04d}-{m0:02d}-01"
    rows, _, _ = walk(balance, rate_pct, 1200, start, payment=payment)
    return {
        "name": name, "kind": "current",
        "input": {"balance": balance, "annual_rate_percent": rate_pct, "payment": payment,
                  "next_due": next_due},
        "expected": {"start": start, "history": None, "rows": rows},
    }


def mid_term_case(name, principal, rate_pct, installments, start, date, stated):
    original, _, _ = walk(principal, rate_pct, installments, start)
    before = [r for r in original if r[1] <= date]
    paid = len(before)
    nxt = original[paid]
    payment = before[-1][2] if (nxt is original[-1] and before) else nxt[2]
    scheduled = Decimal(before[-1][5]) if before else Decimal(principal)
    cont_start = before[-1][1] if before else start
    rows, _, _ = walk(stated, rate_pct, 1200, cont_start, payment=payment)
    return {
        "name": name, "kind": "mid_term",
        "terms": {"principal": principal, "annual_rate_percent": rate_pct,
                  "installments": installments, "start": start},
        "input": {"date": date, "balance": stated},
        "expected": {
            "start": cont_start,
            "history": {
                "installments": paid,
                "interest_paid": str(sum((Decimal(r[3]) for r in before), Decimal("0.00"))),
                "principal_paid": str(sum((Decimal(r[4]) for r in before), Decimal("0.00"))),
                "scheduled_balance": str(scheduled.quantize(Decimal("0.01"))),
                "difference": str((Decimal(stated) - scheduled).quantize(Decimal("0.01"))),
                "payment": payment,
            },
            "rows": rows,
        },
    }


def cases():
    return [
        current_case("current: mortgage, 5.25%, 1325.00 a month", "182450.17", "5.25",
                     "1325.00", "2026-03-01"),
        current_case("current: car loan, 7.9%, 412.50 a month", "9876.54", "7.9", "412.50",
                     "2025-11-01"),
        current_case("current: zero rate", "1000.00", "0", "300.00", "2025-06-01"),
        mid_term_case("mid-term: lender's balance above the schedule", "250000", "6.5", 360,
                      "2021-01-01", "2025-01-15", "238000.00"),
        mid_term_case("mid-term: lender's balance below the schedule (prepaid)", "30000",
                      "4.9", 60, "2023-03-01", "2024-09-01", "18500.00"),
        mid_term_case("mid-term: before the first installment", "12000", "9", 24,
                      "2025-01-01", "2025-01-20", "12000.00"),
        renewal_case("canada: 25-year amortization, renewed after 5 years at 6% for 5 years",
                     "400000", "4.5", 300, "2020-01-01",
                     [{"effective": "2025-01-01", "rate_percent": "6", "term_installments": 60}]),
        renewal_case("canada: two renewals, projected to the end of the amortization",
                     "350000", "2.79", 300, "2019-06-01",
                     [{"effective": "2024-06-01", "rate_percent": "5.89"},
                      {"effective": "2029-06-01", "rate_percent": "4.25"}]),
        renewal_case("canada: renewed at the end of each 5-year term (the balance rolls over)",
                     "500000", "3.99", 60, "2021-03-01",
                     [{"effective": "2026-03-01", "rate_percent": "5.19", "term_installments": 60},
                      {"effective": "2031-03-01", "rate_percent": "4.49",
                       "term_installments": 60}], amortization=300),
        renewal_case("us: refinance after 3 years to a new 30-year term at 5.5%", "320000",
                     "7.125", 360, "2023-05-01",
                     [{"effective": "2026-05-01", "rate_percent": "5.5",
                       "amortization_installments": 360}]),
        renewal_case("renewal mid-period: effective on the 15th, applies from the next period",
                     "50000", "8", 120, "2024-01-01",
                     [{"effective": "2026-01-15", "rate_percent": "6.5",
                       "amortization_installments": 84, "term_installments": 36}]),
    ]


def document():
    return {
        "generator": "scripts/vectors/events.py (exact fractions, half-up cents; see its header)",
        "rows": "[number, due_date, payment, interest, principal, balance]",
        "cases": cases(),
    }


def render() -> str:
    return json.dumps(document(), indent=1) + "\n"


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} differs from what scripts/vectors/events.py produces", file=sys.stderr)
            sys.exit(1)
        print("events.json is up to date")
    else:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text)
        print(f"wrote {OUT}")
