"""Timeline events from Python: loans entered mid-term and renewals (issue 20 §3).

Exact values from the independent vectors (``scripts/vectors/events.py`` writes
``loansyncro-core/tests/data/events/events.json``): every row of every case, to the cent.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest

import loansyncro
from loansyncro import LoanTerms, ValidationError
from test_stub_drift import _typed_dict_keys

VECTORS = Path(__file__).resolve().parents[3] / "loansyncro-core/tests/data/events/events.json"


def _cases(kind: str) -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = json.loads(VECTORS.read_text())["cases"]
    return [c for c in cases if c["kind"] == kind]


def _rows(terms: LoanTerms) -> List[List[Any]]:
    return [
        [r.number, r.due_date.isoformat(), str(r.payment), str(r.interest), str(r.principal), str(r.balance)]
        for r in terms.schedule()
    ]


def _original(t: Dict[str, Any]) -> LoanTerms:
    return LoanTerms(
        principal=Decimal(t["principal"]),
        annual_rate_percent=Decimal(t["annual_rate_percent"]),
        installments=t["installments"],
        start=t["start"],
        amortization_installments=t.get("amortization_installments"),
    )


@pytest.mark.parametrize("case", _cases("current"), ids=lambda c: str(c["name"]))
def test_entry_from_the_current_state_matches_the_vectors(case: Dict[str, Any]) -> None:
    i = case["input"]
    terms = loansyncro.enter_from_current(
        balance=Decimal(i["balance"]),
        annual_rate_percent=Decimal(i["annual_rate_percent"]),
        payment=Decimal(i["payment"]),
        next_due=i["next_due"],
    )
    assert terms.start == date.fromisoformat(case["expected"]["start"])
    assert _rows(terms) == case["expected"]["rows"]
    t = loansyncro.timeline(terms)
    assert t["history"] == "unknown"
    assert t["opening"] is not None and t["opening"]["history"] is None


@pytest.mark.parametrize("case", _cases("mid_term"), ids=lambda c: str(c["name"]))
def test_entry_from_the_original_terms_matches_the_vectors(case: Dict[str, Any]) -> None:
    entered = loansyncro.enter_mid_term(
        _original(case["terms"]), date=case["input"]["date"], balance=Decimal(case["input"]["balance"])
    )
    assert _rows(entered) == case["expected"]["rows"]
    t = loansyncro.timeline(entered)
    assert t["history"] == "summarized"
    opening = t["opening"]
    assert opening is not None
    assert set(opening) == _typed_dict_keys("OpeningDict")
    history = opening["history"]
    assert history is not None
    assert set(history) == _typed_dict_keys("HistoryDict")
    want = case["expected"]["history"]
    assert history["installments"] == want["installments"]
    for key in ("interest_paid", "principal_paid", "scheduled_balance", "difference", "payment"):
        assert history[key] == Decimal(want[key]), key
        assert isinstance(history[key], Decimal)


@pytest.mark.parametrize("case", _cases("renewal"), ids=lambda c: str(c["name"]))
def test_renewals_match_the_vectors(case: Dict[str, Any]) -> None:
    terms = _original(case["terms"])
    for r in case["terms"]["renewals"]:
        rate = r.get("annual_rate")
        terms = loansyncro.renew(
            terms,
            effective=r["effective"],
            annual_rate_percent=None if rate is None else Decimal(rate) * 100,
            amortization_installments=r.get("amortization_installments"),
            term_installments=r.get("term_installments"),
        )
    assert _rows(terms) == case["expected"]["rows"]
    t = loansyncro.timeline(terms)
    assert [(s["index"], s["first_installment"], s["last_installment"], s["interest"], s["balance_after"])
            for s in t["segments"]] == [
        (s["index"], s["first_installment"], s["last_installment"], Decimal(s["interest"]),
         Decimal(s["balance_after"]))
        for s in case["expected"]["segments"]
    ]
    assert [(r["payment_number"], r["payment"]) for r in t["recasts"]] == [
        (a["payment_number"], Decimal(a["payment"])) for a in case["expected"]["adjustments"]
    ]


def test_a_canadian_renewal_in_one_timeline() -> None:
    mortgage = LoanTerms(principal=Decimal("400000"), annual_rate_percent=Decimal("4.5"), installments=300,
                         start=date(2020, 1, 1))
    renewed = loansyncro.renew(mortgage, effective=date(2025, 1, 1), annual_rate_percent=Decimal("6"),
                               term_installments=60)
    t = loansyncro.timeline(renewed)
    assert set(t) == _typed_dict_keys("TimelineDict")
    assert set(t["segments"][0]) == _typed_dict_keys("SegmentDict")
    assert set(t["recasts"][0]) == _typed_dict_keys("RecastDict")
    assert t["history"] == "complete" and t["opening"] is None
    assert t["installments"] == 120
    assert t["recasts"] == [{
        "payment_number": 61, "annual_rate_percent": Decimal("6"), "balance_before": Decimal("351431.61"),
        "remaining_installments": 60, "payment": Decimal("2517.77"),
    }]
    assert t["segments"][1]["interest"] == Decimal("97998.26")
    # replace() keeps the renewal (it is not a constructor argument).
    cheaper = renewed.replace(annual_rate_percent=Decimal("4"))
    assert loansyncro.timeline(cheaper)["recasts"][0]["payment_number"] == 61
    assert len(cheaper.schedule()) == 120


def test_errors_name_the_field() -> None:
    mortgage = LoanTerms(principal=Decimal("400000"), annual_rate_percent=Decimal("4.5"), installments=300,
                         start=date(2020, 1, 1))
    with pytest.raises(ValidationError) as e:
        loansyncro.renew(mortgage, effective=date(2046, 1, 1))
    assert e.value.field == "effective"
    with pytest.raises(ValidationError) as e:
        loansyncro.renew(mortgage, effective=date(2025, 1, 1), term_installments=250)
    assert e.value.field == "term_installments"
    with pytest.raises(ValidationError) as e:
        loansyncro.renew(mortgage, effective=date(2025, 1, 1), annual_rate_percent=Decimal("101"))
    assert e.value.field == "annual_rate_percent"
    with pytest.raises(ValidationError) as e:
        loansyncro.enter_from_current(balance=Decimal("1000"), annual_rate_percent=Decimal("12"),
                                      payment=Decimal("10"), next_due=date(2025, 2, 1))
    assert e.value.field == "payment"
    with pytest.raises(ValidationError) as e:
        loansyncro.enter_mid_term(mortgage, date=date(2060, 1, 1), balance=Decimal("1"))
    assert e.value.field == "date"
