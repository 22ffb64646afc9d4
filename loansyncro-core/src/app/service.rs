//! The use cases of LoanSyncro over the ports: loans, repayments, status changes, positions,
//! the dashboard and the payoff planner, all scoped to the calling user.
//!
//! [`LoanService`] is generic over a store (implementing [`LedgerStore`] and
//! [`UserRepository`]), a [`Notifier`], a [`Clock`] and an [`IdGenerator`]. Its methods are
//! `async` and their futures are `Send`; the core brings no runtime, so the same service runs
//! under tokio (the HTTP API), a Lambda runtime, or the synchronous `block_on` of the bindings
//! (`loansyncro_memory::embedded`, which has a runnable example of every use case).
//!
//! # Rules
//! * **Ownership.** Every call names the calling user; another user's loan or repayment is
//!   [`Error::NotFound`], exactly like an absent one (the ports scope every read and write).
//! * **Nothing stored twice.** The installment and the schedule totals are derived from the
//!   terms on every read ([`LoanView`]); the loan stores only its terms, status, version and
//!   the aggregates of its replayed ledger.
//! * **Ledger writes.** Recording, editing or deleting a repayment reads the loan, builds its
//!   schedule once and brings its ledger to the new state once (an overpayment is
//!   [`Error::Overpayment`] stating the payoff), derives the status transition with
//!   [`next_status_of`], and stores the repayment change together with the loan's new
//!   aggregates (with the ledger's [`LedgerCheckpoint`]), status and version in one atomic
//!   [`LedgerStore`] write. A repayment dated on or after the latest one is applied to the
//!   stored checkpoint ([`LedgerState::apply`]) without reading the repayments; a back-dated,
//!   edited or deleted repayment (or a loan without a usable checkpoint) reads the repayments
//!   and replays them all. Either way the result is the same (the property tests check it).
//!   A stale version (somebody else wrote in between) is retried from the read, up to
//!   [`ServiceConfig::max_attempts`] times ([`LoanService`]'s one `retry_on_stale`).
//! * **The ledger date.** Positions stored with a write are taken on the latest of today, the
//!   loan's start and the latest repayment date ([`ledger_date`]): they show how far behind
//!   schedule the loan is today (`days_past_due`, `amount_due`).
//! * **Status as of the ledger's own dates.** The status is a function of the terms, the
//!   repayments and a date ([`crate::domain::status::replay_status`]); the clock is the injected
//!   [`Clock`] port, never a hidden one. A write evaluates the status as of its
//!   [`status_date`] (the latest of the loan's start and its latest repayment date): recording
//!   a repayment dated D evaluates transitions as of D, so a historical loan entered today
//!   repayment by repayment gets the statuses its dates imply, and the order of entry never
//!   matters. [`LoanService::status_as_of`] evaluates any other date (e.g. today).
//! * **Default is the owner's word** ([`LoanService::set_defaulted`], [`LoanService::cure`]),
//!   or automatic only when the loan's terms (or the [`ServiceConfig::status_policy`]) opt in
//!   to a days-past-due threshold. The owner's explicit status persists until another explicit
//!   action or the position closing. Editing title or description (terms unchanged) never
//!   recomputes anything. A new loan starts active.
//! * **No future repayments.** A repayment dated after today (UTC) plus one day of tolerance
//!   is a validation error on `date` ([`NewRepayment::check_not_future`]).
//! * **Idempotency.** A repayment command with an idempotency key that the loan already used
//!   returns the first repayment (with the loan's current position) instead of recording
//!   twice; the same key with another amount or date is [`Error::Conflict`].
//! * **Notifications.** Loan created, repayment recorded, and loan paid on the transition to
//!   paid only. A failing notifier never fails a use case: the failure is counted
//!   ([`LoanService::notification_failures`]) and otherwise ignored.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::app::ports::{
    is_idempotency_conflict, is_stale_version, stale_version, Clock, IdGenerator, LedgerStore,
    LoanQuery, LoanRepository, Notification, Notifier, Page, RepaymentRepository, UserRepository,
    MAX_PAGE_LIMIT,
};
use crate::domain::loan::{Loan, LoanAggregates, LoanId, NewLoan};
use crate::domain::portfolio::{self, LoanRepayments, PortfolioSummary};
use crate::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use crate::domain::status::{next_status_of, LoanStatus, StatusPolicy, TransitionReason};
use crate::domain::user::{User, UserId};
use crate::error::{ConflictKind, Error, Result};
use crate::ledger::planner::{self, Debt, PlanInput, PlanResult, Strategy};
use crate::ledger::{self, LedgerCheckpoint, LedgerPayment, LedgerState, Position, Standing};
use crate::math::money::Currency;
use crate::schedule::terms::LoanTerms;
use crate::schedule::Schedule;

/// Default bound on the attempts of a version-checked write under contention.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 20;

