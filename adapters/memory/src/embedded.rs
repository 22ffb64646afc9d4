//! A synchronous facade over the whole service on an embedded store, for the language
//! bindings (Python, WASM, Kotlin/Swift), examples and scripts: no async runtime needed.
//!
//! [`Tracker`] owns an [`EmbeddedStore`] (the in-memory [`MemoryStore`] by default, or, with
//! the `sqlite` feature, a SQLite file opened with [`Tracker::open`]) and a [`LoanService`]
//! with a settable clock ([`FixedClock`], started from the system time or a given date),
//! sequential ids and a [`RecordingNotifier`]. Every method is a plain function that drives the
//! service's future with [`block_on`]. Both stores complete every future on its first poll
//! (memory never waits; SQLite does its file I/O synchronously inside the call), and the
//! service yields at most once between write attempts, so `block_on` only ever loops a handful
//! of times; it is meant for these futures only, not for futures that wait on network I/O (it
//! would spin).
//!
//! The bindings only translate arguments and results: every rule lives in the core.
//!
//! ```
//! use loansyncro_memory::embedded::Tracker;
//! use loansyncro_core::{domain::loan::NewLoan, domain::repayment::NewRepayment, domain::user::UserId, Error, LoanTerms, Rate};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let tracker = Tracker::at_date(d(1, 1));
//! let ada = UserId::new("ada")?;
//! tracker.sync_user(&ada, "ada@example.com", "Ada")?;
//! let terms = LoanTerms::builder()
//!     .principal(dec!(1200))
//!     .annual_rate(Rate::from_percent(dec!(12))?)
//!     .installments(12)
//!     .start(d(1, 1))
//!     .build()?;
//! let loan = tracker.create_loan(&ada, NewLoan::new("Car", terms))?;
//! assert_eq!(loan.installment, dec!(106.62));
//! let id = loan.loan.id().clone();
//! tracker.set_today(d(2, 1));
//! let paid = tracker.record_repayment(&ada, &id, NewRepayment::new(dec!(106.62), d(2, 1)))?;
//! assert_eq!(paid.position.paid_interest, dec!(12.00));
//! assert_eq!(paid.loan.aggregates().total_repaid, dec!(106.62));
//! // Paying more than the payoff is refused, with the payoff stated.
//! let err = tracker.record_repayment(&ada, &id, NewRepayment::new(dec!(5000), d(2, 1))).unwrap_err();
//! assert!(matches!(err, Error::Overpayment { payoff, .. } if payoff == dec!(1105.38)));
//! // Somebody else's loan does not exist for them.
//! let bob = UserId::new("bob")?;
//! assert_eq!(tracker.get_loan(&bob, &id).unwrap_err().code(), "not_found");
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::ports::{
    Clock, FixedClock, IdGenerator, LedgerStore, LoanQuery, LoanRepository, Notification, Page,
    RecordingNotifier, RepaymentRepository, SequentialIds, UserRepository,
};
use loansyncro_core::app::service::{
    LedgerOutcome, LoanService, LoanView, PlanRequest, RepaymentFilter, RepaymentOutcome,
    ServiceConfig, StatusUpdate,
};
use loansyncro_core::domain::loan::{Loan, LoanId, NewLoan};
use loansyncro_core::domain::portfolio::{LoanRepayments, PortfolioSummary};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::error::Result;
use loansyncro_core::ledger::planner::PlanResult;
use loansyncro_core::ledger::Position;

use crate::{MemoryStats, MemoryStore};

/// Runs `future` to completion on the current thread by polling it in a loop with a no-op
/// waker (`std::task::Waker::noop`, no runtime).
///
/// Meant for futures that are ready after a few polls, like those of the memory store and the
/// service over it; a future waiting on real I/O would make it spin.
///
/// ```
/// use loansyncro_memory::embedded::block_on;
/// assert_eq!(block_on(async { 40 + 2 }), 42);
/// ```
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        std::hint::spin_loop();
    }
}

/// The service over the embedded store with the tracker's ports.
pub type EmbeddedService =
    LoanService<EmbeddedStore, Arc<RecordingNotifier>, Arc<FixedClock>, EmbeddedIds>;

/// The whole LoanSyncro service, in memory or on a SQLite file, as synchronous methods. See
/// the [module docs](self).
#[derive(Debug)]
pub struct Tracker {
    service: EmbeddedService,
    clock: Arc<FixedClock>,
    notifier: Arc<RecordingNotifier>,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker::new()
    }
}

impl Tracker {
    /// An empty tracker whose clock starts at the system time (and then stands still until
    /// [`Tracker::set_now`] or [`Tracker::sync_clock`]).
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn new() -> Tracker {
        Tracker::at(Clock::now(&loansyncro_core::app::ports::SystemClock))
    }

