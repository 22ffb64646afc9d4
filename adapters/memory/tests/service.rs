//! The service use cases against the memory store, through the synchronous [`Tracker`].
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use loansyncro_core::app::ports::{LoanQuery, Notification};
use loansyncro_core::app::service::{PlanRequest, RepaymentFilter, ServiceConfig, StatusChange};
use loansyncro_core::domain::loan::{LoanId, NewLoan};
use loansyncro_core::domain::repayment::NewRepayment;
use loansyncro_core::domain::status::{LoanStatus, StatusPolicy, TransitionReason};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::ledger::planner::Strategy;
use loansyncro_core::{Currency, Error, LoanTerms, Rate};
use loansyncro_memory::embedded::Tracker;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn uid(s: &str) -> UserId {
    UserId::new(s).unwrap()
}

/// `principal` at `rate` percent over 12 months from 2025-01-01.
fn terms(currency: Currency, principal: Decimal, rate: Decimal) -> LoanTerms {
    LoanTerms::builder()
        .currency(currency)
        .principal(principal)
        .annual_rate(Rate::from_percent(rate).unwrap())
        .installments(12)
        .start(d(1, 1))
        .build()
        .unwrap()
}

/// A tracker on 2025-02-01 with user `ada` and her 1,200.00 USD loan at 0% (100.00 a month).
fn setup() -> (Tracker, UserId, LoanId) {
    let t = Tracker::at_date(d(2, 1));
    let ada = uid("ada");
    t.sync_user(&ada, "ada@example.com", "Ada Lovelace")
        .unwrap();
    let view = t
        .create_loan(
            &ada,
            NewLoan::new("Car", terms(Currency::USD, dec!(1200), dec!(0))),
        )
        .unwrap();
    (t, ada, view.loan.id().clone())
}

fn pay(amount: Decimal, date: NaiveDate) -> NewRepayment {
    NewRepayment::new(amount, date)
}

#[test]
fn sync_user_on_first_sight_then_updates() {
    let t = Tracker::at_date(d(1, 1));
    let ada = uid("ada");
    let first = t.sync_user(&ada, " ada@example.com ", "Ada").unwrap();
    assert_eq!(first.email, "ada@example.com");
    assert_eq!(first.created_at, t.now());
    t.set_today(d(3, 1));
    assert_eq!(t.sync_user(&ada, "ada@example.com", "Ada").unwrap(), first);
    let renamed = t.sync_user(&ada, "ada@new.example", "Ada L.").unwrap();
    assert_eq!(
        (renamed.email.as_str(), renamed.full_name.as_str()),
        ("ada@new.example", "Ada L.")
    );
    assert_eq!(renamed.created_at, first.created_at);
    let err = t.sync_user(&ada, "nope", "Ada").unwrap_err();
    assert_eq!(err.field(), Some("email"));
}

