"""Loans, schedules, what-if, APR, CSV, positions, the planner and error mapping."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

import loansyncro
from loansyncro import LoanTerms


def mortgage() -> LoanTerms:
    return LoanTerms(principal=250000, annual_rate_percent="6.5", installments=360, start=date(2025, 1, 1))


def test_quickstart_figures() -> None:
    s = mortgage().schedule()
    assert isinstance(s, Sequence)
    assert s.regular_payment == Decimal("1580.17")
    assert len(s) == 360
    assert s[-1].balance == Decimal("0.00")
    assert s.totals.principal == Decimal("250000.00")
    assert s.totals.paid == s.total_amount == sum((r.payment for r in s), Decimal(0))
    first = s[0]
    assert (first.number, first.due_date) == (1, date(2025, 2, 1))
    assert first.interest == Decimal("1354.17") and first.principal == Decimal("226.00")
    assert first.payment_minor == 158017 and s.scale == 2
    assert [r.number for r in s[1:4]] == [2, 3, 4]
    assert s[::120][1].number == 121
    with pytest.raises(IndexError):
        s[360]


def test_columns_minor_units_and_decimals() -> None:
    s = mortgage().schedule()
    cols = s.columns()
    assert set(cols) == {"number", "due_date", "payment", "interest", "principal", "balance",
                         "deferred_interest", "extra_principal"}
    assert cols["payment"][0] == 158017 and cols["balance"][-1] == 0
    assert date(1970, 1, 1).toordinal() + cols["due_date"][0] == date(2025, 2, 1).toordinal()
    assert sum(cols["principal"]) == 250000 * 10**s.scale
    dec = s.columns(decimals=True)
    assert dec["payment"][0] == Decimal("1580.17") and dec["due_date"][0] == date(2025, 2, 1)
    np = pytest.importorskip("numpy")
    arr = np.asarray(cols["interest"])
    assert arr.dtype == np.int64 and int(arr.sum()) == 31886158
    days = np.asarray(cols["due_date"]).astype("datetime64[D]")
    assert str(days[0]) == "2025-02-01"


def test_csv_and_dicts(tmp_path: object) -> None:
    t = LoanTerms(principal=100, installments=2, start=date(2025, 1, 1))
    s = t.schedule()
    csv = s.to_csv()
    assert csv.startswith("number,due_date,payment")
    assert "\r\n1,2025-02-01,50.00,0.00,50.00,50.00,0.00,0.00\r\n" in csv
    rows = s.to_dicts()
    assert rows[0]["payment"] == Decimal("50.00") and rows[1]["balance"] == Decimal("0.00")
    assert s[0].to_dict() == rows[0]


def test_zero_rate_and_jpy() -> None:
    s = LoanTerms(principal=1200, installments=12, start=date(2025, 1, 15)).schedule()
    assert s.regular_payment == Decimal("100.00") and s.totals.interest == 0
    jpy = LoanTerms(principal=1_000_000, annual_rate_percent=3, installments=12, currency="JPY",
                    start=date(2025, 1, 1)).schedule()
    assert jpy.scale == 0 and jpy.currency == "JPY"
    assert jpy.regular_payment == Decimal("84694")
    assert all(r.payment == r.payment.to_integral_value() for r in jpy)
    assert jpy.columns()["payment"][0] == 84694
    with pytest.raises(loansyncro.ValidationError) as e:
        LoanTerms(principal="1000.5", installments=12, currency="JPY", start=date(2025, 1, 1))
    assert e.value.field == "principal"


def test_keyword_arguments_mirror_the_core() -> None:
    t = LoanTerms(
        principal=Decimal("100000"), annual_rate=0.05, installments=120, start="2025-01-31",
        frequency=loansyncro.Frequency.MONTHLY, method="equal_principal", day_count=loansyncro.DayCount.ACTUAL_365F,
        rounding=loansyncro.Rounding.HALF_EVEN, rate_changes=[(date(2027, 1, 31), Decimal("6"))],
        balloon=None, prepayment_policy="reduce_payment",
    )
    assert t.annual_rate == Decimal("0.05") and t.annual_rate_percent == Decimal("5")
    assert t.method == "equal_principal" and t.day_count == "actual/365F" and t.payment_rounding == "half_even"
    assert t.start == date(2025, 1, 31) and t.first_due_date == date(2025, 2, 28)
    again = LoanTerms(**t.to_dict())
    assert again == t
    shorter = t.replace(installments=60)
    assert shorter.installments == 60 and shorter.principal == t.principal
    fixed = LoanTerms(principal=1000, annual_rate_percent=12, installment_amount=100, start=date(2025, 1, 1))
    assert fixed.method == "fixed_installment" and fixed.installments == 11
    grace = LoanTerms(principal=1200, annual_rate_percent=12, installments=12, grace_principal_periods=2,
                      start=date(2025, 1, 1)).schedule()
    assert grace[0].principal == 0


def test_what_if_and_apr() -> None:
    t = mortgage()
    w = t.what_if(recurring=200)
    assert w.installments_saved == 95 and w.interest_saved == Decimal("97618.44")
    assert len(w.schedule) == 360 - 95 and w.base_installments == 360
    lump = t.what_if(lump_sums=[(date(2026, 1, 1), Decimal("10000"))], policy="reduce_payment")
    assert len(lump.schedule) == 360 and lump.schedule.totals.extra_principal == Decimal("10000")
    assert t.apr().quantize(Decimal("0.01")) == Decimal("6.50")
    assert t.apr(3000) > Decimal("6.6")
    assert loansyncro.effective_annual_rate(Decimal("0.12"), 12).quantize(Decimal("1e-10")) == Decimal("0.1268250301")


def test_position_and_repayments() -> None:
    t = LoanTerms(principal=1200, annual_rate_percent=12, installments=12, start=date(2025, 1, 1))
    paid = [(date(2025, m, 1), Decimal("106.62")) for m in (2, 3, 4)]
    pos = loansyncro.position(t, paid, date(2025, 4, 1))
    assert pos.principal_outstanding == Decimal("913.29") and pos.paid_interest == Decimal("33.15")
    assert pos.next_due_date == date(2025, 5, 1) and pos.installments_paid == 3 and not pos.closed
    assert pos.progress == Decimal("0.2389") and len(pos.projected) == 9
    assert pos.projected[0]["due_date"] == date(2025, 5, 1)
    with pytest.raises(loansyncro.Overpayment) as e:
        loansyncro.position(t, [loansyncro.Repayment(date(2025, 1, 16), Decimal("1300"))], date(2025, 2, 1))
    assert e.value.payoff == Decimal("1205.81") and isinstance(e.value, ValueError)
    with pytest.raises(loansyncro.ValidationError) as v:
        loansyncro.position(t, [], date(2024, 12, 31))
    assert v.value.field == "as_of"


def test_planner() -> None:
    debts = [
        loansyncro.Debt("card", Decimal("1000"), 24, Decimal("50")),
        {"id": "car", "balance": "500", "annual_rate_percent": "6", "minimum_payment": 50},
    ]
    result = loansyncro.plan(debts, 300, start=date(2025, 1, 31))
    assert result.months[0]["balances"] == [Decimal("770.00"), Decimal("452.50")]
    assert result.months_to_debt_free == 6 and result.debt_free_date == date(2025, 6, 30)
    assert result.total_paid == 1500 + result.total_interest
    saved = result.interest_saved
    assert saved is not None and saved > 0
    snow = loansyncro.plan(debts, 300, start=date(2025, 1, 31), strategy="snowball")
    assert snow.strategy == "snowball"
    custom = loansyncro.plan(debts, 300, start=date(2025, 1, 31), strategy=["car", "card"])
    assert custom.strategy == "custom" and custom.debts[1]["id"] == "car"
    assert result.baseline["kind"] == "paid_off"
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.plan(debts, 10, start=date(2025, 1, 31))
    assert e.value.field == "monthly_budget"


def test_error_mapping() -> None:
    start = date(2025, 1, 1)
    cases = [
        (dict(principal=-1, installments=12), "principal"),
        (dict(principal=1000, installments=0), "installments"),
        (dict(principal=1000, installments=12, annual_rate_percent=101), "annual_rate"),
        (dict(principal=1000, installments=12, annual_rate=6.5), "annual_rate"),
        (dict(principal=1000, installments=12, frequency="hourly"), "frequency"),
        (dict(principal=1000, installments=12, currency="XYZ"), "currency"),
        (dict(principal=1000, installments=12, rounding="sideways"), "rounding"),
        (dict(principal=1000, installments=12, first_due=date(2024, 1, 1)), "first_due"),
        (dict(principal="abc", installments=12), "principal"),
    ]
    for kwargs, field in cases:
        with pytest.raises(loansyncro.ValidationError) as e:
            LoanTerms(start=start, **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field, kwargs
        assert e.value.code == "validation" and e.value.reason
        assert isinstance(e.value, loansyncro.LoanSyncroError) and isinstance(e.value, ValueError)
    with pytest.raises(TypeError):
        LoanTerms(principal=1000.0, installments=12, start=start)  # type: ignore[arg-type]  # floats are not money
    with pytest.raises(TypeError):
        LoanTerms(principal=1000, installments=12, start=1)  # type: ignore[arg-type]
    assert issubclass(loansyncro.NotFound, loansyncro.LoanSyncroError)
    assert issubclass(loansyncro.Conflict, loansyncro.LoanSyncroError)


def test_batch_schedules_release_the_gil() -> None:
    terms = [mortgage().replace(principal=100000 + i) for i in range(2000)]
    ticks = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        results = loansyncro.schedules(terms * 5)
    finally:
        stop.set()
        thread.join()
    assert len(results) == 10000
    assert results[7].regular_payment == terms[7].schedule().regular_payment
    assert len(ticks) > 1
