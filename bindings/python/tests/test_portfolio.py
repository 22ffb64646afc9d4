"""loansyncro.Portfolio: the core's service over the in-memory adapter (loans, repayments,
status machine, idempotency, summaries per currency, grouped repayments, the payoff planner)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Callable, List, Tuple

import pytest

import loansyncro
from loansyncro import LoanTerms, Portfolio

START = date(2025, 1, 1)


def car_terms() -> LoanTerms:
    return LoanTerms(principal=1200, annual_rate_percent=12, installments=12, start=START)


def test_paid_off_through_repayments_then_reopened() -> None:
    p = Portfolio(today=START)
    loan = p.add_loan("Car", car_terms(), description="Blue hatchback")
    assert (loan.status, loan.version, loan.currency, loan.description) == ("active", 1, "USD", "Blue hatchback")
    assert loan.installment == Decimal("106.62") and loan.principal_outstanding == Decimal("1200.00")
    assert loan.repayment_count == 0 and loan.last_payment_date is None
    outcomes = []
    for row in car_terms().schedule():
        p.today = row.due_date
        outcomes.append(p.record_repayment(loan.id, row.payment, row.due_date))
    assert [o.transition for o in outcomes[:-1]] == [None] * 11
    last = outcomes[-1]
    assert last.loan.status == "paid" and loansyncro.LoanStatus(last.loan.status) is loansyncro.LoanStatus.PAID
    change = last.transition
    assert change is not None
    assert (change.from_status, change.to_status, change.reason) == ("active", "paid", "closed")
    assert last.position.closed and last.position.principal_outstanding == Decimal("0.00")
    stored = p.loan(loan.id)
    assert stored.status == "paid" and stored.repayment_count == 12
    assert stored.total_repaid == Decimal("1279.42") and stored.interest_paid == Decimal("79.42")
    assert stored.last_payment_date == date(2026, 1, 1)
    assert p.summary()["USD"].counts == {"active": 0, "paid": 1, "defaulted": 0}

    # Deleting the last repayment brings the balance back: the loan is active again.
    reopened = p.delete_repayment(last.repayment.id)
    assert reopened.loan.status == "active"
    assert reopened.transition is not None and reopened.transition.reason == "balance_reappeared"
    assert reopened.position.principal_outstanding == Decimal("105.54")
    assert p.loan(loan.id).repayment_count == 11
    assert len(p.repayments(loan.id)) == 11
    with pytest.raises(loansyncro.NotFound):
        p.repayment(last.repayment.id)


def test_overpayment_states_the_payoff_and_records_nothing() -> None:
    p = Portfolio(today=date(2025, 2, 1))
    loan = p.add_loan("Car", car_terms())
    with pytest.raises(loansyncro.Overpayment) as e:
        p.record_repayment(loan.id, 5000, date(2025, 2, 1))
    assert e.value.payoff == Decimal("1212.00") and e.value.attempted == Decimal("5000.00")
    assert e.value.date == "2025-02-01"
    assert "1212.00" in str(e.value) and isinstance(e.value, ValueError)
    assert p.loan(loan.id).repayment_count == 0 and p.repayments() == []
    # Exactly the payoff closes the loan.
    closed = p.record_repayment(loan.id, e.value.payoff, date(2025, 2, 1))
    assert closed.loan.status == "paid" and closed.position.payoff_amount == Decimal("0.00")


def test_update_repayment_replays_the_ledger() -> None:
    p = Portfolio(today=date(2025, 2, 1))
    loan = p.add_loan("Car", car_terms())
    first = p.record_repayment(loan.id, "106.62", date(2025, 2, 1), notes="Feb", idempotency_key="feb")
    assert first.position.paid_interest == Decimal("12.00")
    assert first.position.principal_outstanding == Decimal("1105.38")
    edited = p.update_repayment(first.repayment.id, Decimal("200"), date(2025, 2, 1))
    assert edited.repayment.id == first.repayment.id and edited.repayment.amount == Decimal("200.00")
    assert edited.repayment.idempotency_key == "feb" and edited.repayment.notes == ""
    assert edited.position.principal_outstanding == Decimal("1012.00")
    with pytest.raises(loansyncro.Overpayment) as e:
        p.update_repayment(first.repayment.id, 2000, date(2025, 2, 1))
    assert e.value.payoff == Decimal("1212.00")
    # A stored repayment has `date` and `amount`: the module-level position() takes them.
    as_of = date(2025, 3, 1)
    expected = loansyncro.position(loan.terms, p.repayments(loan.id), as_of)
    got = p.position(loan.id, as_of)
    assert got.payoff_amount == expected.payoff_amount == Decimal("1022.12")


def test_idempotency_key_retry_records_once() -> None:
    p = Portfolio(today=date(2025, 2, 1))
    loan = p.add_loan("Car", car_terms())
    first = p.record_repayment(loan.id, "106.62", date(2025, 2, 1), notes="Feb", idempotency_key="feb-2025")
    retry = p.record_repayment(loan.id, "106.62", date(2025, 2, 1), idempotency_key="feb-2025")
    assert (first.replayed, retry.replayed) == (False, True)
    assert retry.repayment.id == first.repayment.id and retry.repayment.notes == "Feb"
    assert retry.transition is None
    assert retry.loan.repayment_count == 1 and retry.loan.total_repaid == Decimal("106.62")
    assert [r.id for r in p.repayments()] == [first.repayment.id]
    with pytest.raises(loansyncro.Conflict) as e:
        p.record_repayment(loan.id, "100", date(2025, 2, 1), idempotency_key="feb-2025")
    assert "feb-2025" in e.value.reason
    assert e.value.kind == "idempotency_key_mismatch"
    assert p.loan(loan.id).repayment_count == 1


def test_summary_never_mixes_currencies() -> None:
    p = Portfolio(today=START)
    usd_a = p.add_loan("Car", car_terms())
    p.add_loan("Credit card", LoanTerms(principal=5000, annual_rate_percent=22, installments=24, start=START))
    eur = p.add_loan("Flat", LoanTerms(principal=100000, annual_rate_percent=3, installments=240, currency="EUR",
                                       start=START))
    jpy = p.add_loan("Scooter", LoanTerms(principal=300000, annual_rate_percent=2, installments=12, currency="JPY",
                                          start=START))
    p.today = date(2025, 2, 1)
    p.record_repayment(usd_a.id, "106.62", date(2025, 2, 1))
    p.record_repayment(eur.id, "554.60", date(2025, 2, 1))
    p.record_repayment(jpy.id, 25271, date(2025, 2, 1))
    summary = p.summary()
    assert list(summary) == ["EUR", "JPY", "USD"]
    usd = summary["USD"]
    assert usd.currency == "USD" and usd.loan_count == 2
    assert usd.total_borrowed == Decimal("6200") and usd.total_repaid == Decimal("106.62")
    assert usd.principal_outstanding == Decimal("6105.38") and usd.repayment_count == 1
    assert summary["EUR"].total_borrowed == Decimal("100000") and summary["EUR"].total_repaid == Decimal("554.60")
    assert summary["JPY"].total_repaid == Decimal("25271") and summary["JPY"].principal_outstanding == Decimal("275229")
    replayed = p.summary(as_of=date(2025, 3, 1))
    assert replayed["USD"].amount_due == Decimal("625.40")  # 106.62 + 2 x 259.39
    assert replayed["USD"].principal_outstanding == usd.principal_outstanding


def test_grouped_repayments_search_is_case_insensitive() -> None:
    p = Portfolio(today=date(2025, 3, 1))
    car = p.add_loan("Car loan", car_terms())
    p.add_loan("Mortgage", car_terms())
    repair = p.add_loan("car REPAIR", car_terms())
    p.record_repayment(car.id, 50, date(2025, 3, 1))
    p.record_repayment(car.id, 40, date(2025, 2, 1))
    groups = p.grouped_repayments("CAR")
    assert [g.title for g in groups] == ["Car loan", "car REPAIR"]
    assert [r.date for r in groups[0].repayments] == [date(2025, 2, 1), date(2025, 3, 1)]
    assert groups[0].total_repaid == Decimal("90") and groups[0].repayment_count == 2
    assert groups[0].last_payment_date == date(2025, 3, 1)
    assert groups[1].loan_id == repair.id and groups[1].repayments == [] and groups[1].progress == 0
    assert len(p.grouped_repayments("  ")) == 3 and len(p.grouped_repayments()) == 3
    assert [loan.title for loan in p.loans("rEpAiR")] == ["car REPAIR"]
    assert [loan.title for loan in p.loans()] == ["Car loan", "Mortgage", "car REPAIR"]


def test_planner_avalanche_snowball_custom() -> None:
    p = Portfolio(today=START)
    card = p.add_loan("Credit card", LoanTerms(principal=5000, annual_rate_percent=22, installments=24, start=START))
    car = p.add_loan("Car", LoanTerms(principal=3000, annual_rate_percent=6, installments=12, start=START))
    p.add_loan("Flat", LoanTerms(principal=100000, annual_rate_percent=3, installments=240, currency="EUR", start=START))
    avalanche = p.plan(800)
    assert avalanche.strategy == "avalanche" and avalanche.currency == "USD"
    assert avalanche.months_to_debt_free == 11 and avalanche.debt_free_date == date(2025, 11, 1)
    assert avalanche.total_interest == Decimal("625.63") and avalanche.total_paid == Decimal("8625.63")
    assert avalanche.interest_saved == Decimal("698.12")
    assert [(d["id"], d["name"], d["payoff_month"]) for d in avalanche.debts] == [
        (card.id, "Credit card", 11), (car.id, "Car", 11)]
    snowball = p.plan(Decimal("800"), loansyncro.Strategy.SNOWBALL)
    assert snowball.strategy == "snowball" and snowball.total_interest == Decimal("760.55")
    assert [d["payoff_month"] for d in snowball.debts] == [11, 6]  # the smaller balance first
    assert avalanche.total_interest < snowball.total_interest
    custom = p.plan(800, [car.id, card.id])
    assert custom.strategy == "custom" and custom.total_interest == snowball.total_interest
    eur = p.plan(1000, currency="EUR", start=date(2025, 2, 1))
    assert eur.currency == "EUR" and len(eur.debts) == 1 and eur.months_to_debt_free == 116
    with pytest.raises(loansyncro.ValidationError) as e:
        p.plan(100)
    assert e.value.field == "monthly_budget" and "517.59" in e.value.reason
    with pytest.raises(loansyncro.ValidationError) as e:
        p.plan(800, "random")
    assert e.value.field == "strategy"
    with pytest.raises(loansyncro.ValidationError) as e:
        p.plan(800, currency="GBP")  # no loan in GBP
    assert e.value.field == "debts"


def test_status_actions_and_errors() -> None:
    p = Portfolio(today=START, owner="ada")
    assert p.owner == "ada" and p.today == START
    loan = p.add_loan("Car", car_terms())
    with pytest.raises(loansyncro.InvalidTransition) as t:
        p.cure(loan.id)
    assert (t.value.from_status, t.value.to_status) == ("active", "active")
    assert t.value.reason == "the loan is already active"
    defaulted = p.set_defaulted(loan.id)
    assert defaulted.loan.status == "defaulted" and defaulted.change.reason == "defaulted_by_owner"
    assert p.summary()["USD"].counts["defaulted"] == 1
    cured = p.cure(loan.id)
    assert cured.loan.status == "active" and cured.change.to_status == "active"
    cases: List[Tuple[Callable[[], object], str]] = [
        (lambda: p.add_loan("   ", car_terms()), "title"),
        (lambda: p.record_repayment(loan.id, 0, date(2025, 2, 1)), "amount"),
        (lambda: p.record_repayment(loan.id, "1.234", date(2025, 2, 1)), "amount"),
        (lambda: p.record_repayment(loan.id, "x", date(2025, 2, 1)), "amount"),
        (lambda: p.record_repayment(loan.id, 10, "2025-13-01"), "date"),
        (lambda: p.position(loan.id, date(2024, 12, 31)), "as_of"),
        (lambda: p.loan(""), "loan_id"),
        (lambda: Portfolio(owner=""), "owner"),
    ]
    for call, field in cases:
        with pytest.raises(loansyncro.ValidationError) as e:
            call()
        assert e.value.field == field
    with pytest.raises(TypeError):
        p.record_repayment(loan.id, 10.5, date(2025, 2, 1))  # type: ignore[arg-type]  # floats are not money
    with pytest.raises(loansyncro.NotFound) as nf:
        p.loan("loan_999")
    assert (nf.value.entity, nf.value.id) == ("loan", "loan_999")
    with pytest.raises(loansyncro.NotFound):
        p.record_repayment("loan_999", 10, date(2025, 2, 1))
    p.delete_loan(loan.id)
    assert p.loans() == [] and p.summary() == {}
    with pytest.raises(loansyncro.NotFound):
        p.delete_loan(loan.id)


def test_update_loan_and_clock() -> None:
    p = Portfolio(today=START)
    loan = p.add_loan("Car", car_terms())
    p.today = date(2025, 2, 1)  # repayments dated after today (+1 day) are refused
    p.record_repayment(loan.id, "106.62", date(2025, 2, 1))
    longer = p.update_loan(loan.id, "Car (24 months)", car_terms().replace(installments=24))
    assert longer.loan.title == "Car (24 months)" and longer.loan.version == 3
    assert longer.loan.installment == Decimal("56.49") and longer.loan.repayment_count == 1
    with pytest.raises(loansyncro.Conflict) as stale:
        p.update_loan(loan.id, "Car", car_terms(), expected_version=1)
    assert stale.value.kind == "stale_version"
    assert stale.value.reason == f"stale version of loan {loan.id}: expected 1, stored 3"
    p.today = "2025-06-01"
    assert p.today == date(2025, 6, 1) and p.position(loan.id).as_of == date(2025, 6, 1)
    assert Portfolio().today == datetime.now(timezone.utc).date()


def test_portfolio_is_shared_between_threads() -> None:
    p = Portfolio(today=date(2025, 7, 1))
    loans = [p.add_loan(f"Loan {i}", car_terms()) for i in range(4)]

    def pay(loan_id: str) -> None:
        for m in range(2, 8):
            p.record_repayment(loan_id, "106.62", date(2025, m, 1), idempotency_key=f"{loan_id}-{m}")

    threads = [threading.Thread(target=pay, args=(loan.id,)) for loan in loans for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(p.loan(loan.id).repayment_count == 6 for loan in loans)
    assert p.summary()["USD"].total_repaid == Decimal("2558.88")
