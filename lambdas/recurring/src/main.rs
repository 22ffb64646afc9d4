//! The recurring-repayments Lambda: invoked by an EventBridge schedule (daily), it records every
//! due occurrence of every user's recurring plan through the service's normal repayment path
//! (`LoanService::materialize_due`), with the deterministic idempotency keys, so a retried or
//! duplicated invocation records nothing twice.
//!
//! The event's content is ignored except for an optional `"as_of": "YYYY-MM-DD"` (a manual
//! invocation catching up to a date); by default the run goes up to today (UTC). The answer
//! (and the log line) is the run's summary; occurrences the ledger refused are logged one by
//! one at warn level and stay due on their plan. A run that cannot list the due plans fails, and
//! the asynchronous invocation is retried by Lambda.

use std::sync::Arc;

use chrono::NaiveDate;
use lambda_http::lambda_runtime::{self, service_fn, LambdaEvent};
use loansyncro_api::bootstrap::{self, AnyNotifier};
use loansyncro_api::{App, Service};
use loansyncro_core::app::ports::Clock;
use loansyncro_core::app::recurring::MaterializeReport;
use loansyncro_core::math::calendar::{iso_date_reason, parse_iso_date};
use loansyncro_core::Error;
use loansyncro_dynamodb::DynamoStore;
use serde_json::{json, Value};

type Job = Service<DynamoStore, AnyNotifier>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    loansyncro_api::init_logging();
    let dynamo = match bootstrap::dynamo_config_from_env(true) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("recurring: {e}");
            std::process::exit(2);
        }
    };
    let store = DynamoStore::connect(dynamo).await;
    let notifier = bootstrap::notifier_from_env().await;
    let job: Arc<Job> = Arc::new(App::service(store, notifier));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let job = Arc::clone(&job);
        async move { run(&job, &event.payload).await }
    }))
    .await
}

/// One run: the date from the event (`as_of`) or today, the report as the answer.
async fn run(job: &Job, event: &Value) -> Result<Value, lambda_runtime::Error> {
    let as_of = as_of(event, job.clock().today())?;
    let report = job.materialize_due(as_of).await?;
    loansyncro_api::recurring::log_report(&report);
    Ok(summary(&report))
}

/// The run's date: the event's `as_of` (`YYYY-MM-DD`), else `today`.
fn as_of(event: &Value, today: NaiveDate) -> Result<NaiveDate, Error> {
    match event.get("as_of") {
        None | Some(Value::Null) => Ok(today),
        Some(Value::String(text)) => Ok(parse_iso_date("as_of", text)?),
        Some(value) => Err(Error::validation(
            "as_of",
            iso_date_reason(&value.to_string()),
        )),
    }
}

/// The answer: the counts, and each failure without its owner's id.
fn summary(report: &MaterializeReport) -> Value {
    json!({
        "as_of": report.as_of,
        "plans": report.plans,
        "recorded": report.recorded,
        "already_recorded": report.already_recorded,
        "removed_plans": report.removed_plans,
        "failures": report.failures.iter().map(|f| json!({
            "plan_id": f.plan_id,
            "loan_id": f.loan_id,
            "date": f.date,
            "code": f.error.code(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_comes_from_the_event_or_today() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let scheduled = json!({"source": "aws.events", "detail-type": "Scheduled Event", "time": "2025-03-03T00:15:00Z"});
        assert_eq!(as_of(&scheduled, today).unwrap(), today);
        let manual = json!({"as_of": "2025-03-01"});
        assert_eq!(
            as_of(&manual, today).unwrap(),
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
        for bad in [json!({"as_of": "03/01/2025"}), json!({"as_of": 20250301})] {
            let err = as_of(&bad, today).unwrap_err();
            assert_eq!(err.field(), Some("as_of"), "{err}");
        }
    }
}
