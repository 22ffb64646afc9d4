//! Portfolio throughput of the core alone, one thread: schedules and positions of `N` loans
//! (first argument, default 100,000) of 360 monthly installments, each position from the loan's
//! first 24 installments paid on their due dates, as of 2022-06-30. The same portfolio as
//! `benches/arrow/throughput.py` (the Python batch API and Spark): see `benches/arrow/run.sh`.
//! Prints loans per second for each, best of three runs.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use loansyncro_core::ledger::{position, LedgerPayment};
use loansyncro_core::LoanTerms;
use rust_decimal::Decimal;

/// Loan `i` of the benchmark portfolio (the rule `throughput.py` uses too).
fn loan(i: usize) -> Option<LoanTerms> {
    let i = i as i64;
    let start =
        NaiveDate::from_ymd_opt(2020, 1, 1)?.checked_add_days(Days::new((i % 365) as u64))?;
    LoanTerms::builder()
        .principal(Decimal::new(10_000_000 + (i * 7_919) % 40_000_000, 2))
        .annual_rate_percent(Decimal::new(200 + (i * 37) % 1_000, 2))
        .installments(360)
        .start(start)
        .build()
        .ok()
}

/// CPU seconds (user + system) of this process from /proc/self/stat (Linux, 100 ticks/s).
#[allow(clippy::float_arithmetic)]
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

/// Best wall time, best CPU time and the result of three runs.
#[allow(clippy::float_arithmetic)]
fn best_of_three(mut f: impl FnMut() -> usize) -> (f64, f64, usize) {
    let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
    let mut out = 0;
    for _ in 0..3 {
        let (t, c) = (Instant::now(), cpu_seconds());
        out = f();
        wall = wall.min(t.elapsed().as_secs_f64());
        cpu = cpu.min(cpu_seconds() - c);
    }
    (wall, cpu, out)
}

// Timing arithmetic (seconds and rates), not money.
#[allow(clippy::float_arithmetic)]
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let terms: Vec<LoanTerms> = (0..n).filter_map(loan).collect();
    let as_of = NaiveDate::from_ymd_opt(2022, 6, 30).unwrap_or_default();
    let paid: Vec<Vec<LedgerPayment>> = terms
        .iter()
        .map(|t| {
            t.schedule()
                .map(|s| {
                    s.installments()
                        .iter()
                        .take(24)
                        .map(|i| LedgerPayment {
                            date: i.due_date(),
                            amount: i.payment(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let (secs, cpu, rows) = best_of_three(|| {
        terms
            .iter()
            .map(|t| t.schedule().map_or(0, |s| black_box(s).len()))
            .sum()
    });
    println!(
        "rust schedules: {n} loans, {rows} rows: wall {secs:.3} s, {:.0} loans/s; CPU {cpu:.2} s, {:.0} loans/s per core",
        n as f64 / secs,
        n as f64 / cpu
    );
    let (secs, cpu, closed) = best_of_three(|| {
        terms
            .iter()
            .zip(&paid)
            .filter(|(t, p)| position(t, p, as_of).is_ok_and(|p| black_box(p).closed))
            .count()
    });
    println!(
        "rust positions: {n} loans ({closed} closed): wall {secs:.3} s, {:.0} loans/s; CPU {cpu:.2} s, {:.0} loans/s per core",
        n as f64 / secs,
        n as f64 / cpu
    );
}
