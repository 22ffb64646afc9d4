"""LoanSyncro from Python: a schedule to a CSV file, then a ``loansyncro.Portfolio`` (loans and
repayments tracked in memory by the core's service): positions, the summary per currency and a
payoff plan.

Run: python examples/python/loans.py [output-directory]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import loansyncro
import loansyncro.finance as npf


def main(out_dir: Path) -> None:
    # 1. A 30-year mortgage: its schedule as a CSV file.
    terms = loansyncro.LoanTerms(
        principal=Decimal("250000"),
        annual_rate_percent=Decimal("6.5"),
        installments=360,
        start=date(2025, 1, 1),
    )
    schedule = terms.schedule()
    csv_path = out_dir / "mortgage-schedule.csv"
    schedule.to_csv(csv_path)
    print(f"monthly payment {schedule.regular_payment}, total interest {schedule.totals.interest}")
    print(f"schedule written to {csv_path} ({len(schedule)} rows)")
    print(f"APR {terms.apr(3000).quantize(Decimal('0.001'))}% with 3,000 of fees")
    faster = terms.what_if(recurring=Decimal("200"))
    print(f"200 extra a month: {faster.installments_saved} installments and {faster.interest_saved} of interest saved")

    # numpy-financial compatible: the same payment from the spreadsheet formula.
    print(f"pmt: {npf.pmt(Decimal('0.065') / 12, 360, 250000):.2f}")

    # 2. A portfolio: loans and their repayments tracked in memory by the core's service.
    portfolio = loansyncro.Portfolio(today=date(2025, 1, 15))
    mortgage = portfolio.add_loan("Mortgage", terms)
    car_terms = loansyncro.LoanTerms(principal=18000, annual_rate_percent=7, installments=48, start=date(2025, 1, 15))
    car = portfolio.add_loan("Car", car_terms, description="Blue hatchback")
    card = portfolio.add_loan("Credit card", loansyncro.LoanTerms(
        principal=9000, annual_rate_percent="22.9", installments=36, start=date(2025, 1, 15)))
    phone = portfolio.add_loan("Phone (0% promo)", loansyncro.LoanTerms(
        principal=1200, installments=24, start=date(2025, 1, 15)))
    holiday = portfolio.add_loan("Holiday flat", loansyncro.LoanTerms(
        principal=60000, annual_rate_percent="3.1", installments=120, currency="EUR", start=date(2025, 1, 1)))
    for due in car_terms.schedule()[:6]:
        portfolio.today = due.due_date
        # The key makes a retried call (e.g. after a timeout) record the repayment once.
        portfolio.record_repayment(car.id, due.payment, due.due_date, idempotency_key=f"car-{due.number}")
    for loan in (mortgage, card, phone, holiday):
        for due in loan.terms.schedule()[:6]:
            portfolio.today = max(portfolio.today, due.due_date)
            portfolio.record_repayment(loan.id, due.payment, due.due_date)
    try:
        portfolio.record_repayment(car.id, Decimal("50000"), date(2025, 7, 15))
    except loansyncro.Overpayment as e:
        print(f"\nrefused: {e} (payoff {e.payoff})")

    as_of = date(2025, 8, 1)
    print(f"\nportfolio on {as_of}:")
    for loan in portfolio.loans():
        pos = portfolio.position(loan.id, as_of)
        print(f"  {loan.title:16} {loan.currency} paid {pos.paid_total:>10}  due now {pos.amount_due:>9}  "
              f"payoff {pos.payoff_amount:>10}  progress {pos.progress:.2%}  [{loan.status}]")
    for currency, figures in portfolio.summary(as_of=as_of).items():
        print(f"  {currency}: {figures.loan_count} loans, borrowed {figures.total_borrowed}, "
              f"repaid {figures.total_repaid}, total payoff {figures.outstanding_payoff}")
    for group in portfolio.grouped_repayments("CARD"):  # title search ignores case
        print(f"  {group.title}: {group.repayment_count} repayments, {group.total_repaid} repaid, "
              f"{group.remaining_balance} left")

    # 3. A payoff plan over the portfolio's USD loans: avalanche against snowball.
    print("\npayoff plans with 3,000 a month:")
    for strategy in ("avalanche", "snowball"):
        plan = portfolio.plan(Decimal("3000"), strategy, start=date(2025, 9, 1))
        order = ", ".join(d["name"] for d in sorted(plan.debts, key=lambda d: d["payoff_month"]))
        print(f"  {strategy:9} debt-free {plan.debt_free_date} after {plan.months_to_debt_free} months, "
              f"interest {plan.total_interest}, saved {plan.interest_saved} (order: {order})")

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="loansyncro-"))
    target.mkdir(parents=True, exist_ok=True)
    main(target)
