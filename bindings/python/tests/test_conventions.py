"""Every case of loansyncro-core/tests/data/vectors/conventions.json through the Python API."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import pytest

import loansyncro
from conftest import load

CASES: List[Dict[str, Any]] = load("conventions.json")["cases"]
SCHEDULE_CONVENTIONS = {
    "payment_tie",
    "carry_precision",
    "carry_precision_fixed_payment",
    "actual_360_amortizing_30_360",
    "arm_periodic_recast",
}
APR_CONVENTIONS = {"apr_year_unit_odd_days", "apr_semimonth_week_odd_days"}
START = date(2024, 1, 1)


def plus_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def terms_from(t: Dict[str, Any], convention: str) -> loansyncro.LoanTerms:
    """The vector's terms; the README's names mapped to the binding's keywords."""
    kwargs: Dict[str, Any] = dict(
        currency=t["currency"],
        principal=Decimal(t["principal"]),
        annual_rate_percent=Decimal(t["annual_rate_percent"]),
        frequency=t["frequency"],
        day_count=t["day_count"],
        rounding=t["rounding"],
        start=date.fromisoformat(t["start"]) if t.get("start") else START,
    )
    if "installments" in t:
        kwargs["installments"] = t["installments"]
    if t.get("first_due"):
        kwargs["first_due"] = date.fromisoformat(t["first_due"])
    if t.get("balance_tracking") == "carry_precision":
        kwargs["balance_precision"] = "spreadsheet"
    if "payment" in t:
        kwargs["installment_amount"] = Decimal(t["payment"])
    if convention == "actual_360_amortizing_30_360":
        kwargs["installments"] = t["term_months"]
        kwargs["amortization_installments"] = t["amortization_months"]
        kwargs["payment_day_count"] = "30/360"
    if convention == "arm_periodic_recast":
        kwargs["adjustment_payment_numbers"] = t["adjustment_payment_numbers"]
        kwargs["rate_changes"] = [
            (plus_months(START, c["payment_number"] - 1), Decimal(c["annual_rate_percent"]))
            for c in t["rate_changes"]
        ]
        if "payment_cap_percent" in t:
            kwargs["payment_cap_percent"] = Decimal(t["payment_cap_percent"])
    return loansyncro.LoanTerms(**kwargs)


def test_every_case_is_covered() -> None:
    assert len(CASES) == 35
    assert {c["convention"] for c in CASES} == SCHEDULE_CONVENTIONS | APR_CONVENTIONS


SCHEDULES = [c for c in CASES if c["convention"] in SCHEDULE_CONVENTIONS]


@pytest.mark.parametrize("case", SCHEDULES, ids=[c["id"] for c in SCHEDULES])
def test_schedule_conventions(case: Dict[str, Any]) -> None:
    s = terms_from(case["terms"], case["convention"]).schedule()
    e = case["expected"]
    first = e.get("payment", e.get("initial_payment"))
    assert s.regular_payment == Decimal(first), case["id"]
    if e.get("rows_complete"):
        assert len(s) == len(e["rows"])
    if "installments" in e:
        assert len(s) == e["installments"]
    for row in e["rows"]:
        got = s[row["n"] - 1]
        assert got.number == row["n"]
        for field in ("payment", "interest", "principal", "balance"):
            assert getattr(got, field) == Decimal(row[field]), (case["id"], row["n"], field)
        if "date" in row:
            assert got.due_date == date.fromisoformat(row["date"])
    for field, value in (
        ("total_interest", s.totals.interest),
        ("total_paid", s.totals.paid),
        ("final_payment", s[-1].payment),
        ("principal_column_sum", s.totals.principal),
    ):
        if field in e:
            assert value == Decimal(e[field]), (case["id"], field)
    if "balloon_balance" in e:
        assert s[-1].payment - s.regular_payment == Decimal(e["balloon_balance"])
    for adj in e.get("adjustments", []):
        k = adj["payment_number"]
        assert s[k - 2].balance == Decimal(adj["balance_before"]), (case["id"], k)
        assert s[k - 1].payment == Decimal(adj["payment"]), (case["id"], k)
    if "negative_amortization_rows" in e:
        assert sum(1 for r in s if r.negative_amortization) == e["negative_amortization_rows"]
        assert sum(-r.principal for r in s if r.principal < 0) == Decimal(e["total_capitalized_interest"])


APRS = [c for c in CASES if c["convention"] in APR_CONVENTIONS]


def flows(items: List[Dict[str, str]]) -> List[Tuple[date, Decimal]]:
    return [(date.fromisoformat(f["date"]), Decimal(f["amount"])) for f in items]


@pytest.mark.parametrize("case", APRS, ids=[c["id"] for c in APRS])
def test_apr_unit_period_fractions(case: Dict[str, Any]) -> None:
    t, e = case["terms"], case["expected"]
    got = loansyncro.apr(flows(t["advances"]), flows(t["payments"]), t["unit_period"]) * 100
    assert got.quantize(Decimal("0.0001")) == Decimal(e["apr_percent"]), (case["id"], got)
    assert abs(got - Decimal(e["apr_percent_6dp"])) <= Decimal("0.0000005"), (case["id"], got)
