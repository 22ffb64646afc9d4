//! The contract test suite every storage adapter runs (feature `testing`).
//!
//! Each `contract_*` function takes a fresh, empty store, exercises one group of the port rules
//! listed in [`crate::app::ports`], and panics with a precise message when the store breaks one. The
//! functions only await the port futures, so they run under any executor. An adapter's tests
//! call [`run_contract_suite`], or, for one test per rule group, the [`contract_tests!`]
//! macro:
//!
//! ```ignore
//! loansyncro_core::contract_tests!(#[tokio::test]; MemoryStore::new());
//! ```
//!
//! [`contract_tests!`]: crate::contract_tests
// A test suite's job is to panic on a broken rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Debug;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::app::ports::LoanRepository as Loans;
use crate::app::ports::RepaymentRepository as Repayments;
use crate::app::ports::UserRepository as Users;
use crate::app::ports::{
    is_idempotency_conflict, is_stale_version, LedgerStore, LoanQuery, UserRepository,
};
use crate::domain::loan::{Loan, LoanAggregates, LoanId, NewLoan};
use crate::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use crate::domain::status::LoanStatus;
use crate::domain::user::{User, UserId};
use crate::error::{ConflictKind, Error, Result};
use crate::math::rate::Rate;
use crate::schedule::terms::LoanTerms;

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// A user id from a literal.
pub fn uid(id: &str) -> UserId {
    UserId::new(id).expect("valid user id")
}

/// A loan id from a literal.
pub fn lid(id: &str) -> LoanId {
    LoanId::new(id).expect("valid loan id")
}

/// A repayment id from a literal.
pub fn rid(id: &str) -> RepaymentId {
    RepaymentId::new(id).expect("valid repayment id")
}

/// 2025-01-01T00:00:00Z plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// A date in 2025 from month and day.
pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, month, d).expect("valid date")
}

/// 12 monthly installments on 1,000.00 at 6% from 2025-01-01.
pub fn sample_terms() -> LoanTerms {
    LoanTerms::builder()
        .principal(Decimal::new(100_000, 2))
        .annual_rate(Rate::from_percent(Decimal::new(6, 0)).expect("valid rate"))
        .installments(12)
        .start(day(1, 1))
        .build()
        .expect("valid terms")
}

/// A new loan of `owner` with the sample terms, created at `created_at`.
pub fn sample_loan(owner: &str, id: &str, title: &str, created_at: DateTime<Utc>) -> Loan {
    Loan::new(
        lid(id),
        uid(owner),
        NewLoan::new(title, sample_terms()),
        created_at,
    )
    .expect("valid loan")
}

/// A repayment of `loan` (same owner) of `amount` on `date`, optionally with a key.
pub fn sample_repayment(
    loan: &Loan,
    id: &str,
    amount: Decimal,
    date: NaiveDate,
    key: Option<&str>,
) -> Repayment {
    let mut cmd = NewRepayment::new(amount, date);
    cmd.idempotency_key = key.map(str::to_owned);
    Repayment::new(rid(id), loan.id.clone(), loan.owner.clone(), cmd, at(1_000))
        .expect("valid repayment")
}

/// `loan` as the service would write it after adding `repayment`: aggregates updated and
/// `updated_at` stamped (the store sets the version).
pub fn with_added(loan: &Loan, repayment: &Repayment) -> Loan {
    let mut next = loan.clone();
    next.aggregates = loan.aggregates.with_repayment(repayment);
    next.updated_at = repayment.created_at;
    next
}

/// `loan` as stored after a write with `expected_version`: version `expected_version + 1`.
fn stored_as(mut loan: Loan, expected_version: u64) -> Loan {
    loan.version = expected_version + 1;
    loan
}

