//! Throughput and latency against a DynamoDB server (DynamoDB Local in the test suite).
//!
//! ```text
//! LOANSYNCRO_DYNAMODB_ENDPOINT=http://127.0.0.1:8000 \
//!   cargo run --release -p loansyncro-dynamodb --bin ddb-bench -- [REPAYMENTS] [LOANS]
//! ```
//!
//! Measures, on fresh tables (deleted at the end):
//! 1. repayments recorded per second, one after another (read the loan, write the repayment
//!    and the loan in one transaction: what the service does);
//! 2. the same with 8 tasks, each on its own loan, and with 8 tasks on one shared loan
//!    (optimistic-concurrency retries);
//! 3. the latency of a portfolio summary's reads for a user with LOANS loans (walking the
//!    listing in pages of 100), median and p90 of 20 runs, with the request counts.
#![allow(clippy::print_stdout)]

use std::error::Error as StdError;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use loansyncro_core::app::ports::{is_stale_version, LedgerStore, LoanQuery, LoanRepository};
use loansyncro_core::domain::loan::{Loan, LoanId, NewLoan};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::{LoanTerms, Rate};
use loansyncro_dynamodb::{DynamoConfig, DynamoStore, TableNames, ENDPOINT_ENV};
use rust_decimal::Decimal;

type BoxResult<T> = Result<T, Box<dyn StdError + Send + Sync>>;

fn terms() -> BoxResult<LoanTerms> {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).ok_or("date")?;
    Ok(LoanTerms::builder()
        .principal(Decimal::new(100_000_000, 2))
        .annual_rate(Rate::from_percent(Decimal::new(65, 1))?)
        .installments(360)
        .start(start)
        .build()?)
}

fn loan(owner: &str, id: &str, minute: i64) -> BoxResult<Loan> {
    let at = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .ok_or("time")?
        + chrono::Duration::minutes(minute);
    Ok(Loan::new(
        LoanId::new(id)?,
        UserId::new(owner)?,
        NewLoan::new(format!("Loan {id}"), terms()?),
        at,
    )?)
}

/// Reads the loan, adds the repayment, writes both; retries on a stale version.
async fn record(
    store: &DynamoStore,
    owner: &UserId,
    loan_id: &LoanId,
    id: String,
) -> BoxResult<u32> {
    let date = NaiveDate::from_ymd_opt(2025, 2, 1).ok_or("date")?;
    let mut conflicts = 0;
    loop {
        let current = LoanRepository::get(store, owner, loan_id).await?;
        let rep = Repayment::new(
            RepaymentId::new(id.clone())?,
            loan_id.clone(),
            owner.clone(),
            NewRepayment::new(Decimal::new(1_050, 2), date),
            chrono::DateTime::<Utc>::from(std::time::SystemTime::now()),
        )?;
        let mut next = current.clone();
        next.set_aggregates(
            current.aggregates().with_repayment(&rep),
            current.updated_at(),
        );
        match store.record_repayment(rep, next, current.version()).await {
            Ok(_) => return Ok(conflicts),
            Err(e) if is_stale_version(&e) => conflicts += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

fn per_second(n: usize, elapsed: Duration) -> f64 {
    #[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
    let rate = n as f64 / elapsed.as_secs_f64();
    rate
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> BoxResult<()> {
    let endpoint = std::env::var(ENDPOINT_ENV)
        .map_err(|_| format!("set {ENDPOINT_ENV} to a DynamoDB endpoint (e.g. DynamoDB Local)"))?;
    let mut args = std::env::args().skip(1);
    let repayments: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(200);
    let loans: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(200);
    let prefix = format!("bench-{}-", std::process::id());
    let store = DynamoStore::connect(DynamoConfig::local(
        endpoint,
        TableNames::with_prefix(&prefix),
    ))
    .await;
    store.create_tables().await?;
    let result = run(&store, repayments, loans).await;
    store.delete_tables().await?;
    result
}

async fn run(store: &DynamoStore, repayments: usize, loans: usize) -> BoxResult<()> {
    let owner = UserId::new("bench-user")?;

    // 1. Sequential.
    let seq = loan("bench-user", "seq", 0)?;
    store.insert(seq.clone()).await?;
    // Warm-up (connections, JIT of the server).
    for i in 0..20 {
        record(store, &owner, seq.id(), format!("warm-{i}")).await?;
    }
    store.requests().reset();
    let started = Instant::now();
    for i in 0..repayments {
        record(store, &owner, seq.id(), format!("seq-{i}")).await?;
    }
    let elapsed = started.elapsed();
    let counts = store.requests().snapshot();
    println!(
        "sequential: {repayments} repayments in {:.3} s = {:.0} repayments/s; requests {counts:?}",
        elapsed.as_secs_f64(),
        per_second(repayments, elapsed)
    );

    // 2a. 8 tasks, one loan each.
    for t in 0..8 {
        store
            .insert(loan("bench-user", &format!("par-{t}"), 1)?)
            .await?;
    }
    let per_task = repayments.div_ceil(8);
    let started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..8 {
        let store = store.clone();
        let owner = owner.clone();
        handles.push(tokio::spawn(async move {
            let loan_id = LoanId::new(format!("par-{t}"))?;
            for i in 0..per_task {
                record(&store, &owner, &loan_id, format!("par-{t}-{i}")).await?;
            }
            BoxResult::Ok(())
        }));
    }
    for h in handles {
        h.await??;
    }
    let elapsed = started.elapsed();
    println!(
        "8 tasks, own loans: {} repayments in {:.3} s = {:.0} repayments/s",
        per_task * 8,
        elapsed.as_secs_f64(),
        per_second(per_task * 8, elapsed)
    );

    // 2b. 8 tasks, one shared loan.
    store.insert(loan("bench-user", "shared", 2)?).await?;
    let started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..8 {
        let store = store.clone();
        let owner = owner.clone();
        handles.push(tokio::spawn(async move {
            let loan_id = LoanId::new("shared")?;
            let mut conflicts = 0;
            for i in 0..per_task {
                conflicts += record(&store, &owner, &loan_id, format!("sh-{t}-{i}")).await?;
            }
            BoxResult::Ok(conflicts)
        }));
    }
    let mut conflicts = 0;
    for h in handles {
        conflicts += h.await??;
    }
    let elapsed = started.elapsed();
    println!(
        "8 tasks, one shared loan: {} repayments in {:.3} s = {:.0} repayments/s ({conflicts} stale-version retries)",
        per_task * 8,
        elapsed.as_secs_f64(),
        per_second(per_task * 8, elapsed)
    );

    // 3. Summary reads for a user with `loans` loans.
    let many = UserId::new("many-loans")?;
    for i in 0..loans {
        let minute = i64::try_from(i)?;
        store
            .insert(loan("many-loans", &format!("m-{i:04}"), minute)?)
            .await?;
    }
    let mut times = Vec::new();
    let mut requests = Default::default();
    for run in 0..21 {
        store.requests().reset();
        let started = Instant::now();
        let mut cursor = None;
        let mut seen = 0;
        loop {
            let query = LoanQuery::default().with_limit(100).with_cursor(cursor);
            let page = store.list(&many, &query).await?;
            seen += page.items.len();
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        if seen != loans {
            return Err(format!("summary saw {seen} loans, expected {loans}").into());
        }
        if run > 0 {
            times.push(started.elapsed());
        }
        requests = store.requests().snapshot();
    }
    times.sort();
    println!(
        "summary reads, {loans} loans (pages of 100): median {:?}, p90 {:?}; requests {requests:?}",
        times[times.len() / 2],
        times[times.len() * 9 / 10],
    );
    Ok(())
}