    /// An empty tracker whose clock starts at the Unix epoch (on `wasm32-unknown-unknown`
    /// the host must set the time with [`Tracker::set_now`]).
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    pub fn new() -> Tracker {
        Tracker::at(DateTime::<Utc>::UNIX_EPOCH)
    }

    /// An empty tracker whose clock stands at `now`.
    pub fn at(now: DateTime<Utc>) -> Tracker {
        Tracker::with_config(now, ServiceConfig::default())
    }

    /// An empty tracker whose clock stands at midnight UTC of `today`.
    pub fn at_date(today: NaiveDate) -> Tracker {
        Tracker::at(today.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// An empty tracker with service settings.
    pub fn with_config(now: DateTime<Utc>, config: ServiceConfig) -> Tracker {
        let ids = EmbeddedIds::Sequential(SequentialIds::new());
        Tracker::with_store(EmbeddedStore::default(), ids, now, config)
    }

    /// A tracker over `store` with `ids`, clock at `now`.
    fn with_store(
        store: EmbeddedStore,
        ids: EmbeddedIds,
        now: DateTime<Utc>,
        config: ServiceConfig,
    ) -> Tracker {
        let clock = Arc::new(FixedClock::new(now));
        let notifier = Arc::new(RecordingNotifier::new());
        let service = LoanService::new(store, Arc::clone(&notifier), Arc::clone(&clock), ids)
            .with_config(config);
        Tracker {
            service,
            clock,
            notifier,
        }
    }

    /// A tracker on the SQLite file at `path` (created if absent, migrated to the current
    /// schema if older), whose clock starts at the system time. Everything written is in the
    /// file as soon as the call returns; opening the file again later finds it all. Ids are
    /// drawn from the file (`loansyncro_sqlite::SqliteIds`): trackers open on the same file,
    /// in one process or several, never make the same id, and never reissue a deleted one.
    ///
    /// ```
    /// use loansyncro_memory::embedded::Tracker;
    /// use loansyncro_core::{domain::loan::NewLoan, domain::user::UserId, LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let dir = std::env::temp_dir().join(format!("ls-doc-tracker-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("loans.db");
    /// let ada = UserId::new("ada")?;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(1200.50))
    ///     .annual_rate(Rate::from_percent(dec!(12))?)
    ///     .installments(12)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build()?;
    /// let id = {
    ///     let tracker = Tracker::open(&path)?;
    ///     tracker.create_loan(&ada, NewLoan::new("Car", terms))?.loan.id().clone()
    /// };
    /// let tracker = Tracker::open(&path)?;
    /// assert_eq!(tracker.get_loan(&ada, &id)?.loan.terms().principal(), dec!(1200.50));
    /// # drop(tracker);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    #[cfg(feature = "sqlite")]
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Tracker> {
        Tracker::open_at(path, Clock::now(&loansyncro_core::app::ports::SystemClock))
    }

    /// [`Tracker::open`] with the clock standing at `now`.
    #[cfg(feature = "sqlite")]
    pub fn open_at(path: impl AsRef<std::path::Path>, now: DateTime<Utc>) -> Result<Tracker> {
        Tracker::open_with_config(path, now, ServiceConfig::default())
    }

    /// [`Tracker::open`] with the clock standing at `now` and service settings.
    #[cfg(feature = "sqlite")]
    pub fn open_with_config(
        path: impl AsRef<std::path::Path>,
        now: DateTime<Utc>,
        config: ServiceConfig,
    ) -> Result<Tracker> {
        let store = loansyncro_sqlite::SqliteStore::open(path)?;
        let ids = EmbeddedIds::Sqlite(loansyncro_sqlite::SqliteIds::new(store.clone()));
        Ok(Tracker::with_store(
            EmbeddedStore::Sqlite(store),
            ids,
            now,
            config,
        ))
    }

    /// The async service underneath (for callers that have a runtime).
    pub fn service(&self) -> &EmbeddedService {
        &self.service
    }

    /// The store underneath.
    pub fn store(&self) -> &EmbeddedStore {
        self.service.store()
    }

    /// The tracker's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The tracker's current date (UTC).
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Moves the clock to `now`.
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.clock.set(now);
    }

    /// Moves the clock to midnight UTC of `today`.
    pub fn set_today(&self, today: NaiveDate) {
        self.clock
            .set(today.and_time(chrono::NaiveTime::MIN).and_utc());
    }

    /// Moves the clock to the system time.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn sync_clock(&self) {
        self.clock
            .set(Clock::now(&loansyncro_core::app::ports::SystemClock));
    }

    /// Every notification sent so far, emptying the list.
    pub fn take_notifications(&self) -> Vec<Notification> {
        self.notifier.take()
    }