/// Records `repayment` on its loan the way a service does under contention: read the loan,
/// add the repayment to the aggregates, write with the version read, and on a stale-version
/// conflict read again and retry. Returns the stored loan and the number of conflicts met.
/// Any other error is returned as is.
pub async fn record_with_retry<S: LedgerStore>(
    store: &S,
    repayment: Repayment,
) -> Result<(Loan, u32)> {
    let mut conflicts = 0u32;
    loop {
        let loan =
            crate::app::ports::LoanRepository::get(store, &repayment.owner, &repayment.loan_id)
                .await?;
        let version = loan.version;
        let next = with_added(&loan, &repayment);
        match store
            .record_repayment(repayment.clone(), next, version)
            .await
        {
            Ok(stored) => return Ok((stored, conflicts)),
            Err(e) if is_stale_version(&e) => conflicts += 1,
            Err(e) => return Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

#[track_caller]
fn assert_not_found<T: Debug>(result: Result<T>, what: &str) {
    match result {
        Err(Error::NotFound { .. }) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// The exact conflict `kind` (the store must raise the typed kind, not any conflict).
#[track_caller]
fn assert_conflict_kind<T: Debug>(result: Result<T>, kind: ConflictKind, what: &str) {
    match result {
        Err(Error::Conflict { kind: got }) if got == kind => {}
        other => panic!("{what}: expected Conflict {kind:?}, got {other:?}"),
    }
}

/// The stale-version conflict of `loan` written with `expected` while `stored` is stored.
#[track_caller]
fn assert_stale<T: Debug>(
    result: Result<T>,
    loan: &LoanId,
    expected: u64,
    stored: u64,
    what: &str,
) {
    match result {
        Err(ref e) if !is_stale_version(e) => {
            panic!("{what}: is_stale_version is false for {e:?}")
        }
        other => assert_conflict_kind(
            other,
            ConflictKind::StaleVersion {
                loan_id: loan.clone(),
                expected,
                stored,
            },
            what,
        ),
    }
}

/// Any conflict (where the rules do not say which check comes first).
#[track_caller]
fn assert_conflict<T: Debug>(result: Result<T>, what: &str) {
    match result {
        Err(Error::Conflict { .. }) => {}
        other => panic!("{what}: expected Conflict, got {other:?}"),
    }
}

/// The reused-key conflict of `key` on `loan`.
#[track_caller]
fn assert_idempotency_conflict<T: Debug>(result: Result<T>, loan: &LoanId, key: &str, what: &str) {
    match result {
        Err(ref e) if !is_idempotency_conflict(e) => {
            panic!("{what}: is_idempotency_conflict is false for {e:?}")
        }
        other => assert_conflict_kind(
            other,
            ConflictKind::IdempotencyKeyReused {
                loan_id: loan.clone(),
                key: key.to_owned(),
            },
            what,
        ),
    }
}

/// The already-exists conflict of `entity` `id`.
#[track_caller]
fn assert_exists<T: Debug>(result: Result<T>, entity: &str, id: &str, what: &str) {
    assert_conflict_kind(
        result,
        ConflictKind::AlreadyExists {
            entity: entity.into(),
            id: id.into(),
        },
        what,
    );
}

#[track_caller]
fn assert_validation<T: Debug>(result: Result<T>, field: &str, what: &str) {
    match result {
        Err(Error::Validation { field: f, .. }) if f == field => {}
        other => panic!("{what}: expected Validation on {field}, got {other:?}"),
    }
}

fn ids(loans: &[Loan]) -> Vec<String> {
    loans.iter().map(|l| l.id.to_string()).collect()
}

fn rep_ids(reps: &[Repayment]) -> Vec<String> {
    reps.iter().map(|r| r.id.to_string()).collect()
}

/// Inserts `loan` and returns it (panics if the store refuses).
async fn put<S: LedgerStore>(store: &S, loan: Loan) -> Loan {
    Loans::insert(store, loan.clone())
        .await
        .unwrap_or_else(|e| panic!("insert {}: {e:?}", loan.id));
    loan
}

/// Records `rep` on `loan` (whose stored version is `loan.version`) and returns the stored loan.
async fn record<S: LedgerStore>(store: &S, loan: &Loan, rep: &Repayment) -> Loan {
    let next = with_added(loan, rep);
    let stored = store
        .record_repayment(rep.clone(), next.clone(), loan.version)
        .await
        .unwrap_or_else(|e| panic!("record {}: {e:?}", rep.id));
    assert_eq!(
        stored,
        stored_as(next, loan.version),
        "record returns the stored loan"
    );
    stored
}

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

/// Users: get of an absent user is `None`; upsert inserts, then updates e-mail and name while
/// keeping `created_at`; find by e-mail follows the current address.
pub async fn contract_users<S: UserRepository>(store: &S) {
    let ada = uid("ada");
    assert_eq!(Users::get(store, &ada).await.unwrap(), None);
    assert_eq!(
        Users::find_by_email(store, "ada@example.com")
            .await
            .unwrap(),
        None
    );

    let first = User::new(ada.clone(), "ada@example.com", "Ada", at(0)).unwrap();
    assert_eq!(Users::upsert(store, first.clone()).await.unwrap(), first);
    assert_eq!(Users::get(store, &ada).await.unwrap(), Some(first.clone()));

    let bob = User::new(uid("bob"), "bob@example.com", "Bob", at(1)).unwrap();
    assert_eq!(Users::upsert(store, bob.clone()).await.unwrap(), bob);

    let changed = User::new(ada.clone(), "ada@lovelace.org", "Ada Lovelace", at(50)).unwrap();
    let stored = Users::upsert(store, changed).await.unwrap();
    let expected = User::new(ada.clone(), "ada@lovelace.org", "Ada Lovelace", at(0)).unwrap();
    assert_eq!(
        stored, expected,
        "upsert keeps created_at, updates the profile"
    );
    assert_eq!(
        Users::get(store, &ada).await.unwrap(),
        Some(expected.clone())
    );
    assert_eq!(
        Users::find_by_email(store, "ada@lovelace.org")
            .await
            .unwrap(),
        Some(expected)
    );
    assert_eq!(
        Users::find_by_email(store, "ada@example.com")
            .await
            .unwrap(),
        None,
        "the old address no longer finds the user"
    );
    for partial in ["ada@lovelace", "ada@", "lovelace.org", ""] {
        assert_eq!(
            Users::find_by_email(store, partial).await.unwrap(),
            None,
            "find_by_email matches the whole address only ({partial:?})"
        );
    }
    assert_eq!(
        Users::find_by_email(store, "bob@example.com")
            .await
            .unwrap(),
        Some(bob.clone())
    );
    assert_eq!(Users::get(store, &uid("bob")).await.unwrap(), Some(bob));
}

/// Loans: insert then get returns the same loan; a duplicate id is a conflict (for any owner)
/// and changes nothing; an absent id is not found.
pub async fn contract_loan_insert_get<S: LedgerStore>(store: &S) {
    let loan = put(store, sample_loan("ada", "l1", "Car", at(0))).await;
    assert_eq!(
        Loans::get(store, &uid("ada"), &lid("l1")).await.unwrap(),
        loan
    );

    let dup = sample_loan("ada", "l1", "Other title", at(5));
    assert_exists(
        Loans::insert(store, dup).await,
        "loan",
        "l1",
        "insert of an existing id",
    );
    let dup_other_owner = sample_loan("bob", "l1", "Bob's", at(5));
    assert_exists(
        Loans::insert(store, dup_other_owner).await,
        "loan",
        "l1",
        "insert of an existing id by another owner",
    );
    assert_eq!(
        Loans::get(store, &uid("ada"), &lid("l1")).await.unwrap(),
        loan,
        "a refused insert changes nothing"
    );
    assert_not_found(
        Loans::get(store, &uid("bob"), &lid("l1")).await,
        "get by the wrong owner after a refused insert",
    );
    assert_not_found(
        Loans::get(store, &uid("ada"), &lid("nope")).await,
        "get absent",
    );
    let page = Loans::list(store, &uid("ada"), &LoanQuery::default())
        .await
        .unwrap();
    assert_eq!(ids(&page.items), vec!["l1"]);
    assert_eq!(page.next_cursor, None);
}

/// Owner scoping: another user's loan or repayment is `NotFound` on every read and write, is
/// never listed, and stays untouched.
pub async fn contract_owner_scoping<S: LedgerStore>(store: &S) {
    let (ada, bob) = (uid("ada"), uid("bob"));
    let loan = put(store, sample_loan("ada", "ada-loan", "Car", at(0))).await;
    put(store, sample_loan("bob", "bob-loan", "Car", at(1))).await;
    let rep = sample_repayment(&loan, "ada-rep", Decimal::new(100, 0), day(2, 1), Some("k"));
    let loan = record(store, &loan, &rep).await;

    // Reads.
    assert_not_found(
        Loans::get(store, &bob, &loan.id).await,
        "bob gets ada's loan",
    );
    let bobs = Loans::list(store, &bob, &LoanQuery::default())
        .await
        .unwrap();
    assert_eq!(
        ids(&bobs.items),
        vec!["bob-loan"],
        "bob lists only his loans"
    );
    let searched = Loans::list(store, &bob, &LoanQuery::default().with_search("car"))
        .await
        .unwrap();
    assert_eq!(
        ids(&searched.items),
        vec!["bob-loan"],
        "search stays scoped"
    );
    assert_not_found(
        Repayments::get(store, &bob, &rep.id).await,
        "bob gets ada's repayment",
    );
    assert_not_found(
        Repayments::list_for_loan(store, &bob, &loan.id).await,
        "bob lists ada's loan's repayments",
    );
    assert_eq!(
        Repayments::list_for_owner(store, &bob).await.unwrap(),
        vec![]
    );
    assert_eq!(
        Repayments::find_by_idempotency_key(store, &bob, &loan.id, "k")
            .await
            .unwrap(),
        None,
        "bob finds ada's idempotency key"
    );
    assert_eq!(
        Loans::list(store, &uid("nobody"), &LoanQuery::default())
            .await
            .unwrap()
            .items,
        vec![]
    );

    // Writes, through a loan value claiming to be bob's.
    let mut hijack = loan.clone();
    hijack.owner = bob.clone();
    hijack.title = "Mine now".into();
    assert_not_found(
        Loans::update(store, hijack.clone(), loan.version).await,
        "bob updates ada's loan",
    );
    let bob_rep = sample_repayment(&hijack, "bob-rep", Decimal::new(5, 0), day(2, 2), None);
    assert_not_found(
        store
            .record_repayment(bob_rep.clone(), with_added(&hijack, &bob_rep), loan.version)
            .await,
        "bob records on ada's loan",
    );
    let mut bob_edit = rep.clone();
    bob_edit.owner = bob.clone();
    bob_edit.amount = Decimal::new(1, 0);
    assert_not_found(
        store
            .replace_repayment(bob_edit, hijack.clone(), loan.version)
            .await,
        "bob replaces ada's repayment",
    );
    assert_not_found(
        store
            .remove_repayment(&bob, &rep.id, hijack.clone(), loan.version)
            .await,
        "bob removes ada's repayment",
    );
    assert_not_found(
        Loans::delete_with_repayments(store, &bob, &loan.id, None).await,
        "bob deletes ada's loan",
    );

    // Nothing changed for ada.
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), loan);
    assert_eq!(
        Repayments::list_for_loan(store, &ada, &loan.id)
            .await
            .unwrap(),
        vec![rep.clone()]
    );
    assert_eq!(
        Repayments::list_for_owner(store, &ada).await.unwrap(),
        vec![rep.clone()]
    );
    assert_not_found(
        Repayments::get(store, &ada, &rid("bob-rep")).await,
        "bob-rep written",
    );
    assert_eq!(Repayments::get(store, &ada, &rep.id).await.unwrap(), rep);
}

/// Listing: `(created_at, id)` order, limit respected, full pages but the last, cursors walk
/// every matching loan exactly once (even when the cursor's loan is deleted meanwhile),
/// case-insensitive title search, invalid limit or cursor rejected.
pub async fn contract_list_search_and_pagination<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    // 23 loans inserted out of order; pairs share a created_at so the id breaks the tie.
    let mut expected: Vec<(DateTime<Utc>, String, String)> = Vec::new();
    for i in [
        7u32, 0, 22, 13, 3, 18, 9, 1, 15, 11, 20, 5, 2, 17, 8, 21, 4, 12, 19, 6, 14, 10, 16,
    ] {
        let created = at(i64::from(i / 2) * 10);
        let id = format!("loan-{:02}", 99 - i);
        let title = match i % 3 {
            0 => format!("Car loan {i}"),
            1 => format!("House {i}"),
            _ => format!("SCARY boat {i}"),
        };
        put(store, sample_loan("ada", &id, &title, created)).await;
        expected.push((created, id, title));
    }
    // Noise from another owner.
    for i in 0..5 {
        put(store, sample_loan("bob", &format!("bob-{i}"), "Car", at(i))).await;
    }
    expected.sort();
    let all_ids: Vec<String> = expected.iter().map(|(_, id, _)| id.clone()).collect();

    // One big page.
    let page = Loans::list(store, &ada, &LoanQuery::default().with_limit(100))
        .await
        .unwrap();
    assert_eq!(ids(&page.items), all_ids, "(created_at, id) order");
    assert_eq!(page.next_cursor, None);
    let page = Loans::list(store, &ada, &LoanQuery::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 23, "default limit 50");

    // Exactly `limit` items in total: no further page.
    let page = Loans::list(store, &ada, &LoanQuery::default().with_limit(23))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 23);
    assert_eq!(page.next_cursor, None, "no cursor when nothing follows");

    // Walk with limit 5: 5, 5, 5, 5, 3.
    let walked = walk(store, &ada, LoanQuery::default().with_limit(5)).await;
    assert_eq!(
        walked.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![5, 5, 5, 5, 3]
    );
    assert_eq!(
        walked.concat(),
        all_ids,
        "the walk visits every loan once, in order"
    );

    // Search, case-insensitive substring ("car" is in "Car loan" and "SCARY boat").
    let car_ids: Vec<String> = expected
        .iter()
        .filter(|(_, _, t)| t.to_lowercase().contains("car"))
        .map(|(_, id, _)| id.clone())
        .collect();
    assert_eq!(car_ids.len(), 15);
    let walked = walk(
        store,
        &ada,
        LoanQuery::default().with_search("  cAR ").with_limit(4),
    )
    .await;
    assert_eq!(
        walked.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![4, 4, 4, 3]
    );
    assert_eq!(walked.concat(), car_ids, "search walk");
    let house = Loans::list(store, &ada, &LoanQuery::default().with_search("HOUSE 1"))
        .await
        .unwrap();
    assert_eq!(
        house
            .items
            .iter()
            .map(|l| l.title.as_str())
            .collect::<Vec<_>>(),
        vec!["House 1", "House 10", "House 13", "House 16", "House 19"]
    );
    let none = Loans::list(store, &ada, &LoanQuery::default().with_search("zeppelin"))
        .await
        .unwrap();
    assert_eq!(none, crate::app::ports::Page::empty());

    // Deleting the loan a cursor points at does not break the walk.
    let first = Loans::list(store, &ada, &LoanQuery::default().with_limit(3))
        .await
        .unwrap();
    assert_eq!(ids(&first.items), all_ids[..3].to_vec());
    Loans::delete_with_repayments(store, &ada, &first.items[2].id, None)
        .await
        .unwrap();
    let rest = Loans::list(
        store,
        &ada,
        &LoanQuery::default()
            .with_limit(100)
            .with_cursor(first.next_cursor.clone()),
    )
    .await
    .unwrap();
    assert_eq!(
        ids(&rest.items),
        all_ids[3..].to_vec(),
        "continue after a deleted loan"
    );

    // Invalid queries.
    assert_validation(
        Loans::list(store, &ada, &LoanQuery::default().with_limit(0)).await,
        "limit",
        "limit 0",
    );
    assert_validation(
        Loans::list(store, &ada, &LoanQuery::default().with_limit(101)).await,
        "limit",
        "limit 101",
    );
    assert_validation(
        Loans::list(
            store,
            &ada,
            &LoanQuery::default().with_cursor(Some("not a cursor!".into())),
        )
        .await,
        "cursor",
        "garbage cursor",
    );
}

/// Lists pages until `next_cursor` is `None`; checks each page respects the limit.
async fn walk<S: LedgerStore>(store: &S, owner: &UserId, query: LoanQuery) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let q = query.clone().with_cursor(cursor);
        let page = Loans::list(store, owner, &q).await.unwrap();
        assert!(
            page.items.len() <= query.limit as usize,
            "page of {} items over limit {}",
            page.items.len(),
            query.limit
        );
        assert!(pages.len() < 100, "the cursor walk does not end");
        pages.push(ids(&page.items));
        match page.next_cursor {
            Some(next) => {
                assert_eq!(
                    page.items.len(),
                    query.limit as usize,
                    "only the last page is short"
                );
                cursor = Some(next);
            }
            None => return pages,
        }
    }
}

