//! The contract suite of recurring plans (feature `testing`): the port rules of
//! [`RecurringPlanRepository`] and the materialization run over a real adapter (a missed day, a
//! rerun, a crashed runner, two runners at once). Each function takes a fresh, empty store and
//! panics with a precise message when a rule is broken.
//!
//! ```ignore
//! loansyncro_core::app::testing_recurring::contract_recurring_plans(&MemoryStore::new()).await;
//! ```
// A test suite's job is to panic on a broken rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::app::ports::{
    DueCursor, FixedClock, LedgerStore, LoanRepository, NoopNotifier, RecurringPlanRepository,
    RepaymentRepository, SequentialIds, StoredPlan, UserRepository,
};
use crate::app::recurring::{MaterializeReport, NewRecurringPlan};
use crate::app::service::{LoanService, RepaymentFilter};
use crate::app::testing::{at, day, lid, sample_loan, uid};
use crate::domain::repayment::{PlanId, RecurringPlan};
use crate::error::{Error, Result};
use crate::math::calendar::Frequency;

/// The service the recurring contracts drive: a fixed clock and sequential ids shared by all
/// the services of one test.
pub type TestService<S> = LoanService<S, NoopNotifier, Arc<FixedClock>, Arc<SequentialIds>>;

/// A plan id from a literal.
pub fn pid(id: &str) -> PlanId {
    PlanId::new(id).expect("valid plan id")
}

/// A stored plan of `owner` on `loan`: `amount` every `frequency` from `first`, created at
/// minute `minute` of 2025.
pub fn sample_plan(
    owner: &str,
    id: &str,
    loan: &str,
    amount: Decimal,
    frequency: Frequency,
    first: NaiveDate,
    minute: i64,
) -> StoredPlan {
    let plan =
        RecurringPlan::new(pid(id), lid(loan), amount, frequency, first, None).expect("valid plan");
    StoredPlan::new(plan, uid(owner), at(minute))
}