    /// See [`LoanService::sync_user`].
    pub fn sync_user(&self, user: &UserId, email: &str, full_name: &str) -> Result<User> {
        block_on(self.service.sync_user(user, email, full_name))
    }

    /// See [`LoanService::create_loan`].
    pub fn create_loan(&self, user: &UserId, command: NewLoan) -> Result<LoanView> {
        block_on(self.service.create_loan(user, command))
    }

    /// See [`LoanService::get_loan`].
    pub fn get_loan(&self, user: &UserId, id: &LoanId) -> Result<LoanView> {
        block_on(self.service.get_loan(user, id))
    }

    /// See [`LoanService::list_loans`].
    pub fn list_loans(&self, user: &UserId, query: &LoanQuery) -> Result<Page<LoanView>> {
        block_on(self.service.list_loans(user, query))
    }

    /// See [`LoanService::update_loan`].
    pub fn update_loan(
        &self,
        user: &UserId,
        id: &LoanId,
        command: NewLoan,
        expected_version: u64,
    ) -> Result<LedgerOutcome> {
        block_on(
            self.service
                .update_loan(user, id, command, expected_version),
        )
    }

    /// See [`LoanService::delete_loan`].
    pub fn delete_loan(&self, user: &UserId, id: &LoanId) -> Result<()> {
        block_on(self.service.delete_loan(user, id, None))
    }

    /// See [`LoanService::set_defaulted`].
    pub fn set_defaulted(&self, user: &UserId, id: &LoanId) -> Result<StatusUpdate> {
        block_on(self.service.set_defaulted(user, id))
    }

    /// See [`LoanService::cure`].
    pub fn cure(&self, user: &UserId, id: &LoanId) -> Result<StatusUpdate> {
        block_on(self.service.cure(user, id))
    }

    /// See [`LoanService::record_repayment`].
    pub fn record_repayment(
        &self,
        user: &UserId,
        loan: &LoanId,
        command: NewRepayment,
    ) -> Result<RepaymentOutcome> {
        block_on(self.service.record_repayment(user, loan, command))
    }

    /// See [`LoanService::get_repayment`].
    pub fn get_repayment(&self, user: &UserId, id: &RepaymentId) -> Result<Repayment> {
        block_on(self.service.get_repayment(user, id))
    }

    /// See [`LoanService::update_repayment`].
    pub fn update_repayment(
        &self,
        user: &UserId,
        id: &RepaymentId,
        command: NewRepayment,
    ) -> Result<RepaymentOutcome> {
        block_on(self.service.update_repayment(user, id, command))
    }

    /// See [`LoanService::delete_repayment`].
    pub fn delete_repayment(&self, user: &UserId, id: &RepaymentId) -> Result<LedgerOutcome> {
        block_on(self.service.delete_repayment(user, id))
    }

    /// See [`LoanService::list_repayments`].
    pub fn list_repayments(
        &self,
        user: &UserId,
        filter: &RepaymentFilter,
    ) -> Result<Vec<Repayment>> {
        block_on(self.service.list_repayments(user, filter))
    }

    /// See [`LoanService::grouped_repayments`].
    pub fn grouped_repayments(
        &self,
        user: &UserId,
        search: Option<&str>,
    ) -> Result<Vec<LoanRepayments>> {
        block_on(self.service.grouped_repayments(user, search))
    }

    /// See [`LoanService::position`].
    pub fn position(
        &self,
        user: &UserId,
        id: &LoanId,
        as_of: Option<NaiveDate>,
    ) -> Result<Position> {
        block_on(self.service.position(user, id, as_of))
    }

    /// See [`LoanService::dashboard`].
    pub fn summary(&self, user: &UserId) -> Result<PortfolioSummary> {
        block_on(self.service.dashboard(user))
    }

    /// See [`LoanService::dashboard_as_of`].
    pub fn summary_as_of(&self, user: &UserId, as_of: NaiveDate) -> Result<PortfolioSummary> {
        block_on(self.service.dashboard_as_of(user, as_of))
    }

    /// See [`LoanService::plan`].
    pub fn plan(&self, user: &UserId, request: &PlanRequest) -> Result<PlanResult> {
        block_on(self.service.plan(user, request))
    }
}

// ---------------------------------------------------------------------------------------------
// The embedded store
// ---------------------------------------------------------------------------------------------

/// The store under a [`Tracker`]: in memory (the default) or, with the `sqlite` feature, a
/// SQLite file. Every port call is forwarded to the store inside.
#[derive(Debug, Clone)]
pub enum EmbeddedStore {
    /// In memory: gone when the tracker is dropped.
    Memory(MemoryStore),
    /// A SQLite file (see `loansyncro_sqlite`).
    #[cfg(feature = "sqlite")]
    Sqlite(loansyncro_sqlite::SqliteStore),
}