/// Versions: an update with the stored version stores `expected + 1` (whatever version the
/// value carries) and returns it; of two writers that read the same version only the first
/// wins; a stale update is a conflict and writes nothing; an absent loan is not found.
pub async fn contract_update_versioning<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let loan = put(store, sample_loan("ada", "l1", "Car", at(0))).await;
    assert_eq!(loan.version, 1);

    // Two writers read version 1.
    let mut first = loan.clone();
    first.title = "Car (red)".into();
    first.version = 999; // ignored by the store
    first.updated_at = at(10);
    let mut second = loan.clone();
    second.title = "Car (blue)".into();

    let stored = Loans::update(store, first.clone(), 1).await.unwrap();
    let expected = stored_as(first, 1);
    assert_eq!(stored, expected);
    assert_eq!(stored.version, 2);
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), expected);

    assert_stale(
        Loans::update(store, second.clone(), 1).await,
        &loan.id,
        1,
        2,
        "second writer",
    );
    assert_stale(
        Loans::update(store, second.clone(), 3).await,
        &loan.id,
        3,
        2,
        "version from the future",
    );
    assert_eq!(
        Loans::get(store, &ada, &loan.id).await.unwrap(),
        expected,
        "a stale update writes nothing"
    );

    // The loser reloads and retries.
    let stored = Loans::update(store, second.clone(), 2).await.unwrap();
    assert_eq!(stored, stored_as(second, 2));
    assert_eq!(
        Loans::get(store, &ada, &loan.id).await.unwrap().title,
        "Car (blue)"
    );

    let ghost = sample_loan("ada", "ghost", "Ghost", at(0));
    assert_not_found(
        Loans::update(store, ghost, 1).await,
        "update of an absent loan",
    );
}

