//! Quickstart: a 250,000 loan at 6.5% over 30 years.
//!
//! Run with `cargo run --example quickstart`.

use chrono::NaiveDate;
use loansyncro_core::{ExtraPayments, Installment, LoanTerms, Rate, Result};
use rust_decimal::Decimal;

fn main() -> Result<()> {
    let terms = LoanTerms::builder()
        .principal(Decimal::from(250_000))
        .annual_rate(Rate::from_percent(Decimal::new(65, 1))?)
        .installments(360)
        .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default())
        .build()?;
    let schedule = terms.schedule()?;

    println!("Loan: 250,000.00 USD at 6.5% nominal, 360 monthly installments, 30/360");
    println!("Monthly payment: {}", schedule.regular_payment());
    println!();
    println!(
        "{:>4}  {:<10}  {:>10}  {:>10}  {:>10}  {:>12}",
        "#", "due", "payment", "interest", "principal", "balance"
    );
    let rows = schedule.installments();
    let print = |i: &Installment| {
        println!(
            "{:>4}  {:<10}  {:>10}  {:>10}  {:>10}  {:>12}",
            i.number(),
            i.due_date(),
            i.payment(),
            i.interest(),
            i.principal(),
            i.balance()
        )
    };
    rows.iter().take(3).for_each(print);
    println!("{:>4}", "...");
    rows.iter()
        .skip(rows.len().saturating_sub(3))
        .for_each(print);

    let totals = schedule.totals();
    println!();
    println!("Total interest:  {}", totals.interest);
    println!("Total principal: {}", totals.principal);
    println!("Total paid:      {}", totals.paid);
    println!(
        "APR:             {}%",
        terms.apr(Decimal::ZERO)?.round_dp(4)
    );
    println!(
        "APR with 3,000.00 prepaid fees: {}%",
        terms.apr(Decimal::from(3_000))?.round_dp(4)
    );

    let what_if = terms.what_if(&ExtraPayments::recurring(Decimal::from(200)))?;
    println!();
    println!("With 200.00 extra every month (reduce term):");
    println!(
        "  installments: {} instead of {} ({} saved)",
        what_if.schedule.len(),
        what_if.base_installments,
        what_if.installments_saved
    );
    println!("  interest saved: {}", what_if.interest_saved);
    println!("  total paid: {}", what_if.schedule.totals().paid);
    Ok(())
}
