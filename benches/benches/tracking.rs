//! Tracking benchmarks (issue 3): ledger replay of a 360-installment loan with 360 repayments
//! (target < 20 µs), the dashboard summary of 10,000 loans from their stored aggregates
//! (< 5 ms), and the full recomputation of 10,000 loans from 1,000,000 repayments (< 500 ms,
//! over the available cores with `std::thread::scope`).
//!
//! `cargo bench -p loansyncro-benches --bench tracking -- --quick`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use loansyncro_core::domain::loan::{Loan, LoanAggregates, LoanId, NewLoan};
use loansyncro_core::domain::portfolio::{aggregates_from_position, summary};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::domain::status::{LoanStatus, TransitionReason};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::ledger::{position, LedgerPayment};
use loansyncro_core::{Currency, LoanTerms};
use rust_decimal::Decimal;

const LOANS: usize = 10_000;
const REPAYMENTS_PER_LOAN: usize = 100;

/// The contractual payments of `terms` as repayments: each installment paid on its due date.
fn on_time(terms: &LoanTerms, count: usize) -> Vec<LedgerPayment> {
    let schedule = terms.schedule().unwrap();
    schedule
        .records()
        .into_iter()
        .take(count)
        .map(|row| LedgerPayment {
            date: row.due_date,
            amount: row.payment,
        })
        .collect()
}

fn replay(c: &mut Criterion) {
    let terms = loansyncro_benches::mortgage();
    let paid = on_time(&terms, 360);
    assert_eq!(paid.len(), 360);
    let as_of = paid.last().unwrap().date;
    let pos = position(&terms, &paid, as_of).unwrap();
    assert!(pos.closed);
    let mut group = c.benchmark_group("ledger");
    group.bench_function("replay_360_installments_360_repayments", |b| {
        b.iter(|| position(black_box(&terms), black_box(&paid), as_of).map(|p| p.closed))
    });
    let half = &paid[..180];
    group.bench_function("replay_360_installments_180_repayments", |b| {
        b.iter(|| position(black_box(&terms), black_box(half), as_of).map(|p| p.closed))
    });
    group.bench_function("schedule_only_360", |b| {
        b.iter(|| black_box(&terms).schedule().map(|s| s.len()))
    });
    group.finish();
}

/// 10,000 loans over USD, EUR and GBP with stored aggregates as the service writes them.
fn stored_loans() -> Vec<Loan> {
    let owner = UserId::new("bench").unwrap();
    let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let currencies = [Currency::USD, Currency::EUR, Currency::GBP];
    loansyncro_benches::portfolio(LOANS)
        .into_iter()
        .enumerate()
        .map(|(i, terms)| {
            let terms = terms
                .to_builder()
                .currency(currencies[i % 3])
                .build()
                .unwrap();
            let principal = terms.principal();
            let mut loan = Loan::new(
                LoanId::new(format!("loan_{i:06}")).unwrap(),
                owner.clone(),
                NewLoan::new(format!("Loan {i}"), terms),
                now,
            )
            .unwrap();
            let paid = Decimal::new((i as i64 % 100) * 1_000, 2).min(principal);
            loan.set_aggregates(
                LoanAggregates {
                    total_repaid: paid + Decimal::new(1_234, 2),
                    repayment_count: (i % 50) as u32,
                    last_payment_date: NaiveDate::from_ymd_opt(2025, 6, 1),
                    position_as_of: NaiveDate::from_ymd_opt(2025, 6, 1),
                    principal_paid: paid,
                    interest_paid: Decimal::new(1_234, 2),
                    principal_outstanding: principal - paid,
                    amount_due: Decimal::ZERO,
                    payoff_amount: principal - paid + Decimal::new(321, 2),
                    remaining_scheduled: principal - paid + Decimal::new(54_321, 2),
                    days_past_due: 0,
                    owner_status: None,
                    ledger_checkpoint: None,
                },
                now,
            );
            match i % 7 % 3 {
                1 => loan
                    .transition(LoanStatus::Paid, TransitionReason::Closed)
                    .unwrap(),
                2 => loan
                    .transition(LoanStatus::Defaulted, TransitionReason::DefaultedByOwner)
                    .unwrap(),
                _ => {}
            }
            loan
        })
        .collect()
}