/// Recording: the repayment and the loan are stored together (version + 1); a stale record
/// writes neither; a duplicate repayment id, a repayment for another loan and an absent loan
/// are refused and write nothing.
pub async fn contract_record_repayment<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let loan = put(store, sample_loan("ada", "l1", "Car", at(0))).await;
    let other = put(store, sample_loan("ada", "l2", "Van", at(1))).await;

    let r1 = sample_repayment(&loan, "r1", Decimal::new(12_345, 2), day(2, 1), None);
    let after1 = record(store, &loan, &r1).await;
    assert_eq!(after1.version, 2);
    assert_eq!(after1.aggregates.total_repaid, Decimal::new(12_345, 2));
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), after1);
    assert_eq!(Repayments::get(store, &ada, &r1.id).await.unwrap(), r1);

    // Stale: a writer that still holds version 1.
    let r2 = sample_repayment(&loan, "r2", Decimal::new(5_000, 2), day(3, 1), None);
    let mut stale_loan = with_added(&loan, &r2);
    stale_loan.status = LoanStatus::Paid;
    assert_stale(
        store.record_repayment(r2.clone(), stale_loan, 1).await,
        &loan.id,
        1,
        2,
        "record with a stale version",
    );
    assert_not_found(
        Repayments::get(store, &ada, &r2.id).await,
        "stale record's repayment",
    );
    assert_eq!(
        Loans::get(store, &ada, &loan.id).await.unwrap(),
        after1,
        "loan unchanged"
    );
    assert_eq!(
        Repayments::list_for_loan(store, &ada, &loan.id)
            .await
            .unwrap(),
        vec![r1.clone()]
    );

    // Duplicate repayment id (even with a fresh version).
    let mut dup = r2.clone();
    dup.id = r1.id.clone();
    assert_exists(
        store
            .record_repayment(dup.clone(), with_added(&after1, &dup), after1.version)
            .await,
        "repayment",
        "r1",
        "duplicate repayment id",
    );
    assert_eq!(Repayments::get(store, &ada, &r1.id).await.unwrap(), r1);
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), after1);

    // A repayment of another loan, written with this loan.
    let foreign = sample_repayment(&other, "r3", Decimal::new(1, 0), day(2, 2), None);
    assert_validation(
        store
            .record_repayment(foreign.clone(), after1.clone(), after1.version)
            .await,
        "loan_id",
        "repayment for another loan",
    );
    assert_not_found(
        Repayments::get(store, &ada, &foreign.id).await,
        "foreign written",
    );

    // An absent loan.
    let ghost = sample_loan("ada", "ghost", "Ghost", at(0));
    let r4 = sample_repayment(&ghost, "r4", Decimal::new(1, 0), day(2, 2), None);
    assert_not_found(
        store
            .record_repayment(r4.clone(), with_added(&ghost, &r4), 1)
            .await,
        "record on an absent loan",
    );
    assert_not_found(Repayments::get(store, &ada, &r4.id).await, "r4 written");

    // The fresh version works.
    let after2 = record(store, &after1, &r2).await;
    assert_eq!(after2.version, 3);
    assert_eq!(after2.aggregates.repayment_count, 2);
    assert_eq!(
        Loans::get(store, &ada, &other.id).await.unwrap(),
        other,
        "other loan untouched"
    );
}