/// Settings of a [`LoanService`].
///
/// ```
/// use loansyncro_core::app::service::ServiceConfig;
/// let c = ServiceConfig::default();
/// assert_eq!(c.max_attempts, 20);
/// assert_eq!(c.status_policy.default_after_days_past_due, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConfig {
    /// When loans whose terms set no policy default automatically (default: never).
    pub status_policy: StatusPolicy,
    /// Attempts of a version-checked ledger write before giving up with a retryable
    /// [`Error::Storage`] (HTTP 503; at least 1).
    pub max_attempts: u32,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            status_policy: StatusPolicy::default(),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

/// A loan with the figures derived from its terms (computed on read, never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanView {
    /// The stored loan.
    pub loan: Loan,
    /// The regular installment of the schedule (the "monthly payment").
    pub installment: Decimal,
    /// Σ of the scheduled installments.
    pub total_scheduled: Decimal,
    /// Σ of the scheduled interest.
    pub total_interest: Decimal,
}

impl LoanView {
    /// The view of `loan`: its schedule's installment and totals.
    ///
    /// ```
    /// use loansyncro_core::app::service::LoanView;
    /// use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::user::UserId, LoanTerms, Rate};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(1000))
    ///     .annual_rate(Rate::from_percent(dec!(12))?)
    ///     .installments(12)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build()?;
    /// let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    /// let loan = Loan::new(LoanId::new("l1")?, UserId::new("u1")?, NewLoan::new("Car", terms), now)?;
    /// let view = LoanView::new(loan)?;
    /// assert_eq!(view.installment, dec!(88.85));
    /// assert_eq!(view.total_scheduled, dec!(1066.19));
    /// assert_eq!(view.total_interest, dec!(66.19));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn new(loan: Loan) -> Result<LoanView> {
        let schedule = loan.terms.schedule()?;
        Ok(LoanView::with_schedule(loan, &schedule))
    }

    /// The view of `loan` from its schedule (`loan.terms.schedule()`), already built.
    pub fn with_schedule(loan: Loan, schedule: &Schedule) -> LoanView {
        LoanView::with_figures(loan, ScheduleFigures::of(schedule))
    }

    /// The view of `loan` from the figures of its schedule.
    pub fn with_figures(loan: Loan, figures: ScheduleFigures) -> LoanView {
        LoanView {
            installment: figures.installment,
            total_scheduled: figures.total_scheduled,
            total_interest: figures.total_interest,
            loan,
        }
    }
}

/// The figures of a [`LoanView`] that come from the loan's schedule (derived, never stored), so
/// that a write that built the schedule hands them on instead of building it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleFigures {
    /// The regular installment.
    pub installment: Decimal,
    /// Σ of the scheduled installments.
    pub total_scheduled: Decimal,
    /// Σ of the scheduled interest.
    pub total_interest: Decimal,
}

impl ScheduleFigures {
    /// The figures of `schedule`.
    pub fn of(schedule: &Schedule) -> ScheduleFigures {
        let totals = schedule.totals();
        ScheduleFigures {
            installment: schedule.regular_payment(),
            total_scheduled: totals.paid,
            total_interest: totals.interest,
        }
    }
}

/// A status change and why it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The status before.
    pub from: LoanStatus,
    /// The status after.
    pub to: LoanStatus,
    /// Why.
    pub reason: TransitionReason,
}

/// The result of a ledger write (edit or deletion of a repayment, or a loan update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerOutcome {
    /// The loan as stored (new aggregates, status and version).
    pub loan: Loan,
    /// The replayed position on the ledger date.
    pub position: Position,
    /// The status change of this write, if any.
    pub transition: Option<StatusChange>,
}

/// The result of recording (or editing) a repayment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepaymentOutcome {
    /// The repayment as stored (for a replayed idempotent retry: the first one).
    pub repayment: Repayment,
    /// The loan as stored.
    pub loan: Loan,
    /// The loan's replayed position on the ledger date.
    pub position: Position,
    /// The status change of this write, if any (`None` for a replayed retry).
    pub transition: Option<StatusChange>,
    /// Whether this is the first result returned again for a reused idempotency key.
    pub replayed: bool,
    /// The figures of the loan's schedule (for its [`LoanView`]).
    pub figures: ScheduleFigures,
}

/// The result of an owner's status action ([`LoanService::set_defaulted`],
/// [`LoanService::cure`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// The loan as stored.
    pub loan: Loan,
    /// The change made.
    pub change: StatusChange,
}

/// Which repayments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentFilter {
    /// Every repayment of the user.
    #[default]
    All,
    /// The repayments of one loan.
    Loan(LoanId),
}

/// What the payoff planner needs besides the user's loans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRequest {
    /// Only the user's unpaid loans in this currency are planned.
    pub currency: Currency,
    /// Money available every month.
    pub monthly_budget: Decimal,
    /// Avalanche, snowball or a custom order of loan ids.
    pub strategy: Strategy,
    /// Date of the first month's payment (default: today).
    #[serde(default)]
    #[serde(deserialize_with = "crate::math::calendar::deserialize_opt_iso_date")]
    pub start: Option<NaiveDate>,
}