#[test]
fn create_get_list_and_derived_figures() {
    let t = Tracker::at_date(d(1, 1));
    let ada = uid("ada");
    let car = t
        .create_loan(
            &ada,
            NewLoan::new(" Car ", terms(Currency::USD, dec!(1200), dec!(12))).with_description("x"),
        )
        .unwrap();
    assert_eq!(car.loan.title(), "Car");
    assert_eq!(car.loan.id().as_str(), "loan_000001");
    assert_eq!(car.loan.version(), 1);
    assert_eq!(car.loan.status(), LoanStatus::Active);
    assert_eq!(car.installment, dec!(106.62));
    assert_eq!(car.total_scheduled, dec!(1279.42));
    assert_eq!(car.total_interest, dec!(79.42));
    let agg = &car.loan.aggregates();
    assert_eq!(agg.position_as_of, Some(d(1, 1)));
    assert_eq!(agg.principal_outstanding, dec!(1200));
    assert_eq!(agg.payoff_amount, dec!(1200));
    assert_eq!(agg.remaining_scheduled, dec!(1279.42));
    assert_eq!(
        t.take_notifications(),
        vec![Notification::LoanCreated {
            owner: ada.clone(),
            loan_id: car.loan.id().clone(),
            title: "Car".into()
        }]
    );
    assert_eq!(t.get_loan(&ada, &car.loan.id().clone()).unwrap(), car);

    let err = t
        .create_loan(
            &ada,
            NewLoan::new("  ", terms(Currency::USD, dec!(1), dec!(0))),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("title"));
    for title in ["Flat", "Bike", "Car wash"] {
        t.set_now(t.now() + chrono::Duration::seconds(1));
        t.create_loan(
            &ada,
            NewLoan::new(title, terms(Currency::EUR, dec!(100), dec!(0))),
        )
        .unwrap();
    }
    let page = t
        .list_loans(&ada, &LoanQuery::default().with_limit(3))
        .unwrap();
    let titles: Vec<_> = page.items.iter().map(|v| v.loan.title()).collect();
    assert_eq!(titles, vec!["Car", "Flat", "Bike"]);
    let rest = t
        .list_loans(
            &ada,
            &LoanQuery::default()
                .with_limit(3)
                .with_cursor(page.next_cursor),
        )
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].loan.title(), "Car wash");
    assert_eq!(rest.next_cursor, None);
    let found = t
        .list_loans(&ada, &LoanQuery::default().with_search("CAR"))
        .unwrap();
    assert_eq!(found.items.len(), 2);
    assert!(t
        .list_loans(&uid("bob"), &LoanQuery::default())
        .unwrap()
        .items
        .is_empty());
}

#[test]
fn another_users_loan_and_repayment_are_not_found() {
    let (t, ada, loan) = setup();
    let rep = t
        .record_repayment(&ada, &loan, pay(dec!(100), d(2, 1)))
        .unwrap();
    let rid = rep.repayment.id.clone();
    let bob = uid("bob");
    let nf = |e: Error| assert_eq!(e.code(), "not_found", "{e:?}");
    nf(t.get_loan(&bob, &loan).unwrap_err());
    nf(t.update_loan(
        &bob,
        &loan,
        NewLoan::new("Mine", terms(Currency::USD, dec!(1), dec!(0))),
        2,
    )
    .unwrap_err());
    nf(t.delete_loan(&bob, &loan).unwrap_err());
    nf(t.record_repayment(&bob, &loan, pay(dec!(1), d(2, 1)))
        .unwrap_err());
    nf(t.get_repayment(&bob, &rid).unwrap_err());
    nf(t.update_repayment(&bob, &rid, pay(dec!(1), d(2, 1)))
        .unwrap_err());
    nf(t.delete_repayment(&bob, &rid).unwrap_err());
    nf(t.position(&bob, &loan, None).unwrap_err());
    nf(t.set_defaulted(&bob, &loan).unwrap_err());
    nf(t.cure(&bob, &loan).unwrap_err());
    nf(
        t.list_repayments(&bob, &RepaymentFilter::Loan(loan.clone()))
            .unwrap_err(),
    );
    assert!(t
        .list_repayments(&bob, &RepaymentFilter::All)
        .unwrap()
        .is_empty());
    assert!(t.grouped_repayments(&bob, None).unwrap().is_empty());
    assert!(t.summary(&bob).unwrap().currencies.is_empty());
    // Nothing changed for Ada.
    let stored = t.get_loan(&ada, &loan).unwrap().loan;
    assert_eq!(stored.version(), 2);
    assert_eq!(stored.aggregates().total_repaid, dec!(100));
}

