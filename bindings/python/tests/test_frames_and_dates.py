"""Dates of every common kind, schedules as pandas/Arrow/polars frames and CSV, and many
schedules at once as NumPy columns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import loansyncro

np: Any = pytest.importorskip("numpy")

TERMS = loansyncro.LoanTerms(principal=Decimal("10000"), annual_rate_percent="6", installments=12, start=date(2025, 1, 31))


@pytest.mark.parametrize(
    "start",
    [
        date(2025, 1, 31),
        datetime(2025, 1, 31, 17, 45),
        np.datetime64("2025-01-31"),
        np.datetime64("2025-01-31T23:59:59"),
        "2025-01-31",
    ],
    ids=["date", "datetime", "datetime64[D]", "datetime64[s]", "iso"],
)
def test_every_date_kind_is_accepted(start: Any) -> None:
    s = TERMS.replace(start=start).schedule()
    assert s[0].due_date == date(2025, 2, 28)  # month-end clamp
    assert s.regular_payment == TERMS.schedule().regular_payment


def test_pandas_timestamp_and_dates_elsewhere() -> None:
    pd = pytest.importorskip("pandas")
    s = TERMS.replace(start=pd.Timestamp("2025-01-31")).schedule()
    assert s[0].due_date == date(2025, 2, 28)
    position = loansyncro.position(TERMS, [(pd.Timestamp("2025-02-28"), "860.66")], np.datetime64("2025-03-01"))
    assert position.principal_outstanding < Decimal("10000")


def test_bad_dates_name_the_field_and_the_format() -> None:
    with pytest.raises(loansyncro.ValidationError) as e:
        TERMS.replace(start="31/01/2025")
    assert e.value.field == "start"
    assert str(e.value) == 'invalid start: expected YYYY-MM-DD, got "31/01/2025"'
    with pytest.raises(loansyncro.ValidationError):
        TERMS.replace(start=np.datetime64("NaT"))
    with pytest.raises(TypeError):
        TERMS.replace(start=20250131)


def test_to_csv_returns_text_or_writes_the_file(tmp_path: Path) -> None:
    s = TERMS.schedule()
    text = s.to_csv()
    assert isinstance(text, str) and text.startswith("number,due_date,payment")
    path = tmp_path / "s.csv"
    assert s.to_csv(path) is None
    assert path.read_bytes().decode("utf-8") == text


def test_to_pandas_decimal_and_float() -> None:
    pd = pytest.importorskip("pandas")
    s = TERMS.schedule()
    df = s.to_pandas()
    assert list(df.columns) == ["number", "due_date", "payment", "interest", "principal", "balance",
                                "deferred_interest", "extra_principal"]
    assert str(df["due_date"].dtype).startswith("datetime64")
    assert df["due_date"].iloc[0] == pd.Timestamp("2025-02-28")
    assert [type(v) for v in df["payment"]] == [Decimal] * len(s)
    assert list(df["interest"]) == [row.interest for row in s]
    assert sum(df["principal"]) == Decimal("10000.00")
    floats = s.to_pandas(dtype="float")
    assert floats["balance"].dtype == np.float64
    assert floats["balance"].iloc[-1] == 0.0
    assert floats["interest"].iloc[0] == float(s[0].interest)
    with pytest.raises(loansyncro.ValidationError):
        s.to_pandas(dtype="int8")  # type: ignore[arg-type]


def test_to_arrow_decimal128_and_polars() -> None:
    pa = pytest.importorskip("pyarrow")
    s = TERMS.schedule()
    table = s.to_arrow()
    assert table.schema.field("payment").type == pa.decimal128(38, 2)
    assert table.schema.field("due_date").type == pa.date32()
    assert table.column("balance").to_pylist()[-1] == Decimal("0.00")
    assert table.column("due_date").to_pylist()[0] == date(2025, 2, 28)
    pl = pytest.importorskip("polars")
    frame = s.to_polars()
    assert isinstance(frame, pl.DataFrame) and frame.shape == (12, 8)
    assert frame["interest"].to_list() == [row.interest for row in s]


def test_schedule_columns_for_many_loans_matches_each_schedule() -> None:
    terms = [TERMS.replace(principal=1000 + 100 * k, installments=6 + k % 5) for k in range(150)]
    cols = loansyncro.schedule_columns(terms)
    assert list(cols) == ["loan", "number", "due_date", "payment", "interest", "principal", "balance",
                          "deferred_interest", "extra_principal", "scale"]
    assert len(cols["scale"]) == 150 and set(cols["scale"].tolist()) == {2}
    assert cols["due_date"].dtype == np.dtype("datetime64[D]")
    for k in (0, 77, 149):
        rows = cols["loan"] == k
        s = terms[k].schedule()
        assert rows.sum() == len(s)
        assert cols["payment"][rows].tolist() == [r.payment_minor for r in s]
        assert cols["balance"][rows].tolist() == [r.balance_minor for r in s]
        assert cols["due_date"][rows].astype(object).tolist() == [r.due_date for r in s]
    one_thread = loansyncro.schedule_columns(terms, threads=1)
    assert all((one_thread[name] == cols[name]).all() for name in cols)


def test_schedule_columns_packs_short_schedules_and_sparse_columns() -> None:
    # Payments rounded up to whole hundreds close some loans early (fewer rows than installments:
    # the rows after them move up); interest grace leaves deferred interest in a few rows.
    terms = [
        TERMS.replace(principal=1000 + 137 * k, installments=12 + k % 7,
                      installment_multiple=100 if k % 3 == 0 else None,
                      grace_principal_periods=2 if k % 5 == 0 else None,
                      grace_interest_periods=2 if k % 5 == 0 else None)
        for k in range(120)
    ]
    schedules = [t.schedule() for t in terms]
    assert any(len(s) < t.installments for s, t in zip(schedules, terms))
    assert any(r.deferred_interest != 0 for s in schedules for r in s)
    for threads in (1, 2):
        cols = loansyncro.schedule_columns(terms, threads=threads)
        assert len(cols["loan"]) == sum(len(s) for s in schedules)
        for k, s in enumerate(schedules):
            rows = cols["loan"] == k
            assert cols["number"][rows].tolist() == [r.number for r in s]
            assert cols["due_date"][rows].astype(object).tolist() == [r.due_date for r in s]
            assert cols["interest"][rows].tolist() == [r.interest_minor for r in s]
            assert cols["principal"][rows].tolist() == [r.principal_minor for r in s]
            assert cols["balance"][rows].tolist() == [r.balance_minor for r in s]
            assert cols["deferred_interest"][rows].tolist() == [
                int(r.deferred_interest.scaleb(2)) for r in s]
            assert cols["extra_principal"][rows].tolist() == [0] * len(s)


def test_schedule_columns_takes_only_terms() -> None:
    assert len(loansyncro.schedule_columns([])["loan"]) == 0
    with pytest.raises(TypeError):
        loansyncro.schedule_columns([TERMS, "not terms"])  # type: ignore[list-item]
