//! Schedule generation: LoanSyncro vs a naive Decimal loop, and vs rust_finprim (Decimal) with
//! `cargo bench -p loansyncro-benches --features peers --bench schedule`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;

fn schedules(c: &mut Criterion) {
    let terms = loansyncro_benches::mortgage();
    let mut group = c.benchmark_group("schedule_360");
    group.bench_function("loansyncro", |b| {
        b.iter(|| black_box(&terms).schedule().map(|s| s.len()))
    });
    let principal = Decimal::from(250_000);
    #[cfg(feature = "peers")]
    group.bench_function("rust_finprim_decimal", |b| {
        use rust_finprim::amort_dep_tax::amort_schedule;
        use rust_finprim::tvm::pmt;
        use rust_finprim::RoundingMode as FinprimRounding;
        let rate = Decimal::new(65, 3) / Decimal::from(12);
        b.iter(|| {
            let payment = pmt(rate, Decimal::from(360), principal, None, None);
            amort_schedule(
                black_box(rate),
                360,
                principal,
                payment,
                Some((2, FinprimRounding::HalfAwayFromZero, Decimal::new(1, 10))),
            )
            .len()
        })
    });
    group.bench_function("naive_decimal_loop", |b| {
        b.iter(|| {
            loansyncro_benches::naive_decimal_schedule(
                black_box(principal),
                Decimal::new(65, 3),
                360,
            )
        })
    });
    group.finish();

    let book = loansyncro_benches::portfolio(10_000);
    let mut batch = c.benchmark_group("schedules_10k");
    batch.sample_size(10);
    batch.bench_function("loansyncro", |b| {
        b.iter(|| {
            book.iter()
                .filter_map(|t| t.schedule().ok())
                .map(|s| s.len())
                .sum::<usize>()
        })
    });
    batch.finish();

    let mut what_if = c.benchmark_group("what_if_360");
    let extra = loansyncro_core::ExtraPayments::recurring(Decimal::from(200));
    what_if.bench_function("recurring_extra", |b| {
        b.iter(|| {
            black_box(&terms)
                .what_if(&extra)
                .map(|w| w.installments_saved)
        })
    });
    what_if.finish();
}

criterion_group!(benches, schedules);
criterion_main!(benches);