#[test]
fn record_repayment_replays_and_stores_aggregates() {
    let t = Tracker::at_date(d(2, 1));
    let ada = uid("ada");
    let loan = t
        .create_loan(
            &ada,
            NewLoan::new("Car", terms(Currency::USD, dec!(1200), dec!(12))),
        )
        .unwrap()
        .loan
        .id()
        .clone();
    t.take_notifications();
    let out = t
        .record_repayment(
            &ada,
            &loan,
            pay(dec!(106.62), d(2, 1)).with_notes("February"),
        )
        .unwrap();
    assert!(!out.replayed);
    assert_eq!(out.transition, None);
    assert_eq!(out.repayment.id.as_str(), "rep_000002");
    assert_eq!(out.repayment.notes, "February");
    assert_eq!(out.position.as_of, d(2, 1));
    assert_eq!(out.position.paid_interest, dec!(12.00));
    assert_eq!(out.position.paid_principal, dec!(94.62));
    assert_eq!(out.position.principal_outstanding, dec!(1105.38));
    let agg = &out.loan.aggregates();
    assert_eq!(out.loan.version(), 2);
    assert_eq!(agg.total_repaid, dec!(106.62));
    assert_eq!(agg.repayment_count, 1);
    assert_eq!(agg.last_payment_date, Some(d(2, 1)));
    assert_eq!(agg.interest_paid, dec!(12.00));
    assert_eq!(agg.principal_paid, dec!(94.62));
    assert_eq!(agg.principal_outstanding, dec!(1105.38));
    assert_eq!(agg.payoff_amount, dec!(1105.38));
    assert_eq!(agg.amount_due, dec!(0));
    assert_eq!(agg.remaining_scheduled, dec!(1172.80));
    assert_eq!(
        t.take_notifications(),
        vec![Notification::RepaymentRecorded {
            owner: ada.clone(),
            loan_id: loan.clone(),
            repayment_id: out.repayment.id.clone(),
            amount: dec!(106.62)
        }]
    );
    // Validation errors name the field; nothing is written.
    let err = t
        .record_repayment(&ada, &loan, pay(dec!(1.001), d(2, 1)))
        .unwrap_err();
    assert_eq!(err.field(), Some("amount"));
    let err = t
        .record_repayment(&ada, &loan, pay(dec!(0), d(2, 1)))
        .unwrap_err();
    assert_eq!(err.field(), Some("amount"));
    let err = t
        .record_repayment(
            &ada,
            &loan,
            pay(dec!(1), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("date"));
    assert_eq!(t.get_loan(&ada, &loan).unwrap().loan.version(), 2);
}

#[test]
fn overpayment_is_rejected_stating_the_payoff() {
    let (t, ada, loan) = setup();
    t.record_repayment(&ada, &loan, pay(dec!(100), d(2, 1)))
        .unwrap();
    let err = t
        .record_repayment(&ada, &loan, pay(dec!(1100.01), d(2, 1)))
        .unwrap_err();
    assert_eq!(
        err,
        Error::Overpayment {
            payoff: dec!(1100.00),
            attempted: dec!(1100.01),
            date: d(2, 1)
        }
    );
    assert_eq!(
        err.to_string(),
        "overpayment: 1100.01 exceeds the payoff amount 1100.00 on 2025-02-01"
    );
    let stored = t.get_loan(&ada, &loan).unwrap().loan;
    assert_eq!(stored.aggregates().repayment_count, 1);
    assert_eq!(stored.version(), 2);
}

#[test]
fn idempotent_retry_returns_the_first_result() {
    let (t, ada, loan) = setup();
    let cmd = pay(dec!(100), d(2, 1)).with_idempotency_key("feb");
    let first = t.record_repayment(&ada, &loan, cmd.clone()).unwrap();
    let again = t.record_repayment(&ada, &loan, cmd.clone()).unwrap();
    assert!(!first.replayed && again.replayed);
    assert_eq!(again.repayment, first.repayment);
    assert_eq!(again.loan, first.loan);
    assert_eq!(again.position, first.position);
    assert_eq!(again.transition, None);
    let stored = t.get_loan(&ada, &loan).unwrap().loan;
    assert_eq!(stored.aggregates().repayment_count, 1);
    assert_eq!(stored.version(), 2);
    // Only the first send is announced.
    let recorded = t
        .take_notifications()
        .into_iter()
        .filter(|n| matches!(n, Notification::RepaymentRecorded { .. }))
        .count();
    assert_eq!(recorded, 1);
    // The same key with another amount is a conflict.
    let err = t
        .record_repayment(
            &ada,
            &loan,
            pay(dec!(99), d(2, 1)).with_idempotency_key("feb"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
}

#[test]
fn paid_on_the_transition_only_and_reopened_by_deleting_the_last_repayment() {
    let (t, ada, loan) = setup();
    t.take_notifications();
    let a = t
        .record_repayment(&ada, &loan, pay(dec!(200), d(2, 1)))
        .unwrap();
    let b = t
        .record_repayment(&ada, &loan, pay(dec!(1000), d(2, 1)))
        .unwrap();
    assert_eq!(
        b.transition,
        Some(StatusChange {
            from: LoanStatus::Active,
            to: LoanStatus::Paid,
            reason: TransitionReason::Closed
        })
    );
    assert_eq!(b.loan.status(), LoanStatus::Paid);
    assert!(b.position.closed);
    assert_eq!(b.loan.aggregates().payoff_amount, dec!(0));
    let paid: Vec<_> = t
        .take_notifications()
        .into_iter()
        .filter(|n| matches!(n, Notification::LoanPaid { .. }))
        .collect();
    assert_eq!(
        paid,
        vec![Notification::LoanPaid {
            owner: ada.clone(),
            loan_id: loan.clone()
        }]
    );
    // Nothing more can be paid.
    let err = t
        .record_repayment(&ada, &loan, pay(dec!(0.01), d(2, 2)))
        .unwrap_err();
    assert_eq!(
        err,
        Error::Overpayment {
            payoff: dec!(0),
            attempted: dec!(0.01),
            date: d(2, 2)
        }
    );

    // Deleting the last repayment reopens the loan.
    let out = t.delete_repayment(&ada, &b.repayment.id).unwrap();
    assert_eq!(
        out.transition,
        Some(StatusChange {
            from: LoanStatus::Paid,
            to: LoanStatus::Active,
            reason: TransitionReason::BalanceReappeared
        })
    );
    assert_eq!(out.loan.status(), LoanStatus::Active);
    assert_eq!(out.loan.aggregates().total_repaid, dec!(200));
    assert_eq!(out.loan.aggregates().repayment_count, 1);
    assert_eq!(out.loan.aggregates().principal_outstanding, dec!(1000));
    assert_eq!(out.position.payoff_amount, dec!(1000));
    assert!(
        t.take_notifications().is_empty(),
        "no notification on reopening"
    );
    assert_eq!(
        t.get_repayment(&ada, &b.repayment.id).unwrap_err().code(),
        "not_found"
    );

    // Editing the remaining repayment up to the payoff pays the loan again: announced again.
    let edited = t
        .update_repayment(&ada, &a.repayment.id, pay(dec!(1200), d(2, 1)))
        .unwrap();
    assert_eq!(edited.loan.status(), LoanStatus::Paid);
    assert_eq!(edited.repayment.id, a.repayment.id);
    assert_eq!(edited.repayment.created_at, a.repayment.created_at);
    assert_eq!(edited.loan.aggregates().total_repaid, dec!(1200));
    assert_eq!(edited.loan.aggregates().repayment_count, 1);
    assert_eq!(
        t.take_notifications(),
        vec![Notification::LoanPaid {
            owner: ada.clone(),
            loan_id: loan.clone()
        }]
    );
    let err = t
        .update_repayment(&ada, &a.repayment.id, pay(dec!(1200.01), d(2, 1)))
        .unwrap_err();
    assert!(matches!(err, Error::Overpayment { payoff, .. } if payoff == dec!(1200)));
}

#[test]
fn update_loan_is_version_checked_and_recalculates() {
    let (t, ada, loan) = setup();
    let paid = t
        .record_repayment(&ada, &loan, pay(dec!(1200), d(2, 1)))
        .unwrap();
    assert_eq!(paid.loan.status(), LoanStatus::Paid);
    let bigger = NewLoan::new(
        "Car (refinanced)",
        terms(Currency::USD, dec!(2400), dec!(0)),
    );
    let err = t.update_loan(&ada, &loan, bigger.clone(), 1).unwrap_err();
    assert_eq!(err.code(), "conflict");
    let out = t.update_loan(&ada, &loan, bigger, 2).unwrap();
    assert_eq!(out.loan.version(), 3);
    assert_eq!(out.loan.title(), "Car (refinanced)");
    assert_eq!(out.loan.status(), LoanStatus::Active);
    assert_eq!(
        out.transition.map(|c| c.reason),
        Some(TransitionReason::BalanceReappeared)
    );
    assert_eq!(out.loan.aggregates().principal_outstanding, dec!(1200));
    assert_eq!(out.loan.aggregates().total_repaid, dec!(1200));
    let view = t.get_loan(&ada, &loan).unwrap();
    assert_eq!(view.installment, dec!(200));
    assert_eq!(view.total_scheduled, dec!(2400));
    // Shrinking below what was repaid would make the repayment overpay: refused.
    let smaller = NewLoan::new("Car", terms(Currency::USD, dec!(600), dec!(0)));
    let err = t.update_loan(&ada, &loan, smaller, 3).unwrap_err();
    assert!(matches!(err, Error::Overpayment { payoff, .. } if payoff == dec!(600)));
    assert_eq!(t.get_loan(&ada, &loan).unwrap().loan.version(), 3);
}

#[test]
fn delete_loan_cascades() {
    let (t, ada, loan) = setup();
    let rep = t
        .record_repayment(&ada, &loan, pay(dec!(100), d(2, 1)))
        .unwrap();
    t.delete_loan(&ada, &loan).unwrap();
    assert_eq!(t.get_loan(&ada, &loan).unwrap_err().code(), "not_found");
    assert_eq!(
        t.get_repayment(&ada, &rep.repayment.id).unwrap_err().code(),
        "not_found"
    );
    assert!(t
        .list_repayments(&ada, &RepaymentFilter::All)
        .unwrap()
        .is_empty());
    assert_eq!(t.store().stats().unwrap().repayments, 0);
    assert_eq!(t.delete_loan(&ada, &loan).unwrap_err().code(), "not_found");
}

#[test]
fn owner_default_and_cure() {
    let t = Tracker::at_date(d(1, 15));
    let ada = uid("ada");
    let loan = t
        .create_loan(
            &ada,
            NewLoan::new("Car", terms(Currency::USD, dec!(1200), dec!(0))),
        )
        .unwrap()
        .loan
        .id()
        .clone();
    let up = t.set_defaulted(&ada, &loan).unwrap();
    assert_eq!(up.loan.status(), LoanStatus::Defaulted);
    assert_eq!(up.loan.version(), 2);
    assert_eq!(up.change.reason, TransitionReason::DefaultedByOwner);
    let err = t.set_defaulted(&ada, &loan).unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    // A repayment without arrears to clear does not cure an owner's default.
    let out = t
        .record_repayment(&ada, &loan, pay(dec!(50), d(1, 15)))
        .unwrap();
    assert_eq!(out.transition, None);
    assert_eq!(out.loan.status(), LoanStatus::Defaulted);
    let cured = t.cure(&ada, &loan).unwrap();
    assert_eq!(cured.loan.status(), LoanStatus::Active);
    assert_eq!(cured.change.from, LoanStatus::Defaulted);
    assert_eq!(
        t.cure(&ada, &loan).unwrap_err().code(),
        "invalid_transition"
    );
    // A paid loan cannot be declared defaulted.
    t.record_repayment(&ada, &loan, pay(dec!(1150), d(1, 15)))
        .unwrap();
    assert_eq!(
        t.set_defaulted(&ada, &loan).unwrap_err().code(),
        "invalid_transition"
    );
}

#[test]
fn automatic_default_past_the_threshold_and_cure_when_arrears_clear() {
    let t = Tracker::at_date(d(6, 1));
    let ada = uid("ada");
    // Without a policy, being behind is shown, never imposed.
    let lenient = t
        .create_loan(
            &ada,
            NewLoan::new("Bike", terms(Currency::USD, dec!(1200), dec!(0))),
        )
        .unwrap()
        .loan
        .id()
        .clone();
    let out = t
        .record_repayment(&ada, &lenient, pay(dec!(10), d(6, 1)))
        .unwrap();
    assert_eq!(out.position.days_past_due, 120);
    assert_eq!(out.loan.aggregates().days_past_due, 120);
    assert_eq!(out.transition, None);
    assert_eq!(out.loan.status(), LoanStatus::Active);
    // The loan's own policy opts in to a 90-day threshold.
    let with_policy = terms(Currency::USD, dec!(1200), dec!(0))
        .to_builder()
        .default_after_days_past_due(90)
        .build()
        .unwrap();
    let loan = t
        .create_loan(&ada, NewLoan::new("Car", with_policy))
        .unwrap()
        .loan
        .id()
        .clone();
    // Installments of Feb 1 .. Jun 1 are due; Feb 1 is 120 days past due on Jun 1.
    let out = t
        .record_repayment(&ada, &loan, pay(dec!(10), d(6, 1)))
        .unwrap();
    assert_eq!(out.position.amount_due, dec!(490));
    assert_eq!(out.position.days_past_due, 120);
    assert_eq!(
        out.transition,
        Some(StatusChange {
            from: LoanStatus::Active,
            to: LoanStatus::Defaulted,
            reason: TransitionReason::PastDueThreshold { days_past_due: 120 }
        })
    );
    let out = t
        .record_repayment(&ada, &loan, pay(dec!(490), d(6, 1)))
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Active);
    assert_eq!(
        out.transition.map(|c| c.reason),
        Some(TransitionReason::Cured)
    );

    // A stricter policy defaults sooner.
    let strict = Tracker::with_config(
        d(3, 5).and_hms_opt(0, 0, 0).unwrap().and_utc(),
        ServiceConfig {
            status_policy: StatusPolicy::after_days_past_due(30),
            ..ServiceConfig::default()
        },
    );
    let l = strict
        .create_loan(
            &ada,
            NewLoan::new("Car", terms(Currency::USD, dec!(1200), dec!(0))),
        )
        .unwrap()
        .loan
        .id()
        .clone();
    let out = strict
        .record_repayment(&ada, &l, pay(dec!(1), d(3, 5)))
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Defaulted);
}

#[test]
fn a_failing_notifier_never_fails_a_use_case() {
    let (t, ada, loan) = setup();
    t.service().notifier().fail_with(Some(Error::Storage {
        operation: "Publish on SNS".into(),
        message: "SNS is down".into(),
    }));
    let out = t
        .record_repayment(&ada, &loan, pay(dec!(1200), d(2, 1)))
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Paid);
    t.create_loan(
        &ada,
        NewLoan::new("Bike", terms(Currency::USD, dec!(100), dec!(0))),
    )
    .unwrap();
    // Repayment recorded + loan paid + loan created.
    assert_eq!(t.service().notification_failures(), 3);
    assert_eq!(
        t.get_loan(&ada, &loan).unwrap().loan.status(),
        LoanStatus::Paid
    );
}

