//! Status semantics: a loan's status is a function of its terms, its repayments and an as-of
//! date (never of the clock), the owner's explicit status persists, repayments cannot be dated
//! in the future, and entering history later gives the statuses its dates imply.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use loansyncro_core::app::service::{status_date, StatusChange};
use loansyncro_core::domain::loan::{LoanId, NewLoan};
use loansyncro_core::domain::repayment::NewRepayment;
use loansyncro_core::domain::status::{replay_status, LoanStatus, StatusPolicy, TransitionReason};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::ledger::LedgerPayment;
use loansyncro_core::{LoanTerms, Rate};
use loansyncro_memory::embedded::{block_on, Tracker};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 1,200.00 at 0% over 12 months from `start` (100.00 a month), optionally with the loan's own
/// default threshold.
fn terms(start: NaiveDate, threshold: Option<u32>) -> LoanTerms {
    let b = LoanTerms::builder()
        .principal(dec!(1200))
        .installments(12)
        .start(start);
    match threshold {
        Some(days) => b.default_after_days_past_due(days),
        None => b,
    }
    .build()
    .unwrap()
}

fn ada() -> UserId {
    UserId::new("ada").unwrap()
}

fn new_loan(t: &Tracker, terms: LoanTerms) -> LoanId {
    t.create_loan(&ada(), NewLoan::new("Car", terms))
        .unwrap()
        .loan
        .id()
        .clone()
}

/// The history of a loan from 2025-01-01 with a 30-day threshold: on time, then 45 days late,
/// then caught up. Statuses its dates imply: active, active, defaulted, active (cured).
const HISTORY: [(u32, u32, Decimal); 4] = [
    (2, 1, dec!(100)),
    (3, 1, dec!(100)),
    (5, 16, dec!(50)),
    (5, 20, dec!(250)),
];
const EXPECTED: [LoanStatus; 4] = [
    LoanStatus::Active,
    LoanStatus::Active,
    LoanStatus::Defaulted,
    LoanStatus::Active,
];

fn statuses(t: &Tracker, loan: &LoanId, move_clock: bool) -> Vec<LoanStatus> {
    HISTORY
        .iter()
        .map(|&(m, day, amount)| {
            if move_clock {
                t.set_today(d(2025, m, day));
            }
            t.record_repayment(&ada(), loan, NewRepayment::new(amount, d(2025, m, day)))
                .unwrap()
                .loan
                .status()
        })
        .collect()
}

#[test]
fn a_historical_loan_entered_today_keeps_the_statuses_its_dates_imply() {
    // Entered on the day, the clock moving with the history.
    let live = Tracker::at_date(d(2025, 1, 1));
    let loan = new_loan(&live, terms(d(2025, 1, 1), Some(30)));
    assert_eq!(statuses(&live, &loan, true), EXPECTED);

    // Entered all at once, almost two years later.
    let later = Tracker::at_date(d(2026, 12, 4));
    let loan = new_loan(&later, terms(d(2025, 1, 1), Some(30)));
    assert_eq!(statuses(&later, &loan, false), EXPECTED);
    // The position shows how far behind the loan is today (the 50.00 paid ahead on 2025-05-20
    // shortened the term; 2025-06-01 is the oldest unpaid due date); the status is not imposed.
    let view = later.get_loan(&ada(), &loan).unwrap();
    assert_eq!(view.loan.status(), LoanStatus::Active);
    assert_eq!(view.loan.aggregates().position_as_of, Some(d(2026, 12, 4)));
    assert_eq!(view.loan.aggregates().amount_due, dec!(700.00));
    assert_eq!(view.loan.aggregates().days_past_due, 551);
    // As of today, under its own policy, it is defaulted; as of 2025-05-20 it was active.
    let (today, pos) = block_on(later.service().status_as_of(&ada(), &loan, None)).unwrap();
    assert_eq!((today, pos.days_past_due), (LoanStatus::Defaulted, 551));
    let (then, _) = block_on(
        later
            .service()
            .status_as_of(&ada(), &loan, Some(d(2025, 5, 20))),
    )
    .unwrap();
    assert_eq!(then, LoanStatus::Active);
}

