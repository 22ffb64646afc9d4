//! Ports: the traits the adapters implement (storage, notifications, clock, ids), and small
//! deterministic implementations of the non-storage ports for tests, examples and bindings.
//!
//! The storage ports are asynchronous without tying the core to a runtime: every method returns
//! `impl Future<Output = Result<T>> + Send`, so a service generic over the ports can be driven by
//! tokio, by a Lambda runtime or by a simple `block_on`. Traits with methods of the same name
//! (`get` on users, loans and repayments) are disambiguated with the usual fully qualified
//! syntax, e.g. `LoanRepository::get(&store, &owner, &id)`.
//!
//! # Rules every storage adapter follows
//! (checked by the contract suite in `testing`, feature `testing`)
//!
//! * **Owner scoping.** Every loan and repayment read or write names the owner. An entity that
//!   exists but belongs to somebody else is [`Error::NotFound`], exactly like an absent one: no
//!   existence leak.
//! * **Listing.** A user's loans are listed in `(created_at, id)` order, filtered by a
//!   case-insensitive title substring, `limit` (1..=100, default 50) at a time; `next_cursor`
//!   is `Some` exactly when more items follow, and walking the cursors visits each matching loan
//!   exactly once. A loan's repayments are listed by date, then recording time, then id.
//! * **Optimistic concurrency.** Every loan write carries the version the writer read
//!   (`expected_version`). If the stored version differs the write is [`Error::Conflict`]
//!   ([`ConflictKind::StaleVersion`], see [`is_stale_version`]) and
//!   nothing at all is written; otherwise the loan is stored with version `expected_version + 1`
//!   (the `version` field of the loan passed in is ignored) and the stored loan is returned.
//! * **Atomic ledger writes.** [`LedgerStore`] stores a repayment change and the updated loan
//!   (aggregates, status, version) together or not at all.
//! * **Idempotency.** An idempotency key is unique per loan: recording a second repayment with a
//!   key already used on that loan is [`Error::Conflict`] (see [`is_idempotency_conflict`]) and
//!   writes nothing; [`RepaymentRepository::find_by_idempotency_key`] then returns the first one.
//! * **Cascade delete.** [`LoanRepository::delete_with_repayments`] removes a loan and all its
//!   repayments atomically; no reader ever sees an orphan repayment. With an expected version
//!   it is a conditional delete: a stale version deletes nothing and is the
//!   [`ConflictKind::StaleVersion`] conflict.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::correction::{BalanceCorrection, CorrectionId};
use crate::domain::loan::{Loan, LoanId};
use crate::domain::repayment::{PlanId, RecurringPlan};
use crate::domain::repayment::{Repayment, RepaymentId};
use crate::domain::user::{User, UserId};
use crate::error::{ConflictKind, Error, Result};

/// Page size used when a query does not say.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// Largest page size accepted.
pub const MAX_PAGE_LIMIT: u32 = 100;
/// Longest search text accepted (in characters).
pub const MAX_SEARCH_LEN: usize = 200;

// ---------------------------------------------------------------------------------------------
// Queries and pages
// ---------------------------------------------------------------------------------------------

/// How to list a user's loans: optional title search, page size and an opaque cursor.
///
/// ```
/// use loansyncro_core::app::ports::LoanQuery;
/// let q = LoanQuery::default();
/// assert_eq!(q.limit, 50);
/// let q = LoanQuery::default().with_search(" CAR ").with_limit(10);
/// assert!(q.validate().is_ok());
/// assert_eq!(q.search_needle().as_deref(), Some("car"));
/// assert_eq!(LoanQuery::default().with_limit(0).validate().unwrap_err().field(), Some("limit"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoanQuery {
    /// Case-insensitive substring of the title; blank means no filter.
    pub search: Option<String>,
    /// Page size, 1..=100 (default 50).
    pub limit: u32,
    /// The `next_cursor` of the previous page; `None` for the first page.
    pub cursor: Option<String>,
}

impl Default for LoanQuery {
    fn default() -> Self {
        LoanQuery {
            search: None,
            limit: DEFAULT_PAGE_LIMIT,
            cursor: None,
        }
    }
}

impl LoanQuery {
    /// The same query with a title search.
    pub fn with_search(mut self, search: impl Into<String>) -> LoanQuery {
        self.search = Some(search.into());
        self
    }

    /// The same query with a page size.
    pub fn with_limit(mut self, limit: u32) -> LoanQuery {
        self.limit = limit;
        self
    }

    /// The same query continuing after a cursor.
    pub fn with_cursor(mut self, cursor: Option<String>) -> LoanQuery {
        self.cursor = cursor;
        self
    }

