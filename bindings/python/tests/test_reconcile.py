"""Statement reconciliation from Python: exact values, the importers on the core's fixtures,
errors naming the field, and the returned dicts against their TypedDicts in ``_native.pyi``."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Set

import pytest

import loansyncro
from loansyncro import LoanTerms, ValidationError, _native

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "loansyncro-core" / "tests" / "data" / "statements"


def known_terms() -> LoanTerms:
    """10,000 at 6% over 12 months from 2025-01-01, the engine's defaults (30/360, half-up)."""
    return LoanTerms(principal=Decimal("10000"), annual_rate_percent=6, installments=12, start=date(2025, 1, 1))


# The lender's lines: Actual/365F interest on the actual days of each month (the fixtures).
LINES = [
    {"date": date(2025, 2, 1), "amount": "860.55", "interest": "50.96", "principal": "809.59", "balance": "9190.41"},
    {"date": date(2025, 3, 1), "amount": "860.55", "interest": "42.30", "principal": "818.25", "balance": "8372.16"},
    {"date": "2025-04-01", "amount": Decimal("860.55"), "interest": "42.66", "principal": "817.89", "balance": "7554.27"},
    {"date": date(2025, 5, 1), "amount": "860.55", "interest": "37.25", "principal": "823.30", "balance": "6730.97"},
]


def test_the_lenders_convention_is_inferred_with_exact_lines() -> None:
    report = _native.reconcile(known_terms(), LINES)
    assert report["explained"] is True
    assert report["lines_matched"] == 4
    assert report["first_unexplained_line"] is None
    assert report["conventions_tried"] == 224
    assert report["convention"] == {
        "day_count": "actual/365F",
        "payment_day_count": None,
        "accrual": "scheduled",
        "compounding": "nominal",
        "rounding": "half_up",
        "balance_precision": "round_each_balance",
    }
    first = report["lines"][0]
    assert first["line"] == 1
    assert first["date"] == date(2025, 2, 1)
    assert first["interest"] == {"expected": Decimal("50.96"), "stated": Decimal("50.96"), "difference": Decimal("0.00")}
    assert report["summary"] == (
        "Your lender accrues Actual/365F interest per scheduled period, rounded half-up to the cent: "
        "this reproduces all 4 lines exactly."
    )


def test_a_cent_off_is_flagged_at_its_line() -> None:
    lines = [dict(line) for line in LINES]
    lines[2]["interest"] = "42.67"
    lines[2]["principal"] = "817.88"
    report = _native.reconcile(known_terms(), lines)
    assert report["explained"] is False
    assert report["first_unexplained_line"] == 3
    assert report["lines_matched"] == 3
    third = report["lines"][2]
    assert third["interest"]["difference"] == Decimal("0.01")
    assert third["principal"]["difference"] == Decimal("-0.01")
    assert third["balance"]["difference"] == Decimal("0.00")
    assert "line 3 differs by +0.01 in interest and -0.01 in principal" in report["summary"]
    assert "line 3 is the first that cannot be explained" in report["summary"]


def test_importers_read_the_fixtures() -> None:
    csv_lines = _native.statement_from_csv(
        (FIXTURES / "lender.csv").read_text(),
        date="Posting Date",
        amount="Payment",
        interest="Interest",
        principal="Principal",
        balance="Principal Balance",
        date_format="%m/%d/%Y",
    )
    ofx_lines = _native.statement_from_ofx((FIXTURES / "lender-sgml.ofx").read_text())
    qfx_lines = _native.statement_from_ofx((FIXTURES / "lender-xml.qfx").read_text())
    expected = [
        {
            "date": date.fromisoformat(str(line["date"])),
            "amount": Decimal(str(line["amount"])),
            "interest": Decimal(str(line["interest"])),
            "principal": Decimal(str(line["principal"])),
            "balance": Decimal(str(line["balance"])),
        }
        for line in LINES
    ]
    assert csv_lines == expected
    assert ofx_lines == expected
    assert qfx_lines == expected
    plaid = _native.statement_from_plaid(
        (FIXTURES / "plaid-transactions.json").read_text(),
        (FIXTURES / "plaid-liabilities.json").read_text(),
    )
    assert [(line["date"], line["amount"], line["balance"]) for line in plaid] == [
        (date(2025, 2, 1), Decimal("860.55"), None),
        (date(2025, 3, 1), Decimal("860.55"), None),
        (date(2025, 4, 1), Decimal("860.55"), None),
        (date(2025, 5, 1), Decimal("860.55"), None),
    ]
    report = _native.reconcile(known_terms(), plaid)
    assert report["explained"] is True
    # 30/360 (the given terms): 50.00 of January interest, the balance the lender's differs from.
    assert report["lines"][0]["balance"]["expected"] == Decimal("9189.45")


def test_errors_name_the_field() -> None:
    with pytest.raises(ValidationError) as e:
        _native.reconcile(known_terms(), [{"date": date(2024, 12, 1), "amount": "1.00"}])
    assert e.value.field == "lines[0].date"
    with pytest.raises(ValidationError) as e:
        _native.reconcile(known_terms(), [{"date": date(2025, 2, 1)}])
    assert e.value.field == "lines[0].amount"
    with pytest.raises(ValidationError) as e:
        _native.statement_from_csv("d,a,i\n2025-02-01,1,x\n", date="d", amount="a", interest="i")
    assert e.value.field == "csv line 2: i"
    with pytest.raises(ValidationError) as e:
        _native.statement_from_ofx("<OFX></OFX>")
    assert e.value.field == "ofx"
    with pytest.raises(ValidationError) as e:
        _native.statement_from_plaid("{")
    assert e.value.field == "plaid transactions"
    with pytest.raises(TypeError):
        _native.reconcile(known_terms(), [{"date": date(2025, 2, 1), "amount": 860.55}])


def _typed_dict_keys(name: str) -> Set[str]:
    stub = ast.parse((Path(loansyncro.__file__).parent / "_native.pyi").read_text(encoding="utf-8"))
    for node in stub.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    raise AssertionError(f"no TypedDict {name} in _native.pyi")


def test_returned_dicts_have_the_keys_of_their_typed_dicts() -> None:
    report = _native.reconcile(known_terms(), LINES)
    assert set(report) == _typed_dict_keys("Reconciliation")
    assert set(report["convention"]) == _typed_dict_keys("ConventionDict")
    assert set(report["lines"][0]) == _typed_dict_keys("LineCheck")
    assert set(report["lines"][0]["interest"]) == _typed_dict_keys("ReconciledAmounts")
    assert set(_native.statement_from_ofx((FIXTURES / "lender-sgml.ofx").read_text())[0]) == _typed_dict_keys(
        "StatementLineDict"
    )
