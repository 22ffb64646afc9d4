"""Positions and portfolios as pandas / Arrow / polars frames (issue 18 §2), exact values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

import loansyncro
from loansyncro import ValidationError

TERMS = loansyncro.LoanTerms(principal=D("1000"), annual_rate_percent="12", installments=12, start=date(2025, 1, 1))
POSITION = loansyncro.position(TERMS, [(date(2025, 2, 1), D("88.85"))], date(2025, 3, 11))


def test_position_to_pandas_is_exact() -> None:
    pd: Any = pytest.importorskip("pandas")
    df = POSITION.to_pandas()
    assert len(df) == 1
    row = df.iloc[0]
    assert row["as_of"] == pd.Timestamp("2025-03-11")
    assert str(df["as_of"].dtype) == "datetime64[ns]"
    assert row["principal_outstanding"] == D("921.15") and isinstance(row["principal_outstanding"], D)
    assert row["amount_due"] == D("88.85")
    assert row["days_past_due"] == 10 and str(df["days_past_due"].dtype) == "int64"
    assert row["next_due_date"] == pd.Timestamp("2025-04-01")
    assert bool(row["closed"]) is False
    assert list(df.columns)[:3] == ["as_of", "principal_outstanding", "interest_accrued"]
    floats = POSITION.to_pandas(dtype="float")
    assert str(floats["principal_outstanding"].dtype) == "float64"
    assert floats["principal_outstanding"].iloc[0] == 921.15
    with pytest.raises(ValidationError) as e:
        POSITION.to_pandas(dtype="int")  # type: ignore[arg-type]
    assert e.value.field == "dtype"


def test_position_to_arrow_and_polars() -> None:
    pa: Any = pytest.importorskip("pyarrow")
    t = POSITION.to_arrow()
    assert t.schema.field("principal_outstanding").type == pa.decimal128(38, 2)
    assert t.schema.field("progress").type == pa.decimal128(38, 4)
    assert t.schema.field("as_of").type == pa.date32()
    assert t.column("principal_outstanding").to_pylist() == [D("921.15")]
    assert t.column("next_due_date").to_pylist() == [date(2025, 4, 1)]
    pytest.importorskip("polars")
    p = POSITION.to_polars()
    assert p["principal_outstanding"].to_list() == [D("921.15")]


def test_portfolio_frames_one_row_per_loan() -> None:
    pytest.importorskip("pandas")
    pf = loansyncro.Portfolio(today=date(2025, 6, 1))
    car = pf.add_loan("Car", TERMS)
    bike = pf.add_loan("Bike", TERMS.replace(principal=D("500")))
    pf.record_repayment(car.id, D("88.85"), date(2025, 2, 1))
    df = pf.to_pandas(as_of=date(2025, 2, 1))
    assert list(df["loan_id"]) == [car.id, bike.id]
    assert list(df["title"]) == ["Car", "Bike"]
    assert list(df["principal_outstanding"]) == [D("921.15"), D("500.00")]
    assert list(df["amount_due"]) == [D("0.00"), D("44.42")]
    t = pf.to_arrow(as_of=date(2025, 2, 1))
    assert t.column("principal_outstanding").to_pylist() == [D("921.15"), D("500.00")]
    summary = pf.summary_to_pandas()
    assert list(summary["currency"]) == ["USD"]
    assert summary["loan_count"].iloc[0] == 2
    assert summary["total_borrowed"].iloc[0] == D("1500.00")
    assert pf.summary_to_arrow().column("total_repaid").to_pylist() == [D("88.85")]
