//! Postings for accounting: a car loan's repayments as balanced double-entry transactions.
//!
//! `cargo run --example postings` prints the beancount journal of a 12,000 car loan after three
//! repayments (one with a fee, one with escrow, one with extra principal).
//! `cargo run --example postings -- DIR` writes every scope (actual, planned, projected) in every
//! format (`.beancount`, `.journal`, `.csv`) for that loan and for an adjustable-rate mortgage
//! whose capped payment capitalizes interest, into DIR (the books suite checks them with
//! `bean-check` and `hledger check`).

use chrono::NaiveDate;
use loansyncro_core::ledger::postings::{
    journal, Accounts, Format, JournalOptions, Payment, Scope,
};
use loansyncro_core::{LoanTerms, Rate, RateChange, Result};
use rust_decimal::Decimal;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn car() -> Result<(LoanTerms, Vec<Payment>)> {
    let terms = LoanTerms::builder()
        .principal(Decimal::from(12_000))
        .annual_rate(Rate::from_percent(Decimal::new(69, 1))?)
        .installments(48)
        .start(date(2025, 1, 15))
        .build()?;
    let paid = vec![
        Payment::new(date(2025, 2, 15), Decimal::new(28_680, 2)),
        Payment::new(date(2025, 3, 15), Decimal::new(28_680, 2)).with_fees(Decimal::new(500, 2)),
        Payment::new(date(2025, 4, 15), Decimal::new(78_680, 2))
            .with_escrow(Decimal::new(4_000, 2))
            .with_memo("500 extra principal"),
    ];
    Ok((terms, paid))
}

fn arm() -> Result<(LoanTerms, Vec<Payment>)> {
    let terms = LoanTerms::builder()
        .principal(Decimal::from(96_400))
        .annual_rate(Rate::from_percent(Decimal::new(475, 2))?)
        .installments(360)
        .start(date(2024, 1, 1))
        .adjust_every(13, 12)
        .rate_changes(vec![RateChange {
            effective: date(2025, 1, 1),
            annual_rate: Rate::from_percent(Decimal::new(775, 2))?,
        }])
        .payment_cap_percent(Decimal::new(75, 1))
        .build()?;
    let paid = terms.schedule()?.installments()[..15]
        .iter()
        .map(|r| Payment::new(r.due_date(), r.payment()).with_escrow(Decimal::new(21_000, 2)))
        .collect();
    Ok((terms, paid))
}

fn main() -> Result<()> {
    let (terms, paid) = car()?;
    let Some(dir) = std::env::args().nth(1) else {
        let options = JournalOptions::new(Accounts::for_loan("Car"));
        print!(
            "{}",
            journal(&terms, &paid, &options)?.render(Format::Beancount)
        );
        return Ok(());
    };
    let (arm_terms, arm_paid) = arm()?;
    for (name, terms, paid) in [("car", &terms, &paid), ("arm", &arm_terms, &arm_paid)] {
        for scope in Scope::ALL {
            let mut options = JournalOptions::new(Accounts::for_loan(name));
            options.scope = scope;
            let j = journal(terms, paid, &options)?;
            for (format, ext) in [
                (Format::Beancount, "beancount"),
                (Format::Ledger, "journal"),
                (Format::Csv, "csv"),
            ] {
                let path = std::path::Path::new(&dir).join(format!("{name}-{scope}.{ext}"));
                std::fs::write(&path, j.render(format))
                    .map_err(|e| loansyncro_core::Error::validation("DIR", e.to_string()))?;
            }
        }
    }
    Ok(())
}
