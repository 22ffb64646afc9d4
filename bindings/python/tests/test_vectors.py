"""Every public vector in loansyncro-core/tests/data/vectors through the Python API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable, Dict, List, Tuple

import pytest

import loansyncro
import loansyncro.finance as lf
from conftest import load

FUNCTIONS: Dict[str, Callable[..., Any]] = {
    "pmt": lf.pmt,
    "ipmt": lf.ipmt,
    "ppmt": lf.ppmt,
    "nper": lf.nper,
    "rate": lf.rate,
    "pv": lf.pv,
    "fv": lf.fv,
    "cumipmt": lf.cumipmt,
    "cumprinc": lf.cumprinc,
}


def check(case: Dict[str, Any], got: Decimal) -> None:
    expected = Decimal(case["expected"])
    if "tolerance_abs" in case:
        assert abs(got - expected) <= Decimal(case["tolerance_abs"]), (case["id"], got, expected)
    else:
        tol = Decimal(case.get("tolerance_rel", "1e-9"))
        assert abs(got - expected) <= tol * max(abs(expected), Decimal("1e-30")), (case["id"], got, expected)


def call(case: Dict[str, Any], convert: Callable[[Any], Any]) -> Any:
    args = {k: (v if k == "when" else convert(v)) for k, v in case["args"].items()}
    return FUNCTIONS[case["fn"]](**args)


FINANCE = load("finance.json")["cases"]


@pytest.mark.parametrize("case", FINANCE, ids=[c["id"] for c in FINANCE])
def test_finance_documented_decimal(case: Dict[str, Any]) -> None:
    convert: Callable[[Any], Any] = lambda v: v if isinstance(v, int) else Decimal(v)
    if "expected_error" in case:
        with pytest.raises(loansyncro.LoanSyncroError) as info:
            call(case, convert)
        assert info.value.code == case["expected_error"]
        return
    got = call(case, convert)
    assert isinstance(got, Decimal)
    check(case, got)


GENERATED = load("finance-generated.json")["cases"]


def test_finance_generated_with_floats() -> None:
    """The inputs of this file are binary floats (given as their shortest repr): pass floats."""
    failures: List[Tuple[str, Any, str]] = []
    for case in GENERATED:
        convert: Callable[[Any], Any] = lambda v: v if isinstance(v, int) else float(v)
        got = call(case, convert)
        assert isinstance(got, float), case["id"]
        expected = Decimal(case["expected"])
        # Floats are read through their shortest repr (0.049999999999999996 exactly), while the
        # reference evaluated the binary expansion (0.04999999999999999583...): on long, large
        # cases that input difference alone moves the result by a few 1e-9 relative.
        tol = max(Decimal(case["tolerance_abs"]), abs(expected) * Decimal("1e-8"))
        if abs(Decimal(repr(got)) - expected) > tol:
            failures.append((case["id"], got, case["expected"]))
    assert not failures, failures[:10]
    assert len(GENERATED) == 2000


def test_finance_generated_binary_expansion_is_exact() -> None:
    """``Decimal(float)`` (the exact binary expansion) reproduces the reference to its tolerance."""
    failures: List[Tuple[str, Any, str]] = []
    for case in GENERATED:
        convert: Callable[[Any], Any] = lambda v: v if isinstance(v, int) else Decimal(float(v))
        got = call(case, convert)
        assert isinstance(got, Decimal)
        if abs(got - Decimal(case["expected"])) > Decimal(case["tolerance_abs"]):
            failures.append((case["id"], got, case["expected"]))
    assert not failures, failures[:10]


def test_finance_generated_with_decimals() -> None:
    for case in GENERATED[::7]:
        convert: Callable[[Any], Any] = lambda v: v if isinstance(v, int) else Decimal(v)
        got = call(case, convert)
        assert isinstance(got, Decimal)
        assert abs(got - Decimal(case["expected"])) <= Decimal(case["tolerance_abs"]), case["id"]


def terms_from(t: Dict[str, Any]) -> loansyncro.LoanTerms:
    rounding = "half_even" if t.get("rounding", "half_up").startswith("half_even") else "half_up"
    kwargs: Dict[str, Any] = dict(
        currency=t.get("currency", "USD"),
        principal=Decimal(t["principal"]),
        annual_rate_percent=Decimal(t["annual_rate_percent"]),
        installments=t["installments"],
        frequency=t["frequency"],
        day_count=t["day_count"],
        rounding=rounding,
        start=date.fromisoformat(t["start"]) if t.get("start") else date(2024, 1, 1),
    )
    if t.get("first_due"):
        kwargs["first_due"] = date.fromisoformat(t["first_due"])
    if t.get("accrual"):
        kwargs["accrual"] = t["accrual"]
    if t.get("method"):
        kwargs["method"] = t["method"]
    return loansyncro.LoanTerms(**kwargs)


SCHEDULES = load("schedules.json")["cases"] + load("schedules-generated.json")["cases"]


@pytest.mark.parametrize("case", SCHEDULES, ids=[c["id"] for c in SCHEDULES])
def test_schedules_to_the_cent(case: Dict[str, Any]) -> None:
    schedule = terms_from(case["terms"]).schedule()
    e = case["expected"]
    assert schedule.regular_payment == Decimal(e["payment"])
    assert len(schedule) == len(e["rows"])
    for row, got in zip(e["rows"], schedule):
        assert got.number == row["n"]
        for field in ("payment", "interest", "principal", "balance"):
            assert getattr(got, field) == Decimal(row[field]), (case["id"], row["n"], field)
    # The same figures through the columns (integer minor units + scale).
    cols = schedule.columns()
    unit = Decimal(10) ** -schedule.scale
    assert [Decimal(c) * unit for c in cols["balance"]] == [Decimal(r["balance"]) for r in e["rows"]]
    for field, value in (
        ("total_interest", schedule.totals.interest),
        ("total_paid", schedule.totals.paid),
        ("final_payment", schedule[-1].payment),
    ):
        if field in e:
            assert value == Decimal(e[field]), (case["id"], field)
    assert schedule[-1].balance == 0
    assert schedule.totals.principal == Decimal(case["terms"]["principal"])


def test_schedule_vector_counts() -> None:
    assert len(load("schedules.json")["cases"]) == 5
    assert len(load("schedules-generated.json")["cases"]) == 14


APR = load("apr.json")["cases"]


def flows(items: List[Dict[str, str]]) -> List[Tuple[date, Decimal]]:
    return [(date.fromisoformat(f["date"]), Decimal(f["amount"])) for f in items]


@pytest.mark.parametrize("case", APR, ids=[c["id"] for c in APR])
def test_apr_appendix_j(case: Dict[str, Any]) -> None:
    unit = case["unit_period"]
    if unit.startswith("day (single advance, single payment)"):
        unit = "term"
    got = loansyncro.apr(flows(case["advances"]), flows(case["payments"]), unit)
    assert (got * 100).quantize(Decimal("0.01")) == Decimal(case["expected_apr_percent"])


LEDGER = load("ledger.json")["cases"]


@pytest.mark.parametrize("case", LEDGER, ids=[c["id"] for c in LEDGER])
def test_ledger_fineract(case: Dict[str, Any]) -> None:
    terms = terms_from(case["terms"])
    assert terms.schedule().regular_payment == Decimal(case["schedule_payment"])
    paid = [loansyncro.Repayment(date.fromisoformat(r["date"]), Decimal(r["amount"])) for r in case["repayments"]]
    if "payoff_on" in case:
        on = date.fromisoformat(case["payoff_on"])
        rule = case.get("payoff_rule", "till_pre_close")
        q = loansyncro.payoff_quote(terms, paid, on, rule)
        assert q["principal"] == Decimal(case["expected_principal"])
        assert q["interest"] == Decimal(case["expected_interest"])
        assert q["total"] == Decimal(case["expected_payoff"])
        if rule == "till_pre_close":
            pos = loansyncro.position(terms, paid, on)
            assert pos.payoff_amount == Decimal(case["expected_payoff"])
            assert pos.interest_accrued == Decimal(case["expected_interest"])
            assert pos.principal_outstanding == Decimal(case["expected_principal"])
    if "payable_on" in case:
        p = loansyncro.payable(
            terms, paid, date.fromisoformat(case["payable_on"]), date.fromisoformat(case["for_due"])
        )
        assert p["outstanding"] == Decimal(case["expected_outstanding"])
        assert p["principal_due"] == Decimal(case["expected_principal_due"])
        assert p["interest_due"] == Decimal(case["expected_interest_due"])
