"""Balance corrections and the biweekly comparison against the independent vectors of
``scripts/vectors/adjust.py`` (loansyncro-core/tests/data/adjust), to the cent, plus errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, Dict

import pytest

import loansyncro
from conftest import ROOT

ADJUST = ROOT / "loansyncro-core" / "tests" / "data" / "adjust"


def cases(name: str) -> Any:
    doc = json.loads((ADJUST / f"{name}.json").read_text(encoding="utf-8"))
    assert "scripts/vectors/adjust.py" in doc["provenance"]
    return doc["cases"]


def terms(t: Dict[str, Any]) -> loansyncro.LoanTerms:
    return loansyncro.LoanTerms(
        principal=Decimal(t["principal"]),
        annual_rate_percent=Decimal(t["annual_rate_percent"]),
        installments=t["installments"],
        start=date.fromisoformat(t["start"]),
    )


@pytest.mark.parametrize("case", cases("corrections"), ids=lambda c: c["name"])
def test_corrections_match_the_vectors(case: Dict[str, Any]) -> None:
    t = terms(case["terms"])
    paid = [(date.fromisoformat(p["date"]), Decimal(p["amount"])) for p in case["payments"]]
    c = case["correction"]
    statement = (date.fromisoformat(c["date"]), Decimal(c["stated_balance"]))
    e = case["expected"]
    on_date = loansyncro.corrected_position(t, paid, [statement], statement[0])
    assert on_date["adjustments"] == [
        {"date": statement[0], "stated_balance": statement[1], "adjustment": Decimal(e["adjustment"])}
    ]
    assert on_date["position"].principal_outstanding == Decimal(e["at_correction"]["principal_outstanding"])
    later = loansyncro.corrected_position(t, paid, [statement], date.fromisoformat(e["as_of"]))
    p = later["position"]
    got = {
        "principal_outstanding": p.principal_outstanding,
        "paid_interest": p.paid_interest,
        "paid_principal": p.paid_principal,
        "paid_total": p.paid_total,
        "adjustments": later["adjustments_total"],
    }
    assert got == {k: Decimal(v) for k, v in e["position"].items()}


@pytest.mark.parametrize("case", cases("biweekly"), ids=lambda c: c["name"])
def test_biweekly_matches_the_vectors(case: Dict[str, Any]) -> None:
    got = loansyncro.compare_biweekly(terms(case["terms"]))
    e = case["expected"]

    def plan(p: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "frequency": p["frequency"],
            "payment": Decimal(p["payment"]),
            "installments": p["installments"],
            "total_paid": Decimal(p["total_paid"]),
            "total_interest": Decimal(p["total_interest"]),
            "payoff_date": date.fromisoformat(p["payoff_date"]),
        }

    assert got["day_count"] == e["day_count"]
    assert got["monthly"] == plan(e["monthly"])
    for key in ("biweekly", "accelerated"):
        assert got[key] == {
            "plan": plan(e[key]["plan"]),
            "interest_saved": Decimal(e[key]["interest_saved"]),
            "days_saved": e[key]["days_saved"],
        }


def test_statements_book_in_date_order_and_errors_name_the_field() -> None:
    t = loansyncro.LoanTerms(principal=Decimal("1200"), installments=12, start=date(2025, 1, 1))
    paid = [(date(2025, 2, 1), Decimal("100"))]
    # Given out of order: March's statement is booked against February's.
    r = loansyncro.corrected_position(
        t, paid, [{"date": date(2025, 3, 5), "stated_balance": "1000"}, (date(2025, 2, 10), "1050")], date(2025, 3, 5)
    )
    assert [(a["date"], a["adjustment"]) for a in r["adjustments"]] == [
        (date(2025, 2, 10), Decimal("-50.00")),
        (date(2025, 3, 5), Decimal("-50.00")),
    ]
    assert r["position"].principal_outstanding == Decimal("1000.00")
    assert r["position"].paid_total == Decimal("100.00")
    assert r["adjustments_total"] == Decimal("-100.00")
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.corrected_position(t, paid, [(date(2025, 3, 5), "-1")], date(2025, 3, 5))
    assert e.value.field == "statements[0].stated_balance"
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.corrected_position(t, paid, [(date(2024, 12, 1), "10")], date(2025, 3, 5))
    assert e.value.field == "statements[0].date"
    with pytest.raises(TypeError):
        loansyncro.corrected_position(t, paid, [(date(2025, 3, 5), 1000.0)], date(2025, 3, 5))
    weekly = loansyncro.LoanTerms(principal=Decimal("1200"), installments=12, start=date(2025, 1, 1), frequency="weekly")
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.compare_biweekly(weekly)
    assert e.value.field == "frequency"
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.compare_biweekly(t, day_count="lunar")
    assert e.value.field == "day_count"
    assert loansyncro.compare_biweekly(t, day_count="30/360")["day_count"] == "30/360"


def test_a_portfolio_books_lists_retries_and_undoes_corrections() -> None:
    p = loansyncro.Portfolio(today=date(2025, 6, 15))
    terms = loansyncro.LoanTerms(principal=Decimal("1000"), annual_rate_percent=12, installments=12, start=date(2025, 1, 1))
    loan = p.add_loan("Car", terms)
    for on in (date(2025, 2, 1), date(2025, 3, 1)):
        p.record_repayment(loan.id, Decimal("88.85"), on)
    booked = p.book_correction(loan.id, date(2025, 3, 20), Decimal("850.00"), "lender statement 2025-03", idempotency_key="stmt-03")
    c = booked["correction"]
    assert (c["adjustment"], c["stated_balance"], c["reason"]) == (Decimal("8.49"), Decimal("850.00"), "lender statement 2025-03")
    assert booked["position"].principal_outstanding == Decimal("850.00")
    assert booked["position"].paid_total == Decimal("177.70")
    assert booked["adjustments_total"] == Decimal("8.49") and booked["replayed"] is False
    again = p.book_correction(loan.id, date(2025, 3, 20), Decimal("850.00"), "lender statement 2025-03", idempotency_key="stmt-03")
    assert again["replayed"] is True and again["correction"]["id"] == c["id"]
    for on in (date(2025, 4, 1), date(2025, 5, 1)):
        p.record_repayment(loan.id, Decimal("88.85"), on)
    ledger = p.corrections(loan.id, as_of=date(2025, 5, 1))
    assert len(ledger["corrections"]) == 1
    assert ledger["position"].principal_outstanding == Decimal("688.42")  # the vectors' figure
    assert p.position(loan.id, as_of=date(2025, 5, 1)).principal_outstanding == Decimal("679.84")
    with pytest.raises(loansyncro.ValidationError) as e:
        p.book_correction(loan.id, date(2024, 12, 31), Decimal("1"), "s")
    assert e.value.field == "date"
    with pytest.raises(loansyncro.ValidationError) as e:
        p.book_correction(loan.id, date(2025, 3, 20), Decimal("1"), " ")
    assert e.value.field == "reason"
    undone = p.delete_correction(loan.id, c["id"])
    assert undone["corrections"] == [] and undone["adjustments_total"] == Decimal("0.00")
    with pytest.raises(loansyncro.NotFound):
        p.delete_correction(loan.id, c["id"])


def test_corrected_postings_book_the_adjustment_as_its_own_transaction() -> None:
    t = loansyncro.LoanTerms(principal=Decimal("1000"), annual_rate_percent=12, installments=12, start=date(2025, 1, 1))
    paid = [(date(2025, m, 1), Decimal("88.85")) for m in (2, 3, 4, 5)]
    text = loansyncro.corrected_postings(t, paid, [(date(2025, 3, 20), Decimal("850.00"))], as_of=date(2025, 5, 1), name="Car")
    assert '2025-03-20 * "Car" "Balance adjustment"' in text
    assert "Equity:Adjustments:Car        8.49 USD" in text
    assert "balance Liabilities:Loans:Car -688.42 " in text
    csv = loansyncro.corrected_postings(t, paid, [], format="csv", as_of=date(2025, 5, 1), name="Car")
    assert csv == loansyncro.postings(t, paid, format="csv", as_of=date(2025, 5, 1), name="Car")
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.corrected_postings(t, paid, [], adjustments_account="nowhere")
    assert e.value.field == "adjustments_account"
