//! The tracker: two users, loans in USD and EUR, repayments (one refused as an overpayment, one
//! deleted to reopen a paid loan), the dashboard per currency, a payoff plan, and a historical
//! loan entered long after the fact that keeps the statuses its dates imply.
//!
//! `cargo run --example tracker`

use chrono::NaiveDate;
use loansyncro_core::app::service::PlanRequest;
use loansyncro_core::domain::loan::NewLoan;
use loansyncro_core::domain::repayment::NewRepayment;
use loansyncro_core::domain::user::UserId;
use loansyncro_core::ledger::planner::{PlanResult, Strategy};
use loansyncro_core::{Currency, Error, LoanTerms, Rate};
use loansyncro_memory::embedded::Tracker;
use rust_decimal::Decimal;

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Error::validation("date", "no such day"))
}

fn dec(s: &str) -> Result<Decimal, Error> {
    Decimal::from_str_exact(s).map_err(|e| Error::validation("amount", e.to_string()))
}

fn terms(currency: Currency, principal: &str, rate: &str, months: u32) -> Result<LoanTerms, Error> {
    LoanTerms::builder()
        .currency(currency)
        .principal(dec(principal)?)
        .annual_rate(Rate::from_percent(dec(rate)?)?)
        .installments(months)
        .start(date(2025, 1, 1)?)
        .build()
}

fn print_plan(label: &str, plan: &PlanResult) {
    println!(
        "  {label:<10} debt-free in {:>2} months ({}), interest {} {}",
        plan.months_to_debt_free, plan.debt_free_date, plan.total_interest, plan.currency
    );
    for debt in &plan.debts {
        println!(
            "    {:<14} paid off in month {:>2}, interest {}",
            debt.name, debt.payoff_month, debt.total_interest
        );
    }
    if let (Some(interest), Some(months)) = (plan.interest_saved, plan.months_saved) {
        println!("    vs minimums only: {interest} interest and {months} months saved");
    }
}