/// Idempotency: a key is unique per loan; its reuse is an idempotency conflict that records
/// nothing, and the first repayment is found by its key.
pub async fn contract_idempotency<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let loan = put(store, sample_loan("ada", "l1", "Car", at(0))).await;
    let van = put(store, sample_loan("ada", "l2", "Van", at(1))).await;

    let first = sample_repayment(&loan, "r1", Decimal::new(100, 0), day(2, 1), Some("k-1"));
    let after = record(store, &loan, &first).await;

    // A retry: same key, new repayment id, current version.
    let retry = sample_repayment(&loan, "r2", Decimal::new(100, 0), day(2, 1), Some("k-1"));
    assert_idempotency_conflict(
        store
            .record_repayment(retry.clone(), with_added(&after, &retry), after.version)
            .await,
        &loan.id,
        "k-1",
        "reused idempotency key",
    );
    // Same key with a stale version is refused too.
    assert_conflict(
        store
            .record_repayment(retry.clone(), with_added(&loan, &retry), loan.version)
            .await,
        "reused idempotency key with a stale version",
    );
    assert_not_found(
        Repayments::get(store, &ada, &retry.id).await,
        "retry recorded",
    );
    assert_eq!(
        Loans::get(store, &ada, &loan.id).await.unwrap(),
        after,
        "loan unchanged"
    );
    assert_eq!(
        Repayments::list_for_loan(store, &ada, &loan.id)
            .await
            .unwrap(),
        vec![first.clone()],
        "recorded once"
    );
    assert_eq!(
        Repayments::find_by_idempotency_key(store, &ada, &loan.id, "k-1")
            .await
            .unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        Repayments::find_by_idempotency_key(store, &ada, &loan.id, "k-2")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        Repayments::find_by_idempotency_key(store, &ada, &van.id, "k-1")
            .await
            .unwrap(),
        None,
        "keys are per loan"
    );

    // The same key on another loan is a different command.
    let on_van = sample_repayment(&van, "r3", Decimal::new(7, 0), day(2, 1), Some("k-1"));
    record(store, &van, &on_van).await;
    assert_eq!(
        Repayments::find_by_idempotency_key(store, &ada, &van.id, "k-1")
            .await
            .unwrap(),
        Some(on_van)
    );

    // Replacing another repayment with a used key is a conflict too.
    let second = sample_repayment(&loan, "r4", Decimal::new(3, 0), day(2, 3), Some("k-2"));
    let after = record(store, &after, &second).await;
    let mut clash = second.clone();
    clash.idempotency_key = Some("k-1".into());
    assert_idempotency_conflict(
        store
            .replace_repayment(clash, after.clone(), after.version)
            .await,
        &loan.id,
        "k-1",
        "replace with another repayment's key",
    );
    assert_eq!(
        Repayments::get(store, &ada, &second.id).await.unwrap(),
        second
    );
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), after);
    // Keeping its own key is fine.
    let mut same_key = second.clone();
    same_key.notes = "edited".into();
    store
        .replace_repayment(same_key.clone(), after.clone(), after.version)
        .await
        .unwrap();
    assert_eq!(
        Repayments::get(store, &ada, &second.id).await.unwrap(),
        same_key
    );
}

