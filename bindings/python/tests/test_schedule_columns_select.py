"""``schedule_columns(columns=...)``: only the columns asked for, each equal to the same column of
the full output (short schedules packed, sparse columns, one thread or several)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, List

import pytest

import loansyncro

np: Any = pytest.importorskip("numpy")

TERMS = loansyncro.LoanTerms(principal=Decimal("10000"), annual_rate_percent="6", installments=12, start=date(2025, 1, 31))
ALL = ["loan", "number", "due_date", "payment", "interest", "principal", "balance",
       "deferred_interest", "extra_principal"]


def _terms() -> List[loansyncro.LoanTerms]:
    # Some loans close early (rows move up), some carry deferred interest (a sparse column).
    return [
        TERMS.replace(principal=1000 + 137 * k, installments=12 + k % 7,
                      installment_multiple=100 if k % 3 == 0 else None,
                      grace_principal_periods=2 if k % 5 == 0 else None,
                      grace_interest_periods=2 if k % 5 == 0 else None)
        for k in range(120)
    ]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("names", [
    ["loan", "number", "interest", "principal"],
    ["balance"],
    ["deferred_interest", "due_date"],
    ["principal", "loan", "principal"],
])
def test_selected_columns_equal_the_full_output(threads: int, names: List[str]) -> None:
    terms = _terms()
    full = loansyncro.schedule_columns(terms, threads=threads)
    assert len(full["loan"]) < sum(t.installments for t in terms)
    assert np.count_nonzero(full["deferred_interest"]) > 0
    part = loansyncro.schedule_columns(terms, threads=threads, columns=names)
    assert list(part) == [n for n in ALL if n in names] + ["scale"]
    for name in names:
        assert part[name].dtype == full[name].dtype
        assert np.array_equal(part[name], full[name]), name
    assert np.array_equal(part["scale"], full["scale"])


def test_no_columns_gives_only_the_scales() -> None:
    got = loansyncro.schedule_columns([TERMS, TERMS], columns=[])
    assert list(got) == ["scale"] and got["scale"].tolist() == [2, 2]


def test_unknown_or_misspelled_columns_are_refused() -> None:
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.schedule_columns([TERMS], columns=["loan", "intrest"])
    assert e.value.field == "columns" and "intrest" in str(e.value)
    with pytest.raises(TypeError):
        loansyncro.schedule_columns([TERMS], columns="loan")
    with pytest.raises(TypeError):
        loansyncro.schedule_columns([TERMS], columns=[1])  # type: ignore[list-item]
