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