#[test]
fn positions_listings_groups_and_dashboard() {
    let (t, ada, car) = setup();
    let flat = t
        .create_loan(
            &ada,
            NewLoan::new("Flat", terms(Currency::EUR, dec!(1200), dec!(12))),
        )
        .unwrap()
        .loan
        .id()
        .clone();
    let bike = t
        .create_loan(
            &ada,
            NewLoan::new("Bike", terms(Currency::USD, dec!(300), dec!(0))),
        )
        .unwrap()
        .loan
        .id()
        .clone();
    t.record_repayment(&ada, &car, pay(dec!(100), d(2, 1)))
        .unwrap();
    t.record_repayment(&ada, &car, pay(dec!(50), d(1, 20)))
        .unwrap();
    t.record_repayment(&ada, &flat, pay(dec!(106.62), d(2, 1)))
        .unwrap();
    t.record_repayment(&ada, &bike, pay(dec!(300), d(2, 1)))
        .unwrap();

    let pos = t.position(&ada, &car, Some(d(3, 2))).unwrap();
    assert_eq!(pos.paid_total, dec!(150));
    assert_eq!(pos.amount_due, dec!(100));
    assert_eq!(pos.days_past_due, 1);
    assert_eq!(t.position(&ada, &car, None).unwrap().as_of, d(2, 1));
    let err = t
        .position(&ada, &car, NaiveDate::from_ymd_opt(2024, 1, 1))
        .unwrap_err();
    assert_eq!(err.field(), Some("as_of"));

    let all = t.list_repayments(&ada, &RepaymentFilter::All).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].date, d(1, 20));
    let car_reps = t
        .list_repayments(&ada, &RepaymentFilter::Loan(car.clone()))
        .unwrap();
    assert_eq!(
        car_reps.iter().map(|r| r.amount).collect::<Vec<_>>(),
        vec![dec!(50), dec!(100)]
    );

    let groups = t.grouped_repayments(&ada, None).unwrap();
    assert_eq!(
        groups.iter().map(|g| g.title.as_str()).collect::<Vec<_>>(),
        vec!["Car", "Flat", "Bike"]
    );
    assert_eq!(groups[0].total_repaid, dec!(150));
    assert_eq!(groups[0].remaining_balance, dec!(1050));
    assert_eq!(groups[0].progress, dec!(0.125));
    assert_eq!(groups[1].remaining_balance, dec!(1105.38));
    assert_eq!(groups[1].progress, dec!(0.0788));
    assert_eq!(groups[2].progress, dec!(1));
    assert_eq!(groups[2].status, LoanStatus::Paid);
    let searched = t.grouped_repayments(&ada, Some("fLa")).unwrap();
    assert_eq!(searched.len(), 1);
    assert_eq!(searched[0].repayment_count, 1);

    let s = t.summary(&ada).unwrap();
    assert_eq!(s.currencies.len(), 2);
    let eur = s.currency(Currency::EUR).unwrap();
    assert_eq!(eur.counts.total(), 1);
    assert_eq!(eur.total_borrowed, dec!(1200));
    assert_eq!(eur.total_repaid, dec!(106.62));
    assert_eq!(eur.interest_paid, dec!(12.00));
    assert_eq!(eur.principal_repaid, dec!(94.62));
    assert_eq!(eur.outstanding_payoff, dec!(1105.38));
    assert_eq!(eur.remaining_scheduled, dec!(1172.80));
    let usd = s.currency(Currency::USD).unwrap();
    assert_eq!(
        (usd.counts.active, usd.counts.paid, usd.counts.defaulted),
        (1, 1, 0)
    );
    assert_eq!(usd.total_borrowed, dec!(1500));
    assert_eq!(usd.total_repaid, dec!(450));
    assert_eq!(usd.interest_paid, dec!(0));
    assert_eq!(usd.principal_outstanding, dec!(1050));
    assert_eq!(usd.outstanding_payoff, dec!(1050));
    assert_eq!(usd.remaining_scheduled, dec!(1050));
    assert_eq!(usd.repayment_count, 3);

    // Replayed on a later date: the EUR loan has accrued half of March's interest.
    let later = t.summary_as_of(&ada, d(3, 16)).unwrap();
    let eur_later = later.currency(Currency::EUR).unwrap();
    assert_eq!(eur_later.principal_outstanding, dec!(1105.38));
    assert!(eur_later.outstanding_payoff > dec!(1105.38));
    assert_eq!(
        later.currency(Currency::USD).unwrap().principal_outstanding,
        dec!(1050)
    );
}