#[test]
fn being_behind_is_shown_not_imposed_without_a_policy() {
    // The README's loan: started 2025-02-01, its first repayment recorded today (2026-12-04).
    let t = Tracker::at_date(d(2026, 12, 4));
    let loan = new_loan(&t, terms(d(2025, 2, 1), None));
    let out = t
        .record_repayment(&ada(), &loan, NewRepayment::new(dec!(100), d(2025, 3, 1)))
        .unwrap();
    assert_eq!(out.transition, None);
    assert_eq!(out.loan.status(), LoanStatus::Active);
    assert!(out.position.days_past_due > 600);
    assert_eq!(out.position.amount_due, dec!(1100.00));
    let (status, _) = block_on(t.service().status_as_of(&ada(), &loan, None)).unwrap();
    assert_eq!(status, LoanStatus::Active);
}

#[test]
fn a_repayment_dated_after_today_plus_a_day_is_refused() {
    let t = Tracker::at(d(2025, 3, 1).and_hms_opt(23, 30, 0).unwrap().and_utc());
    let loan = new_loan(&t, terms(d(2025, 1, 1), None));
    // Tomorrow in UTC is accepted (a user east of UTC is already there).
    let ok = t
        .record_repayment(&ada(), &loan, NewRepayment::new(dec!(10), d(2025, 3, 2)))
        .unwrap();
    let err = t
        .record_repayment(&ada(), &loan, NewRepayment::new(dec!(10), d(2025, 3, 3)))
        .unwrap_err();
    assert_eq!(err.code(), "validation");
    assert_eq!(err.field(), Some("date"));
    assert!(
        err.to_string().contains("2025-03-03 is in the future"),
        "{err}"
    );
    let err = t
        .update_repayment(
            &ada(),
            &ok.repayment.id,
            NewRepayment::new(dec!(10), d(2025, 4, 1)),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("date"));
    assert_eq!(
        t.get_loan(&ada(), &loan)
            .unwrap()
            .loan
            .aggregates()
            .repayment_count,
        1
    );
}

#[test]
fn the_owners_status_persists_until_another_action_or_the_loan_closing() {
    let t = Tracker::at_date(d(2025, 12, 1));
    let loan = new_loan(&t, terms(d(2025, 1, 1), Some(30)));
    // Declared defaulted while on time: repayments and edits keep it defaulted.
    t.set_defaulted(&ada(), &loan).unwrap();
    let out = t
        .record_repayment(&ada(), &loan, NewRepayment::new(dec!(100), d(2025, 2, 1)))
        .unwrap();
    assert_eq!(
        (out.loan.status(), out.transition),
        (LoanStatus::Defaulted, None)
    );
    let view = t.get_loan(&ada(), &loan).unwrap();
    let renamed = NewLoan::new("Renamed", view.loan.terms().clone()).with_description("blue");
    let out = t
        .update_loan(&ada(), &loan, renamed, view.loan.version())
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Defaulted);
    assert_eq!(out.loan.title(), "Renamed");
    assert_eq!(out.loan.aggregates(), view.loan.aggregates());
    assert_eq!(out.transition, None);
    let longer = view
        .loan
        .terms()
        .to_builder()
        .installments(24)
        .build()
        .unwrap();
    let out = t
        .update_loan(
            &ada(),
            &loan,
            NewLoan::new("Car", longer),
            out.loan.version(),
        )
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Defaulted);

    // Cured by the owner while 60 days late: stays active although past the threshold.
    t.cure(&ada(), &loan).unwrap();
    let out = t
        .record_repayment(&ada(), &loan, NewRepayment::new(dec!(1), d(2025, 5, 1)))
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Active);
    assert_eq!(out.transition, None);

    // Closing ends the owner's word: paid, then derived again when the balance reappears.
    let payoff = out.position.payoff_amount;
    let close = t
        .record_repayment(&ada(), &loan, NewRepayment::new(payoff, d(2025, 5, 1)))
        .unwrap();
    assert_eq!(close.loan.status(), LoanStatus::Paid);
    assert_eq!(close.loan.aggregates().owner_status, None);
    let reopened = t.delete_repayment(&ada(), &close.repayment.id).unwrap();
    assert_eq!(
        reopened.transition,
        Some(StatusChange {
            from: LoanStatus::Paid,
            to: LoanStatus::Defaulted,
            reason: TransitionReason::PastDueThreshold { days_past_due: 61 }
        })
    );
}