/// Replacing and removing repayments: both store the repayment change and the loan together,
/// a stale version writes nothing, and an absent (or foreign) repayment is not found.
pub async fn contract_replace_and_remove<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let loan = put(store, sample_loan("ada", "l1", "Car", at(0))).await;
    let van = put(store, sample_loan("ada", "l2", "Van", at(1))).await;
    let r1 = sample_repayment(&loan, "r1", Decimal::new(100, 0), day(2, 1), None);
    let r2 = sample_repayment(&loan, "r2", Decimal::new(50, 0), day(3, 1), None);
    let v_r = sample_repayment(&van, "v1", Decimal::new(9, 0), day(2, 1), None);
    let l = record(store, &loan, &r1).await;
    let l = record(store, &l, &r2).await;
    record(store, &van, &v_r).await;

    // Replace.
    let mut edited = r1.clone();
    edited.amount = Decimal::new(120, 0);
    edited.date = day(4, 1);
    let mut next = l.clone();
    next.aggregates = LoanAggregates::from_repayments(&[edited.clone(), r2.clone()]);
    assert_stale(
        store
            .replace_repayment(edited.clone(), next.clone(), l.version - 1)
            .await,
        &loan.id,
        l.version - 1,
        l.version,
        "stale replace",
    );
    assert_eq!(
        Repayments::get(store, &ada, &r1.id).await.unwrap(),
        r1,
        "stale replace wrote"
    );
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), l);
    let l2 = store
        .replace_repayment(edited.clone(), next.clone(), l.version)
        .await
        .unwrap();
    assert_eq!(l2, stored_as(next, l.version));
    assert_eq!(Repayments::get(store, &ada, &r1.id).await.unwrap(), edited);
    assert_eq!(
        rep_ids(
            &Repayments::list_for_loan(store, &ada, &loan.id)
                .await
                .unwrap()
        ),
        vec!["r2", "r1"],
        "re-sorted by the new date"
    );
    let ghost = sample_repayment(&l2, "ghost", Decimal::new(1, 0), day(2, 1), None);
    assert_not_found(
        store
            .replace_repayment(ghost.clone(), l2.clone(), l2.version)
            .await,
        "replace of an absent repayment",
    );
    assert_not_found(
        Repayments::get(store, &ada, &ghost.id).await,
        "replace inserted",
    );
    // Moving a repayment to another loan is not a replace.
    let mut moved = v_r.clone();
    moved.loan_id = loan.id.clone();
    assert_not_found(
        store.replace_repayment(moved, l2.clone(), l2.version).await,
        "replace of a repayment of another loan",
    );
    assert_eq!(Repayments::get(store, &ada, &v_r.id).await.unwrap(), v_r);
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), l2);

    // Remove.
    let mut after_remove = l2.clone();
    after_remove.aggregates = LoanAggregates::from_repayments(std::slice::from_ref(&r2));
    assert_stale(
        store
            .remove_repayment(&ada, &r1.id, after_remove.clone(), l.version)
            .await,
        &loan.id,
        l.version,
        l2.version,
        "stale remove",
    );
    assert_eq!(
        Repayments::get(store, &ada, &r1.id).await.unwrap(),
        edited,
        "stale remove"
    );
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), l2);
    assert_not_found(
        store
            .remove_repayment(&ada, &v_r.id, after_remove.clone(), l2.version)
            .await,
        "remove of another loan's repayment",
    );
    assert_eq!(Repayments::get(store, &ada, &v_r.id).await.unwrap(), v_r);
    let l3 = store
        .remove_repayment(&ada, &r1.id, after_remove.clone(), l2.version)
        .await
        .unwrap();
    assert_eq!(l3, stored_as(after_remove, l2.version));
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), l3);
    assert_not_found(
        Repayments::get(store, &ada, &r1.id).await,
        "removed repayment",
    );
    assert_eq!(
        Repayments::list_for_loan(store, &ada, &loan.id)
            .await
            .unwrap(),
        vec![r2]
    );
    assert_not_found(
        store
            .remove_repayment(&ada, &r1.id, l3.clone(), l3.version)
            .await,
        "second remove",
    );
    assert_eq!(Loans::get(store, &ada, &loan.id).await.unwrap(), l3);
}

