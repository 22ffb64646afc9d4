//! The SQLite store on a file and on an in-memory database, on the same port calls:
//! `cargo bench -p loansyncro-sqlite`. Recording a repayment is one `BEGIN IMMEDIATE`
//! transaction with `synchronous = FULL` (an fsync per commit on a file); reads are plain
//! indexed SELECTs.

use criterion::{criterion_group, criterion_main, Criterion};
use loansyncro_core::app::ports::{LedgerStore, LoanQuery, LoanRepository};
use loansyncro_core::app::testing::{at, day, sample_loan, sample_repayment, uid, with_added};
use loansyncro_sqlite::SqliteStore;
use rust_decimal::Decimal;

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// 100 loans of `ada`, then a loop recording repayments on the first.
fn bench_store<S: LedgerStore>(
    c: &mut Criterion,
    name: &str,
    store: &S,
) -> Result<(), loansyncro_core::Error> {
    for i in 0..100 {
        block_on(store.insert(sample_loan(
            "ada",
            &format!("l{i:03}"),
            &format!("Car {i}"),
            at(i),
        )))?;
    }
    let ada = uid("ada");
    let first = sample_loan("ada", "l000", "Car 0", at(0));
    let mut group = c.benchmark_group(name);
    let mut n = 0u64;
    group.bench_function("record_repayment", |b| {
        b.iter(|| {
            n += 1;
            let rep = sample_repayment(
                &first,
                &format!("r{n:09}"),
                Decimal::new(101, 2),
                day(2, 1),
                None,
            );
            let current = block_on(LoanRepository::get(store, &ada, first.id())).ok();
            if let Some(loan) = current {
                let _ = block_on(store.record_repayment(
                    rep.clone(),
                    with_added(&loan, &rep),
                    loan.version(),
                ));
            }
        })
    });
    group.bench_function("get_loan", |b| {
        b.iter(|| block_on(LoanRepository::get(store, &ada, first.id())))
    });
    let query = LoanQuery::default().with_limit(50).with_search("car 1");
    group.bench_function("list_50_with_search", |b| {
        b.iter(|| block_on(store.list(&ada, &query)))
    });
    group.finish();
    Ok(())
}

fn stores(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("loansyncro-sqlite-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let results = [
        SqliteStore::open(dir.join("bench.db")).and_then(|s| bench_store(c, "sqlite_file", &s)),
        SqliteStore::open_in_memory().and_then(|s| bench_store(c, "sqlite_memory", &s)),
    ];
    let _ = std::fs::remove_dir_all(&dir);
    for r in results {
        if let Err(e) = r {
            eprintln!("bench setup failed: {e}");
        }
    }
}

criterion_group!(benches, stores);
criterion_main!(benches);