fn ids(plans: &[StoredPlan]) -> Vec<String> {
    plans.iter().map(|p| p.plan.id.to_string()).collect()
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn command(amount: Decimal, frequency: Frequency, first: NaiveDate) -> NewRecurringPlan {
    NewRecurringPlan {
        amount,
        frequency,
        first_date: first,
        end: None,
    }
}

/// The port rules: owner scoping, listing order, conflicts, the due listing and its batches,
/// and `advance_plan` only moving forward.
/// The plans' loans exist (a store may keep plans with their loan, e.g. by a foreign key).
pub async fn contract_recurring_plans<S: RecurringPlanRepository + LoanRepository>(store: &S) {
    let (ada, bob) = (uid("ada"), uid("bob"));
    for (owner, id) in [("ada", "l1"), ("ada", "l2"), ("bob", "l9")] {
        store
            .insert(sample_loan(owner, id, "Car", at(0)))
            .await
            .unwrap();
    }
    let monthly = Frequency::Monthly;
    let p1 = sample_plan("ada", "p1", "l1", money(5000), monthly, day(3, 1), 2);
    let p2 = sample_plan(
        "ada",
        "p2",
        "l1",
        money(1000),
        Frequency::Weekly,
        day(2, 20),
        1,
    );
    let p3 = sample_plan("ada", "p3", "l2", money(700), monthly, day(3, 1), 3);
    let p4 = sample_plan("bob", "p4", "l9", money(125), monthly, day(4, 1), 0);
    for p in [&p1, &p2, &p3, &p4] {
        store.insert_plan(p.clone()).await.unwrap();
    }
    let dup = store.insert_plan(p1.clone()).await.unwrap_err();
    assert_eq!(dup.code(), "conflict", "a taken plan id: {dup}");

    assert_eq!(store.get_plan(&ada, &pid("p1")).await.unwrap(), p1);
    for (owner, id) in [(&bob, "p1"), (&ada, "p4"), (&ada, "nope")] {
        let err = store.get_plan(owner, &pid(id)).await.unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{owner} {id}: {err}");
    }
    assert_eq!(
        ids(&store.plans_for_loan(&ada, &lid("l1")).await.unwrap()),
        ["p2", "p1"],
        "(created_at, id) order"
    );
    assert!(store
        .plans_for_loan(&bob, &lid("l1"))
        .await
        .unwrap()
        .is_empty());

    // Due listing: every owner, (next_due, id) order, as_of inclusive.
    assert_eq!(
        ids(&store.due_plans(day(3, 1), None, 100).await.unwrap()),
        ["p2", "p1", "p3"]
    );
    assert_eq!(
        ids(&store.due_plans(day(4, 1), None, 100).await.unwrap()),
        ["p2", "p1", "p3", "p4"]
    );
    assert!(store
        .due_plans(day(2, 19), None, 100)
        .await
        .unwrap()
        .is_empty());
    let first = store.due_plans(day(4, 1), None, 2).await.unwrap();
    assert_eq!(ids(&first), ["p2", "p1"]);
    let cursor = first[1].due_cursor().unwrap();
    assert_eq!(
        cursor,
        DueCursor {
            next_due: day(3, 1),
            id: pid("p1")
        }
    );
    let rest = store.due_plans(day(4, 1), Some(&cursor), 2).await.unwrap();
    assert_eq!(ids(&rest), ["p3", "p4"]);
    for bad in [0, 101] {
        let err = store.due_plans(day(4, 1), None, bad).await.unwrap_err();
        assert_eq!(err.field(), Some("limit"), "limit {bad}");
    }

    // advance_plan: forward only, None is the end, owner scoped.
    assert!(store
        .advance_plan(&ada, &pid("p2"), Some(day(3, 6)))
        .await
        .unwrap());
    assert!(!store
        .advance_plan(&ada, &pid("p2"), Some(day(2, 27)))
        .await
        .unwrap());
    assert!(!store
        .advance_plan(&ada, &pid("p2"), Some(day(3, 6)))
        .await
        .unwrap());
    assert_eq!(
        store.get_plan(&ada, &pid("p2")).await.unwrap().next_due,
        Some(day(3, 6))
    );
    assert!(store.advance_plan(&ada, &pid("p3"), None).await.unwrap());
    assert!(!store
        .advance_plan(&ada, &pid("p3"), Some(day(12, 1)))
        .await
        .unwrap());
    assert_eq!(
        store.get_plan(&ada, &pid("p3")).await.unwrap().next_due,
        None
    );
    let err = store
        .advance_plan(&bob, &pid("p1"), Some(day(5, 1)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert_eq!(
        ids(&store.due_plans(day(3, 31), None, 100).await.unwrap()),
        ["p1", "p2"],
        "advanced plans move in the listing, ended ones leave it"
    );
    // Every other field survives an advance.
    let moved = store.get_plan(&ada, &pid("p2")).await.unwrap();
    assert_eq!(
        StoredPlan {
            next_due: p2.next_due,
            ..moved
        },
        p2
    );

    // Delete: owner scoped.
    let err = store.delete_plan(&bob, &pid("p1")).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    store.delete_plan(&ada, &pid("p1")).await.unwrap();
    let err = store.delete_plan(&ada, &pid("p1")).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert_eq!(
        ids(&store.plans_for_loan(&ada, &lid("l1")).await.unwrap()),
        ["p2"]
    );
}

/// A service over `store` with the clock at midnight of `today` and ids from 1000 on.
pub fn test_service<S>(store: S, today: NaiveDate) -> TestService<S>
where
    S: LedgerStore + UserRepository + RecurringPlanRepository,
{
    LoanService::new(
        store,
        NoopNotifier,
        Arc::new(FixedClock::at_date(today)),
        Arc::new(SequentialIds::starting_at(1000)),
    )
}

fn assert_report(
    report: &MaterializeReport,
    plans: u32,
    recorded: u32,
    already: u32,
    failures: &[(&str, NaiveDate, &str)],
) {
    assert_eq!(
        (report.plans, report.recorded, report.already_recorded),
        (plans, recorded, already),
        "(plans, recorded, already recorded) of {report:?}"
    );
    let got: Vec<(String, NaiveDate, &str)> = report
        .failures
        .iter()
        .map(|f| (f.plan_id.to_string(), f.date, f.error.code()))
        .collect();
    let want: Vec<(String, NaiveDate, &str)> = failures
        .iter()
        .map(|(id, date, code)| ((*id).to_owned(), *date, *code))
        .collect();
    assert_eq!(got, want, "failures of {report:?}");
}

/// The use cases over a real adapter: validation naming the field, another user's loan is
/// NotFound, a first run, a missed day (two occurrences at once), a runner that crashed between
/// recording and advancing, a rerun (nothing twice), a deleted repayment staying deleted, a
/// refused occurrence stopping its plan, an ended plan, and a plan whose loan is gone.
pub async fn contract_recurring_materialize<S>(store: S)
where
    S: LedgerStore + UserRepository + RecurringPlanRepository,
{
    let (ada, bob) = (uid("ada"), uid("bob"));
    for (owner, id) in [("ada", "l1"), ("ada", "l2"), ("ada", "l3"), ("bob", "b1")] {
        store
            .insert(sample_loan(owner, id, "Car", at(0)))
            .await
            .unwrap();
    }
    let svc = test_service(store, day(3, 1));
    let daily = Frequency::EveryNDays(1);

    // Validation names the field; the loan must be the caller's.
    let bad = [
        (command(money(0), daily, day(3, 1)), "amount"),
        (command(Decimal::new(1001, 3), daily, day(3, 1)), "amount"),
        (
            command(money(500), Frequency::EveryNDays(0), day(3, 1)),
            "frequency",
        ),
        (
            command(
                money(500),
                daily,
                NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            ),
            "first_date",
        ),
        (
            command(
                money(500),
                daily,
                NaiveDate::from_ymd_opt(1800, 1, 1).unwrap(),
            ),
            "first_date",
        ),
        (
            NewRecurringPlan {
                end: Some(day(2, 28)),
                ..command(money(500), daily, day(3, 1))
            },
            "end",
        ),
    ];
    for (cmd, field) in bad {
        let err = svc
            .create_recurring_plan(&ada, &lid("l1"), cmd.clone())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some(field), "{cmd:?}: {err}");
    }
    let ok = command(money(500), daily, day(3, 1));
    for result in [
        svc.create_recurring_plan(&bob, &lid("l1"), ok.clone())
            .await
            .map(|_| ()),
        svc.list_recurring_plans(&bob, &lid("l1")).await.map(|_| ()),
        svc.delete_recurring_plans(&bob, &lid("l1"))
            .await
            .map(|_| ()),
    ] {
        assert!(
            matches!(result, Err(Error::NotFound { .. })),
            "another user's loan: {result:?}"
        );
    }

    let d5 = svc
        .create_recurring_plan(&ada, &lid("l1"), ok)
        .await
        .unwrap();
    assert_eq!(d5.plan.id.as_str(), "plan_001000");
    assert_eq!(d5.next_due, Some(day(3, 1)));
    let weekly = svc
        .create_recurring_plan(
            &ada,
            &lid("l1"),
            NewRecurringPlan {
                end: Some(day(3, 1)),
                ..command(money(1000), Frequency::Weekly, day(2, 20))
            },
        )
        .await
        .unwrap();
    let big = svc
        .create_recurring_plan(
            &ada,
            &lid("l2"),
            command(money(200_000), Frequency::Monthly, day(2, 15)),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(&svc.list_recurring_plans(&ada, &lid("l1")).await.unwrap()),
        ["plan_001000", "plan_001001"]
    );

    // First run on 03-01: the weekly plan catches up two occurrences (02-20, 02-27) and ends,
    // the daily one records 03-01, the big one is an overpayment and stays on 02-15.
    let run = svc.materialize_due(day(3, 1)).await.unwrap();
    assert_report(&run, 3, 3, 0, &[("plan_001002", day(2, 15), "overpayment")]);
    let plan = |id: &PlanId| {
        let id = id.clone();
        let store = svc.store();
        let ada = ada.clone();
        async move { store.get_plan(&ada, &id).await.unwrap().next_due }
    };
    assert_eq!(plan(&d5.plan.id).await, Some(day(3, 2)));
    assert_eq!(plan(&weekly.plan.id).await, None, "ended");
    assert_eq!(
        plan(&big.plan.id).await,
        Some(day(2, 15)),
        "stays on the failure"
    );

    // 03-02 is missed; a runner recorded 03-02 and crashed before advancing the plan.
    svc.clock()
        .set(day(3, 3).and_time(chrono::NaiveTime::MIN).and_utc());
    let crashed = d5.plan.materialize_until(day(3, 2)).pop().unwrap();
    assert_eq!(
        crashed.idempotency_key.as_deref(),
        Some("plan:plan_001000:2025-03-02")
    );
    svc.record_repayment(&ada, &lid("l1"), crashed)
        .await
        .unwrap();
    let run = svc.materialize_due(day(3, 3)).await.unwrap();
    assert_report(&run, 2, 1, 1, &[("plan_001002", day(2, 15), "overpayment")]);
    assert_eq!(plan(&d5.plan.id).await, Some(day(3, 4)));

    // A rerun records nothing.
    let run = svc.materialize_due(day(3, 3)).await.unwrap();
    assert_report(&run, 1, 0, 0, &[("plan_001002", day(2, 15), "overpayment")]);

    let repayments = svc
        .list_repayments(&ada, &RepaymentFilter::Loan(lid("l1")))
        .await
        .unwrap();
    let got: Vec<(NaiveDate, Decimal, String)> = repayments
        .iter()
        .map(|r| (r.date, r.amount, r.idempotency_key.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                day(2, 20),
                money(1000),
                "plan:plan_001001:2025-02-20".into()
            ),
            (
                day(2, 27),
                money(1000),
                "plan:plan_001001:2025-02-27".into()
            ),
            (day(3, 1), money(500), "plan:plan_001000:2025-03-01".into()),
            (day(3, 2), money(500), "plan:plan_001000:2025-03-02".into()),
            (day(3, 3), money(500), "plan:plan_001000:2025-03-03".into()),
        ]
    );
    assert!(repayments
        .iter()
        .all(|r| r.notes.starts_with("recurring plan plan_00100")));
    let loan = LoanRepository::get(svc.store(), &ada, &lid("l1"))
        .await
        .unwrap();
    assert_eq!(loan.aggregates.total_repaid, money(3500));
    assert_eq!(loan.aggregates.repayment_count, 5);
    assert!(svc
        .list_repayments(&ada, &RepaymentFilter::Loan(lid("l2")))
        .await
        .unwrap()
        .is_empty());

    // A repayment its owner deleted stays deleted.
    svc.delete_repayment(&ada, &repayments[4].id).await.unwrap();
    let run = svc.materialize_due(day(3, 3)).await.unwrap();
    assert_eq!((run.recorded, run.already_recorded), (0, 0));
    assert_eq!(
        RepaymentRepository::list_for_loan(svc.store(), &ada, &lid("l1"))
            .await
            .unwrap()
            .len(),
        4
    );

    // The run date may be at most one day ahead of today.
    let err = svc.materialize_due(day(3, 5)).await.unwrap_err();
    assert_eq!(err.field(), Some("as_of"), "{err}");

    // Deleting: the plan must be of that loan and the caller's.
    let err = svc
        .delete_recurring_plan(&ada, &lid("l2"), &d5.plan.id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound { .. }),
        "plan of another loan: {err}"
    );
    let err = svc
        .delete_recurring_plan(&bob, &lid("b1"), &d5.plan.id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound { .. }),
        "another user's plan: {err}"
    );
    svc.delete_recurring_plan(&ada, &lid("l1"), &d5.plan.id)
        .await
        .unwrap();
    assert_eq!(
        ids(&svc.list_recurring_plans(&ada, &lid("l1")).await.unwrap()),
        ["plan_001001"]
    );
    assert_eq!(
        svc.delete_recurring_plans(&ada, &lid("l2")).await.unwrap(),
        1
    );

    // A plan whose loan is gone is removed (at the latest by the next run).
    let orphan = svc
        .create_recurring_plan(&ada, &lid("l3"), command(money(100), daily, day(3, 1)))
        .await
        .unwrap();
    svc.delete_loan(&ada, &lid("l3"), None).await.unwrap();
    let run = svc.materialize_due(day(3, 3)).await.unwrap();
    // Either the store deleted it with its loan, or the run found the loan gone.
    assert!(run.plans <= 1 && run.removed_plans == run.plans, "{run:?}");
    assert_eq!(run.recorded, 0);
    let err = svc
        .store()
        .get_plan(&ada, &orphan.plan.id)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(svc
        .store()
        .due_plans(day(3, 3), None, 100)
        .await
        .unwrap()
        .is_empty());
}

