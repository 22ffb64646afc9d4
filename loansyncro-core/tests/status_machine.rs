//! The loan status state machine: every allowed transition, every disallowed pair, and the
//! automatic transitions derived from a replayed position.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use loansyncro_core::domain::status::{
    next_status, LoanStatus, StatusPolicy, TransitionReason, TransitionRefusal,
};
use loansyncro_core::ledger::{position, LedgerPayment, Position};
use loansyncro_core::{Error, LoanTerms};
use rust_decimal_macros::dec;

use LoanStatus::{Active, Defaulted, Paid};

const REASONS: [TransitionReason; 5] = [
    TransitionReason::Closed,
    TransitionReason::BalanceReappeared,
    TransitionReason::DefaultedByOwner,
    TransitionReason::PastDueThreshold { days_past_due: 91 },
    TransitionReason::Cured,
];

fn allowed(from: LoanStatus, to: LoanStatus, reason: TransitionReason) -> bool {
    matches!(
        (from, to, reason),
        (Active, Paid, TransitionReason::Closed)
            | (Paid, Active, TransitionReason::BalanceReappeared)
            | (Active, Defaulted, TransitionReason::DefaultedByOwner)
            | (Active, Defaulted, TransitionReason::PastDueThreshold { .. })
            | (Paid, Defaulted, TransitionReason::PastDueThreshold { .. })
            | (Defaulted, Active, TransitionReason::Cured)
            | (Defaulted, Paid, TransitionReason::Closed)
    )
}

#[test]
fn every_allowed_transition() {
    let cases = [
        (Active, Paid, TransitionReason::Closed),
        (Paid, Active, TransitionReason::BalanceReappeared),
        (Active, Defaulted, TransitionReason::DefaultedByOwner),
        (
            Active,
            Defaulted,
            TransitionReason::PastDueThreshold { days_past_due: 120 },
        ),
        (Defaulted, Active, TransitionReason::Cured),
        (Defaulted, Paid, TransitionReason::Closed),
        // A balance reappeared on a loan long past due under a threshold policy.
        (
            Paid,
            Defaulted,
            TransitionReason::PastDueThreshold { days_past_due: 120 },
        ),
    ];
    for (from, to, reason) in cases {
        assert_eq!(
            from.transition(to, reason),
            Ok(to),
            "{from} -> {to} ({reason})"
        );
        assert!(from.can_transition(to, reason));
    }
}

#[test]
fn every_disallowed_combination_is_a_typed_error() {
    let mut refused = 0;
    for from in LoanStatus::ALL {
        for to in LoanStatus::ALL {
            for reason in REASONS {
                if allowed(from, to, reason) {
                    continue;
                }
                refused += 1;
                match from.transition(to, reason) {
                    Err(Error::InvalidTransition {
                        from: f,
                        to: t,
                        reason: why,
                    }) => {
                        assert_eq!((f, t), (from, to));
                        let pair_in_table = REASONS.iter().any(|r| allowed(from, to, *r));
                        let expected = if from == to {
                            TransitionRefusal::AlreadyInStatus
                        } else if pair_in_table {
                            TransitionRefusal::ReasonDoesNotApply { reason }
                        } else {
                            TransitionRefusal::NotAllowed
                        };
                        assert_eq!(why, expected, "{from} -> {to} ({reason})");
                    }
                    other => panic!("{from} -> {to} ({reason}) gave {other:?}"),
                }
                assert!(!from.can_transition(to, reason));
            }
        }
    }
    // 3 × 3 × 5 combinations, 7 allowed.
    assert_eq!(refused, 38);
}

#[test]
fn disallowed_pairs_regardless_of_reason() {
    for (from, to) in [(Active, Active), (Paid, Paid), (Defaulted, Defaulted)] {
        for reason in REASONS {
            let err = from.transition(to, reason).unwrap_err();
            assert_eq!(err.code(), "invalid_transition");
        }
    }
    // A pair that exists but with the wrong reason says so.
    let err = Active
        .transition(Paid, TransitionReason::Cured)
        .unwrap_err();
    assert!(err.to_string().contains("does not apply"), "{err}");
    let err = Paid
        .transition(Defaulted, TransitionReason::DefaultedByOwner)
        .unwrap_err();
    assert!(err.to_string().contains("does not apply"), "{err}");
    let err = Paid
        .transition(Defaulted, TransitionReason::Cured)
        .unwrap_err();
    assert!(err.to_string().contains("does not apply"), "{err}");
    let err = Paid.transition(Paid, TransitionReason::Closed).unwrap_err();
    assert!(err.to_string().contains("already paid"), "{err}");
}

