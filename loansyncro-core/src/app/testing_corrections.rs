//! The contract suite of balance corrections (feature `testing`): the port rules of
//! [`CorrectionStore`] and the service's use cases over a real adapter (booking, idempotent
//! retries, dates, the undo, owner scoping, two writers at once). Each function takes a fresh,
//! empty store and panics with a precise message when a rule is broken.
//!
//! ```ignore
//! loansyncro_core::app::testing_corrections::contract_corrections_port(&MemoryStore::new()).await;
//! ```
// A test suite's job is to panic on a broken rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::app::corrections::CorrectionOutcome;
use crate::app::ports::{
    is_idempotency_conflict, is_stale_version, CorrectionStore, FixedClock, LoanRepository,
    NoopNotifier, SequentialIds, UserRepository,
};
use crate::app::service::LoanService;
use crate::app::testing::{at, day, lid, sample_loan, uid};
use crate::domain::correction::{BalanceCorrection, CorrectionId, NewCorrection};
use crate::domain::loan::Loan;
use crate::domain::repayment::NewRepayment;
use crate::error::{Error, Result};

/// The service the correction contracts drive.
pub type CorrectionService<S> = LoanService<S, NoopNotifier, Arc<FixedClock>, Arc<SequentialIds>>;

/// A correction id from a literal.
pub fn cid(id: &str) -> CorrectionId {
    CorrectionId::new(id).expect("valid correction id")
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A correction of `loan` (same owner) of `amount` on `date`, booked at minute `minute`.
pub fn sample_correction(
    loan: &Loan,
    id: &str,
    date: NaiveDate,
    amount: Decimal,
    key: Option<&str>,
    minute: i64,
) -> BalanceCorrection {
    BalanceCorrection {
        id: cid(id),
        loan_id: loan.id.clone(),
        owner: loan.owner.clone(),
        date,
        stated_balance: money(50000),
        amount,
        reason: format!("statement {id}"),
        idempotency_key: key.map(str::to_owned),
        created_at: at(minute),
    }
}

fn ids(list: &[BalanceCorrection]) -> Vec<&str> {
    list.iter().map(|c| c.id.as_str()).collect()
}

/// The port rules: owner and loan checks, the version check, idempotency keys, ledger order,
/// removal, deletion with the loan. The loans `l1`, `l2` (ada) and `l9` (bob) are created
/// here.
pub async fn contract_corrections_port<S: CorrectionStore>(store: &S) {
    for (owner, id) in [("ada", "l1"), ("ada", "l2"), ("bob", "l9")] {
        store
            .insert(sample_loan(owner, id, "Car", at(0)))
            .await
            .unwrap();
    }
    let (ada, bob) = (uid("ada"), uid("bob"));
    let l1 = LoanRepository::get(store, &ada, &lid("l1")).await.unwrap();
    let l9 = LoanRepository::get(store, &bob, &lid("l9")).await.unwrap();
    assert!(store
        .corrections_for_loan(&ada, &lid("l1"))
        .await
        .unwrap()
        .is_empty());

    // Ledger order: date, then booking time, then id, whatever the insertion order.
    let c2 = sample_correction(&l1, "c2", day(3, 1), money(-150), Some("k2"), 5);
    let c1 = sample_correction(&l1, "c1", day(2, 1), money(107), Some("k1"), 9);
    let c3 = sample_correction(&l1, "c3", day(3, 1), money(0), None, 7);
    let mut version = l1.version;
    for c in [&c2, &c1, &c3] {
        let stored = store
            .record_correction(c.clone(), l1.clone(), version)
            .await
            .unwrap_or_else(|e| panic!("recording {}: {e}", c.id));
        assert_eq!(stored.version, version + 1, "the loan's version moves on");
        version = stored.version;
    }
    let listed = store.corrections_for_loan(&ada, &lid("l1")).await.unwrap();
    assert_eq!(ids(&listed), ["c1", "c2", "c3"]);
    assert_eq!(listed[0], c1, "a correction reads back exactly");
    assert_eq!(listed[1].amount, money(-150));
    assert_eq!(listed[2].idempotency_key, None);
    let stored = LoanRepository::get(store, &ada, &lid("l1")).await.unwrap();
    assert_eq!(stored.version, version);

    // A stale version writes nothing.
    let late = sample_correction(&l1, "c4", day(4, 1), money(1), Some("k4"), 11);
    let e = store
        .record_correction(late.clone(), l1.clone(), version - 1)
        .await
        .unwrap_err();
    assert!(is_stale_version(&e), "stale: {e:?}");
    assert_eq!(
        store
            .corrections_for_loan(&ada, &lid("l1"))
            .await
            .unwrap()
            .len(),
        3
    );
    // A key used on the loan is the idempotency conflict (also with the right version).
    let again = sample_correction(&l1, "c5", day(4, 1), money(1), Some("k1"), 12);
    let e = store
        .record_correction(again, l1.clone(), version)
        .await
        .unwrap_err();
    assert!(is_idempotency_conflict(&e), "reused key: {e:?}");
    // The same key on another loan is fine.
    let l2 = LoanRepository::get(store, &ada, &lid("l2")).await.unwrap();
    let other = sample_correction(&l2, "c6", day(4, 1), money(1), Some("k1"), 12);
    store
        .record_correction(other, l2.clone(), l2.version)
        .await
        .unwrap();
    // An id taken is a conflict.
    let dup = sample_correction(&l1, "c1", day(4, 1), money(1), None, 13);
    assert!(matches!(
        store.record_correction(dup, l1.clone(), version).await,
        Err(Error::Conflict { .. })
    ));

    // Owner scoping: bob's loan is not found for ada; a mismatched correction is refused.
    assert!(matches!(
        store.corrections_for_loan(&ada, &lid("l9")).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.corrections_for_loan(&bob, &lid("l1")).await,
        Err(Error::NotFound { .. })
    ));
    let foreign = sample_correction(&l9, "c7", day(4, 1), money(1), None, 14);
    let e = store
        .record_correction(foreign, l1.clone(), version)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("loan_id"), "{e:?}");
    let mut ghost = l1.clone();
    ghost.id = lid("nope");
    let orphan = sample_correction(&ghost, "c8", day(4, 1), money(1), None, 15);
    assert!(matches!(
        store.record_correction(orphan, ghost, 0).await,
        Err(Error::NotFound { .. })
    ));

    // Removal: by the owner, on its loan, with the version; anything else writes nothing.
    assert!(matches!(
        store
            .remove_correction(&bob, &cid("c2"), l9.clone(), l9.version)
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store
            .remove_correction(&ada, &cid("c2"), l2.clone(), l2.version + 1)
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store
            .remove_correction(&ada, &cid("zz"), l1.clone(), version)
            .await,
        Err(Error::NotFound { .. })
    ));
    let e = store
        .remove_correction(&ada, &cid("c2"), l1.clone(), version - 1)
        .await
        .unwrap_err();
    assert!(is_stale_version(&e), "stale remove: {e:?}");
    let stored = store
        .remove_correction(&ada, &cid("c2"), l1.clone(), version)
        .await
        .unwrap();
    assert_eq!(stored.version, version + 1);
    let listed = store.corrections_for_loan(&ada, &lid("l1")).await.unwrap();
    assert_eq!(ids(&listed), ["c1", "c3"]);
    // Its key is free again.
    let reuse = sample_correction(&l1, "c9", day(4, 1), money(2), Some("k2"), 16);
    store
        .record_correction(reuse, l1.clone(), version + 1)
        .await
        .unwrap();

    // A loan's corrections go with it: a loan stored again under its id has none.
    store
        .delete_with_repayments(&ada, &lid("l2"), None)
        .await
        .unwrap();
    assert!(matches!(
        store.corrections_for_loan(&ada, &lid("l2")).await,
        Err(Error::NotFound { .. })
    ));
    store
        .insert(sample_loan("ada", "l2", "Car again", at(20)))
        .await
        .unwrap();
    assert!(store
        .corrections_for_loan(&ada, &lid("l2"))
        .await
        .unwrap()
        .is_empty());
}

