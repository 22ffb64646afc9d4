//! The recurring-repayments job of the local server, the same `LoanService::materialize_due`
//! the scheduled Lambda runs:
//!
//! * on a timer, with `--recurring-every 1h` (`s`, `m`, `h` or `d`): a first run at start-up,
//!   then one per period, each up to today (UTC); its summary is logged;
//! * by command, on a store that outlives the process:
//!   `loansyncro-server materialize --store sqlite:PATH [--as-of YYYY-MM-DD]` (or
//!   `--store dynamodb` with the `aws` feature). The command prints the run's report as JSON and
//!   exits 0, or 1 when an occurrence was refused.
//!
//! There is deliberately no HTTP trigger: a route that records repayments for every user would
//! need an administrator identity the API does not have, and the timer covers local use.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::NaiveDate;
use loansyncro_api::{App, Notify, Service, Store};
use loansyncro_core::app::ports::Clock;

use crate::fail;

/// The `--recurring-every` period, when given (set once at start-up).
static EVERY: OnceLock<Duration> = OnceLock::new();

/// Parses a period: a positive whole number followed by `s`, `m`, `h` or `d` (`90s`, `1h`).
pub(crate) fn parse_period(text: &str) -> Option<Duration> {
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: u64 = number.parse().ok().filter(|n| *n > 0)?;
    let seconds = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(seconds))
}

/// Records the `--recurring-every` period (the first call wins).
pub(crate) fn set_period(every: Duration) {
    let _ = EVERY.set(every);
}

/// Starts the timer on `app`'s service if `--recurring-every` was given.
pub(crate) fn start<S: Store, N: Notify>(app: &App<S, N>) {
    let Some(every) = EVERY.get().copied() else {
        return;
    };
    let service = Arc::clone(&app.service);
    println!("recurring repayments: materialized every {every:?} (first run now)");
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let today = service.clock().today();
            match service.materialize_due(today).await {
                Ok(report) => loansyncro_api::recurring::log_report(&report),
                Err(e) => tracing::error!(code = e.code(), error = %e, "recurring run failed"),
            }
        }
    });
}

fn command_usage() -> ! {
    eprintln!(
        "usage: loansyncro-server materialize --store sqlite:PATH|dynamodb [--as-of YYYY-MM-DD]\n\
         records every recurring occurrence due by --as-of (default today, UTC) and prints the report"
    );
    std::process::exit(2)
}

/// `loansyncro-server materialize ...` (the arguments after `materialize`).
pub(crate) async fn command(args: impl Iterator<Item = String>) -> ! {
    let mut store: Option<String> = None;
    let mut as_of: Option<NaiveDate> = None;
    let mut args = args;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store = Some(args.next().unwrap_or_else(|| command_usage())),
            "--as-of" => {
                let text = args.next().unwrap_or_else(|| command_usage());
                as_of = Some(
                    NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap_or_else(|_| {
                        fail(format!("--as-of: expected YYYY-MM-DD, got {text:?}"))
                    }),
                );
            }
            _ => command_usage(),
        }
    }
    let store = store.unwrap_or_else(|| {
        fail("materialize needs --store sqlite:PATH (or dynamodb): an in-memory store has no plans")
    });
    let code = match store.as_str() {
        "dynamodb" => run_on_dynamodb(as_of).await,
        other => match other.strip_prefix("sqlite:").filter(|p| !p.is_empty()) {
            Some(path) => {
                let store = loansyncro_sqlite::SqliteStore::open(path)
                    .unwrap_or_else(|e| fail(format!("{path}: {e}")));
                run_once(store, as_of).await
            }
            None => command_usage(),
        },
    };
    std::process::exit(code)
}

#[cfg(feature = "aws")]
async fn run_on_dynamodb(as_of: Option<NaiveDate>) -> i32 {
    if loansyncro_dynamodb::config::local_endpoint().is_none()
        && std::env::var("AWS_REGION").is_err()
    {
        fail("--store dynamodb needs LOANSYNCRO_DYNAMODB_ENDPOINT (or AWS settings)");
    }
    let config =
        loansyncro_api::bootstrap::dynamo_config_from_env(false).unwrap_or_else(|e| fail(e));
    let store = loansyncro_dynamodb::DynamoStore::connect(config).await;
    run_once(store, as_of).await
}

#[cfg(not(feature = "aws"))]
async fn run_on_dynamodb(_as_of: Option<NaiveDate>) -> i32 {
    fail("--store dynamodb needs the `aws` feature: cargo run -p loansyncro-server --features aws -- materialize ...")
}

/// One run on `store`; prints the report; 0 when every due occurrence was recorded.
async fn run_once<S: Store>(store: S, as_of: Option<NaiveDate>) -> i32 {
    let service: Service<S, _> =
        App::<S, loansyncro_core::app::ports::NoopNotifier>::service(store, Default::default());
    let as_of = as_of.unwrap_or_else(|| service.clock().today());
    match service.materialize_due(as_of).await {
        Ok(report) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            i32::from(!report.failures.is_empty())
        }
        Err(e) => fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(parse_period("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_period("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_period("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_period("2d"), Some(Duration::from_secs(172_800)));
        for bad in ["", "h", "0h", "1", "1w", "-1h", "1.5h", "h1"] {
            assert_eq!(parse_period(bad), None, "{bad:?}");
        }
    }
}