/// The date a write's position is taken on: the latest of `today`, the loan's start and the
/// latest repayment date.
///
/// ```
/// use loansyncro_core::app::service::ledger_date;
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(100)).installments(2).start(d(3, 1)).build()?;
/// assert_eq!(ledger_date(&terms, [d(2, 1)], d(1, 1)), d(3, 1));
/// assert_eq!(ledger_date(&terms, [d(5, 1)], d(4, 1)), d(5, 1));
/// assert_eq!(ledger_date(&terms, [], d(4, 1)), d(4, 1));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn ledger_date(
    terms: &LoanTerms,
    repayment_dates: impl IntoIterator<Item = NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    repayment_dates
        .into_iter()
        .fold(today.max(terms.start()), NaiveDate::max)
}

/// The owner's explicit status of `loan`. A loan stored `defaulted` before owner statuses were
/// recorded (no `owner_status`) under a policy without a days-past-due threshold can only have
/// been defaulted by its owner or by the former automatic rule: it keeps its status until
/// another explicit action or its closing, instead of being cured by the next write.
fn owner_status_of(loan: &Loan, policy: &StatusPolicy) -> Option<LoanStatus> {
    let legacy_default =
        loan.status == LoanStatus::Defaulted && policy.default_after_days_past_due.is_none();
    loan.aggregates
        .owner_status
        .or(legacy_default.then_some(LoanStatus::Defaulted))
}

/// The date a write evaluates the status on: the latest of the loan's start and its latest
/// repayment date (the clock plays no part).
///
/// ```
/// use loansyncro_core::app::service::status_date;
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(100)).installments(2).start(d(3, 1)).build()?;
/// assert_eq!(status_date(&terms, [d(5, 1), d(4, 1)]), d(5, 1));
/// assert_eq!(status_date(&terms, []), d(3, 1));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn status_date(
    terms: &LoanTerms,
    repayment_dates: impl IntoIterator<Item = NaiveDate>,
) -> NaiveDate {
    repayment_dates
        .into_iter()
        .fold(terms.start(), NaiveDate::max)
}

/// The ledger payments of `repayments`.
fn payments(repayments: &[Repayment]) -> Vec<LedgerPayment> {
    repayments.iter().map(ledger_payment).collect()
}

/// The ledger payment of a repayment.
fn ledger_payment(r: &Repayment) -> LedgerPayment {
    LedgerPayment {
        date: r.date,
        amount: r.amount,
    }
}

/// The loan's stored checkpoint when it is consistent with its aggregates (taken after as many
/// repayments, the latest on the same date): the ledger can resume from it.
fn usable_checkpoint(loan: &Loan) -> Option<&LedgerCheckpoint> {
    let a = &loan.aggregates;
    a.ledger_checkpoint
        .as_ref()
        .filter(|c| c.payments() == a.repayment_count && c.last_payment() == a.last_payment_date)
}

/// What a ledger write stores and answers: the loan with its new aggregates, status and
/// `updated_at`, the position on the ledger date and the status change.
#[derive(Debug)]
struct Settled {
    loan: Loan,
    position: Position,
    transition: Option<StatusChange>,
}

/// A future that is pending once (waking itself), so other tasks run before a retry.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// The retry budget ran out under contention: an internal race, not the caller's conflict, so a
/// retryable storage error (HTTP 503), never a conflict (409). `subject` names the loan.
fn gave_up(subject: &str, attempts: u32) -> Error {
    Error::Storage {
        operation: format!("ledger write on {subject}"),
        message: format!("{subject} kept changing: gave up after {attempts} attempts"),
    }
}

/// The use cases over the ports. See the [module docs](self) for the rules.
#[derive(Debug)]
pub struct LoanService<S, N, C, I> {
    store: S,
    notifier: N,
    clock: C,
    ids: I,
    config: ServiceConfig,
    notification_failures: AtomicU64,
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// A service with the default [`ServiceConfig`].
    pub fn new(store: S, notifier: N, clock: C, ids: I) -> Self {
        LoanService {
            store,
            notifier,
            clock,
            ids,
            config: ServiceConfig::default(),
            notification_failures: AtomicU64::new(0),
        }
    }

    /// The same service with `config` (`max_attempts` is raised to at least 1).
    pub fn with_config(mut self, config: ServiceConfig) -> Self {
        self.config = ServiceConfig {
            max_attempts: config.max_attempts.max(1),
            ..config
        };
        self
    }