    /// Checks `limit` (1..=100) and `search` (at most 200 characters). Errors name the field.
    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_PAGE_LIMIT {
            return Err(Error::validation(
                "limit",
                format!("must be between 1 and {MAX_PAGE_LIMIT}"),
            ));
        }
        if let Some(search) = &self.search {
            if search.chars().count() > MAX_SEARCH_LEN {
                return Err(Error::validation(
                    "search",
                    format!("must be at most {MAX_SEARCH_LEN} characters"),
                ));
            }
        }
        Ok(())
    }

    /// The search text trimmed and lower-cased, or `None` when there is no filter.
    pub fn search_needle(&self) -> Option<String> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase)
    }

    /// Whether `loan` passes the search filter (case-insensitive title substring).
    pub fn matches(&self, loan: &Loan) -> bool {
        match self.search_needle() {
            Some(needle) => loan.title.to_lowercase().contains(&needle),
            None => true,
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page, in listing order.
    pub items: Vec<T>,
    /// Pass this as the next query's cursor; `None` when this is the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page with no items and no next page.
    pub fn empty() -> Page<T> {
        Page {
            items: Vec::new(),
            next_cursor: None,
        }
    }
}

/// The position after a loan in the `(created_at, id)` listing order, as an opaque string.
///
/// Adapters that page over that order themselves (memory, SQL) can use it; others (DynamoDB)
/// may encode their own continuation key. A malformed cursor is a validation error on `cursor`.
///
/// ```
/// use loansyncro_core::app::ports::LoanCursor;
/// use loansyncro_core::domain::loan::LoanId;
/// use chrono::{TimeZone, Utc};
/// let c = LoanCursor { created_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(), id: LoanId::new("loan_7")? };
/// let s = c.encode();
/// assert_eq!(LoanCursor::decode(&s)?, c);
/// assert_eq!(LoanCursor::decode("zz").unwrap_err().field(), Some("cursor"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LoanCursor {
    /// Creation time of the last loan returned.
    pub created_at: DateTime<Utc>,
    /// Id of the last loan returned.
    pub id: LoanId,
}

impl LoanCursor {
    /// The cursor just after `loan`.
    pub fn after(loan: &Loan) -> LoanCursor {
        LoanCursor {
            created_at: loan.created_at,
            id: loan.id.clone(),
        }
    }

    /// Whether `loan` comes strictly after this cursor in `(created_at, id)` order.
    pub fn precedes(&self, loan: &Loan) -> bool {
        (loan.created_at, &loan.id) > (self.created_at, &self.id)
    }

    /// The opaque string form (lower-case hex, URL-safe).
    pub fn encode(&self) -> String {
        let plain = format!(
            "1|{}|{}",
            self.created_at.to_rfc3339_opts(SecondsFormat::Nanos, true),
            self.id
        );
        plain.bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses [`LoanCursor::encode`]'s output.
    pub fn decode(cursor: &str) -> Result<LoanCursor> {
        let bad = || Error::validation("cursor", "is not a cursor returned by this listing");
        if cursor.len() % 2 != 0 || !cursor.is_ascii() {
            return Err(bad());
        }
        let bytes = (0..cursor.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&cursor[i..i + 2], 16))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| bad())?;
        let plain = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut parts = plain.splitn(3, '|');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("1"), Some(ts), Some(id)) => Ok(LoanCursor {
                created_at: DateTime::parse_from_rfc3339(ts)
                    .map_err(|_| bad())?
                    .with_timezone(&Utc),
                id: LoanId::new(id).map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Conflict errors shared by adapters
// ---------------------------------------------------------------------------------------------

/// The conflict a stale write gets: the stored loan's version is not the expected one
/// ([`ConflictKind::StaleVersion`]).
pub fn stale_version(loan_id: &LoanId, expected: u64, stored: u64) -> Error {
    Error::conflict(ConflictKind::StaleVersion {
        loan_id: loan_id.clone(),
        expected,
        stored,
    })
}

/// The conflict a second use of an idempotency key on the same loan gets
/// ([`ConflictKind::IdempotencyKeyReused`]).
pub fn idempotency_conflict(loan_id: &LoanId, key: &str) -> Error {
    Error::conflict(ConflictKind::IdempotencyKeyReused {
        loan_id: loan_id.clone(),
        key: key.to_owned(),
    })
}

/// The guard a store's removal of a record under a loan starts with: the loan it writes back
/// must be `owner`'s; otherwise a validation error on `owner` naming the `record` kind.
///
/// ```
/// use loansyncro_core::app::ports::ensure_loan_owner;
/// use loansyncro_core::domain::{loan::{Loan, LoanId, NewLoan}, user::UserId};
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder().principal(dec!(1000)).annual_rate(Rate::from_percent(dec!(5))?)
///     .installments(12).start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).build()?;
/// let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
/// let loan = Loan::new(LoanId::new("l1")?, UserId::new("alice")?, NewLoan::new("Car", terms), now)?;
/// assert!(ensure_loan_owner(&loan, &UserId::new("alice")?, "repayment").is_ok());
/// let err = ensure_loan_owner(&loan, &UserId::new("bob")?, "repayment").unwrap_err();
/// assert_eq!(err.field(), Some("owner"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn ensure_loan_owner(loan: &Loan, owner: &UserId, record: &str) -> Result<()> {
    if loan.owner() != owner {
        return Err(Error::validation(
            "owner",
            format!("the loan belongs to another owner than the {record}"),
        ));
    }
    Ok(())
}

/// Whether `error` is a conflict on an idempotency key ([`ConflictKind::is_idempotency_key`]).
///
/// ```
/// use loansyncro_core::app::ports::{idempotency_conflict, is_idempotency_conflict, stale_version};
/// use loansyncro_core::domain::loan::LoanId;
/// let id = LoanId::new("l1")?;
/// assert!(is_idempotency_conflict(&idempotency_conflict(&id, "k")));
/// assert!(!is_idempotency_conflict(&stale_version(&id, 1, 2)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn is_idempotency_conflict(error: &Error) -> bool {
    error
        .conflict_kind()
        .is_some_and(ConflictKind::is_idempotency_key)
}