fn main() -> Result<(), Error> {
    let tracker = Tracker::at_date(date(2025, 1, 1)?);
    let ada = UserId::new("ada")?;
    let bob = UserId::new("bob")?;
    tracker.sync_user(&ada, "ada@example.com", "Ada Lovelace")?;
    tracker.sync_user(&bob, "bob@example.com", "Bob Babbage")?;

    println!("== Loans");
    let car = tracker.create_loan(
        &ada,
        NewLoan::new("Car", terms(Currency::USD, "18000", "6.9", 48)?),
    )?;
    let card = tracker.create_loan(
        &ada,
        NewLoan::new("Credit card", terms(Currency::USD, "4000", "22.9", 24)?),
    )?;
    let laptop = tracker.create_loan(
        &ada,
        NewLoan::new("Laptop", terms(Currency::USD, "1200", "0", 6)?),
    )?;
    let flat = tracker.create_loan(
        &ada,
        NewLoan::new("Flat (Berlin)", terms(Currency::EUR, "150000", "3.8", 300)?),
    )?;
    let bobs = tracker.create_loan(
        &bob,
        NewLoan::new("Van", terms(Currency::EUR, "25000", "5.5", 60)?),
    )?;
    for view in [&car, &card, &laptop, &flat, &bobs] {
        println!(
            "  {:<6} {:<14} {:>10} {} -> {:>9}/month, {:>10} in total",
            view.loan.owner(),
            view.loan.title(),
            view.loan.terms().principal(),
            view.loan.terms().currency(),
            view.installment,
            view.total_scheduled
        );
    }

    println!("\n== Repayments");
    for month in 2..=4 {
        let day = date(2025, month, 1)?;
        tracker.set_today(day);
        for view in [&car, &card, &flat] {
            let paid = NewRepayment::new(view.installment, day)
                .with_idempotency_key(format!("{}-{day}", view.loan.id()));
            tracker.record_repayment(&ada, view.loan.id(), paid)?;
        }
        tracker.record_repayment(
            &bob,
            bobs.loan.id(),
            NewRepayment::new(bobs.installment, day),
        )?;
    }
    let car_position = tracker.position(&ada, car.loan.id(), None)?;
    println!(
        "  Car on {}: paid {} (interest {}), outstanding {}, progress {}",
        car_position.as_of,
        car_position.paid_total,
        car_position.paid_interest,
        car_position.principal_outstanding,
        car_position.progress
    );

    // Sending the same repayment twice (a network retry) records it once.
    let today = tracker.today();
    let retry = NewRepayment::new(car.installment, today)
        .with_idempotency_key(format!("{}-{today}", car.loan.id()));
    let again = tracker.record_repayment(&ada, car.loan.id(), retry)?;
    println!(
        "  retry with key {:?}: replayed = {}, still {} repayments",
        again
            .repayment
            .idempotency_key
            .as_deref()
            .unwrap_or_default(),
        again.replayed,
        again.loan.aggregates().repayment_count
    );

    // Paying more than the payoff is refused, stating the payoff.
    match tracker.record_repayment(
        &ada,
        laptop.loan.id(),
        NewRepayment::new(dec("1500")?, today),
    ) {
        Err(Error::Overpayment {
            payoff, attempted, ..
        }) => println!("  Laptop: {attempted} refused, the payoff today is {payoff}"),
        other => println!("  unexpected: {other:?}"),
    }
    let first = tracker.record_repayment(
        &ada,
        laptop.loan.id(),
        NewRepayment::new(dec("700")?, today),
    )?;
    let last = tracker.record_repayment(
        &ada,
        laptop.loan.id(),
        NewRepayment::new(first.position.payoff_amount, today),
    )?;
    println!(
        "  Laptop: paid {} + {} -> status {}",
        first.repayment.amount,
        last.repayment.amount,
        last.loan.status()
    );
    let reopened = tracker.delete_repayment(&ada, &last.repayment.id)?;
    println!(
        "  Laptop: last repayment deleted -> status {} ({}), outstanding {}",
        reopened.loan.status(),
        reopened
            .transition
            .map(|c| c.reason.to_string())
            .unwrap_or_default(),
        reopened.position.principal_outstanding
    );

    // Bob cannot see Ada's loans.
    match tracker.get_loan(&bob, car.loan.id()) {
        Err(e) => println!("  Bob asks for Ada's car loan: {e}"),
        Ok(_) => println!("  unexpected: Bob sees Ada's loan"),
    }

    println!("\n== Dashboard of {ada}");
    for c in tracker.summary(&ada)?.currencies {
        println!(
            "  {}: {} loans ({} active, {} paid, {} defaulted)",
            c.currency,
            c.counts.total(),
            c.counts.active,
            c.counts.paid,
            c.counts.defaulted
        );
        println!(
            "       borrowed {}, repaid {} (interest {}), payoff {}, remaining scheduled {}",
            c.total_borrowed,
            c.total_repaid,
            c.interest_paid,
            c.outstanding_payoff,
            c.remaining_scheduled
        );
    }

    println!("\n== Repayments by loan matching \"car\"");
    for group in tracker.grouped_repayments(&ada, Some("car"))? {
        println!(
            "  {} ({}): {} repayments, {} repaid, {} remaining, progress {}",
            group.title,
            group.currency,
            group.repayment_count,
            group.total_repaid,
            group.remaining_balance,
            group.progress
        );
    }

    println!("\n== Payoff plan for {ada}'s USD loans, 1,000.00 a month");
    let request = |strategy| PlanRequest {
        currency: Currency::USD,
        monthly_budget: Decimal::new(1000, 0),
        strategy,
        start: None,
    };
    let avalanche = tracker.plan(&ada, &request(Strategy::Avalanche))?;
    let snowball = tracker.plan(&ada, &request(Strategy::Snowball))?;
    print_plan(Strategy::Avalanche.name(), &avalanche);
    print_plan(Strategy::Snowball.name(), &snowball);
    println!(
        "  avalanche saves {} {} of interest over snowball",
        snowball.total_interest - avalanche.total_interest,
        avalanche.currency
    );

    history_entered_later()
}

/// Cy enters a 2024 loan and its repayments on 2026-12-04: each repayment is evaluated as of
/// its own date, so the statuses are those the dates imply, not those of the day of entry.
fn history_entered_later() -> Result<(), Error> {
    println!("\n== A 2024 loan entered on 2026-12-04 (defaulted when over 30 days past due)");
    let tracker = Tracker::at_date(date(2026, 12, 4)?);
    let cy = UserId::new("cy")?;
    let terms = LoanTerms::builder()
        .principal(dec("1200")?)
        .installments(12)
        .start(date(2024, 1, 1)?)
        .default_after_days_past_due(30)
        .build()?;
    let loan = tracker.create_loan(&cy, NewLoan::new("Sofa", terms))?;
    let history = [
        ((2024, 2, 1), "100"),
        ((2024, 3, 1), "100"),
        ((2024, 5, 16), "50"),
        ((2024, 5, 20), "250"),
    ];
    for ((y, m, d), amount) in history {
        let out = tracker.record_repayment(
            &cy,
            loan.loan.id(),
            NewRepayment::new(dec(amount)?, date(y, m, d)?),
        )?;
        let why = out
            .transition
            .map(|c| format!(" ({})", c.reason))
            .unwrap_or_default();
        println!(
            "  {} paid {:>6} -> {}{why}",
            out.repayment.date,
            out.repayment.amount,
            out.loan.status()
        );
    }
    let (status, today) = loansyncro_memory::embedded::block_on(tracker.service().status_as_of(
        &cy,
        loan.loan.id(),
        None,
    ))?;
    println!(
        "  today ({}): {} days past due, {} overdue -> {status} as of today",
        today.as_of, today.days_past_due, today.amount_due
    );
    Ok(())
}