/// Repayment listings: a loan's repayments by date, then `created_at`, then id; an owner's
/// repayments across loans in the same order; other owners' never included.
pub async fn contract_repayment_listing<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let mut car = put(store, sample_loan("ada", "car", "Car", at(0))).await;
    let mut van = put(store, sample_loan("ada", "van", "Van", at(1))).await;
    let mut bobs = put(store, sample_loan("bob", "bobs", "Bike", at(2))).await;
    assert_eq!(
        Repayments::list_for_loan(store, &ada, &car.id)
            .await
            .unwrap(),
        vec![]
    );

    let mk = |loan: &Loan, id: &str, d: NaiveDate, created: i64| {
        let mut r = sample_repayment(loan, id, Decimal::new(10, 0), d, None);
        r.created_at = at(created);
        r
    };
    let car_reps = [
        mk(&car, "c-b", day(3, 1), 5),
        mk(&car, "c-a", day(3, 1), 5),
        mk(&car, "c-late", day(3, 1), 9),
        mk(&car, "c-first", day(1, 15), 50),
        mk(&car, "c-last", day(6, 1), 1),
    ];
    for r in &car_reps {
        car = record(store, &car, r).await;
    }
    let van_rep = mk(&van, "v-1", day(2, 1), 3);
    van = record(store, &van, &van_rep).await;
    let bob_rep = mk(&bobs, "b-1", day(2, 1), 3);
    bobs = record(store, &bobs, &bob_rep).await;

    assert_eq!(
        rep_ids(
            &Repayments::list_for_loan(store, &ada, &car.id)
                .await
                .unwrap()
        ),
        vec!["c-first", "c-a", "c-b", "c-late", "c-last"]
    );
    assert_eq!(
        rep_ids(&Repayments::list_for_owner(store, &ada).await.unwrap()),
        vec!["c-first", "v-1", "c-a", "c-b", "c-late", "c-last"]
    );
    assert_eq!(
        Repayments::list_for_owner(store, &uid("bob"))
            .await
            .unwrap(),
        vec![bob_rep]
    );
    assert_eq!(car.aggregates.repayment_count, 5);
    assert_eq!(van.version, 2);
    assert_eq!(bobs.version, 2);
    assert_not_found(
        Repayments::list_for_loan(store, &ada, &lid("absent")).await,
        "list for an absent loan",
    );
}

/// Cascade delete: deleting a loan removes it and all its repayments at once (and their
/// idempotency keys); other loans keep theirs; a second delete is not found.
pub async fn contract_cascade_delete<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let car = put(store, sample_loan("ada", "car", "Car", at(0))).await;
    let van = put(store, sample_loan("ada", "van", "Van", at(1))).await;
    let mut l = car.clone();
    let mut car_reps = Vec::new();
    for i in 0..3u32 {
        let key = format!("key-{i}");
        let r = sample_repayment(
            &car,
            &format!("c{i}"),
            Decimal::new(10, 0),
            day(2, i + 1),
            Some(&key),
        );
        l = record(store, &l, &r).await;
        car_reps.push(r);
    }
    let v = sample_repayment(&van, "v0", Decimal::new(10, 0), day(2, 1), Some("key-0"));
    let van_after = record(store, &van, &v).await;

    Loans::delete_with_repayments(store, &ada, &car.id, None)
        .await
        .unwrap();
    assert_not_found(Loans::get(store, &ada, &car.id).await, "deleted loan");
    assert_not_found(
        Repayments::list_for_loan(store, &ada, &car.id).await,
        "repayments of a deleted loan",
    );
    for r in &car_reps {
        assert_not_found(
            Repayments::get(store, &ada, &r.id).await,
            "orphan repayment",
        );
        assert_eq!(
            Repayments::find_by_idempotency_key(
                store,
                &ada,
                &car.id,
                r.idempotency_key.as_deref().unwrap()
            )
            .await
            .unwrap(),
            None,
            "orphan idempotency key"
        );
    }
    assert_eq!(
        Repayments::list_for_owner(store, &ada).await.unwrap(),
        vec![v.clone()],
        "only the other loan's repayment is left"
    );
    assert_eq!(Loans::get(store, &ada, &van.id).await.unwrap(), van_after);
    assert_eq!(
        ids(&Loans::list(store, &ada, &LoanQuery::default())
            .await
            .unwrap()
            .items),
        vec!["van"]
    );
    assert_not_found(
        Loans::delete_with_repayments(store, &ada, &car.id, None).await,
        "second delete",
    );
    let late = sample_repayment(&car, "late", Decimal::new(1, 0), day(5, 1), None);
    assert_not_found(
        store
            .record_repayment(late.clone(), with_added(&l, &late), l.version)
            .await,
        "record on a deleted loan",
    );
    assert_not_found(Repayments::get(store, &ada, &late.id).await, "late written");
}

