//! Shared fixtures for LoanSyncro's benchmarks (`cargo bench -p loansyncro-benches`).

use chrono::NaiveDate;
use loansyncro_core::{LoanTerms, Rate};
use rust_decimal::Decimal;

/// The reference loan: 250,000 at 6.5% over 360 months.
pub fn mortgage() -> LoanTerms {
    loan(Decimal::from(250_000), Decimal::new(65, 1), 360)
}

/// A monthly loan with default conventions.
pub fn loan(principal: Decimal, rate_percent: Decimal, installments: u32) -> LoanTerms {
    LoanTerms::builder()
        .principal(principal)
        .annual_rate(Rate::from_percent(rate_percent).unwrap_or(Rate::ZERO))
        .installments(installments)
        .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default())
        .build()
        .unwrap_or_else(|e| unreachable!("fixture terms are valid: {e}"))
}

/// 10,000 varied loans (principal, rate and term differ).
pub fn portfolio(count: usize) -> Vec<LoanTerms> {
    (0..count)
        .map(|i| {
            let principal = Decimal::new(1_000_000 + (i as i64 * 7_919) % 50_000_000, 2);
            let rate = Decimal::new(100 + (i as i64 * 37) % 2_000, 2);
            let n = [12, 24, 36, 60, 120, 180, 240, 360][i % 8];
            loan(principal, rate, n)
        })
        .collect()
}

/// A straightforward `Decimal` schedule loop (the naive baseline): rounded payment, interest
/// rounded each row, last row absorbs. Returns the total interest.
pub fn naive_decimal_schedule(principal: Decimal, annual: Decimal, n: u32) -> Decimal {
    let r = annual / Decimal::from(12);
    let mut v = Decimal::ONE;
    for _ in 0..n {
        v /= Decimal::ONE + r;
    }
    let payment = (principal * r / (Decimal::ONE - v)).round_dp(2);
    let mut balance = principal;
    let mut total = Decimal::ZERO;
    let mut rows = Vec::with_capacity(n as usize);
    for k in 1..=n {
        let interest = (balance * r).round_dp(2);
        let principal_part = if k == n { balance } else { payment - interest };
        balance -= principal_part;
        total += interest;
        rows.push((interest, principal_part, balance));
    }
    std::hint::black_box(rows);
    total
}
