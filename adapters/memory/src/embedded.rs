//! A synchronous facade over the whole service on the in-memory store, for the language
//! bindings (Python, WASM, Kotlin/Swift), examples and scripts: no async runtime needed.
//!
//! [`Tracker`] owns a [`MemoryStore`] and a [`LoanService`] with a settable clock
//! ([`FixedClock`], started from the system time or a given date), sequential ids and a
//! [`RecordingNotifier`]. Every method is a plain function that drives the service's future
//! with [`block_on`]. The memory store completes every future on its first poll (it never
//! waits on I/O), and the service yields at most once between write attempts, so `block_on`
//! only ever loops a handful of times; it is meant for these futures only, not for futures
//! that wait on real I/O (it would spin).
//!
//! The bindings only translate arguments and results: every rule lives in the core.
//!
//! ```
//! use loansyncro_memory::embedded::Tracker;
//! use loansyncro_core::{loan::NewLoan, repayment::NewRepayment, user::UserId, Error, LoanTerms, Rate};
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
//! let id = loan.loan.id.clone();
//! tracker.set_today(d(2, 1));
//! let paid = tracker.record_repayment(&ada, &id, NewRepayment::new(dec!(106.62), d(2, 1)))?;
//! assert_eq!(paid.position.paid_interest, dec!(12.00));
//! assert_eq!(paid.loan.aggregates.total_repaid, dec!(106.62));
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
use loansyncro_core::error::Result;
use loansyncro_core::ledger::Position;
use loansyncro_core::loan::{LoanId, NewLoan};
use loansyncro_core::planner::PlanResult;
use loansyncro_core::portfolio::{LoanRepayments, PortfolioSummary};
use loansyncro_core::ports::{
    Clock, FixedClock, LoanQuery, Notification, Page, RecordingNotifier, SequentialIds,
};
use loansyncro_core::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::service::{
    LedgerOutcome, LoanService, LoanView, PlanRequest, RepaymentFilter, RepaymentOutcome,
    ServiceConfig, StatusUpdate,
};
use loansyncro_core::user::{User, UserId};

use crate::MemoryStore;

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

/// The service over the memory store with the tracker's ports.
pub type EmbeddedService =
    LoanService<MemoryStore, Arc<RecordingNotifier>, Arc<FixedClock>, SequentialIds>;

/// The whole LoanSyncro service, in memory, as synchronous methods. See the
/// [module docs](self).
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
        Tracker::at(Clock::now(&loansyncro_core::ports::SystemClock))
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
        let clock = Arc::new(FixedClock::new(now));
        let notifier = Arc::new(RecordingNotifier::new());
        let service = LoanService::new(
            MemoryStore::new(),
            Arc::clone(&notifier),
            Arc::clone(&clock),
            SequentialIds::new(),
        )
        .with_config(config);
        Tracker {
            service,
            clock,
            notifier,
        }
    }

    /// The async service underneath (for callers that have a runtime).
    pub fn service(&self) -> &EmbeddedService {
        &self.service
    }

    /// The store underneath.
    pub fn store(&self) -> &MemoryStore {
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
            .set(Clock::now(&loansyncro_core::ports::SystemClock));
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
        block_on(self.service.delete_loan(user, id))
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