/// One materialization run, boxed for the caller's executor.
pub type RunFuture = Pin<Box<dyn Future<Output = Result<MaterializeReport>> + Send>>;

/// Two runners at once (two services on clones of `store`, started together by `join`, which
/// must run both futures concurrently, e.g. `tokio::spawn` on a multi-threaded runtime): every
/// occurrence of three daily plans over 41 days is recorded exactly once, the two reports
/// together count each occurrence once as recorded, and every plan ends on the next day.
pub async fn contract_recurring_concurrent_runners<S, J, F>(store: S, join: J)
where
    S: LedgerStore + UserRepository + RecurringPlanRepository + Clone + 'static,
    J: FnOnce(RunFuture, RunFuture) -> F,
    F: Future<Output = (Result<MaterializeReport>, Result<MaterializeReport>)>,
{
    let today = NaiveDate::from_ymd_opt(2025, 4, 10).unwrap();
    let clock = Arc::new(FixedClock::at_date(today));
    let seq = Arc::new(SequentialIds::starting_at(5000));
    let service = |store: S| {
        Arc::new(LoanService::new(
            store,
            NoopNotifier,
            Arc::clone(&clock),
            Arc::clone(&seq),
        ))
    };
    let (a, b) = (service(store.clone()), service(store));
    let owners = [("ada", "c1"), ("ada", "c2"), ("bob", "c3")];
    for (owner, loan) in owners {
        a.store()
            .insert(sample_loan(owner, loan, "Car", at(0)))
            .await
            .unwrap();
        a.create_recurring_plan(
            &uid(owner),
            &lid(loan),
            command(money(500), Frequency::EveryNDays(1), day(3, 1)),
        )
        .await
        .unwrap();
    }
    let run = |svc: Arc<TestService<S>>| -> RunFuture {
        Box::pin(async move { svc.materialize_due(today).await })
    };
    let (ra, rb) = join(run(Arc::clone(&a)), run(Arc::clone(&b))).await;
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(
        ra.failures.is_empty() && rb.failures.is_empty(),
        "{ra:?} {rb:?}"
    );
    assert_eq!(ra.recorded + rb.recorded, 3 * 41, "{ra:?} {rb:?}");
    for (owner, loan) in owners {
        let repayments = RepaymentRepository::list_for_loan(a.store(), &uid(owner), &lid(loan))
            .await
            .unwrap();
        let mut keys: Vec<String> = repayments
            .iter()
            .map(|r| r.idempotency_key.clone().unwrap())
            .collect();
        assert_eq!(repayments.len(), 41, "{loan}: every occurrence once");
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 41, "{loan}: every key once");
        assert_eq!(repayments[0].date, day(3, 1));
        assert_eq!(repayments[40].date, today);
        let stored = LoanRepository::get(a.store(), &uid(owner), &lid(loan))
            .await
            .unwrap();
        assert_eq!(stored.aggregates.total_repaid, money(500 * 41), "{loan}");
        assert_eq!(stored.aggregates.repayment_count, 41, "{loan}");
        let plans = a
            .list_recurring_plans(&uid(owner), &lid(loan))
            .await
            .unwrap();
        assert_eq!(plans[0].next_due, Some(day(4, 11)), "{loan}");
    }
    let rerun = a.materialize_due(today).await.unwrap();
    assert_eq!((rerun.plans, rerun.recorded), (0, 0));
}
