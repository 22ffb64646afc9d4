"""The Arrow batch API (``loansyncro.batch``): every row equals the per-loan API, inputs in
every accepted form, the error modes, scales and keys."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import pytest

import loansyncro
from loansyncro import batch
from loansyncro.errors import ValidationError

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

CONVENTIONS: List[Dict[str, Any]] = [
    {},
    {"day_count": "actual/365F"},
    {"day_count": "actual/360", "method": "equal_principal"},
    {"method": "interest_only", "payment_rounding": "half_even"},
    {"frequency": "quarterly", "interest_rounding": "down"},
    {"method": "flat_interest", "compounding": "semi-annual", "day_count": "30/360"},
    {"balloon": Decimal("1000.00")},
    {"grace_principal_periods": 1},
    {"currency": "JPY", "principal": Decimal("3000000")},
    {"first_due": date(2025, 2, 20)},
    {"method": "fixed_installment", "installment_amount": Decimal("500.00"), "installments": None},
    {"installment_multiple": Decimal("100")},     # closes before the last installment: fewer rows
]


def _row(e: BaseException) -> Any:
    """The terms row a batch error names (set on every error the batch API raises)."""
    return getattr(e, "row")


def _column(e: BaseException) -> Any:
    return getattr(e, "column")


def _loans(n: int, seed: int = 7) -> List[Dict[str, Any]]:
    rnd = random.Random(seed)
    loans = []
    for i in range(n):
        terms: Dict[str, Any] = {
            "loan_id": f"L{i:04d}",
            "principal": Decimal(rnd.randrange(100_000, 5_000_000)).scaleb(-2),
            "annual_rate_percent": Decimal(rnd.randrange(0, 15_000)).scaleb(-3),
            "installments": rnd.choice([2, 6, 12, 36, 60]),
            "start": date(2025, 1, 1) + timedelta(days=rnd.randrange(0, 40)),
        }
        terms.update(CONVENTIONS[i % len(CONVENTIONS)])
        if "first_due" in terms:
            terms["first_due"] = terms["start"] + timedelta(days=45)
        loans.append(terms)
    return loans


def _table(loans: List[Dict[str, Any]]) -> Any:
    """An Arrow table: money as decimal128, dates as date32, absent conventions as nulls."""
    names = sorted({k for t in loans for k in t}, key=lambda k: (k != "loan_id", k))
    money = {"principal", "balloon", "installment_amount", "installment_multiple", "annual_rate_percent"}
    columns = {}
    for name in names:
        values = [t.get(name) for t in loans]
        if name in money:
            columns[name] = pa.array([None if v is None else str(v) for v in values], pa.string()).cast(
                pa.decimal128(18, 3)
            )
        else:
            columns[name] = pa.array(values)
    return pa.table(columns)


def _reference_schedule(loans: List[Dict[str, Any]], scale: int) -> List[Dict[str, Any]]:
    rows = []
    q = Decimal(1).scaleb(-scale)
    for t in loans:
        kwargs = {k: v for k, v in t.items() if k != "loan_id" and v is not None}
        for r in loansyncro.LoanTerms(**kwargs).schedule():
            d: Dict[str, Any] = dict(r.to_dict())
            del d["negative_amortization"]
            for k in batch.SCHEDULE_MONEY:
                d[k] = d[k].quantize(q)
            rows.append({"loan_id": t["loan_id"], **d})
    return rows


def test_schedules_equal_the_per_loan_api_in_every_convention() -> None:
    loans = _loans(120)
    out = batch.schedules(_table(loans))
    assert out.schema.names == ["loan_id", "number", "due_date", *batch.SCHEDULE_MONEY]
    assert out.schema.field("payment").type == pa.decimal128(38, 2)
    assert out.schema.field("due_date").type == pa.date32()
    assert out.to_pylist() == _reference_schedule(loans, 2)


def test_threads_do_not_change_the_result_and_a_known_schedule_is_exact() -> None:
    loans = _loans(300, seed=3)
    table = _table(loans)
    one = batch.schedules(table, threads=1)
    assert one.equals(batch.schedules(table, threads=4))
    t = pa.table({"principal": ["250000"], "annual_rate_percent": ["6.5"], "installments": [360],
                  "start": [date(2025, 1, 1)]})
    s = batch.schedules(t)
    assert s.num_rows == 360
    assert s.column("loan").to_pylist()[:2] == [0, 0]            # no key column: the terms row
    assert s.slice(0, 1).to_pylist()[0]["interest"] == Decimal("1354.17")
    assert s.column("balance")[359].as_py() == Decimal("0.00")
    assert s.column("payment")[359].as_py() == Decimal("1580.55")
    # A loan that closes before its last installment (2 rows of 12): the next loan's rows follow.
    early = pa.table({"principal": ["1000", "500"], "annual_rate_percent": ["12", "0"],
                      "installments": [12, 2], "start": [date(2025, 1, 1)] * 2,
                      "installment_multiple": ["1000", None]})
    e = batch.schedules(early)
    assert e.column("loan").to_pylist() == [0, 0, 1, 1]
    assert e.column("payment").to_pylist() == [Decimal("1000.00"), Decimal("10.10"),
                                               Decimal("250.00"), Decimal("250.00")]


def test_pandas_strings_floats_and_chunked_input() -> None:
    df = pd.DataFrame({
        "loan_id": [10, 11],
        "principal": [Decimal("1000"), Decimal("1200")],
        "annual_rate_percent": [12.0, 6.25],                      # floats: through their repr
        "installments": [12, 24],
        "start": pd.to_datetime(["2025-01-01", "2025-03-15"]),
        "day_count": ["30/360", "Actual/365F"],
    })
    got = batch.schedules(df, key="loan_id")
    want = batch.schedules(pa.table({
        "loan_id": pa.array([10, 11], pa.int64()),
        "principal": ["1000", "1200"], "annual_rate_percent": ["12", "6.25"],
        "installments": pa.array([12, 24], pa.int8()), "start": ["2025-01-01", "2025-03-15"],
        "day_count": ["30/360", "actual/365F"],
    }))
    assert got.equals(want)
    chunked = pa.concat_tables([pa.Table.from_pandas(df.iloc[:1]), pa.Table.from_pandas(df.iloc[1:])])
    assert batch.schedules(chunked).equals(want)
    sliced = pa.RecordBatch.from_pandas(df).slice(1, 1)      # Arrow offsets other than 0
    assert batch.schedules(sliced).to_pylist() == want.filter(pa.compute.equal(want["loan_id"], 11)).to_pylist()


def test_bad_row_raises_naming_row_and_column() -> None:
    t = pa.table({"loan_id": ["a", "b", "c"], "principal": ["1000", "10x", "-5"],
                  "annual_rate_percent": ["5", "5", "5"], "installments": [12, 12, 12],
                  "start": [date(2025, 1, 1)] * 3})
    with pytest.raises(ValidationError) as e:
        batch.schedules(t)
    assert (e.value.field, _row(e.value), _column(e.value)) == ("terms[1].principal", 1, "principal")
    assert str(e.value) == 'invalid terms[1].principal: "10x" is not a finite decimal number'
    with pytest.raises(ValidationError) as e:
        batch.positions(t.slice(2), as_of=date(2025, 6, 1))
    assert e.value.field == "terms[0].principal"
    assert e.value.reason == "must be greater than zero"


def test_collect_gives_an_error_column_and_null_rows() -> None:
    t = pa.table({"loan_id": ["a", "b", "c"], "principal": ["1000", "10x", "1200"],
                  "annual_rate_percent": ["12", "5", "12"], "installments": [12, 12, 2],
                  "start": ["2025-01-01", "2025-01-01", "2025-13-01"]})
    s = batch.schedules(t, errors="collect")
    assert s.num_rows == 12 + 1 + 1
    errors = [(r["loan_id"], r["error"], r["number"], r["payment"]) for r in s.to_pylist() if r["error"]]
    assert errors == [
        ("b", 'invalid terms[1].principal: "10x" is not a finite decimal number', None, None),
        ("c", 'invalid terms[2].start: expected YYYY-MM-DD, got "2025-13-01"', None, None),
    ]
    assert s.column("error").null_count == 12
    p = batch.positions(t, as_of=date(2025, 3, 1), errors="collect")
    assert p.column("error").to_pylist()[0] is None
    assert p.column("principal_outstanding").to_pylist() == [Decimal("1000.00"), None, None]
    with pytest.raises(ValidationError) as e:
        batch.schedules(t, errors="ignore")
    assert e.value.field == "errors"


def test_table_errors_are_raised_whatever_the_mode() -> None:
    base = {"principal": ["1000"], "annual_rate_percent": ["5"], "installments": [12],
            "start": [date(2025, 1, 1)]}
    with pytest.raises(ValidationError) as e:
        batch.schedules(pa.table({k: v for k, v in base.items() if k != "start"}), errors="collect")
    assert (e.value.field, e.value.reason) == ("start", "column is required")
    with pytest.raises(ValidationError) as e:
        batch.schedules(pa.table({**base, "principal": [1000.0]}), errors="collect")
    assert e.value.field == "principal"
    assert "floats are not exact" in e.value.reason
    with pytest.raises(ValidationError) as e:
        batch.schedules(pa.table({**base, "rate_changes": [[]]}))
    assert e.value.field == "rate_changes"
    with pytest.raises(ValidationError) as e:
        batch.schedules(pa.table({**base, "day_count": ["30/365"]}))
    assert e.value.field == "terms[0].day_count"
    with pytest.raises(TypeError):
        batch.schedules([1, 2, 3])


def test_scale_and_currencies() -> None:
    t = pa.table({"principal": ["1000", "100000"], "annual_rate_percent": ["12", "12"],
                  "installments": [2, 2], "start": [date(2025, 1, 1)] * 2, "currency": ["USD", "JPY"]})
    s = batch.schedules(t)                                   # the largest precision: USD's 2
    assert s.schema.field("payment").type == pa.decimal128(38, 2)
    assert s.column("payment").to_pylist() == [Decimal("507.51"), Decimal("507.51"),
                                               Decimal("50751.00"), Decimal("50751.00")]
    jpy = batch.schedules(t.slice(1))
    assert jpy.schema.field("payment").type == pa.decimal128(38, 0)
    assert batch.schedules(t, scale=4).column("interest")[0].as_py() == Decimal("10.0000")
    with pytest.raises(ValidationError) as e:
        batch.schedules(t, scale=0)
    assert (e.value.field, _row(e.value)) == ("terms[0].scale", 0)
    fast = batch.schedules(t, precision=18)                  # the type Parquet stores in 64 bits
    assert fast.schema == batch.schedule_schema(pa.field("loan", pa.int64()), precision=18)
    assert fast.column("payment").to_pylist() == s.column("payment").to_pylist()
    with pytest.raises(ValidationError) as e:
        batch.schedules(t, precision=6)                       # 50751.00 has 7 digits
    assert (e.value.field, _row(e.value)) == ("terms[1].payment", 1)
    assert e.value.reason == "50751.00 does not fit decimal(6, 2): pass a larger precision"
    collected = batch.positions(t, as_of=date(2025, 2, 1), precision=7, errors="collect")
    assert collected.column("error").to_pylist() == [
        None, "invalid terms[1].principal_outstanding: 100000.00 does not fit decimal(7, 2): pass a larger precision"]
    with pytest.raises(ValidationError) as e:
        batch.schedules(t, scale=3, precision=2)
    assert e.value.field == "scale"


def _repayments() -> Tuple[Any, Any, List[Any]]:
    loans = _loans(80, seed=11)
    terms = _table(loans)
    rnd = random.Random(5)
    paid: Dict[str, List[Tuple[date, Decimal]]] = {}
    for t in loans:
        kwargs = {k: v for k, v in t.items() if k != "loan_id" and v is not None}
        rows = loansyncro.LoanTerms(**kwargs).schedule()
        paid[t["loan_id"]] = [(r.due_date + timedelta(days=rnd.choice([0, 2])), r.payment)
                              for r in list(rows)[: rnd.randrange(0, 4)]]
    flat = [(k, d, a) for k, v in paid.items() for d, a in v]
    rnd.shuffle(flat)
    reps = pa.table({"loan_id": [f[0] for f in flat], "date": [f[1] for f in flat],
                     "amount": pa.array([f[2] for f in flat], pa.decimal128(18, 2))})
    return terms, reps, [(t, paid[t["loan_id"]]) for t in loans]


def test_positions_equal_the_per_loan_api_from_a_table_or_a_list_column() -> None:
    terms, reps, paid = _repayments()
    as_of = date(2025, 5, 20)
    got = batch.positions(terms, reps, as_of=as_of)
    want = []
    for t, ps in paid:
        kwargs = {k: v for k, v in t.items() if k != "loan_id" and v is not None}
        p = loansyncro.position(loansyncro.LoanTerms(**kwargs), ps, as_of)
        row = {"loan_id": t["loan_id"], **{c: getattr(p, c) for c in batch.position_schema().names[1:]}}
        for c in batch.POSITION_MONEY:
            row[c] = row[c].quantize(Decimal("0.01"))
        row["progress"] = row["progress"].quantize(Decimal("0.0001"))
        want.append(row)
    assert got.to_pylist() == want
    assert got.schema == batch.position_schema()
    nested = pa.table({
        **{n: terms.column(n) for n in terms.schema.names},
        "repayments": pa.array([[{"date": d, "amount": a} for d, a in ps] for _, ps in paid],
                               pa.list_(pa.struct([("date", pa.date32()), ("amount", pa.decimal128(18, 2))]))),
    })
    assert batch.positions(nested, as_of="2025-05-20").equals(got)
    assert batch.positions(terms, reps.slice(0, 0), as_of=as_of).column("paid_total")[0].as_py() == Decimal("0.00")


def test_positions_repayment_errors() -> None:
    terms, reps, _ = _repayments()
    unknown = pa.table({"loan_id": ["L0001", "nope"], "date": [date(2025, 2, 1)] * 2, "amount": ["1", "1"]})
    with pytest.raises(ValidationError) as e:
        batch.positions(terms, unknown, as_of=date(2025, 5, 1))
    assert e.value.field == "repayments[1].loan_id"
    bad = pa.table({"loan_id": ["L0001", "L0002"], "date": [date(2025, 2, 1)] * 2, "amount": ["1", "x"]})
    with pytest.raises(ValidationError) as e:
        batch.positions(terms, bad, as_of=date(2025, 5, 1))
    assert (e.value.field, _row(e.value)) == ("repayments[1].amount", 2)
    huge = pa.table({"loan_id": ["L0001"], "date": [date(2025, 2, 1)], "amount": ["100000000"]})
    with pytest.raises(loansyncro.Overpayment) as o:
        batch.positions(terms, huge, as_of=date(2025, 5, 1))
    assert (_row(o.value), _column(o.value)) == (1, None)
    assert str(o.value).startswith("terms[1]: overpayment")
    collected = batch.positions(terms, huge, as_of=date(2025, 5, 1), errors="collect")
    assert collected.column("error")[1].as_py().startswith("terms[1]: overpayment")
    dup = pa.concat_tables([terms, terms])
    with pytest.raises(ValidationError) as e:
        batch.positions(dup, reps, as_of=date(2025, 5, 1))
    assert e.value.field == "loan_id"


def test_grace_struct_and_schema_helpers() -> None:
    t = pa.table({"loan_id": ["g"], "principal": ["1200"], "annual_rate_percent": ["12"],
                  "installments": [12], "start": [date(2025, 1, 1)],
                  "grace": [{"principal_periods": 2, "interest_periods": 0}]})
    s = batch.schedules(t)
    ref = loansyncro.LoanTerms(principal=1200, annual_rate_percent=12, installments=12,
                               start=date(2025, 1, 1), grace_principal_periods=2).schedule()
    assert s.column("principal").to_pylist() == [r.principal for r in ref]
    assert s.schema == batch.schedule_schema()
    assert batch.schedules(t, errors="collect").schema == batch.schedule_schema(errors="collect")


def test_nested_repayment_errors_and_empty_input() -> None:
    t = pa.table({"loan_id": ["a", "b"], "principal": ["1000", "1000"], "annual_rate_percent": ["12", "12"],
                  "installments": [12, 12], "start": [date(2025, 1, 1)] * 2,
                  "repayments": [[], [{"date": date(2025, 2, 1), "amount": "88.85"},
                                      {"date": None, "amount": "1"}]]})
    with pytest.raises(ValidationError) as e:
        batch.positions(t, as_of=date(2025, 3, 1))
    assert (e.value.field, e.value.reason, _row(e.value)) == ("terms[1].repayments[1].date", "is required (null)", 1)
    empty = t.slice(0, 0)
    assert batch.schedules(empty).num_rows == 0
    assert batch.schedules(empty).schema == batch.schedule_schema()
    assert batch.positions(empty, as_of=date(2025, 3, 1)).num_rows == 0