#[test]
fn parse_display_and_serde() {
    for s in LoanStatus::ALL {
        assert_eq!(s.to_string().parse::<LoanStatus>().unwrap(), s);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
    assert_eq!(" Defaulted ".parse::<LoanStatus>().unwrap(), Defaulted);
    assert_eq!(
        "closed".parse::<LoanStatus>().unwrap_err().field(),
        Some("status")
    );
    assert_eq!(
        serde_json::to_string(&TransitionReason::PastDueThreshold { days_past_due: 91 }).unwrap(),
        r#"{"kind":"past_due_threshold","days_past_due":91}"#
    );
    assert_eq!(
        serde_json::to_string(&TransitionReason::Closed).unwrap(),
        r#"{"kind":"closed"}"#
    );
    let back: TransitionReason = serde_json::from_str(r#"{"kind":"cured"}"#).unwrap();
    assert_eq!(back, TransitionReason::Cured);
    assert_eq!(StatusPolicy::default().default_after_days_past_due, None);
    assert_eq!(LoanStatus::default(), Active);
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 1200 at 0%, 12 installments of 100 from 2025-02-01.
fn terms() -> LoanTerms {
    LoanTerms::builder()
        .principal(dec!(1200))
        .installments(12)
        .start(d(2025, 1, 1))
        .build()
        .unwrap()
}

fn pos(payments: &[LedgerPayment], as_of: NaiveDate) -> Position {
    position(&terms(), payments, as_of).unwrap()
}

fn pay(date: NaiveDate, amount: rust_decimal::Decimal) -> LedgerPayment {
    LedgerPayment { date, amount }
}

#[test]
fn next_status_follows_the_position() {
    let none = StatusPolicy::default();
    let policy = StatusPolicy::after_days_past_due(90);
    // Nothing paid; first due 2025-02-01. Without a policy nothing defaults automatically.
    let at_91 = pos(&[], d(2025, 5, 3));
    assert_eq!(at_91.days_past_due, 91);
    assert_eq!(next_status(Active, &at_91, &none, None), None);
    // With a 90-day threshold: 90 days past due stays active, 91 defaults.
    let at_90 = pos(&[], d(2025, 5, 2));
    assert_eq!(at_90.days_past_due, 90);
    assert_eq!(next_status(Active, &at_90, &policy, None), None);
    assert_eq!(
        next_status(Active, &at_91, &policy, None),
        Some((
            Defaulted,
            TransitionReason::PastDueThreshold { days_past_due: 91 }
        ))
    );
    assert_eq!(next_status(Defaulted, &at_91, &policy, None), None);
    // The owner's explicit status wins over the threshold until the loan closes.
    assert_eq!(next_status(Active, &at_91, &policy, Some(Active)), None);
    assert_eq!(next_status(Defaulted, &at_90, &none, Some(Defaulted)), None);
    let strict = StatusPolicy::after_days_past_due(10);
    assert_eq!(
        next_status(Active, &pos(&[], d(2025, 2, 12)), &strict, None),
        Some((
            Defaulted,
            TransitionReason::PastDueThreshold { days_past_due: 11 }
        ))
    );

    // Arrears cleared: cured (back within the threshold).
    let caught_up = [pay(d(2025, 5, 3), dec!(400))];
    let cured = pos(&caught_up, d(2025, 5, 3));
    assert_eq!(cured.amount_due, dec!(0));
    assert_eq!(
        next_status(Defaulted, &cured, &policy, None),
        Some((Active, TransitionReason::Cured))
    );
    assert_eq!(next_status(Active, &cured, &policy, None), None);

    // Fully repaid: a defaulted loan goes straight to paid, even one the owner declared.
    let repaid = [pay(d(2025, 5, 3), dec!(1200))];
    let closed = pos(&repaid, d(2025, 5, 3));
    assert!(closed.closed);
    for from in [Active, Defaulted] {
        let (to, reason) = next_status(from, &closed, &policy, Some(Defaulted)).unwrap();
        assert_eq!((to, reason), (Paid, TransitionReason::Closed));
        assert_eq!(from.transition(to, reason), Ok(Paid));
    }
    assert_eq!(next_status(Paid, &closed, &policy, None), None);

    // Removing the closing payment reopens the loan: active, or defaulted past the threshold.
    let reopened = pos(&[], d(2025, 5, 3));
    assert_eq!(
        next_status(Paid, &reopened, &none, None),
        Some((Active, TransitionReason::BalanceReappeared))
    );
    assert_eq!(
        Paid.transition(Active, TransitionReason::BalanceReappeared),
        Ok(Active)
    );
    let (to, reason) = next_status(Paid, &reopened, &policy, None).unwrap();
    assert_eq!(to, Defaulted);
    assert_eq!(Paid.transition(to, reason), Ok(Defaulted));
}
