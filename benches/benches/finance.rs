//! Each finance function and the APR of a 360-payment mortgage:
//! `cargo bench -p loansyncro-benches --bench finance` (add `--features peers` for rust_finprim's
//! Decimal `pmt` side by side).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use loansyncro_core::finance::{self, When};
use rust_decimal::Decimal;

fn finance_functions(c: &mut Criterion) {
    let rate = Decimal::new(65, 3) / Decimal::from(12);
    let principal = Decimal::from(250_000);
    let payment = Decimal::new(-158_017, 2);
    let zero = Decimal::ZERO;
    let mut group = c.benchmark_group("finance");
    group.bench_function("pmt", |b| {
        b.iter(|| finance::pmt(black_box(rate), 360, principal, zero, When::End))
    });
    group.bench_function("ipmt", |b| {
        b.iter(|| finance::ipmt(black_box(rate), 180, 360, principal, zero, When::End))
    });
    group.bench_function("ppmt", |b| {
        b.iter(|| finance::ppmt(black_box(rate), 180, 360, principal, zero, When::End))
    });
    group.bench_function("pv", |b| {
        b.iter(|| finance::pv(black_box(rate), 360, payment, zero, When::End))
    });
    group.bench_function("fv", |b| {
        b.iter(|| finance::fv(black_box(rate), 360, payment, principal, When::End))
    });
    group.bench_function("nper", |b| {
        b.iter(|| finance::nper(black_box(rate), payment, principal, zero, When::End))
    });
    group.bench_function("rate", |b| {
        b.iter(|| finance::rate(360, black_box(payment), principal, zero, When::End))
    });
    group.bench_function("cumipmt", |b| {
        b.iter(|| finance::cumipmt(black_box(rate), 360, principal, 13, 24, When::End))
    });
    group.bench_function("cumprinc", |b| {
        b.iter(|| finance::cumprinc(black_box(rate), 360, principal, 13, 24, When::End))
    });
    #[cfg(feature = "peers")]
    group.bench_function("rust_finprim_pmt", |b| {
        b.iter(|| {
            rust_finprim::tvm::pmt(black_box(rate), Decimal::from(360), principal, None, None)
        })
    });
    group.finish();

    let terms = loansyncro_benches::mortgage();
    c.bench_function("apr_360_payments", |b| {
        b.iter(|| black_box(&terms).apr(Decimal::from(3000)))
    });
}

criterion_group!(benches, finance_functions);
criterion_main!(benches);