/// A service over `store` whose clock says `today` (ids from 7000).
pub fn correction_service<S>(store: S, today: NaiveDate) -> CorrectionService<S>
where
    S: CorrectionStore + UserRepository,
{
    LoanService::new(
        store,
        NoopNotifier,
        Arc::new(FixedClock::at_date(today)),
        Arc::new(SequentialIds::starting_at(7000)),
    )
}

/// The use cases on the sample loan (1,000.00 at 6%, 12 monthly installments of 86.07 from
/// 2025-02-01): booking against the replayed ledger, exact positions, idempotent retries,
/// date and field errors, the undo, owner scoping.
pub async fn contract_corrections_service<S>(store: S)
where
    S: CorrectionStore + UserRepository,
{
    store
        .insert(sample_loan("ada", "l1", "Car", at(0)))
        .await
        .unwrap();
    let (ada, bob) = (uid("ada"), uid("bob"));
    let svc = correction_service(store, day(3, 10));
    let l1 = lid("l1");
    svc.record_repayment(&ada, &l1, NewRepayment::new(money(8607), day(2, 1)))
        .await
        .unwrap();

    // The engine says 918.93 on March 5th (the March installment billed, unpaid); the lender
    // says 920.00: +1.07 booked, and the corrected position has the stated balance.
    let cmd = NewCorrection::new(day(3, 5), money(92000), " lender statement 2025-03 ")
        .with_idempotency_key("stmt-2025-03");
    let first = svc.record_correction(&ada, &l1, cmd.clone()).await.unwrap();
    assert!(!first.replayed);
    let c = &first.correction;
    assert_eq!((c.amount, c.stated_balance), (money(107), money(92000)));
    assert_eq!(c.reason, "lender statement 2025-03");
    let p = &first.position;
    assert_eq!(p.position.principal_outstanding, money(92000));
    assert_eq!(p.adjustments, money(107));
    assert_eq!(
        p.position.paid_total,
        money(8607),
        "a correction is not paid"
    );
    assert_eq!(p.position.paid_principal, money(8107));

    // A retry with the key books nothing and answers the first correction.
    let again: CorrectionOutcome = svc.record_correction(&ada, &l1, cmd).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.correction, first.correction);
    // The key with another statement is a conflict, not a silent replay.
    let other = NewCorrection::new(day(3, 5), money(93000), "lender statement 2025-03")
        .with_idempotency_key("stmt-2025-03");
    let e = svc.record_correction(&ada, &l1, other).await.unwrap_err();
    assert!(is_idempotency_conflict(&e), "{e:?}");
    let ledger = svc.corrected_ledger(&ada, &l1, None).await.unwrap();
    assert_eq!(ledger.corrections, vec![first.correction.clone()]);
    assert_eq!(ledger.position.position.as_of, day(3, 10));
    assert_eq!(ledger.position.adjustments, money(107));

    // A lower statement: booked against the corrected ledger (920.00 -> 900.00: -20.00).
    let lower = NewCorrection::new(day(3, 6), money(90000), "lender statement 2025-03b");
    let second = svc.record_correction(&ada, &l1, lower).await.unwrap();
    assert_eq!(second.correction.amount, money(-2000));
    assert_eq!(second.position.position.principal_outstanding, money(90000));
    assert_eq!(second.position.adjustments, money(-1893));

    // Errors name the field; nothing is booked.
    let bad = [
        (
            NewCorrection::new(
                NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
                money(1),
                "s",
            ),
            "date",
        ),
        (NewCorrection::new(day(3, 12), money(1), "s"), "date"),
        (
            NewCorrection::new(day(3, 5), money(-1), "s"),
            "stated_balance",
        ),
        (
            NewCorrection::new(day(3, 5), Decimal::new(1, 3), "s"),
            "stated_balance",
        ),
        (NewCorrection::new(day(3, 5), money(1), ""), "reason"),
    ];
    for (cmd, field) in bad {
        let e = svc
            .record_correction(&ada, &l1, cmd.clone())
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some(field), "{cmd:?}: {e:?}");
    }
    // Another user's loan is not found, for every use case.
    let cmd = NewCorrection::new(day(3, 5), money(1), "s");
    assert!(matches!(
        svc.record_correction(&bob, &l1, cmd).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        svc.corrected_ledger(&bob, &l1, None).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        svc.delete_correction(&bob, &l1, &first.correction.id).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        svc.corrected_ledger(&ada, &l1, None)
            .await
            .unwrap()
            .corrections
            .len(),
        2
    );

    // The undo: deleting both gives back the repayments-only position.
    svc.delete_correction(&ada, &l1, &second.correction.id)
        .await
        .unwrap();
    let after = svc
        .delete_correction(&ada, &l1, &first.correction.id)
        .await
        .unwrap();
    assert!(after.corrections.is_empty());
    assert_eq!(after.position.adjustments, Decimal::ZERO);
    assert_eq!(
        after.position.position,
        svc.position(&ada, &l1, Some(day(3, 10))).await.unwrap()
    );
    assert!(matches!(
        svc.delete_correction(&ada, &l1, &first.correction.id).await,
        Err(Error::NotFound { .. })
    ));
}

