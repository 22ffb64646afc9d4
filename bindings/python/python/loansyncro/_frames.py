"""Frames from a schedule's integer columns (``Schedule.columns()``): pandas, Arrow, polars.

The native schedule hands over ``array.array('q')`` columns of integer minor units and epoch
days; this module turns them into frames without building a Python object per row where the
library allows it (dates and floats are vectorized; exact ``Decimal`` columns need one object per
value, which is what an exact column is).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List

MONEY = ["payment", "interest", "principal", "balance", "deferred_interest", "extra_principal"]


def _decimals(column: Any, scale: int) -> List[Decimal]:
    return [Decimal(v).scaleb(-scale) for v in column]


def to_pandas(columns: Dict[str, Any], scale: int, dtype: str = "decimal") -> Any:
    import numpy as np
    import pandas as pd  # type: ignore[import-untyped]

    if dtype not in ("decimal", "float"):
        from .errors import ValidationError

        raise ValidationError("invalid dtype: must be 'decimal' or 'float'", "dtype", "must be 'decimal' or 'float'")
    data: Dict[str, Any] = {
        "number": np.frombuffer(columns["number"], dtype=np.int64).astype(np.int32),
        "due_date": np.frombuffer(columns["due_date"], dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]"),
    }
    for name in MONEY:
        raw = np.frombuffer(columns[name], dtype=np.int64)
        if dtype == "float":
            data[name] = raw / 10**scale
        else:
            data[name] = pd.Series(_decimals(raw.tolist(), scale), dtype=object)
    return pd.DataFrame(data)


def to_arrow(columns: Dict[str, Any], scale: int) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    fields: Dict[str, Any] = {
        "number": pa.array(columns["number"], type=pa.int64()).cast(pa.int32()),
        "due_date": pa.array(columns["due_date"], type=pa.int64()).cast(pa.int32()).cast(pa.date32()),
    }
    money = pa.decimal128(38, scale)
    for name in MONEY:
        fields[name] = pa.array(_decimals(columns[name], scale), type=money)
    return pa.table(fields)


def to_polars(columns: Dict[str, Any], scale: int) -> Any:
    try:
        import polars as pl
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("Schedule.to_polars() needs polars (pip install polars)") from e
    return pl.from_arrow(to_arrow(columns, scale))


# ----------------------------------------------------------------------------- positions, summaries
# Positions and currency summaries are a handful of rows (one per loan or currency), so their
# frames are built from the objects' attributes; a column's type follows its values: Decimal
# (exact object column, or float64 with dtype="float"; Arrow decimal128 at the column's largest
# scale), date (datetime64 / date32, missing as NaT / null), int, bool, str.

POSITION = [
    "as_of",
    "principal_outstanding",
    "interest_accrued",
    "paid_interest",
    "paid_principal",
    "paid_total",
    "amount_due",
    "days_past_due",
    "next_due_date",
    "next_due_amount",
    "installments_paid",
    "remaining_scheduled",
    "progress",
    "payoff_amount",
    "closed",
]

LOAN = ["loan_id", "title", "currency", "status"]

SUMMARY = [
    "currency",
    "loan_count",
    "total_borrowed",
    "total_repaid",
    "principal_repaid",
    "interest_paid",
    "principal_outstanding",
    "outstanding_payoff",
    "remaining_scheduled",
    "amount_due",
    "repayment_count",
]


def _check_dtype(dtype: str) -> None:
    if dtype not in ("decimal", "float"):
        from .errors import ValidationError

        raise ValidationError("invalid dtype: must be 'decimal' or 'float'", "dtype", "must be 'decimal' or 'float'")


#: The type of every non-Decimal column (the others are money or ratios: Decimal).
_KINDS = {
    "as_of": "date",
    "next_due_date": "date",
    "days_past_due": "int",
    "installments_paid": "int",
    "closed": "bool",
    "loan_id": "str",
    "title": "str",
    "currency": "str",
    "status": "str",
    "loan_count": "int",
    "repayment_count": "int",
}


def _kind(name: str) -> str:
    return _KINDS.get(name, "decimal")


def _scale(values: List[Any]) -> int:
    exponents = [int(v.as_tuple().exponent) for v in values if v is not None]
    return max([0] + [-e for e in exponents])


def _pandas_frame(data: Dict[str, List[Any]], dtype: str) -> Any:
    import numpy as np
    import pandas as pd

    _check_dtype(dtype)
    out: Dict[str, Any] = {}
    for name, values in data.items():
        kind = _kind(name)
        if kind == "decimal":
            if dtype == "float":
                out[name] = np.array([float(v) for v in values], dtype=np.float64)
            else:
                out[name] = pd.Series(values, dtype=object)
        elif kind == "date":
            out[name] = pd.Series(
                np.array([np.datetime64(v, "D") if v is not None else np.datetime64("NaT") for v in values]),
                dtype="datetime64[ns]",
            )
        elif kind == "int":
            out[name] = np.array(values, dtype=np.int64)
        elif kind == "bool":
            out[name] = np.array(values, dtype=bool)
        else:
            out[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(out)


def _arrow_table(data: Dict[str, List[Any]]) -> Any:
    import pyarrow as pa

    fields: Dict[str, Any] = {}
    for name, values in data.items():
        kind = _kind(name)
        if kind == "decimal":
            fields[name] = pa.array(values, type=pa.decimal128(38, _scale(values)))
        elif kind == "date":
            fields[name] = pa.array(values, type=pa.date32())
        elif kind == "int":
            fields[name] = pa.array(values, type=pa.int64())
        elif kind == "bool":
            fields[name] = pa.array(values, type=pa.bool_())
        else:
            fields[name] = pa.array(values, type=pa.string())
    return pa.table(fields)


def _polars(table: Any, what: str) -> Any:
    try:
        import polars as pl
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"{what}.to_polars() needs polars (pip install polars)") from e
    return pl.from_arrow(table)


def _columns(objects: List[Any], fields: List[str]) -> Dict[str, List[Any]]:
    return {name: [getattr(o, name) for o in objects] for name in fields}


def _portfolio_columns(portfolio: Any, as_of: Any) -> Dict[str, List[Any]]:
    loans = portfolio.loans()
    positions = [portfolio.position(loan.id, as_of) for loan in loans]
    data: Dict[str, List[Any]] = {
        "loan_id": [loan.id for loan in loans],
        "title": [loan.title for loan in loans],
        "currency": [loan.currency for loan in loans],
        "status": [loan.status for loan in loans],
    }
    data.update(_columns(positions, POSITION))
    return data


def position_to_pandas(position: Any, dtype: str = "decimal") -> Any:
    return _pandas_frame(_columns([position], POSITION), dtype)


def position_to_arrow(position: Any) -> Any:
    return _arrow_table(_columns([position], POSITION))


def position_to_polars(position: Any) -> Any:
    return _polars(position_to_arrow(position), "Position")


def portfolio_to_pandas(portfolio: Any, as_of: Any = None, dtype: str = "decimal") -> Any:
    _check_dtype(dtype)
    return _pandas_frame(_portfolio_columns(portfolio, as_of), dtype)


def portfolio_to_arrow(portfolio: Any, as_of: Any = None) -> Any:
    return _arrow_table(_portfolio_columns(portfolio, as_of))


def portfolio_to_polars(portfolio: Any, as_of: Any = None) -> Any:
    return _polars(portfolio_to_arrow(portfolio, as_of), "Portfolio")


def summary_to_pandas(portfolio: Any, as_of: Any = None, dtype: str = "decimal") -> Any:
    _check_dtype(dtype)
    return _pandas_frame(_columns(list(portfolio.summary(as_of).values()), SUMMARY), dtype)


def summary_to_arrow(portfolio: Any, as_of: Any = None) -> Any:
    return _arrow_table(_columns(list(portfolio.summary(as_of).values()), SUMMARY))