    /// The settings.
    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The notifier.
    pub fn notifier(&self) -> &N {
        &self.notifier
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// The id generator.
    pub fn ids(&self) -> &I {
        &self.ids
    }

    /// How many notifications failed to send (and were ignored) so far.
    pub fn notification_failures(&self) -> u64 {
        self.notification_failures.load(Ordering::Relaxed)
    }

    async fn notify(&self, notification: Notification) {
        if self.notifier.notify(notification).await.is_err() {
            self.notification_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    async fn notify_transition(&self, loan: &Loan, transition: Option<StatusChange>) {
        if matches!(transition, Some(c) if c.to == LoanStatus::Paid) {
            self.notify(Notification::LoanPaid {
                owner: loan.owner.clone(),
                loan_id: loan.id.clone(),
            })
            .await;
        }
    }

    /// Runs `attempt` again while it fails on a stale version (somebody else wrote the loan
    /// in between), at most [`ServiceConfig::max_attempts`] times, letting other tasks run
    /// before each retry; then gives up with [`gave_up`] naming `subject`. Any other result
    /// is returned as it is.
    pub(crate) async fn retry_on_stale<T, F, Fut>(&self, subject: &str, mut attempt: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        for _ in 0..self.config.max_attempts {
            match attempt().await {
                Err(e) if is_stale_version(&e) => YieldNow(false).await,
                other => return other,
            }
        }
        Err(gave_up(subject, self.config.max_attempts))
    }

    /// The automatic transition of `loan` given its standing `then` on its [`status_date`]
    /// (see the module rules).
    fn transition_for(&self, loan: &Loan, then: Standing) -> Option<StatusChange> {
        let policy = StatusPolicy::of(&loan.terms).or(self.config.status_policy);
        let owner = owner_status_of(loan, &policy);
        next_status_of(loan.status, then, &policy, owner).map(|(to, reason)| StatusChange {
            from: loan.status,
            to,
            reason,
        })
    }

    /// `loan` after its ledger reached `state` (its complete new ledger, whose repayment
    /// totals are `aggregates`): aggregates with the position on the ledger date and the
    /// checkpoint, status and `updated_at`, with the position and the transition.
    fn settle(
        &self,
        loan: &Loan,
        state: &LedgerState<'_>,
        aggregates: LoanAggregates,
        now: DateTime<Utc>,
        transitions: bool,
    ) -> Result<Settled> {
        let on = state
            .last_payment()
            .map_or(loan.terms.start(), |d| d.max(loan.terms.start()));
        let as_of = self.clock.today().max(on);
        let position = state.position(as_of)?;
        let transition = match (transitions, on == as_of) {
            (false, _) => None,
            (true, true) => self.transition_for(loan, position.standing()),
            (true, false) => self.transition_for(loan, state.standing(on)?),
        };
        let mut next = loan.clone();
        next.aggregates = portfolio::with_position(aggregates, &position);
        next.aggregates.owner_status = loan.aggregates.owner_status;
        next.aggregates.ledger_checkpoint = Some(state.checkpoint());
        next.updated_at = now;
        if let Some(change) = transition {
            next.status = loan.status.transition(change.to, change.reason)?;
        }
        if next.status == LoanStatus::Paid {
            // Closing ends the owner's explicit status.
            next.aggregates.owner_status = None;
        }
        Ok(Settled {
            loan: next,
            position,
            transition,
        })
    }

    /// The loan's ledger state: resumed from its stored checkpoint, or replayed from its
    /// repayments when it has none usable.
    async fn ledger_state<'a>(
        &self,
        loan: &'a Loan,
        schedule: &'a Schedule,
    ) -> Result<LedgerState<'a>> {
        if let Some(c) = usable_checkpoint(loan) {
            if let Ok(state) = LedgerState::resume(&loan.terms, schedule, c) {
                return Ok(state);
            }
        }
        let repayments = self.store.list_for_loan(&loan.owner, &loan.id).await?;
        LedgerState::replay(&loan.terms, schedule, &payments(&repayments))
    }

    /// `loan` with `repayment` appended to its ledger, resumed from the stored checkpoint
    /// without reading the repayments; `None` when that is not possible (no usable
    /// checkpoint, or the repayment is dated before the latest one): replay instead.
    fn append(
        &self,
        loan: &Loan,
        schedule: &Schedule,
        repayment: &Repayment,
        now: DateTime<Utc>,
    ) -> Result<Option<Settled>> {
        let Some(checkpoint) = usable_checkpoint(loan) else {
            return Ok(None);
        };
        if checkpoint
            .last_payment()
            .is_some_and(|last| repayment.date < last)
        {
            return Ok(None);
        }
        let Ok(mut state) = LedgerState::resume(&loan.terms, schedule, checkpoint) else {
            return Ok(None);
        };
        state.apply(&ledger_payment(repayment))?;
        let aggregates = loan.aggregates.with_repayment(repayment);
        self.settle(loan, &state, aggregates, now, true).map(Some)
    }

    /// `loan` with `repayment` added to its ledger by a full replay (`repayments`: the other
    /// repayments; `repayment` is replayed after those of its date).
    fn replay_with(
        &self,
        loan: &Loan,
        schedule: &Schedule,
        mut repayments: Vec<Repayment>,
        repayment: &Repayment,
        now: DateTime<Utc>,
    ) -> Result<Settled> {
        let state = LedgerState::replay_with(
            &loan.terms,
            schedule,
            &payments(&repayments),
            &ledger_payment(repayment),
        )?;
        repayments.push(repayment.clone());
        let aggregates = LoanAggregates::from_repayments(&repayments);
        self.settle(loan, &state, aggregates, now, true)
    }

    // -----------------------------------------------------------------------------------------
    // Users
    // -----------------------------------------------------------------------------------------

    /// Stores the user's profile on first sight (and refreshes e-mail and name when they
    /// changed); returns the stored profile. Errors name the field (`email`, `full_name`).
    pub async fn sync_user(&self, id: &UserId, email: &str, full_name: &str) -> Result<User> {
        let candidate = User::new(id.clone(), email, full_name, self.clock.now())?;
        if let Some(existing) = UserRepository::get(&self.store, id).await? {
            if existing.email == candidate.email && existing.full_name == candidate.full_name {
                return Ok(existing);
            }
        }
        self.store.upsert(candidate).await
    }

    // -----------------------------------------------------------------------------------------
    // Loans
    // -----------------------------------------------------------------------------------------

    /// Creates a loan for `user` from a validated command (version 1, active, its aggregates
    /// holding the position on the ledger date) and announces it.
    pub async fn create_loan(&self, user: &UserId, command: NewLoan) -> Result<LoanView> {
        let now = self.clock.now();
        let id = LoanId::new(self.ids.new_id("loan"))?;
        let loan = Loan::new(id, user.clone(), command, now)?;
        let schedule = loan.terms.schedule()?;
        let view = LoanView::with_schedule(loan, &schedule);
        let state = LedgerState::new(&view.loan.terms, &schedule)?;
        let settled = self.settle(&view.loan, &state, LoanAggregates::default(), now, false)?;
        let loan = settled.loan;
        LoanRepository::insert(&self.store, loan.clone()).await?;
        self.notify(Notification::LoanCreated {
            owner: loan.owner.clone(),
            loan_id: loan.id.clone(),
            title: loan.title.clone(),
        })
        .await;
        Ok(LoanView { loan, ..view })
    }

    /// The user's loan with its derived figures.
    pub async fn get_loan(&self, user: &UserId, id: &LoanId) -> Result<LoanView> {
        LoanView::new(LoanRepository::get(&self.store, user, id).await?)
    }

    /// One page of the user's loans (title search, `limit`, `cursor`).
    pub async fn list_loans(&self, user: &UserId, query: &LoanQuery) -> Result<Page<LoanView>> {
        let page = LoanRepository::list(&self.store, user, query).await?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(LoanView::new)
                .collect::<Result<_>>()?,
            next_cursor: page.next_cursor,
        })
    }

    /// Every loan of the user, walking all pages, in listing order.
    pub async fn all_loans(&self, user: &UserId) -> Result<Vec<Loan>> {
        let mut loans = Vec::new();
        let mut query = LoanQuery::default().with_limit(MAX_PAGE_LIMIT);
        loop {
            let page = LoanRepository::list(&self.store, user, &query).await?;
            loans.extend(page.items);
            match page.next_cursor {
                Some(cursor) => query = query.with_cursor(Some(cursor)),
                None => return Ok(loans),
            }
        }
    }

    /// Replaces title, description and terms of the user's loan if its stored version is
    /// `expected_version` (else [`Error::Conflict`]): the ledger is replayed under the new
    /// terms, so aggregates and status follow (an existing repayment that would now overpay is
    /// [`Error::Overpayment`], and nothing is written).
    pub async fn update_loan(
        &self,
        user: &UserId,
        id: &LoanId,
        command: NewLoan,
        expected_version: u64,
    ) -> Result<LedgerOutcome> {
        let (loan, repayments) = self.store.loan_with_repayments(user, id).await?;
        if loan.version != expected_version {
            return Err(stale_version(id, expected_version, loan.version));
        }
        let mut command = command;
        command.terms = crate::app::timeline::keeping_events(command.terms, &loan.terms)?;
        let now = self.clock.now();
        let terms_changed = command.terms != loan.terms;
        let mut edited = loan.clone();
        edited.apply(command, now)?;
        if !terms_changed {
            // Title and description only: status and aggregates stay as they are.
            let stored = LoanRepository::update(&self.store, edited, expected_version).await?;
            let as_of = ledger_date(
                &stored.terms,
                repayments.iter().map(|r| r.date),
                self.clock.today(),
            );
            let position = ledger::position(&stored.terms, &payments(&repayments), as_of)?;
            return Ok(LedgerOutcome {
                loan: stored,
                position,
                transition: None,
            });
        }
        let schedule = edited.terms.schedule()?;
        let state = LedgerState::replay(&edited.terms, &schedule, &payments(&repayments))?;
        let aggregates = LoanAggregates::from_repayments(&repayments);
        let settled = self.settle(&edited, &state, aggregates, now, true)?;
        let stored = LoanRepository::update(&self.store, settled.loan, expected_version).await?;
        self.notify_transition(&stored, settled.transition).await;
        Ok(LedgerOutcome {
            loan: stored,
            position: settled.position,
            transition: settled.transition,
        })
    }

    /// Deletes the user's loan and all its repayments atomically. With `expected_version`
    /// (an HTTP `If-Match`) the store deletes only that version, in the same atomic step: a
    /// stale version deletes nothing and is the [`ConflictKind::StaleVersion`] conflict naming
    /// the stored version.
    pub async fn delete_loan(
        &self,
        user: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        self.store
            .delete_with_repayments(user, id, expected_version)
            .await
    }

    /// The user's loan's position on `as_of` (default: today), replaying its repayments.
    /// `as_of` before the loan's start is a validation error on `as_of`.
    pub async fn position(
        &self,
        user: &UserId,
        id: &LoanId,
        as_of: Option<NaiveDate>,
    ) -> Result<Position> {
        let (loan, repayments) = self.store.loan_with_repayments(user, id).await?;
        let as_of = as_of.unwrap_or_else(|| self.clock.today());
        ledger::position(&loan.terms, &payments(&repayments), as_of)
    }

    /// The status the user's loan has as of `as_of` (default: today on the service's clock)
    /// with its position on that date: [`crate::domain::status::replay_status`] over its repayments
    /// made by then, its terms' policy (or the service's) and the owner's explicit status. The
    /// stored status is the one as of the loan's [`status_date`]. `as_of` before the loan's
    /// start is a validation error on `as_of`.
    pub async fn status_as_of(
        &self,
        user: &UserId,
        id: &LoanId,
        as_of: Option<NaiveDate>,
    ) -> Result<(LoanStatus, Position)> {
        let (loan, repayments) = self.store.loan_with_repayments(user, id).await?;
        let as_of = as_of.unwrap_or_else(|| self.clock.today());
        crate::domain::status::replay_status(
            &loan.terms,
            &payments(&repayments),
            as_of,
            &self.config.status_policy,
            owner_status_of(
                &loan,
                &StatusPolicy::of(&loan.terms).or(self.config.status_policy),
            ),
        )
    }

    // -----------------------------------------------------------------------------------------
    // Status actions
    // -----------------------------------------------------------------------------------------

    async fn change_status(
        &self,
        user: &UserId,
        id: &LoanId,
        to: LoanStatus,
        reason: TransitionReason,
    ) -> Result<StatusUpdate> {
        self.retry_on_stale(&format!("loan {id}"), || async move {
            let loan = LoanRepository::get(&self.store, user, id).await?;
            let from = loan.status;
            let status = from.transition(to, reason)?;
            let mut next = loan.clone();
            next.status = status;
            // The owner's word persists until another explicit action or the loan closing.
            next.aggregates.owner_status = Some(status);
            next.updated_at = self.clock.now();
            let stored = LoanRepository::update(&self.store, next, loan.version).await?;
            Ok(StatusUpdate {
                loan: stored,
                change: StatusChange { from, to, reason },
            })
        })
        .await
    }

    /// The owner declares the loan defaulted (active → defaulted, reason
    /// [`TransitionReason::DefaultedByOwner`]); any other status is
    /// [`Error::InvalidTransition`].
    pub async fn set_defaulted(&self, user: &UserId, id: &LoanId) -> Result<StatusUpdate> {
        self.change_status(
            user,
            id,
            LoanStatus::Defaulted,
            TransitionReason::DefaultedByOwner,
        )
        .await
    }

    /// The owner cures a defaulted loan (defaulted → active, reason
    /// [`TransitionReason::Cured`]); any other status is [`Error::InvalidTransition`].
    pub async fn cure(&self, user: &UserId, id: &LoanId) -> Result<StatusUpdate> {
        self.change_status(user, id, LoanStatus::Active, TransitionReason::Cured)
            .await
    }

    // -----------------------------------------------------------------------------------------
    // Repayments
    // -----------------------------------------------------------------------------------------

    /// The first result for an idempotency key already used on the loan.
    async fn replay_existing(
        &self,
        user: &UserId,
        existing: Repayment,
        command: &NewRepayment,
    ) -> Result<RepaymentOutcome> {
        if existing.amount != command.amount || existing.date != command.date {
            return Err(Error::conflict(ConflictKind::IdempotencyKeyMismatch {
                key: existing.idempotency_key.clone().unwrap_or_default(),
                amount: existing.amount,
                date: existing.date,
            }));
        }
        let loan = LoanRepository::get(&self.store, user, &existing.loan_id).await?;
        let schedule = loan.terms.schedule()?;
        let state = self.ledger_state(&loan, &schedule).await?;
        let on = state
            .last_payment()
            .map_or(loan.terms.start(), |d| d.max(loan.terms.start()));
        let position = state.position(self.clock.today().max(on))?;
        Ok(RepaymentOutcome {
            repayment: existing,
            loan,
            position,
            transition: None,
            replayed: true,
            figures: ScheduleFigures::of(&schedule),
        })
    }

    /// Records a repayment on the user's loan.
    ///
    /// Validates the command for the loan's currency, rejects an overpayment with
    /// [`Error::Overpayment`] (stating the payoff on the payment's date), replays the ledger,
    /// and stores the repayment with the loan's new aggregates, status and version in one
    /// atomic write, retrying on a stale version. A key already used on the loan returns the
    /// first result (`replayed: true`). Announces the repayment, and the loan paid on that
    /// transition.
    pub async fn record_repayment(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        command: NewRepayment,
    ) -> Result<RepaymentOutcome> {
        command.validate()?;
        let id = RepaymentId::new(self.ids.new_id("rep"))?;
        let now = self.clock.now();
        let command = &command;
        let id = &id;
        self.retry_on_stale(&format!("loan {loan_id}"), || async move {
            if let Some(key) = command.idempotency_key.as_deref() {
                if let Some(existing) = self
                    .store
                    .find_by_idempotency_key(user, loan_id, key)
                    .await?
                {
                    return self.replay_existing(user, existing, command).await;
                }
            }
            let loan = LoanRepository::get(&self.store, user, loan_id).await?;
            command.validate_for(loan.terms.currency())?;
            command.check_not_future(self.clock.today())?;
            let repayment = Repayment::new(
                id.clone(),
                loan.id.clone(),
                user.clone(),
                command.clone(),
                now,
            )?;
            let schedule = loan.terms.schedule()?;
            let settled = match self.append(&loan, &schedule, &repayment, now)? {
                Some(settled) => settled,
                None => {
                    // Back-dated (or no usable checkpoint): the loan was read first, so a
                    // write in between makes ours stale.
                    let others = self.store.list_for_loan(user, loan_id).await?;
                    self.replay_with(&loan, &schedule, others, &repayment, now)?
                }
            };
            let written = self
                .store
                .record_repayment(repayment.clone(), settled.loan, loan.version)
                .await;
            match written {
                Ok(stored) => {
                    self.notify(Notification::RepaymentRecorded {
                        owner: user.clone(),
                        loan_id: stored.id.clone(),
                        repayment_id: repayment.id.clone(),
                        amount: repayment.amount,
                    })
                    .await;
                    self.notify_transition(&stored, settled.transition).await;
                    Ok(RepaymentOutcome {
                        repayment,
                        loan: stored,
                        position: settled.position,
                        transition: settled.transition,
                        replayed: false,
                        figures: ScheduleFigures::of(&schedule),
                    })
                }
                Err(e) if is_idempotency_conflict(&e) => {
                    // A concurrent retry with the same key won: return its result.
                    let key = command.idempotency_key.as_deref().unwrap_or_default();
                    match self
                        .store
                        .find_by_idempotency_key(user, loan_id, key)
                        .await?
                    {
                        Some(existing) => self.replay_existing(user, existing, command).await,
                        None => Err(e),
                    }
                }
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// The user's repayment.
    pub async fn get_repayment(&self, user: &UserId, id: &RepaymentId) -> Result<Repayment> {
        RepaymentRepository::get(&self.store, user, id).await
    }

    /// Replaces amount, date and notes of the user's repayment (the idempotency key is kept
    /// unless the command sets one), with the same validation, replay, status derivation and
    /// atomic, retried write as [`LoanService::record_repayment`].
    pub async fn update_repayment(
        &self,
        user: &UserId,
        id: &RepaymentId,
        command: NewRepayment,
    ) -> Result<RepaymentOutcome> {
        command.validate()?;
        let now = self.clock.now();
        let command = &command;
        self.retry_on_stale(&format!("the loan of repayment {id}"), || async move {
            let old = RepaymentRepository::get(&self.store, user, id).await?;
            let (loan, mut repayments) =
                self.store.loan_with_repayments(user, &old.loan_id).await?;
            command.validate_for(loan.terms.currency())?;
            command.check_not_future(self.clock.today())?;
            repayments.retain(|r| r.id != old.id);
            let repayment = Repayment {
                amount: command.amount,
                date: command.date,
                notes: command.notes.clone(),
                idempotency_key: command
                    .idempotency_key
                    .clone()
                    .or_else(|| old.idempotency_key.clone()),
                ..old
            };
            let schedule = loan.terms.schedule()?;
            let settled = self.replay_with(&loan, &schedule, repayments, &repayment, now)?;
            repayment.validate()?;
            let stored = self
                .store
                .replace_repayment(repayment.clone(), settled.loan, loan.version)
                .await?;
            self.notify_transition(&stored, settled.transition).await;
            Ok(RepaymentOutcome {
                repayment,
                loan: stored,
                position: settled.position,
                transition: settled.transition,
                replayed: false,
                figures: ScheduleFigures::of(&schedule),
            })
        })
        .await
    }

    /// Deletes the user's repayment, replaying the rest of the ledger in the same atomic,
    /// retried write; a paid loan whose balance reappears becomes active again
    /// ([`TransitionReason::BalanceReappeared`]).
    pub async fn delete_repayment(&self, user: &UserId, id: &RepaymentId) -> Result<LedgerOutcome> {
        let now = self.clock.now();
        self.retry_on_stale(&format!("the loan of repayment {id}"), || async move {
            let loan_id = RepaymentRepository::loan_of(&self.store, user, id).await?;
            let (loan, mut repayments) = self.store.loan_with_repayments(user, &loan_id).await?;
            repayments.retain(|r| r.id != *id);
            let schedule = loan.terms.schedule()?;
            let state = LedgerState::replay(&loan.terms, &schedule, &payments(&repayments))?;
            let aggregates = LoanAggregates::from_repayments(&repayments);
            let settled = self.settle(&loan, &state, aggregates, now, true)?;
            let stored = self
                .store
                .remove_repayment(user, id, settled.loan, loan.version)
                .await?;
            self.notify_transition(&stored, settled.transition).await;
            Ok(LedgerOutcome {
                loan: stored,
                position: settled.position,
                transition: settled.transition,
            })
        })
        .await
    }

    /// The user's repayments: all of them, or one loan's ([`Error::NotFound`] for a loan that
    /// is not the user's), in ledger order.
    pub async fn list_repayments(
        &self,
        user: &UserId,
        filter: &RepaymentFilter,
    ) -> Result<Vec<Repayment>> {
        match filter {
            RepaymentFilter::All => self.store.list_for_owner(user).await,
            RepaymentFilter::Loan(loan_id) => self.store.list_for_loan(user, loan_id).await,
        }
    }

    /// The user's repayments grouped by loan (see [`portfolio::group_repayments`]), keeping
    /// the loans whose title contains `search` (case-insensitive).
    pub async fn grouped_repayments(
        &self,
        user: &UserId,
        search: Option<&str>,
    ) -> Result<Vec<LoanRepayments>> {
        let loans = self.all_loans(user).await?;
        let repayments = self.store.list_for_owner(user).await?;
        Ok(portfolio::group_repayments(&loans, &repayments, search))
    }

    // -----------------------------------------------------------------------------------------
    // Dashboard and planner
    // -----------------------------------------------------------------------------------------

    /// The user's dashboard per currency from the loans' stored aggregates (no replay; one
    /// listing of the loans). See [`portfolio::summary`].
    pub async fn dashboard(&self, user: &UserId) -> Result<PortfolioSummary> {
        portfolio::summary(&self.all_loans(user).await?)
    }

    /// The user's dashboard per currency with every loan replayed on `as_of` (a loan starting
    /// later is taken on its start): payoff figures exact to that date.
    pub async fn dashboard_as_of(
        &self,
        user: &UserId,
        as_of: NaiveDate,
    ) -> Result<PortfolioSummary> {
        let loans = self.all_loans(user).await?;
        let repayments = self.store.list_for_owner(user).await?;
        let mut by_loan: std::collections::HashMap<&LoanId, Vec<LedgerPayment>> =
            std::collections::HashMap::new();
        for r in &repayments {
            by_loan.entry(&r.loan_id).or_default().push(LedgerPayment {
                date: r.date,
                amount: r.amount,
            });
        }
        let positions = loans
            .iter()
            .map(|loan| {
                let paid = by_loan.get(&loan.id).map(Vec::as_slice).unwrap_or(&[]);
                ledger::position(&loan.terms, paid, as_of.max(loan.terms.start()))
            })
            .collect::<Result<Vec<_>>>()?;
        portfolio::summary_from_positions(loans.iter().zip(positions.iter()))
    }

    /// A payoff plan over the user's unpaid loans in the request's currency: each loan is a
    /// debt with its stored principal outstanding, its current annual rate and its regular
    /// installment as the minimum payment (capped at the balance). Loan ids are the debt ids
    /// (for [`Strategy::Custom`]) and titles their names. No such loan: validation error on
    /// `debts`; see [`planner::plan`] for the other errors.
    pub async fn plan(&self, user: &UserId, request: &PlanRequest) -> Result<PlanResult> {
        let today = self.clock.today();
        let mut debts = Vec::new();
        for loan in self.all_loans(user).await? {
            if loan.terms.currency() != request.currency || loan.status == LoanStatus::Paid {
                continue;
            }
            let balance = if loan.aggregates.position_as_of.is_some() {
                loan.aggregates.principal_outstanding
            } else {
                loan.terms.principal()
            };
            if balance <= Decimal::ZERO {
                continue;
            }
            let installment = loan.terms.schedule()?.regular_payment();
            let mut debt = Debt::new(
                loan.id.as_str(),
                balance,
                loan.terms.rate_on(today),
                installment.min(balance),
            );
            debt.name = loan.title;
            debts.push(debt);
        }
        planner::plan(&PlanInput {
            currency: request.currency,
            debts,
            monthly_budget: request.monthly_budget,
            strategy: request.strategy.clone(),
            start: request.start.unwrap_or(today),
        })
    }
}
