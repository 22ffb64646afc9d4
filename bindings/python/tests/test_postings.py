"""Postings for accounting (issue 20 §2): a loan's repayments as balanced double-entry
transactions, as beancount / hledger / CSV text and as dicts, with exact values; the generated
beancount file passes ``bean-check`` when beancount is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any, List

import pytest

import loansyncro
from loansyncro import ValidationError

# 1000 at 12%, 12 monthly installments of 88.85 from 2025-01-01 (30/360: 1% a month).
TERMS = loansyncro.LoanTerms(principal=D("1000"), annual_rate_percent="12", installments=12, start=date(2025, 1, 1))
PAID: List[Any] = [
    {"date": date(2025, 2, 1), "amount": D("88.85"), "escrow": D("25.50")},
    {"date": "2025-03-01", "amount": "88.85", "fees": "5", "memo": "March"},
]

BEANCOUNT = """\
option "operating_currency" "USD"

2025-01-01 open Liabilities:Loans:Car USD
2025-01-01 open Assets:Checking USD
2025-01-01 open Expenses:Interest:Car USD
2025-01-01 open Assets:Escrow:Car USD
2025-01-01 open Expenses:Fees:Car USD

2025-01-01 * "Car" "Loan disbursement"
  Assets:Checking           1000.00 USD
  Liabilities:Loans:Car    -1000.00 USD

2025-02-01 * "Car" "Repayment"
  Liabilities:Loans:Car       78.85 USD
  Expenses:Interest:Car       10.00 USD
  Assets:Escrow:Car           25.50 USD
  Assets:Checking           -114.35 USD

2025-03-01 * "Car" "Repayment: March"
  Liabilities:Loans:Car       79.64 USD
  Expenses:Interest:Car        9.21 USD
  Expenses:Fees:Car            5.00 USD
  Assets:Checking            -93.85 USD

2025-03-02 balance Liabilities:Loans:Car -841.51 ~ 0.00 USD
"""


def test_beancount_text_is_exact() -> None:
    assert loansyncro.postings(TERMS, PAID, name="Car") == BEANCOUNT


def test_records_split_principal_and_interest_exactly() -> None:
    txns = loansyncro.postings_records(TERMS, PAID, name="Car", accounts={"cash": "Assets:Bank"})
    assert [t["kind"] for t in txns] == ["disbursement", "repayment", "repayment"]
    second = txns[2]
    assert second["date"] == date(2025, 3, 1)
    assert second["narration"] == "Repayment: March"
    assert [(p["account"], p["amount"]) for p in second["postings"]] == [
        ("Liabilities:Loans:Car", D("79.64")),
        ("Expenses:Interest:Car", D("9.21")),
        ("Expenses:Fees:Car", D("5.00")),
        ("Assets:Bank", D("-93.85")),
    ]
    for t in txns:
        assert sum(p["amount"] for p in t["postings"]) == 0
    liability = sum(p["amount"] for t in txns for p in t["postings"] if p["account"] == "Liabilities:Loans:Car")
    position = loansyncro.position(TERMS, [(p["date"], p["amount"]) for p in PAID], date(2025, 3, 1))
    assert liability == -position.principal_outstanding == D("-841.51")


def test_ledger_and_csv() -> None:
    text = loansyncro.postings(TERMS, PAID[:1], format="hledger", name="Car")
    assert "2025-02-01 * Car | Repayment\n    Liabilities:Loans:Car       78.85 USD\n" in text
    assert text.endswith("    Liabilities:Loans:Car        0.00 USD = -921.15 USD\n")
    csv = loansyncro.postings(TERMS, [], format="csv", scope="planned", name="Car").splitlines()
    assert len(csv) == 1 + 2 + 12 * 3
    assert csv[3] == "2025-02-01,2,pending,Liabilities:Loans:Car,78.85,USD,Car,Installment 1"


def test_repayment_records_of_a_portfolio_are_accepted() -> None:
    pf = loansyncro.Portfolio(today=date(2025, 6, 1))
    loan = pf.add_loan("Car", TERMS)
    pf.record_repayment(loan.id, D("88.85"), date(2025, 2, 1), notes="first")
    txns = loansyncro.postings_records(TERMS, pf.repayments(loan.id), name="Car")
    assert txns[1]["narration"] == "Repayment: first"
    assert txns[1]["postings"][0]["amount"] == D("78.85")


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"format": "qif"}, "format"),
        ({"scope": "later"}, "scope"),
        ({"accounts": {"cash": "Assets:bank"}}, "accounts.cash"),
        ({"accounts": {"wallet": "Assets:Bank"}}, "accounts.wallet"),
        ({"as_of": date(2024, 12, 31)}, "as_of"),
    ],
)
def test_bad_options_name_their_field(kwargs: Any, field: str) -> None:
    with pytest.raises(ValidationError) as e:
        loansyncro.postings(TERMS, PAID, **kwargs)
    assert e.value.field == field


def test_bad_repayments_name_their_field() -> None:
    with pytest.raises(ValidationError) as e:
        loansyncro.postings(TERMS, [{"date": date(2025, 2, 1), "amount": "10", "fees": "-1"}])
    assert e.value.field == "repayments[0].fees"
    with pytest.raises(ValidationError) as e:
        loansyncro.postings(TERMS, [{"date": date(2025, 2, 1)}])
    assert e.value.field == "repayments[0].amount"


def test_bean_check_accepts_the_file(tmp_path: Path) -> None:
    beside = Path(sys.executable).parent / "bean-check"  # the test venv's (20-python.sh installs it)
    bean_check = str(beside) if beside.exists() else shutil.which("bean-check")
    if bean_check is None:
        pytest.skip("beancount is not installed (scripts/suites/25-books.sh runs bean-check)")
    path = tmp_path / "car.beancount"
    path.write_text(loansyncro.postings(TERMS, PAID, name="Car", scope="projected"))
    run = subprocess.run([bean_check, str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