/// Whether `error` is the conflict of a stale version ([`ConflictKind::is_stale_version`]):
/// reload and retry.
///
/// ```
/// use loansyncro_core::app::ports::{idempotency_conflict, is_stale_version, stale_version};
/// use loansyncro_core::domain::loan::LoanId;
/// let id = LoanId::new("l1")?;
/// assert!(is_stale_version(&stale_version(&id, 1, 2)));
/// assert!(!is_stale_version(&idempotency_conflict(&id, "k")));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn is_stale_version(error: &Error) -> bool {
    error
        .conflict_kind()
        .is_some_and(ConflictKind::is_stale_version)
}

// ---------------------------------------------------------------------------------------------
// Storage ports
// ---------------------------------------------------------------------------------------------

/// Storage of user profiles.
pub trait UserRepository: Send + Sync {
    /// The user with this id, if any.
    fn get(&self, id: &UserId) -> impl Future<Output = Result<Option<User>>> + Send;

    /// Inserts the user if absent; otherwise updates its e-mail and full name and keeps the
    /// stored `created_at`. Returns the stored user.
    fn upsert(&self, user: User) -> impl Future<Output = Result<User>> + Send;

    /// The user with exactly this e-mail address (if several, the earliest created).
    fn find_by_email(&self, email: &str) -> impl Future<Output = Result<Option<User>>> + Send;
}

/// Storage of loans, always scoped to their owner.
pub trait LoanRepository: Send + Sync {
    /// The owner's loan `id`; [`Error::NotFound`] when absent or owned by somebody else.
    fn get(&self, owner: &UserId, id: &LoanId) -> impl Future<Output = Result<Loan>> + Send;

    /// One page of the owner's loans in `(created_at, id)` order, filtered by the query's title
    /// search. Invalid `limit` or `cursor`: [`Error::Validation`].
    fn list(
        &self,
        owner: &UserId,
        query: &LoanQuery,
    ) -> impl Future<Output = Result<Page<Loan>>> + Send;

    /// Stores a new loan as given; [`Error::Conflict`] if the id exists (for any owner).
    fn insert(&self, loan: Loan) -> impl Future<Output = Result<()>> + Send;

