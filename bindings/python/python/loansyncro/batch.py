"""Arrow batch API: schedules and positions of many loans at once, as Arrow record batches.

Terms go in as a ``pyarrow.Table``/``RecordBatch``, a pandas DataFrame or anything exporting
the Arrow C stream (polars, DuckDB); one row per loan. The loop over loans and rows runs in Rust
on several threads without the GIL: this module only hands the Arrow buffers to the native
module without copying (``numpy.frombuffer``) and wraps the buffers it returns with
``pyarrow.Array.from_buffers`` (money as ``decimal128(precision, scale)`` from 16-byte integers, dates
as ``date32``). No Python object is built per loan or per row.

Needs pyarrow and numpy (``pip install 'loansyncro[arrow]'``), imported when first used.
The column contract is in the package README ("Arrow batch API").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from . import _native
from .errors import ValidationError

__all__ = [
    "schedules",
    "positions",
    "iter_schedules",
    "iter_positions",
    "schedule_schema",
    "position_schema",
    "SCHEDULE_MONEY",
    "POSITION_MONEY",
]

#: Money columns of :func:`schedules`, in order (after the key, ``number`` and ``due_date``).
SCHEDULE_MONEY = ["payment", "interest", "principal", "balance", "deferred_interest", "extra_principal"]

#: Money columns of :func:`positions`.
POSITION_MONEY = [
    "principal_outstanding",
    "interest_accrued",
    "paid_interest",
    "paid_principal",
    "paid_total",
    "amount_due",
    "next_due_amount",
    "remaining_scheduled",
    "payoff_amount",
]

#: Scale of the ``progress`` column (the core truncates it to 4 decimal places).
PROGRESS_SCALE = 4

_EPOCH = date(1970, 1, 1)


def _modules() -> Tuple[Any, Any, Any]:
    try:
        import numpy as np
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.compute as pc  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "loansyncro.batch needs pyarrow and numpy: pip install 'loansyncro[arrow]'"
        ) from e
    return np, pa, pc


def _record_batch(data: Any) -> Any:
    """One ``pyarrow.RecordBatch`` of the input (chunks combined)."""
    np, pa, _ = _modules()
    if isinstance(data, pa.RecordBatch):
        return data
    if not isinstance(data, pa.Table):
        module = type(data).__module__.split(".")[0]
        if module == "pandas":
            data = pa.Table.from_pandas(data, preserve_index=False)
        elif isinstance(data, Mapping) or hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
            data = pa.table(data)
        else:
            raise TypeError(
                f"terms: expected a pyarrow Table or RecordBatch, a pandas DataFrame or an Arrow "
                f"stream, got {type(data).__name__}"
            )
    arrays = [column.combine_chunks() for column in data.columns]
    return pa.RecordBatch.from_arrays(arrays, schema=data.schema)


def _u8(np: Any, buf: Any) -> Any:
    return None if buf is None else np.frombuffer(buf, dtype=np.uint8)


def _describe(array: Any) -> Tuple[Any, ...]:
    """``(kind, scale, offset, length, validity, data, offsets)``: an array's Arrow buffers as
    NumPy ``uint8`` views for the native module (casts only where the type is not the native
    one: small integers to int64, date64/timestamps to date32, large strings to strings)."""
    np, pa, pc = _modules()
    t = array.type
    if pa.types.is_dictionary(t):
        array = array.dictionary_decode()
        t = array.type
    empty = np.zeros(0, dtype=np.uint8)
    if pa.types.is_decimal(t):
        if t.bit_width != 128:
            array = array.cast(pa.decimal128(min(38, max(t.precision, t.scale, 1)), t.scale))
        kind, scale = "decimal", array.type.scale
    elif pa.types.is_integer(t):
        array, kind, scale = array.cast(pa.int64()), "int", 0
    elif pa.types.is_floating(t):
        array, kind, scale = array.cast(pa.float64()), "float", 0
    elif pa.types.is_date32(t):
        kind, scale = "date", 0
    elif pa.types.is_date64(t) or pa.types.is_timestamp(t):
        array, kind, scale = pc.cast(array, pa.date32()), "date", 0
    elif pa.types.is_string(t) or pa.types.is_large_string(t) or str(t) == "string_view":
        if not pa.types.is_string(t):
            array = array.cast(pa.string())
        bufs = array.buffers()
        data = _u8(np, bufs[2]) if bufs[2] is not None else empty
        return ("str", 0, array.offset, len(array), _u8(np, bufs[0]), data, _u8(np, bufs[1]))
    elif pa.types.is_null(t):
        return ("null", 0, 0, len(array), None, empty, None)
    else:
        return ("other", 0, 0, len(array), None, empty, None)
    bufs = array.buffers()
    data = _u8(np, bufs[1]) if bufs[1] is not None else empty
    return (kind, scale, array.offset, len(array), _u8(np, bufs[0]), data, None)


def _columns(batch: Any) -> Dict[str, Tuple[Any, ...]]:
    """The terms columns described for the native module; a ``grace`` struct column becomes
    ``grace_principal_periods`` and ``grace_interest_periods``."""
    _, pa, pc = _modules()
    out: Dict[str, Tuple[Any, ...]] = {}
    for name, column in zip(batch.schema.names, batch.columns):
        if name == "grace" and pa.types.is_struct(column.type):
            for part in ("principal_periods", "interest_periods"):
                if column.type.get_field_index(part) >= 0:
                    out[f"grace_{part}"] = _describe(pc.struct_field(column, part))
            continue
        out[name] = _describe(column)
    return out


def _errors_mode(errors: str) -> bool:
    if errors not in ("raise", "collect"):
        raise ValidationError(
            "invalid errors: must be 'raise' or 'collect'", "errors", "must be 'raise' or 'collect'"
        )
    return errors == "collect"


def _epoch_days(on: Any) -> int:
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on.strip())
        except ValueError:
            raise ValidationError(
                f'invalid as_of: expected YYYY-MM-DD, got "{on}"', "as_of", f'expected YYYY-MM-DD, got "{on}"'
            ) from None
    elif isinstance(on, datetime):
        on = on.date()
    elif not isinstance(on, date):
        if type(on).__module__.split(".")[0] == "numpy":
            import numpy as np

            return int(np.datetime64(on, "D").astype(np.int64))
        raise TypeError(f"as_of: expected a date, got {type(on).__name__}")
    day: date = on
    return (day - _EPOCH).days


def _key(batch: Any, key: str, loan: Any) -> Tuple[str, Any]:
    """The output's key column: the terms' ``key`` column taken at ``loan`` (the terms row of
    each output row), else the terms row number as ``loan`` (int64)."""
    if key in batch.schema.names:
        return key, batch.column(key).take(loan)
    return "loan", loan


def _money(pa: Any, n: int, precision: int, scale: int, valid: Any, values: Any) -> Any:
    return pa.Array.from_buffers(pa.decimal128(precision, scale), n, [valid, pa.py_buffer(values)])


def _error_column(pa: Any, out: Dict[str, Any], n: int) -> Any:
    return pa.Array.from_buffers(
        pa.string(),
        n,
        [pa.py_buffer(out["error_valid"]), pa.py_buffer(out["error_offsets"]), pa.py_buffer(out["error_data"])],
    )


def _valid(pa: Any, out: Dict[str, Any]) -> Any:
    v = out.get("valid")
    return None if v is None else pa.py_buffer(v)


def schedules(
    terms: Any,
    *,
    key: str = "loan_id",
    scale: Optional[int] = None,
    precision: int = 38,
    errors: str = "raise",
    threads: Optional[int] = None,
) -> Any:
    """The schedules of every loan in ``terms`` as one ``pyarrow.RecordBatch``, one row per
    installment: the loan's ``key`` column (or ``loan``, the terms row, when ``terms`` has no
    such column), ``number`` (int32), ``due_date`` (date32) and :data:`SCHEDULE_MONEY` as
    ``decimal128(precision, scale)``. ``scale`` defaults to the largest currency precision of
    the batch (2 for USD); pass it to fix the schema (Spark). ``precision`` (default 38): an
    amount with more digits is an error of its row (``decimal(18, 2)`` holds every amount the
    core allows and is stored as a 64-bit integer by Parquet). ``errors="raise"`` raises the first
    bad row's typed error (``ValidationError.field`` is ``terms[ROW].COLUMN``; every error has
    ``.row`` and ``.column``); ``errors="collect"`` adds an ``error`` column: a failed loan gives
    one row whose computed columns are null and whose ``error`` says why."""
    np, pa, _ = _modules()
    collect = _errors_mode(errors)
    batch = _record_batch(terms)
    out = _native.batch_schedules(
        _columns(batch), batch.num_rows, scale=scale, precision=precision, collect=collect, threads=threads
    )
    n, s = out["rows"], out["scale"]
    valid = _valid(pa, out)
    loan = pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(out["loan"])])
    key_name, key_column = _key(batch, key, loan)
    names: List[str] = [key_name, "number", "due_date"]
    arrays: List[Any] = [
        key_column,
        pa.Array.from_buffers(pa.int32(), n, [valid, pa.py_buffer(out["number"])]),
        pa.Array.from_buffers(pa.date32(), n, [valid, pa.py_buffer(out["due_date"])]),
    ]
    for name in SCHEDULE_MONEY:
        names.append(name)
        arrays.append(_money(pa, n, precision, s, valid, out[name]))
    if collect:
        names.append("error")
        arrays.append(_error_column(pa, out, n))
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _repayments(
    batch: Any, repayments: Any, key: str
) -> Tuple[Any, Tuple[Any, ...], Tuple[Any, ...], bool]:
    """``(loan, date, amount, nested)`` for the native module: the terms row of each repayment
    (int64 buffer) and its date and amount columns."""
    np, pa, pc = _modules()
    nested = repayments is None
    if nested:
        if "repayments" not in batch.schema.names:
            empty = np.zeros(0, np.uint8)
            null = ("null", 0, 0, 0, None, empty, None)
            return empty, null, null, True
        lists = batch.column("repayments")
        if not (pa.types.is_list(lists.type) or pa.types.is_large_list(lists.type)):
            raise ValidationError(
                "invalid repayments: expected a list<struct<date, amount>> column",
                "repayments",
                "expected a list<struct<date, amount>> column",
            )
        loan = pc.list_parent_indices(lists).cast(pa.int64())
        flat = pc.list_flatten(lists)
        date_col, amount_col = pc.struct_field(flat, "date"), pc.struct_field(flat, "amount")
    else:
        table = _record_batch(repayments)
        for name in (key, "date", "amount"):
            if name not in table.schema.names:
                raise ValidationError(
                    f"invalid repayments.{name}: column is required", f"repayments.{name}", "column is required"
                )
        keys = table.column(key)
        if key in batch.schema.names:
            loans = batch.column(key)
            if pc.count_distinct(loans).as_py() != len(loans) - loans.null_count or loans.null_count:
                raise ValidationError(
                    f"invalid {key}: the loan keys of the terms must be unique and not null",
                    key,
                    "the loan keys of the terms must be unique and not null",
                )
            index = pc.index_in(keys, value_set=loans)
        else:
            index = keys.cast(pa.int64())
            index = pc.if_else(pc.and_(pc.greater_equal(index, 0), pc.less(index, batch.num_rows)), index, None)
        missing = pc.indices_nonzero(pc.is_null(index))
        if len(missing):
            j = missing[0].as_py()
            raise ValidationError(
                f"invalid repayments[{j}].{key}: no loan with this key in the terms",
                f"repayments[{j}].{key}",
                "no loan with this key in the terms",
            )
        loan = index.cast(pa.int64())
        date_col, amount_col = table.column("date"), table.column("amount")
    if loan.null_count:
        loan = loan.fill_null(-1)
    data = loan.buffers()[1]
    loan_u8 = _u8(np, data)[loan.offset * 8 : (loan.offset + len(loan)) * 8] if data is not None else np.zeros(0, np.uint8)
    return loan_u8, _describe(date_col), _describe(amount_col), nested


def positions(
    terms: Any,
    repayments: Any = None,
    *,
    as_of: Any,
    key: str = "loan_id",
    scale: Optional[int] = None,
    precision: int = 38,
    errors: str = "raise",
    threads: Optional[int] = None,
) -> Any:
    """The position of every loan in ``terms`` on ``as_of``, one row per loan, as a
    ``pyarrow.RecordBatch``: the loan's ``key`` (or ``loan``), ``as_of``,
    ``principal_outstanding``, ``interest_accrued``, ``paid_interest``, ``paid_principal``,
    ``paid_total``, ``amount_due`` (money), ``days_past_due`` (int32), ``next_due_date``
    (date32, null when nothing remains), ``next_due_amount``, ``installments_paid`` (int32),
    ``remaining_scheduled``, ``progress`` (``decimal128(38, 4)``), ``payoff_amount``,
    ``closed`` (bool). Money is ``decimal128(precision, scale)``.

    Repayments: a second table (``key``, ``date``, ``amount``: one row per repayment, joined
    on ``key``, or on the terms row number when the terms have no ``key`` column), or, when
    ``repayments`` is None, the terms' own ``repayments`` column of
    ``list<struct<date, amount>>`` (what Spark's ``collect_list(struct(date, amount))`` gives),
    or none. ``scale``, ``precision`` and ``errors`` as in :func:`schedules`."""
    np, pa, _ = _modules()
    collect = _errors_mode(errors)
    batch = _record_batch(terms)
    reps = _repayments(batch, repayments, key)
    out = _native.batch_positions(
        _columns(batch),
        batch.num_rows,
        reps,
        _epoch_days(as_of),
        scale=scale,
        precision=precision,
        collect=collect,
        threads=threads,
    )
    n, s = out["rows"], out["scale"]
    valid = _valid(pa, out)
    loan = pa.array(np.arange(n, dtype=np.int64))
    key_name, key_column = _key(batch, key, loan)
    as_of_days = np.full(n, out["as_of"], dtype=np.int32)

    def ints(name: str) -> Any:
        return pa.Array.from_buffers(pa.int32(), n, [valid, pa.py_buffer(out[name])])

    columns: List[Tuple[str, Any]] = [
        (key_name, key_column),
        ("as_of", pa.Array.from_buffers(pa.date32(), n, [None, pa.py_buffer(as_of_days)])),
    ]
    money = {name: _money(pa, n, precision, s, valid, out[name]) for name in POSITION_MONEY}
    for name in ["principal_outstanding", "interest_accrued", "paid_interest", "paid_principal", "paid_total", "amount_due"]:
        columns.append((name, money[name]))
    columns.append(("days_past_due", ints("days_past_due")))
    columns.append(
        (
            "next_due_date",
            pa.Array.from_buffers(
                pa.date32(), n, [pa.py_buffer(out["next_due_date_valid"]), pa.py_buffer(out["next_due_date"])]
            ),
        )
    )
    columns.append(("next_due_amount", money["next_due_amount"]))
    columns.append(("installments_paid", ints("installments_paid")))
    columns.append(("remaining_scheduled", money["remaining_scheduled"]))
    columns.append(("progress", _money(pa, n, 38, PROGRESS_SCALE, valid, out["progress"])))
    columns.append(("payoff_amount", money["payoff_amount"]))
    columns.append(("closed", pa.Array.from_buffers(pa.bool_(), n, [valid, pa.py_buffer(out["closed"])])))
    if collect:
        columns.append(("error", _error_column(pa, out, n)))
    return pa.RecordBatch.from_arrays([c for _, c in columns], names=[name for name, _ in columns])


def iter_schedules(batches: Iterable[Any], **options: Any) -> Iterator[Any]:
    """:func:`schedules` of each batch (Spark's ``mapInArrow``: ``df.mapInArrow(lambda it:
    iter_schedules(it, key="loan_id", scale=2), schema)``)."""
    for batch in batches:
        yield schedules(batch, **options)


def iter_positions(batches: Iterable[Any], *, as_of: Any, **options: Any) -> Iterator[Any]:
    """:func:`positions` of each batch, repayments from each batch's ``repayments`` list column."""
    for batch in batches:
        yield positions(batch, as_of=as_of, **options)