fn dashboard(c: &mut Criterion) {
    let loans = stored_loans();
    let s = summary(&loans).unwrap();
    assert_eq!(s.currencies.len(), 3);
    assert_eq!(
        s.currencies.iter().map(|c| c.counts.total()).sum::<u32>(),
        LOANS as u32
    );
    c.bench_function("summary_10000_loans_from_aggregates", |b| {
        b.iter(|| summary(black_box(&loans)).map(|s| s.currencies.len()))
    });
}

/// 10,000 loans of 120 monthly installments and 100 on-time repayments each (1,000,000).
fn ledger_data() -> (Vec<Loan>, Vec<Repayment>) {
    let owner = UserId::new("bench").unwrap();
    let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut loans = Vec::with_capacity(LOANS);
    let mut repayments = Vec::with_capacity(LOANS * REPAYMENTS_PER_LOAN);
    for i in 0..LOANS {
        let terms = loansyncro_benches::loan(
            Decimal::new(1_000_000 + (i as i64 * 7_919) % 50_000_000, 2),
            Decimal::new(100 + (i as i64 * 37) % 2_000, 2),
            120,
        );
        let loan = Loan::new(
            LoanId::new(format!("loan_{i:06}")).unwrap(),
            owner.clone(),
            NewLoan::new(format!("Loan {i}"), terms),
            now,
        )
        .unwrap();
        for (k, p) in on_time(loan.terms(), REPAYMENTS_PER_LOAN)
            .into_iter()
            .enumerate()
        {
            repayments.push(
                Repayment::new(
                    RepaymentId::new(format!("rep_{i:06}_{k:03}")).unwrap(),
                    loan.id().clone(),
                    owner.clone(),
                    NewRepayment::new(p.amount, p.date),
                    now,
                )
                .unwrap(),
            );
        }
        loans.push(loan);
    }
    (loans, repayments)
}

/// Refreshes every loan's aggregates from its repayments (replay on `as_of`), on `threads`
/// threads. Returns the new aggregates in loan order.
fn recompute(
    loans: &[Loan],
    repayments: &[Repayment],
    as_of: NaiveDate,
    threads: usize,
) -> Vec<LoanAggregates> {
    let mut by_loan: HashMap<&LoanId, Vec<&Repayment>> = HashMap::with_capacity(loans.len());
    for r in repayments {
        by_loan.entry(&r.loan_id).or_default().push(r);
    }
    let chunk = loans.len().div_ceil(threads.max(1)).max(1);
    let by_loan = &by_loan;
    std::thread::scope(|s| {
        let handles: Vec<_> = loans
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut own: Vec<Repayment> = Vec::new();
                    part.iter()
                        .map(|loan| {
                            let reps = by_loan.get(&loan.id()).map(Vec::as_slice).unwrap_or(&[]);
                            let paid: Vec<LedgerPayment> = reps
                                .iter()
                                .map(|r| LedgerPayment {
                                    date: r.date,
                                    amount: r.amount,
                                })
                                .collect();
                            let pos = position(loan.terms(), &paid, as_of).unwrap();
                            own.clear();
                            let mut agg = aggregates_from_position(&own, &pos);
                            // Counts and totals straight from the references (no clones).
                            for r in reps {
                                agg.total_repaid += r.amount;
                                agg.repayment_count += 1;
                                agg.last_payment_date = agg.last_payment_date.max(Some(r.date));
                            }
                            agg
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

fn full_recompute(c: &mut Criterion) {
    let (loans, repayments) = ledger_data();
    assert_eq!(repayments.len(), 1_000_000);
    let as_of = NaiveDate::from_ymd_opt(2033, 5, 1).unwrap();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let aggs = recompute(&loans, &repayments, as_of, threads);
    assert_eq!(aggs.len(), LOANS);
    assert!(aggs.iter().all(|a| a.repayment_count == 100));
    let mut group = c.benchmark_group("recompute");
    group.sample_size(10);
    group.bench_function(
        format!("10000_loans_1000000_repayments_{threads}_threads"),
        |b| b.iter(|| recompute(black_box(&loans), black_box(&repayments), as_of, threads).len()),
    );
    group.bench_function("10000_loans_1000000_repayments_1_thread", |b| {
        b.iter(|| recompute(black_box(&loans), black_box(&repayments), as_of, 1).len())
    });
    group.finish();
}

criterion_group!(benches, replay, dashboard, full_recompute);
criterion_main!(benches);