    /// Replaces the loan `(loan.owner, loan.id)` if its stored version is `expected_version`,
    /// storing it with version `expected_version + 1`, and returns the stored loan.
    /// [`Error::NotFound`] if absent for that owner, [`Error::Conflict`] if stale.
    fn update(
        &self,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send;

    /// Deletes the owner's loan and all its repayments in one atomic step;
    /// [`Error::NotFound`] when absent or owned by somebody else. With `expected_version`, the
    /// delete is conditional: when the stored version differs, nothing is deleted and the
    /// error is the [`ConflictKind::StaleVersion`] conflict naming the stored version (the
    /// check and the delete are one atomic step, never a read then a delete).
    fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Reads of repayments, always scoped to their owner.
pub trait RepaymentRepository: Send + Sync {
    /// The owner's repayment `id`; [`Error::NotFound`] when absent or owned by somebody else.
    fn get(
        &self,
        owner: &UserId,
        id: &RepaymentId,
    ) -> impl Future<Output = Result<Repayment>> + Send;

    /// The repayments of the owner's loan, by date, then `created_at`, then id
    /// ([`Repayment::ledger_order`]); [`Error::NotFound`] when the loan is absent or owned by
    /// somebody else.
    fn list_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> impl Future<Output = Result<Vec<Repayment>>> + Send;

    /// All the owner's repayments (every loan), in [`Repayment::ledger_order`].
    fn list_for_owner(&self, owner: &UserId)
        -> impl Future<Output = Result<Vec<Repayment>>> + Send;

    /// The owner's repayment on `loan_id` recorded with idempotency key `key`, if any.
    fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> impl Future<Output = Result<Option<Repayment>>> + Send;

    /// The loan of the owner's repayment `id` ([`Error::NotFound`] as for [`Self::get`]).
    ///
    /// Deleting a repayment needs only this, so a store whose item cannot be decoded any more
    /// (written by hand or by an older version) overrides it to read the loan id alone, and
    /// the repayment can still be deleted by its id. The default reads the whole repayment.
    fn loan_of(
        &self,
        owner: &UserId,
        id: &RepaymentId,
    ) -> impl Future<Output = Result<LoanId>> + Send {
        async move { Ok(self.get(owner, id).await?.loan_id) }
    }
}

/// The unit-of-work writes of the ledger: a repayment change together with the updated loan.
///
/// Each method checks, in this order, and writes nothing at all when a check fails:
/// 1. the repayment (and `loan`) belong to the same owner and loan, else [`Error::Validation`];
/// 2. the stored loan `(loan.owner, loan.id)` exists, else [`Error::NotFound`];
/// 3. the repayment rules of the method (below);
/// 4. the stored loan's version is `expected_version`, else [`Error::Conflict`]
///    ([`is_stale_version`]).
///
/// Then it stores the repayment change and `loan` with version `expected_version + 1` in one
/// atomic step, and returns the stored loan.
pub trait LedgerStore: LoanRepository + RepaymentRepository {
    /// The owner's loan and its repayments in ledger order, read loan first (a write between
    /// the two reads then makes the caller's version stale). [`Error::NotFound`] as
    /// [`LoanRepository::get`]. Adapters may override it to spend fewer requests (the loan read
    /// already proves ownership and existence); the default is `get` then `list_for_loan`.
    fn loan_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
    ) -> impl Future<Output = Result<(Loan, Vec<Repayment>)>> + Send {
        async move {
            let loan = LoanRepository::get(self, owner, id).await?;
            let repayments = self.list_for_loan(owner, id).await?;
            Ok((loan, repayments))
        }
    }

    /// Records a new repayment. Conflict if its id exists, or if its idempotency key is already
    /// used on the loan ([`is_idempotency_conflict`]; look the first one up with
    /// [`RepaymentRepository::find_by_idempotency_key`]).
    fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send;

    /// Replaces the stored repayment with the same id (same owner and loan, else
    /// [`Error::NotFound`]). Conflict if its idempotency key is used by another repayment of
    /// the loan.
    fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send;

    /// Removes the owner's repayment `id` of `loan` ([`Error::NotFound`] when absent, owned by
    /// somebody else or on another loan).
    fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send;
}

/// Checks rule 1 of [`LedgerStore`]: the repayment belongs to `loan` and its owner.
pub fn check_repayment_matches_loan(repayment: &Repayment, loan: &Loan) -> Result<()> {
    if repayment.loan_id != loan.id {
        return Err(Error::validation(
            "loan_id",
            format!(
                "repayment {} is for loan {}, not {}",
                repayment.id, repayment.loan_id, loan.id
            ),
        ));
    }
    if repayment.owner != loan.owner {
        return Err(Error::validation(
            "owner",
            format!("repayment {} has another owner than its loan", repayment.id),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Recurring repayment plans
// ---------------------------------------------------------------------------------------------

/// A [`RecurringPlan`] as stored: the plan, its owner, when it was created, and how far it has
/// materialized (`next_due`: the earliest occurrence not yet recorded; `None` once the plan
/// has ended).
///
/// ```
/// use loansyncro_core::app::ports::StoredPlan;
/// use loansyncro_core::domain::repayment::{PlanId, RecurringPlan};
/// use loansyncro_core::{domain::loan::LoanId, domain::user::UserId, Frequency};
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let first = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
/// let plan = RecurringPlan::new(PlanId::new("p1")?, LoanId::new("l1")?, dec!(50), Frequency::Monthly, first, None)?;
/// let stored = StoredPlan::new(plan, UserId::new("u1")?, Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
/// assert_eq!(stored.next_due, Some(first));
/// assert_eq!(stored.due_cursor().map(|c| c.next_due), Some(first));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPlan {
    /// The plan (its id, loan, amount, frequency, first date and end).
    pub plan: RecurringPlan,
    /// The owner of the plan's loan.
    pub owner: UserId,
    /// When the plan was created.
    pub created_at: DateTime<Utc>,
    /// The earliest occurrence not materialized yet; `None` when every occurrence is.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub next_due: Option<NaiveDate>,
}

impl StoredPlan {
    /// A new plan of `owner`, nothing materialized yet (`next_due` is the first date).
    pub fn new(plan: RecurringPlan, owner: UserId, created_at: DateTime<Utc>) -> StoredPlan {
        StoredPlan {
            next_due: Some(plan.first_date),
            plan,
            owner,
            created_at,
        }
    }

    /// The plan's id.
    pub fn id(&self) -> &PlanId {
        &self.plan.id
    }

    /// The position of this plan in the due listing, if it is still due at some point.
    pub fn due_cursor(&self) -> Option<DueCursor> {
        self.next_due.map(|next_due| DueCursor {
            next_due,
            id: self.plan.id.clone(),
        })
    }
}

/// A position in the listing of due plans ([`RecurringPlanRepository::due_plans`]): the
/// `(next_due, id)` of the last plan of the previous batch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DueCursor {
    /// The plan's `next_due`.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub next_due: NaiveDate,
    /// The plan's id.
    pub id: PlanId,
}

/// Storage of recurring repayment plans, scoped to their owner like loans.
///
/// Rules (checked by `testing::contract_recurring_plans`):
/// * A plan that exists but belongs to somebody else is [`Error::NotFound`], like an absent one.
/// * The store does not check the plan's loan: the service does (a plan whose loan was deleted
///   is removed by the next materialization run, which finds the loan gone).
/// * `advance_plan` only ever moves `next_due` forward (`None`, "ended", is after every date),
///   in one conditional write, so two runners racing can never move it back.
pub trait RecurringPlanRepository: Send + Sync {
    /// Stores a new plan; [`Error::Conflict`] (already exists) if its id is taken.
    fn insert_plan(&self, plan: StoredPlan) -> impl Future<Output = Result<()>> + Send;

    /// The owner's plan `id`; [`Error::NotFound`] when absent or somebody else's.
    fn get_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
    ) -> impl Future<Output = Result<StoredPlan>> + Send;

    /// The owner's plans on `loan_id`, in `(created_at, id)` order (empty when none).
    fn plans_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> impl Future<Output = Result<Vec<StoredPlan>>> + Send;

    /// Deletes the owner's plan `id`; [`Error::NotFound`] when absent or somebody else's.
    fn delete_plan(&self, owner: &UserId, id: &PlanId) -> impl Future<Output = Result<()>> + Send;

    /// Up to `limit` (1..=100) plans of every owner whose `next_due` is on or before `as_of`,
    /// after `after` (exclusive), in `(next_due, id)` order. Walking the batches (each time
    /// from the last plan returned) visits every plan due at the start exactly once unless it
    /// is advanced meanwhile. Ended plans (`next_due` `None`) are never listed.
    fn due_plans(
        &self,
        as_of: NaiveDate,
        after: Option<&DueCursor>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredPlan>>> + Send;

    /// Moves the owner's plan `id` forward to `next_due` if its stored `next_due` is earlier
    /// (a stored `None` is never moved; `None` as the target ends the plan). Returns whether it
    /// moved. [`Error::NotFound`] when absent or somebody else's.
    fn advance_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
        next_due: Option<NaiveDate>,
    ) -> impl Future<Output = Result<bool>> + Send;
}

/// Whether `next_due` is further than `stored` in the order of [`RecurringPlanRepository::advance_plan`]
/// (every date before `None`, "ended").
///
/// ```
/// use loansyncro_core::app::ports::plan_moves_forward;
/// use chrono::NaiveDate;
/// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day);
/// assert!(plan_moves_forward(d(1), d(2)));
/// assert!(plan_moves_forward(d(1), None));
/// assert!(!plan_moves_forward(d(2), d(2)));
/// assert!(!plan_moves_forward(d(2), d(1)));
/// assert!(!plan_moves_forward(None, d(9)));
/// ```
pub fn plan_moves_forward(stored: Option<NaiveDate>, next_due: Option<NaiveDate>) -> bool {
    match (stored, next_due) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(s), Some(n)) => n > s,
    }
}