#[test]
fn payoff_plan_over_the_users_loans() {
    let t = Tracker::at_date(d(1, 1));
    let ada = uid("ada");
    let card = t
        .create_loan(
            &ada,
            NewLoan::new("Card", terms(Currency::USD, dec!(1000), dec!(24))),
        )
        .unwrap();
    let car = t
        .create_loan(
            &ada,
            NewLoan::new("Car", terms(Currency::USD, dec!(500), dec!(6))),
        )
        .unwrap();
    t.create_loan(
        &ada,
        NewLoan::new("Flat", terms(Currency::EUR, dec!(9000), dec!(3))),
    )
    .unwrap();
    let request = |strategy| PlanRequest {
        currency: Currency::USD,
        monthly_budget: dec!(300),
        strategy,
        start: Some(d(1, 31)),
    };
    let avalanche = t.plan(&ada, &request(Strategy::Avalanche)).unwrap();
    let snowball = t.plan(&ada, &request(Strategy::Snowball)).unwrap();
    assert_eq!(avalanche.debts.len(), 2);
    assert_eq!(avalanche.debts[0].id, card.loan.id().as_str());
    assert_eq!(avalanche.debts[0].name, "Card");
    assert_eq!(avalanche.debts[1].id, car.loan.id().as_str());
    assert_eq!(avalanche.total_paid, dec!(1500) + avalanche.total_interest);
    assert!(avalanche.total_interest <= snowball.total_interest);
    assert!(avalanche.interest_saved.unwrap() > dec!(0));
    let err = t
        .plan(
            &ada,
            &PlanRequest {
                currency: Currency::GBP,
                ..request(Strategy::Avalanche)
            },
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("debts"));
}