/// Conditional delete (`If-Match`): a stale expected version (older or from the future) is the
/// stale-version conflict naming the stored version and deletes nothing; another owner's loan
/// and an absent loan are not found; the current version deletes the loan and its repayments.
pub async fn contract_conditional_delete<S: LedgerStore>(store: &S) {
    let ada = uid("ada");
    let loan = put(store, sample_loan("ada", "car", "Car", at(0))).await;
    let r = sample_repayment(&loan, "c0", Decimal::new(10, 0), day(2, 1), Some("key-0"));
    let after = record(store, &loan, &r).await;
    assert_eq!(after.version, 2);

    for stale in [1, 3] {
        assert_stale(
            Loans::delete_with_repayments(store, &ada, &loan.id, Some(stale)).await,
            &loan.id,
            stale,
            2,
            "delete with a stale version",
        );
    }
    // No existence leak: another owner gets not found, whatever version it names.
    for version in [1, 2] {
        assert_not_found(
            Loans::delete_with_repayments(store, &uid("bob"), &loan.id, Some(version)).await,
            "bob deletes ada's loan",
        );
    }
    assert_not_found(
        Loans::delete_with_repayments(store, &ada, &lid("ghost"), Some(1)).await,
        "conditional delete of an absent loan",
    );
    assert_eq!(
        Loans::get(store, &ada, &loan.id).await.unwrap(),
        after,
        "a refused delete deletes nothing"
    );
    assert_eq!(
        Repayments::list_for_loan(store, &ada, &loan.id)
            .await
            .unwrap(),
        vec![r.clone()],
        "a refused delete keeps the repayments"
    );

    Loans::delete_with_repayments(store, &ada, &loan.id, Some(2))
        .await
        .unwrap();
    assert_not_found(Loans::get(store, &ada, &loan.id).await, "deleted loan");
    assert_not_found(
        Repayments::get(store, &ada, &r.id).await,
        "orphan repayment",
    );
    assert_not_found(
        Loans::delete_with_repayments(store, &ada, &loan.id, Some(2)).await,
        "second conditional delete",
    );
}

/// Runs every contract, each on a fresh store from `make`.
pub async fn run_contract_suite<S, F>(make: F)
where
    S: UserRepository + LedgerStore,
    F: Fn() -> S,
{
    contract_users(&make()).await;
    contract_loan_insert_get(&make()).await;
    contract_owner_scoping(&make()).await;
    contract_list_search_and_pagination(&make()).await;
    contract_update_versioning(&make()).await;
    contract_record_repayment(&make()).await;
    contract_idempotency(&make()).await;
    contract_replace_and_remove(&make()).await;
    contract_repayment_listing(&make()).await;
    contract_cascade_delete(&make()).await;
    contract_conditional_delete(&make()).await;
}

/// Declares one async test per contract, each on a fresh store from the expression: the test
/// attributes, a `;`, then the expression making an empty store. The tests live in a module
/// `contract_suite` that imports the caller's module.
///
/// ```ignore
/// loansyncro_core::contract_tests!(#[tokio::test]; loansyncro_memory::MemoryStore::new());
/// ```
#[macro_export]
macro_rules! contract_tests {
    (@each [$($attr:tt)*] ($make:expr)) => {};
    (@each [$($attr:tt)*] ($make:expr) $name:ident $($rest:ident)*) => {
        $($attr)*
        async fn $name() {
            $crate::app::testing::$name(&$make).await;
        }
        $crate::contract_tests!(@each [$($attr)*] ($make) $($rest)*);
    };
    ($(#[$attr:meta])* ; $make:expr) => {
        mod contract_suite {
            #[allow(unused_imports)]
            use super::*;
            $crate::contract_tests!(@each [$(#[$attr])*] ($make)
                contract_users
                contract_loan_insert_get
                contract_owner_scoping
                contract_list_search_and_pagination
                contract_update_versioning
                contract_record_repayment
                contract_idempotency
                contract_replace_and_remove
                contract_repayment_listing
                contract_cascade_delete
                contract_conditional_delete
            );
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_valid() {
        let loan = sample_loan("u", "l", "Car", at(0));
        let r = sample_repayment(&loan, "r", Decimal::new(1, 0), day(1, 2), Some("k"));
        assert_eq!(with_added(&loan, &r).aggregates.repayment_count, 1);
        assert_eq!(stored_as(loan, 4).version, 5);
    }
}