#[test]
fn a_put_with_unchanged_terms_never_recomputes_the_status() {
    let t = Tracker::at_date(d(2025, 1, 1));
    let loan = new_loan(&t, terms(d(2025, 1, 1), Some(30)));
    t.set_today(d(2025, 6, 1));
    // The clock moved far past the threshold; a rename keeps the stored status and figures.
    let view = t.get_loan(&ada(), &loan).unwrap();
    let out = t
        .update_loan(
            &ada(),
            &loan,
            NewLoan::new("Renamed", view.loan.terms().clone()),
            view.loan.version(),
        )
        .unwrap();
    assert_eq!(out.loan.status(), LoanStatus::Active);
    assert_eq!(out.loan.aggregates(), view.loan.aggregates());
    assert_eq!(out.loan.version(), view.loan.version() + 1);
}

/// Replays `payments` from scratch as of their own latest date.
fn from_scratch(terms: &LoanTerms, payments: &[LedgerPayment]) -> LoanStatus {
    let on = status_date(terms, payments.iter().map(|p| p.date));
    replay_status(terms, payments, on, &StatusPolicy::default(), None)
        .unwrap()
        .0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For any repayments entered in any order: after every entry the stored status equals the
    /// status replayed from scratch as of the same date, and the final status does not depend
    /// on the order of entry.
    #[test]
    fn incremental_statuses_equal_replayed_statuses(
        entries in prop::collection::vec((0u32..420, 1u32..=140), 1..8),
        threshold in prop::option::of(prop::sample::select(vec![0u32, 15, 45, 90])),
        order in any::<prop::sample::Index>(),
    ) {
        let start = d(2025, 1, 1);
        let terms = LoanTerms::builder()
            .principal(dec!(1200))
            .annual_rate(Rate::from_percent(dec!(12)).unwrap())
            .installments(12)
            .start(start)
            .build()
            .unwrap();
        let terms = match threshold {
            Some(days) => terms.to_builder().default_after_days_past_due(days).build().unwrap(),
            None => terms,
        };
        let payments: Vec<LedgerPayment> = entries
            .iter()
            .map(|&(offset, amount)| LedgerPayment {
                date: start + chrono::Days::new(u64::from(offset)),
                amount: Decimal::from(amount),
            })
            .collect();
        // Entry order: rotated by a random amount and reversed (covers in-order too).
        let mut shuffled = payments.clone();
        let k = order.index(shuffled.len());
        shuffled.rotate_left(k);
        if k % 2 == 1 {
            shuffled.reverse();
        }
        let mut finals = Vec::new();
        for sequence in [payments.clone(), shuffled] {
            let t = Tracker::at_date(d(2026, 12, 4));
            let loan = new_loan(&t, terms.clone());
            let mut entered = Vec::new();
            for p in &sequence {
                let out = t
                    .record_repayment(&ada(), &loan, NewRepayment::new(p.amount, p.date))
                    .unwrap();
                entered.push(*p);
                prop_assert_eq!(out.loan.status(), from_scratch(&terms, &entered));
            }
            finals.push(t.get_loan(&ada(), &loan).unwrap().loan.status());
        }
        prop_assert_eq!(finals[0], finals[1]);
        prop_assert_eq!(finals[0], from_scratch(&terms, &payments));
    }
}

/// A loan stored `defaulted` by an earlier version (no `owner_status` recorded) stays
/// defaulted on the next write instead of being cured by it: the owner's word (or the former
/// automatic rule) is kept until another explicit action or the loan closing.
#[test]
fn a_loan_defaulted_before_owner_statuses_were_recorded_stays_defaulted() {
    use loansyncro_core::app::ports::LoanRepository;
    let t = Tracker::at_date(d(2025, 12, 1));
    let loan = new_loan(&t, terms(d(2025, 1, 1), None));
    let mut legacy = t.get_loan(&ada(), &loan).unwrap().loan.into_record();
    let version = legacy.version;
    legacy.status = LoanStatus::Defaulted;
    legacy.aggregates.owner_status = None;
    let legacy = loansyncro_core::domain::loan::Loan::restore(legacy);
    block_on(t.store().update(legacy, version)).unwrap();
    let out = t
        .record_repayment(&ada(), &loan, NewRepayment::new(dec!(100), d(2025, 2, 1)))
        .unwrap();
    assert_eq!(
        (out.loan.status(), out.transition),
        (LoanStatus::Defaulted, None)
    );
    t.cure(&ada(), &loan).unwrap();
    assert_eq!(
        t.get_loan(&ada(), &loan).unwrap().loan.status(),
        LoanStatus::Active
    );
}