def schedule_schema(key: Any = None, *, scale: int = 2, precision: int = 38, errors: str = "raise") -> Any:
    """The ``pyarrow.Schema`` of :func:`schedules` for a key field (default ``loan_id``
    string) and ``scale``; ``pyspark.sql.pandas.types.from_arrow_schema`` turns it into
    Spark's."""
    _, pa, _ = _modules()
    fields = [key if key is not None else pa.field("loan_id", pa.string()), pa.field("number", pa.int32()),
              pa.field("due_date", pa.date32())]
    fields += [pa.field(name, pa.decimal128(precision, scale)) for name in SCHEDULE_MONEY]
    if _errors_mode(errors):
        fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)


def position_schema(key: Any = None, *, scale: int = 2, precision: int = 38, errors: str = "raise") -> Any:
    """The ``pyarrow.Schema`` of :func:`positions` (see :func:`schedule_schema`)."""
    _, pa, _ = _modules()
    money = pa.decimal128(precision, scale)
    fields = [key if key is not None else pa.field("loan_id", pa.string()), pa.field("as_of", pa.date32())]
    fields += [pa.field(n, money) for n in POSITION_MONEY[:6]]
    fields += [
        pa.field("days_past_due", pa.int32()),
        pa.field("next_due_date", pa.date32()),
        pa.field("next_due_amount", money),
        pa.field("installments_paid", pa.int32()),
        pa.field("remaining_scheduled", money),
        pa.field("progress", pa.decimal128(38, PROGRESS_SCALE)),
        pa.field("payoff_amount", money),
        pa.field("closed", pa.bool_()),
    ]
    if _errors_mode(errors):
        fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)
