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