/// Checks the `limit` of [`RecurringPlanRepository::due_plans`] (1..=100, field `limit`).
pub fn check_due_limit(limit: u32) -> Result<()> {
    if limit == 0 || limit > MAX_PAGE_LIMIT {
        return Err(Error::validation(
            "limit",
            format!("must be between 1 and {MAX_PAGE_LIMIT}"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Balance corrections
// ---------------------------------------------------------------------------------------------

/// Storage of balance corrections, written together with the loan like repayments: every
/// write stores the correction change and the loan with version `expected_version + 1` in one
/// atomic step, so a correction booked against a stale view of the ledger (a repayment or
/// another correction written in between) is the [`ConflictKind::StaleVersion`] conflict and
/// writes nothing (checked by `testing_corrections::contract_corrections`).
///
/// Checks, in this order, writing nothing when one fails: the correction and `loan` belong to
/// the same owner and loan ([`Error::Validation`]); the stored loan exists for that owner
/// ([`Error::NotFound`]); the rules of the method; the version ([`is_stale_version`]).
pub trait CorrectionStore: LedgerStore {
    /// The corrections of the owner's loan in [`BalanceCorrection::ledger_order`];
    /// [`Error::NotFound`] when the loan is absent or somebody else's.
    fn corrections_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> impl Future<Output = Result<Vec<BalanceCorrection>>> + Send;

    /// Records a new correction. Conflict if its id exists, or if its idempotency key is
    /// already used by a correction of the loan ([`is_idempotency_conflict`]).
    fn record_correction(
        &self,
        correction: BalanceCorrection,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send;

    /// Removes the owner's correction `id` of `loan` ([`Error::NotFound`] when absent, owned by
    /// somebody else or on another loan).
    fn remove_correction(
        &self,
        owner: &UserId,
        id: &CorrectionId,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send;
}

/// Checks rule 1 of [`CorrectionStore`]: the correction belongs to `loan` and its owner.
pub fn check_correction_matches_loan(correction: &BalanceCorrection, loan: &Loan) -> Result<()> {
    if correction.loan_id != loan.id || correction.owner != loan.owner {
        return Err(Error::validation(
            "loan_id",
            format!(
                "correction {} is not for loan {} of its owner",
                correction.id, loan.id
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Notifications, clock, ids
// ---------------------------------------------------------------------------------------------

/// Something worth telling the outside world about.
///
/// ```
/// use loansyncro_core::app::ports::Notification;
/// use loansyncro_core::{domain::loan::LoanId, domain::user::UserId};
/// let n = Notification::LoanPaid { owner: UserId::new("u1")?, loan_id: LoanId::new("l1")? };
/// assert_eq!(serde_json::to_string(&n).unwrap(), r#"{"type":"loan_paid","owner":"u1","loan_id":"l1"}"#);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notification {
    /// A loan was created.
    LoanCreated {
        /// Its owner.
        owner: UserId,
        /// The new loan.
        loan_id: LoanId,
        /// Its title.
        title: String,
    },
    /// A repayment was recorded.
    RepaymentRecorded {
        /// The loan's owner.
        owner: UserId,
        /// The loan.
        loan_id: LoanId,
        /// The new repayment.
        repayment_id: RepaymentId,
        /// Its amount.
        amount: Decimal,
    },
    /// A loan became paid (sent on the transition only).
    LoanPaid {
        /// Its owner.
        owner: UserId,
        /// The loan.
        loan_id: LoanId,
    },
}

impl Notification {
    /// The user the notification is about.
    pub fn owner(&self) -> &UserId {
        match self {
            Notification::LoanCreated { owner, .. }
            | Notification::RepaymentRecorded { owner, .. }
            | Notification::LoanPaid { owner, .. } => owner,
        }
    }
}

/// Sends notifications (SNS, a queue, a log, ...).
pub trait Notifier: Send + Sync {
    /// Sends one notification.
    fn notify(&self, notification: Notification) -> impl Future<Output = Result<()>> + Send;
}

/// The current time.
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date (UTC by default).
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// Makes unique ids.
pub trait IdGenerator: Send + Sync {
    /// A new unique id starting with `prefix` (e.g. `loan`).
    fn new_id(&self, prefix: &str) -> String;
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it (the values guarded
/// here are always left consistent).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A notifier that drops everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopNotifier;

impl Notifier for NoopNotifier {
    fn notify(&self, _notification: Notification) -> impl Future<Output = Result<()>> + Send {
        std::future::ready(Ok(()))
    }
}

/// A notifier that keeps every notification in memory (thread-safe), for tests.
///
/// ```
/// use loansyncro_core::app::ports::{Notification, Notifier, RecordingNotifier};
/// use loansyncro_core::{domain::loan::LoanId, domain::user::UserId};
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     struct Noop;
/// #     impl std::task::Wake for Noop { fn wake(self: std::sync::Arc<Self>) {} }
/// #     let waker = std::task::Waker::from(std::sync::Arc::new(Noop));
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut f = std::pin::pin!(f);
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let n = RecordingNotifier::new();
/// let paid = Notification::LoanPaid { owner: UserId::new("u1")?, loan_id: LoanId::new("l1")? };
/// block_on(n.notify(paid.clone()))?;
/// assert_eq!(n.notifications(), vec![paid]);
/// assert_eq!(n.take().len(), 1);
/// assert!(n.notifications().is_empty());
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    sent: Mutex<Vec<Notification>>,
    failure: Mutex<Option<Error>>,
}

impl RecordingNotifier {
    /// An empty recorder.
    pub fn new() -> RecordingNotifier {
        RecordingNotifier::default()
    }

    /// A copy of everything sent so far, in order.
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.sent).clone()
    }

    /// Everything sent so far, emptying the recorder.
    pub fn take(&self) -> Vec<Notification> {
        std::mem::take(&mut *lock(&self.sent))
    }

    /// Makes every later `notify` fail with `error` (without recording), or succeed again with
    /// `None`: for testing how callers handle a failing notifier.
    pub fn fail_with(&self, error: Option<Error>) {
        *lock(&self.failure) = error;
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, notification: Notification) -> impl Future<Output = Result<()>> + Send {
        let result = match lock(&self.failure).clone() {
            Some(error) => Err(error),
            None => {
                lock(&self.sent).push(notification);
                Ok(())
            }
        };
        std::future::ready(result)
    }
}

/// A settable clock (thread-safe), for tests and reproducible runs.
///
/// ```
/// use loansyncro_core::app::ports::{Clock, FixedClock};
/// use chrono::{Duration, NaiveDate, TimeZone, Utc};
/// let clock = FixedClock::new(Utc.with_ymd_and_hms(2025, 1, 31, 23, 0, 0).unwrap());
/// assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2025, 1, 31).unwrap());
/// clock.advance(Duration::hours(2));
/// assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
/// ```
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: DateTime<Utc>) -> FixedClock {
        FixedClock {
            now: Mutex::new(now),
        }
    }

    /// A clock stopped at midnight UTC of `date`.
    pub fn at_date(date: NaiveDate) -> FixedClock {
        FixedClock::new(date.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        *lock(&self.now) = now;
    }

    /// Moves the clock by `by` (saturating at chrono's range).
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = lock(&self.now);
        if let Some(next) = now.checked_add_signed(by) {
            *now = next;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *lock(&self.now)
    }
}

/// The system clock. Not available on `wasm32-unknown-unknown`, where the host supplies time.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from(std::time::SystemTime::now())
    }
}

/// Ids `prefix_000001`, `prefix_000002`, ... from one counter shared by all prefixes
/// (thread-safe). Deterministic, for tests and examples.
///
/// ```
/// use loansyncro_core::app::ports::{IdGenerator, SequentialIds};
/// let ids = SequentialIds::new();
/// assert_eq!(ids.new_id("loan"), "loan_000001");
/// assert_eq!(ids.new_id("rep"), "rep_000002");
/// assert_eq!(ids.new_id(""), "000003");
/// ```
#[derive(Debug, Default)]
pub struct SequentialIds {
    next: AtomicU64,
}

impl SequentialIds {
    /// A generator whose first id is number 1.
    pub fn new() -> SequentialIds {
        SequentialIds::starting_at(1)
    }

    /// A generator whose first id is number `first`.
    pub fn starting_at(first: u64) -> SequentialIds {
        SequentialIds {
            next: AtomicU64::new(first),
        }
    }
}

impl IdGenerator for SequentialIds {
    fn new_id(&self, prefix: &str) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        if prefix.is_empty() {
            format!("{n:06}")
        } else {
            format!("{prefix}_{n:06}")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared handles implement the ports too
// ---------------------------------------------------------------------------------------------

impl<T: UserRepository> UserRepository for Arc<T> {
    fn get(&self, id: &UserId) -> impl Future<Output = Result<Option<User>>> + Send {
        UserRepository::get(&**self, id)
    }
    fn upsert(&self, user: User) -> impl Future<Output = Result<User>> + Send {
        UserRepository::upsert(&**self, user)
    }
    fn find_by_email(&self, email: &str) -> impl Future<Output = Result<Option<User>>> + Send {
        UserRepository::find_by_email(&**self, email)
    }
}

impl<T: LoanRepository> LoanRepository for Arc<T> {
    fn get(&self, owner: &UserId, id: &LoanId) -> impl Future<Output = Result<Loan>> + Send {
        LoanRepository::get(&**self, owner, id)
    }
    fn list(
        &self,
        owner: &UserId,
        query: &LoanQuery,
    ) -> impl Future<Output = Result<Page<Loan>>> + Send {
        LoanRepository::list(&**self, owner, query)
    }
    fn insert(&self, loan: Loan) -> impl Future<Output = Result<()>> + Send {
        LoanRepository::insert(&**self, loan)
    }
    fn update(
        &self,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send {
        LoanRepository::update(&**self, loan, expected_version)
    }
    fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> impl Future<Output = Result<()>> + Send {
        LoanRepository::delete_with_repayments(&**self, owner, id, expected_version)
    }
}

impl<T: RepaymentRepository> RepaymentRepository for Arc<T> {
    fn get(
        &self,
        owner: &UserId,
        id: &RepaymentId,
    ) -> impl Future<Output = Result<Repayment>> + Send {
        RepaymentRepository::get(&**self, owner, id)
    }
    fn list_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> impl Future<Output = Result<Vec<Repayment>>> + Send {
        RepaymentRepository::list_for_loan(&**self, owner, loan_id)
    }
    fn list_for_owner(
        &self,
        owner: &UserId,
    ) -> impl Future<Output = Result<Vec<Repayment>>> + Send {
        RepaymentRepository::list_for_owner(&**self, owner)
    }
    fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> impl Future<Output = Result<Option<Repayment>>> + Send {
        RepaymentRepository::find_by_idempotency_key(&**self, owner, loan_id, key)
    }
    fn loan_of(
        &self,
        owner: &UserId,
        id: &RepaymentId,
    ) -> impl Future<Output = Result<LoanId>> + Send {
        RepaymentRepository::loan_of(&**self, owner, id)
    }
}

impl<T: LedgerStore> LedgerStore for Arc<T> {
    fn loan_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
    ) -> impl Future<Output = Result<(Loan, Vec<Repayment>)>> + Send {
        LedgerStore::loan_with_repayments(&**self, owner, id)
    }
    fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send {
        LedgerStore::record_repayment(&**self, repayment, loan, expected_version)
    }
    fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send {
        LedgerStore::replace_repayment(&**self, repayment, loan, expected_version)
    }
    fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send {
        LedgerStore::remove_repayment(&**self, owner, id, loan, expected_version)
    }
}

impl<T: RecurringPlanRepository> RecurringPlanRepository for Arc<T> {
    fn insert_plan(&self, plan: StoredPlan) -> impl Future<Output = Result<()>> + Send {
        RecurringPlanRepository::insert_plan(&**self, plan)
    }
    fn get_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
    ) -> impl Future<Output = Result<StoredPlan>> + Send {
        RecurringPlanRepository::get_plan(&**self, owner, id)
    }
    fn plans_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> impl Future<Output = Result<Vec<StoredPlan>>> + Send {
        RecurringPlanRepository::plans_for_loan(&**self, owner, loan_id)
    }
    fn delete_plan(&self, owner: &UserId, id: &PlanId) -> impl Future<Output = Result<()>> + Send {
        RecurringPlanRepository::delete_plan(&**self, owner, id)
    }
    fn due_plans(
        &self,
        as_of: NaiveDate,
        after: Option<&DueCursor>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredPlan>>> + Send {
        RecurringPlanRepository::due_plans(&**self, as_of, after, limit)
    }
    fn advance_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
        next_due: Option<NaiveDate>,
    ) -> impl Future<Output = Result<bool>> + Send {
        RecurringPlanRepository::advance_plan(&**self, owner, id, next_due)
    }
}

impl<T: CorrectionStore> CorrectionStore for Arc<T> {
    fn corrections_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> impl Future<Output = Result<Vec<BalanceCorrection>>> + Send {
        CorrectionStore::corrections_for_loan(&**self, owner, loan_id)
    }
    fn record_correction(
        &self,
        correction: BalanceCorrection,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send {
        CorrectionStore::record_correction(&**self, correction, loan, expected_version)
    }
    fn remove_correction(
        &self,
        owner: &UserId,
        id: &CorrectionId,
        loan: Loan,
        expected_version: u64,
    ) -> impl Future<Output = Result<Loan>> + Send {
        CorrectionStore::remove_correction(&**self, owner, id, loan, expected_version)
    }
}

impl<T: Notifier> Notifier for Arc<T> {
    fn notify(&self, notification: Notification) -> impl Future<Output = Result<()>> + Send {
        Notifier::notify(&**self, notification)
    }
}

impl<T: Clock> Clock for Arc<T> {
    fn now(&self) -> DateTime<Utc> {
        Clock::now(&**self)
    }
    fn today(&self) -> NaiveDate {
        Clock::today(&**self)
    }
}

impl<T: IdGenerator> IdGenerator for Arc<T> {
    fn new_id(&self, prefix: &str) -> String {
        IdGenerator::new_id(&**self, prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn query_validation_names_fields() {
        assert!(LoanQuery::default().validate().is_ok());
        assert!(LoanQuery::default().with_limit(1).validate().is_ok());
        assert!(LoanQuery::default().with_limit(100).validate().is_ok());
        assert_eq!(
            LoanQuery::default()
                .with_limit(101)
                .validate()
                .unwrap_err()
                .field(),
            Some("limit")
        );
        assert_eq!(
            LoanQuery::default()
                .with_search("s".repeat(201))
                .validate()
                .unwrap_err()
                .field(),
            Some("search")
        );
        assert_eq!(LoanQuery::default().with_search("  ").search_needle(), None);
        let q: LoanQuery = serde_json::from_str(r#"{"search":"x"}"#).unwrap();
        assert_eq!(q.limit, 50);
    }

    #[test]
    fn cursor_round_trip_and_rejects_garbage() {
        let c = LoanCursor {
            created_at: Utc.with_ymd_and_hms(2025, 6, 30, 12, 0, 0).unwrap()
                + chrono::Duration::nanoseconds(123),
            id: LoanId::new("a|b|c").unwrap(),
        };
        let s = c.encode();
        assert!(s.chars().all(|ch| ch.is_ascii_hexdigit()));
        assert_eq!(LoanCursor::decode(&s).unwrap(), c);
        let hex = |plain: &str| {
            plain
                .bytes()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let bad_version = hex("2|2025-06-30T12:00:00Z|x");
        let bad_time = hex("1|yesterday|x");
        let bad_id = hex("1|2025-06-30T12:00:00Z|");
        let no_id = hex("1|2025-06-30T12:00:00Z");
        for bad in [
            "",
            "0",
            "zz",
            "7c7c",
            "é1",
            "ff",
            &bad_version,
            &bad_time,
            &bad_id,
            &no_id,
        ] {
            assert_eq!(
                LoanCursor::decode(bad).unwrap_err().field(),
                Some("cursor"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn conflict_kinds_are_distinguishable() {
        let id = LoanId::new("l").unwrap();
        let stale = stale_version(&id, 3, 4);
        assert_eq!(stale.code(), "conflict");
        assert!(is_stale_version(&stale) && !is_idempotency_conflict(&stale));
        let dup = idempotency_conflict(&id, "k");
        assert!(is_idempotency_conflict(&dup) && !is_stale_version(&dup));
        assert!(dup.to_string().contains("idempotency"));
    }

    #[test]
    fn sequential_ids_are_unique_across_threads() {
        let ids = Arc::new(SequentialIds::new());
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let ids = Arc::clone(&ids);
                std::thread::spawn(move || (0..250).map(|_| ids.new_id("x")).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<String> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 1000);
        assert_eq!(all[0], "x_000001");
        assert_eq!(all[999], "x_001000");
    }

    #[test]
    fn fixed_clock_set_and_arc() {
        let clock = Arc::new(FixedClock::at_date(
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        ));
        assert_eq!(
            clock.now(),
            Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 0).unwrap()
        );
        clock.set(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        assert!(SystemClock.now() > Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap());
    }

    #[test]
    fn notification_serde_is_tagged() {
        let n = Notification::RepaymentRecorded {
            owner: UserId::new("u").unwrap(),
            loan_id: LoanId::new("l").unwrap(),
            repayment_id: RepaymentId::new("r").unwrap(),
            amount: rust_decimal_macros::dec!(12.30),
        };
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(
            json,
            r#"{"type":"repayment_recorded","owner":"u","loan_id":"l","repayment_id":"r","amount":"12.30"}"#
        );
        assert_eq!(serde_json::from_str::<Notification>(&json).unwrap(), n);
        assert_eq!(n.owner().as_str(), "u");
    }
}
