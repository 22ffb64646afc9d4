//! The two schedule generators side by side on the reference mortgage (250,000 at 6.5% over
//! 360 months): the 64-bit fast path and the general period loop, called directly
//! (`cargo bench -p loansyncro-benches --bench schedule_paths`).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use loansyncro_core::schedule::{fast_path, general_loop};

fn paths(c: &mut Criterion) {
    let terms = loansyncro_benches::mortgage();
    let mut group = c.benchmark_group("schedule_paths_360");
    group.bench_function("fast_path", |b| {
        b.iter(|| fast_path(black_box(&terms)).map(|s| s.map(|s| s.len())))
    });
    group.bench_function("general_loop", |b| {
        b.iter(|| general_loop(black_box(&terms), None).map(|s| s.len()))
    });
    group.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