/// A boxed booking, for [`contract_corrections_concurrent`].
pub type BookFuture = Pin<Box<dyn Future<Output = Result<CorrectionOutcome>> + Send>>;

/// Two writers at once on one loan (run by `join`, e.g. two tokio tasks): two statements of
/// the same date booked concurrently are serialized by the loan's version, so the second is
/// booked against the first and the ledger ends at the balance of one of them (never at the
/// sum of two differences computed from the same balance); two retries with one key book once.
pub async fn contract_corrections_concurrent<S, J, F>(store: S, join: J)
where
    S: CorrectionStore + UserRepository + Clone + 'static,
    J: Fn(BookFuture, BookFuture) -> F,
    F: Future<Output = (Result<CorrectionOutcome>, Result<CorrectionOutcome>)>,
{
    store
        .insert(sample_loan("ada", "l1", "Car", at(0)))
        .await
        .unwrap();
    let svc = Arc::new(correction_service(store, day(3, 10)));
    let ada = uid("ada");
    let book = |stated: i64, key: &str| -> BookFuture {
        let (svc, ada) = (Arc::clone(&svc), ada.clone());
        let cmd =
            NewCorrection::new(day(3, 5), money(stated), "statement").with_idempotency_key(key);
        Box::pin(async move { svc.record_correction(&ada, &lid("l1"), cmd).await })
    };
    // Nothing paid: the engine says 1,000.00 on March 5th (two installments billed, unpaid).
    let (a, b) = join(book(99000, "a"), book(98000, "b")).await;
    let (a, b) = (a.unwrap(), b.unwrap());
    let ledger = svc
        .corrected_ledger(&ada, &lid("l1"), Some(day(3, 5)))
        .await
        .unwrap();
    let end = ledger.position.position.principal_outstanding;
    assert_eq!(ledger.corrections.len(), 2);
    assert!(end == money(99000) || end == money(98000), "ends at {end}");
    assert_eq!(ledger.position.adjustments, end - money(100000));
    assert_eq!(
        a.correction.amount + b.correction.amount,
        end - money(100000)
    );

    let (x, y) = join(book(97000, "same"), book(97000, "same")).await;
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.correction, y.correction, "one key, one correction");
    assert!(x.replayed != y.replayed);
    let ledger = svc
        .corrected_ledger(&ada, &lid("l1"), Some(day(3, 5)))
        .await
        .unwrap();
    assert_eq!(ledger.corrections.len(), 3);
    assert_eq!(ledger.position.position.principal_outstanding, money(97000));
}