impl Default for EmbeddedStore {
    fn default() -> Self {
        EmbeddedStore::Memory(MemoryStore::new())
    }
}

impl EmbeddedStore {
    /// How many users, loans and repayments the store holds.
    ///
    /// ```
    /// use loansyncro_memory::{embedded::EmbeddedStore, MemoryStats};
    /// assert_eq!(EmbeddedStore::default().stats()?, MemoryStats::default());
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn stats(&self) -> Result<MemoryStats> {
        match self {
            EmbeddedStore::Memory(store) => Ok(store.stats()),
            #[cfg(feature = "sqlite")]
            EmbeddedStore::Sqlite(store) => store.stats().map(|s| MemoryStats {
                users: s.users,
                loans: s.loans,
                repayments: s.repayments,
            }),
        }
    }

    /// Whether the data lives in a file (and survives the process).
    pub fn is_persistent(&self) -> bool {
        !matches!(self, EmbeddedStore::Memory(_))
    }
}

/// The id generator of a [`Tracker`]: a counter in memory, or numbers drawn from the SQLite
/// file (unique across every tracker on the file).
#[derive(Debug)]
pub enum EmbeddedIds {
    /// `prefix_000001`, ... from a counter in this tracker.
    Sequential(SequentialIds),
    /// The same format, numbers drawn from the file.
    #[cfg(feature = "sqlite")]
    Sqlite(loansyncro_sqlite::SqliteIds),
}

impl IdGenerator for EmbeddedIds {
    fn new_id(&self, prefix: &str) -> String {
        match self {
            EmbeddedIds::Sequential(ids) => ids.new_id(prefix),
            #[cfg(feature = "sqlite")]
            EmbeddedIds::Sqlite(ids) => ids.new_id(prefix),
        }
    }
}

/// `$call` on the store inside `$self`, bound to `$s`.
macro_rules! forward {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            EmbeddedStore::Memory($s) => $call.await,
            #[cfg(feature = "sqlite")]
            EmbeddedStore::Sqlite($s) => $call.await,
        }
    };
}

impl UserRepository for EmbeddedStore {
    async fn get(&self, id: &UserId) -> Result<Option<User>> {
        forward!(self, s => UserRepository::get(s, id))
    }
    async fn upsert(&self, user: User) -> Result<User> {
        forward!(self, s => UserRepository::upsert(s, user))
    }
    async fn find_by_email(&self, email: &str) -> Result<Option<User>> {
        forward!(self, s => UserRepository::find_by_email(s, email))
    }
}

impl LoanRepository for EmbeddedStore {
    async fn get(&self, owner: &UserId, id: &LoanId) -> Result<Loan> {
        forward!(self, s => LoanRepository::get(s, owner, id))
    }
    async fn list(&self, owner: &UserId, query: &LoanQuery) -> Result<Page<Loan>> {
        forward!(self, s => LoanRepository::list(s, owner, query))
    }
    async fn insert(&self, loan: Loan) -> Result<()> {
        forward!(self, s => LoanRepository::insert(s, loan))
    }
    async fn update(&self, loan: Loan, expected_version: u64) -> Result<Loan> {
        forward!(self, s => LoanRepository::update(s, loan, expected_version))
    }
    async fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        forward!(self, s => LoanRepository::delete_with_repayments(s, owner, id, expected_version))
    }
}

impl RepaymentRepository for EmbeddedStore {
    async fn get(&self, owner: &UserId, id: &RepaymentId) -> Result<Repayment> {
        forward!(self, s => RepaymentRepository::get(s, owner, id))
    }
    async fn list_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<Repayment>> {
        forward!(self, s => RepaymentRepository::list_for_loan(s, owner, loan_id))
    }
    async fn list_for_owner(&self, owner: &UserId) -> Result<Vec<Repayment>> {
        forward!(self, s => RepaymentRepository::list_for_owner(s, owner))
    }
    async fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> Result<Option<Repayment>> {
        forward!(self, s => RepaymentRepository::find_by_idempotency_key(s, owner, loan_id, key))
    }
}

impl LedgerStore for EmbeddedStore {
    async fn loan_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
    ) -> Result<(Loan, Vec<Repayment>)> {
        forward!(self, s => LedgerStore::loan_with_repayments(s, owner, id))
    }
    async fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        forward!(self, s => s.record_repayment(repayment, loan, expected_version))
    }
    async fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        forward!(self, s => s.replace_repayment(repayment, loan, expected_version))
    }
    async fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        forward!(self, s => s.remove_repayment(owner, id, loan, expected_version))
    }
}

mod corrections;
