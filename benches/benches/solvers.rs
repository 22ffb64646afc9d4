//! The solvers of issue 16 on the reference mortgage (250,000 at 6.5% over 360 months):
//! `rate` from the payment, the Regulation Z APR of its schedule (with and without building the
//! schedule) and `pmt` in `Decimal`.
//!
//! `cargo bench -p loansyncro-benches --bench solvers`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use loansyncro_core::finance::apr::{apr_with_prepaid_finance_charge, CashFlow, UnitPeriod};
use loansyncro_core::finance::{self, When};
use rust_decimal::Decimal;

/// The mortgage's advance and its 360 scheduled payments (359 level ones and the last).
fn mortgage_flows() -> (Vec<CashFlow>, Vec<CashFlow>) {
    let terms = loansyncro_benches::mortgage();
    let advances = vec![CashFlow {
        date: terms.start(),
        amount: terms.principal(),
    }];
    let payments = terms
        .schedule()
        .map(|s| {
            s.installments()
                .iter()
                .map(|i| CashFlow {
                    date: i.due_date(),
                    amount: i.payment(),
                })
                .collect()
        })
        .unwrap_or_default();
    (advances, payments)
}

fn solvers(c: &mut Criterion) {
    let rate = Decimal::new(65, 3) / Decimal::from(12);
    let principal = Decimal::from(250_000);
    let payment = Decimal::new(-158_017, 2);
    let zero = Decimal::ZERO;
    let mut group = c.benchmark_group("solvers");
    group.bench_function("pmt_360", |b| {
        b.iter(|| finance::pmt(black_box(rate), 360, principal, zero, When::End))
    });
    group.bench_function("pmt_360_begin_fv", |b| {
        let balloon = Decimal::from(-50_000);
        b.iter(|| finance::pmt(black_box(rate), 360, principal, balloon, When::Begin))
    });
    group.bench_function("rate_360", |b| {
        b.iter(|| finance::rate(360, black_box(payment), principal, zero, When::End))
    });
    group.bench_function("rate_360_begin_fv", |b| {
        let balloon = Decimal::from(-50_000);
        let due = Decimal::new(-146_000, 2);
        b.iter(|| finance::rate(360, black_box(due), principal, balloon, When::Begin))
    });
    let (advances, payments) = mortgage_flows();
    let fee = Decimal::from(3000);
    group.bench_function("apr_360_flows", |b| {
        b.iter(|| {
            apr_with_prepaid_finance_charge(
                black_box(&advances),
                &payments,
                UnitPeriod::Months(1),
                fee,
            )
        })
    });
    let terms = loansyncro_benches::mortgage();
    group.bench_function("apr_360_terms", |b| b.iter(|| black_box(&terms).apr(fee)));
    group.finish();
}

criterion_group!(benches, solvers);
criterion_main!(benches);