/// Property (deterministic sweep): a loan whose repayments sum to its payoff is paid, and
/// deleting the last of them reopens it.
#[test]
fn repayments_summing_to_the_payoff_pay_the_loan() {
    let mut seed: u64 = 0x5eed;
    let mut next = |bound: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % bound
    };
    for case in 0..40 {
        let principal = Decimal::new(10_000 + next(2_000_000) as i64, 2);
        let rate = Decimal::new(next(2400) as i64, 2);
        let n = 1 + next(36) as u32;
        let t = Tracker::at_date(d(1, 1));
        let ada = uid("ada");
        let terms = LoanTerms::builder()
            .principal(principal)
            .annual_rate(Rate::from_percent(rate).unwrap())
            .installments(n)
            .start(d(1, 1))
            .build()
            .unwrap();
        let loan = t
            .create_loan(&ada, NewLoan::new("L", terms))
            .unwrap()
            .loan
            .id()
            .clone();
        let pay_day = d(1 + next(12) as u32, 1 + next(28) as u32);
        t.set_today(pay_day);
        // A few partial payments, then exactly the payoff.
        let mut last = None;
        for _ in 0..next(4) {
            let payoff = t
                .position(&ada, &loan, Some(pay_day))
                .unwrap()
                .payoff_amount;
            let part = (payoff * Decimal::new(next(40) as i64 + 1, 2)).round_dp(2);
            if part > Decimal::ZERO && part < payoff {
                t.record_repayment(&ada, &loan, pay(part, pay_day)).unwrap();
            }
        }
        let payoff = t
            .position(&ada, &loan, Some(pay_day))
            .unwrap()
            .payoff_amount;
        let out = t
            .record_repayment(&ada, &loan, pay(payoff, pay_day))
            .unwrap();
        last.replace(out.repayment.id.clone());
        assert_eq!(
            out.loan.status(),
            LoanStatus::Paid,
            "case {case}: {principal} {rate}% {n}"
        );
        assert!(out.position.closed);
        assert_eq!(out.loan.aggregates().principal_outstanding, dec!(0));
        assert_eq!(
            out.loan.aggregates().principal_paid + out.loan.aggregates().interest_paid,
            out.loan.aggregates().total_repaid,
            "case {case}"
        );
        let reopened = t.delete_repayment(&ada, &last.unwrap()).unwrap();
        assert_eq!(reopened.loan.status(), LoanStatus::Active, "case {case}");
    }
}
