//! `loansyncro-server materialize --store sqlite:PATH --as-of DATE`: the recurring job by
//! command on a file written beforehand: a missed day records both occurrences, a rerun records
//! nothing, bad arguments are usage errors naming the problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::{NaiveDate, TimeZone, Utc};
use loansyncro_core::app::ports::{LoanRepository, RecurringPlanRepository, StoredPlan};
use loansyncro_core::domain::loan::{Loan, LoanId, NewLoan};
use loansyncro_core::domain::repayment::{PlanId, RecurringPlan};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::{Frequency, LoanTerms, Rate};
use loansyncro_sqlite::SqliteStore;
use rust_decimal::Decimal;
use serde_json::Value;

fn materialize(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loansyncro-server"))
        .arg("materialize")
        .args(args)
        .output()
        .unwrap()
}

fn report(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn a_missed_day_then_a_rerun() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("server-materialize");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(format!("{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    {
        let store = SqliteStore::open(&db).unwrap();
        let terms = LoanTerms::builder()
            .principal(Decimal::new(100_000, 2))
            .annual_rate(Rate::from_percent(Decimal::new(6, 0)).unwrap())
            .installments(12)
            .start(d("2025-01-01"))
            .build()
            .unwrap();
        let owner = UserId::new("ada").unwrap();
        let at = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let loan = Loan::new(
            LoanId::new("l1").unwrap(),
            owner.clone(),
            NewLoan::new("Car", terms),
            at,
        )
        .unwrap();
        store.insert(loan).await.unwrap();
        let plan = RecurringPlan::new(
            PlanId::new("p1").unwrap(),
            LoanId::new("l1").unwrap(),
            Decimal::new(2550, 2),
            Frequency::EveryNDays(1),
            d("2025-03-01"),
            None,
        )
        .unwrap();
        store
            .insert_plan(StoredPlan::new(plan, owner, at))
            .await
            .unwrap();
    }
    let store_arg = format!("sqlite:{}", db.display());
    let first = report(&materialize(&[
        "--store",
        &store_arg,
        "--as-of",
        "2025-03-02",
    ]));
    assert_eq!(
        (
            &first["as_of"],
            &first["plans"],
            &first["recorded"],
            &first["already_recorded"]
        ),
        (
            &Value::from("2025-03-02"),
            &Value::from(1),
            &Value::from(2),
            &Value::from(0)
        )
    );
    let rerun = report(&materialize(&[
        "--store",
        &store_arg,
        "--as-of",
        "2025-03-02",
    ]));
    assert_eq!(
        (&rerun["plans"], &rerun["recorded"]),
        (&Value::from(0), &Value::from(0))
    );

    let store = SqliteStore::open(&db).unwrap();
    let owner = UserId::new("ada").unwrap();
    let reps = loansyncro_core::app::ports::RepaymentRepository::list_for_loan(
        &store,
        &owner,
        &LoanId::new("l1").unwrap(),
    )
    .await
    .unwrap();
    let got: Vec<(String, String, String)> = reps
        .iter()
        .map(|r| {
            (
                r.date.to_string(),
                r.amount.to_string(),
                r.idempotency_key.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "2025-03-01".into(),
                "25.50".into(),
                "plan:p1:2025-03-01".into()
            ),
            (
                "2025-03-02".into(),
                "25.50".into(),
                "plan:p1:2025-03-02".into()
            ),
        ]
    );
    let plan = store
        .get_plan(&owner, &PlanId::new("p1").unwrap())
        .await
        .unwrap();
    assert_eq!(plan.next_due, Some(d("2025-03-03")));
}

#[test]
fn bad_arguments_are_usage_errors() {
    let cases: [(&[&str], &str); 4] = [
        (&[], "needs --store"),
        (&["--store", "memory"], "usage"),
        (
            &["--store", "sqlite:/tmp/x.db", "--as-of", "03/01/2025"],
            "--as-of: expected YYYY-MM-DD",
        ),
        (&["--frobnicate"], "usage"),
    ];
    for (args, message) in cases {
        let out = materialize(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}
