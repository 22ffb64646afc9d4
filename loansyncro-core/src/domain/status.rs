//! Loan status and its state machine.
//!
//! A loan is [`LoanStatus::Active`], [`LoanStatus::Paid`] or [`LoanStatus::Defaulted`]. Every
//! change of status goes through [`LoanStatus::transition`] with a [`TransitionReason`]; the
//! allowed transitions are:
//!
//! | from      | to        | reasons                                          |
//! |-----------|-----------|--------------------------------------------------|
//! | active    | paid      | [`TransitionReason::Closed`]                     |
//! | paid      | active    | [`TransitionReason::BalanceReappeared`]          |
//! | active    | defaulted | [`TransitionReason::DefaultedByOwner`], [`TransitionReason::PastDueThreshold`] |
//! | paid      | defaulted | [`TransitionReason::PastDueThreshold`] (a balance reappeared, long past due) |
//! | defaulted | active    | [`TransitionReason::Cured`]                      |
//! | defaulted | paid      | [`TransitionReason::Closed`]                     |
//!
//! Anything else — a same-state "transition", a pair not in the table, or a reason that does
//! not fit the pair — is [`Error::InvalidTransition`].
//!
//! **Decision: a defaulted loan that is fully repaid goes straight to paid** (reason
//! `Closed`), in one transition: a repaid loan is paid whatever its history, and the service
//! announces "loan paid" exactly once, without a transient "cured" step in between.
//!
//! # Status as of a date
//!
//! The status of a loan is a function of its terms, its repayments, an **as-of date** and the
//! owner's explicit actions, never of a clock hidden in the core ([`status_as_of`]):
//!
//! 1. the position on the date is closed → **paid**;
//! 2. else the owner's explicit status (declared defaulted, or cured) → that status; it persists
//!    until another explicit action or the position closing;
//! 3. else, only if the loan's [`StatusPolicy`] opts in to a threshold, days past due **greater
//!    than** the threshold → **defaulted**;
//! 4. else **active**. Being behind schedule is shown (the position's `days_past_due` and
//!    `amount_due`), not imposed.
//!
//! ```
//! use loansyncro_core::ledger::position;
//! use loansyncro_core::domain::status::{status_as_of, LoanStatus, StatusPolicy};
//! use loansyncro_core::LoanTerms;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
//! let late = position(&terms, &[], d(6, 1))?; // nothing paid: 120 days past due
//! assert_eq!(late.days_past_due, 120);
//! assert_eq!(status_as_of(&late, &StatusPolicy::default(), None), LoanStatus::Active);
//! let strict = StatusPolicy::after_days_past_due(90);
//! assert_eq!(status_as_of(&late, &strict, None), LoanStatus::Defaulted);
//! // The owner's word wins until the loan closes.
//! assert_eq!(status_as_of(&late, &strict, Some(LoanStatus::Active)), LoanStatus::Active);
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
//!
//! [`next_status`] names the transition from a stored status to the status a replayed
//! [`Position`] implies.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ledger::{Position, Standing};
use crate::math::vocab::vocabulary;
use crate::schedule::terms::LoanTerms;

/// The status of a loan.
///
/// ```
/// use loansyncro_core::domain::status::LoanStatus;
/// assert_eq!("paid".parse::<LoanStatus>().unwrap(), LoanStatus::Paid);
/// assert_eq!(LoanStatus::Defaulted.to_string(), "defaulted");
/// assert!("closed".parse::<LoanStatus>().is_err());
/// assert_eq!(LoanStatus::default(), LoanStatus::Active);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LoanStatus {
    /// Being repaid (the initial status).
    #[default]
    Active,
    /// Fully repaid: nothing outstanding.
    Paid,
    /// In default (set by the owner, or past the days-past-due threshold).
    Defaulted,
}

vocabulary! {
    unit LoanStatus, field: "status", noun: "loan status";
    Active => "active",
    Paid => "paid",
    Defaulted => "defaulted",
}

impl LoanStatus {
    /// Whether `self -> to` with `reason` is allowed (see the module table).
    pub fn can_transition(self, to: LoanStatus, reason: TransitionReason) -> bool {
        use LoanStatus::{Active, Defaulted, Paid};
        use TransitionReason as R;
        matches!(
            (self, to, reason),
            (Active, Paid, R::Closed)
                | (Paid, Active, R::BalanceReappeared)
                | (Active, Defaulted, R::DefaultedByOwner)
                | (Active, Defaulted, R::PastDueThreshold { .. })
                | (Paid, Defaulted, R::PastDueThreshold { .. })
                | (Defaulted, Active, R::Cured)
                | (Defaulted, Paid, R::Closed)
        )
    }

    /// The state machine: returns the new status, or [`Error::InvalidTransition`] naming both
    /// statuses and why the move is refused.
    ///
    /// ```
    /// use loansyncro_core::domain::status::{LoanStatus, TransitionReason, TransitionRefusal};
    /// use loansyncro_core::Error;
    /// let s = LoanStatus::Active.transition(LoanStatus::Paid, TransitionReason::Closed).unwrap();
    /// assert_eq!(s, LoanStatus::Paid);
    /// let err = LoanStatus::Paid
    ///     .transition(LoanStatus::Defaulted, TransitionReason::DefaultedByOwner)
    ///     .unwrap_err();
    /// assert_eq!(
    ///     err,
    ///     Error::InvalidTransition {
    ///         from: LoanStatus::Paid,
    ///         to: LoanStatus::Defaulted,
    ///         reason: TransitionRefusal::ReasonDoesNotApply { reason: TransitionReason::DefaultedByOwner },
    ///     }
    /// );
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid status transition from paid to defaulted: reason defaulted_by_owner does not apply to paid -> defaulted"
    /// );
    /// ```
    pub fn transition(self, to: LoanStatus, reason: TransitionReason) -> Result<LoanStatus> {
        if self.can_transition(to, reason) {
            return Ok(to);
        }
        let reason = if self == to {
            TransitionRefusal::AlreadyInStatus
        } else if Self::pair_allowed(self, to) {
            TransitionRefusal::ReasonDoesNotApply { reason }
        } else {
            TransitionRefusal::NotAllowed
        };
        Err(Error::InvalidTransition {
            from: self,
            to,
            reason,
        })
    }

    fn pair_allowed(from: LoanStatus, to: LoanStatus) -> bool {
        use LoanStatus::{Active, Defaulted, Paid};
        matches!(
            (from, to),
            (Active, Paid)
                | (Paid, Active)
                | (Paid, Defaulted)
                | (Active, Defaulted)
                | (Defaulted, Active)
                | (Defaulted, Paid)
        )
    }
}

/// Why the state machine refuses a status change ([`Error::InvalidTransition`]'s reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TransitionRefusal {
    /// The loan already has the requested status.
    AlreadyInStatus,
    /// The pair of statuses is allowed, but not for this reason.
    ReasonDoesNotApply {
        /// The reason given.
        reason: TransitionReason,
    },
    /// The pair of statuses is not in the state machine's table.
    NotAllowed,
}

impl TransitionRefusal {
    /// The human explanation for the refused move `from -> to`.
    ///
    /// ```
    /// use loansyncro_core::domain::status::{LoanStatus, TransitionRefusal};
    /// let why = TransitionRefusal::AlreadyInStatus.describe(LoanStatus::Paid, LoanStatus::Paid);
    /// assert_eq!(why, "the loan is already paid");
    /// ```
    pub fn describe(self, from: LoanStatus, to: LoanStatus) -> String {
        match self {
            TransitionRefusal::AlreadyInStatus => format!("the loan is already {from}"),
            TransitionRefusal::ReasonDoesNotApply { reason } => {
                format!("reason {reason} does not apply to {from} -> {to}")
            }
            TransitionRefusal::NotAllowed => format!("{from} -> {to} is not an allowed transition"),
        }
    }
}

/// Why a status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TransitionReason {
    /// The position closed: nothing outstanding.
    Closed,
    /// A repayment was removed or edited and a balance reappeared.
    BalanceReappeared,
    /// The owner declared the loan defaulted.
    DefaultedByOwner,
    /// Days past due exceeded the policy's threshold.
    PastDueThreshold {
        /// Days past due at the time of the transition.
        days_past_due: u32,
    },
    /// The arrears were cleared.
    Cured,
}

vocabulary! {
    mixed TransitionReason, field: "reason", noun: "transition reason";
    Closed => "closed",
    BalanceReappeared => "balance_reappeared",
    DefaultedByOwner => "defaulted_by_owner",
    PastDueThreshold { .. } => "past_due_threshold" needs "the days past due",
    Cured => "cured",
}

impl fmt::Display for TransitionReason {
    /// The name; the threshold reason adds the days past due
    /// (`past_due_threshold (91 days past due)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionReason::PastDueThreshold { days_past_due } => {
                write!(f, "{} ({days_past_due} days past due)", self.name())
            }
            _ => f.pad(self.name()),
        }
    }
}

impl FromStr for TransitionReason {
    type Err = Error;
    /// A reason's name; `past_due_threshold` needs its days past due (an error).
    fn from_str(text: &str) -> Result<Self> {
        TransitionReason::parse_field(text, TransitionReason::FIELD).map_err(Error::from)
    }
}

/// When the status changes automatically: by default never (only the owner declares a loan
/// defaulted); a loan (its terms) or a service may opt in to a days-past-due threshold.
///
/// ```
/// use loansyncro_core::domain::status::StatusPolicy;
/// assert_eq!(StatusPolicy::default().default_after_days_past_due, None);
/// assert_eq!(StatusPolicy::after_days_past_due(90).default_after_days_past_due, Some(90));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusPolicy {
    /// When set, an active loan becomes defaulted when its days past due exceed this.
    pub default_after_days_past_due: Option<u32>,
}

impl StatusPolicy {
    /// The loan's own policy, from its terms (a days-past-due threshold, or none).
    pub fn of(terms: &LoanTerms) -> StatusPolicy {
        StatusPolicy {
            default_after_days_past_due: terms.default_after_days_past_due(),
        }
    }

    /// The policy that defaults a loan more than `days` days past due.
    pub fn after_days_past_due(days: u32) -> StatusPolicy {
        StatusPolicy {
            default_after_days_past_due: Some(days),
        }
    }

    /// `self`, or `fallback` when `self` sets no threshold.
    pub fn or(self, fallback: StatusPolicy) -> StatusPolicy {
        StatusPolicy {
            default_after_days_past_due: self
                .default_after_days_past_due
                .or(fallback.default_after_days_past_due),
        }
    }
}

/// The status a replayed `position` implies (see the [module docs](self)): paid when closed,
/// else the owner's explicit status `manual` (defaulted, or active for a cure), else defaulted
/// past the `policy` threshold, else active.
pub fn status_as_of(
    position: &Position,
    policy: &StatusPolicy,
    manual: Option<LoanStatus>,
) -> LoanStatus {
    status_of(position.standing(), policy, manual)
}

/// [`status_as_of`] from what it reads of a position.
fn status_of(standing: Standing, policy: &StatusPolicy, manual: Option<LoanStatus>) -> LoanStatus {
    if standing.closed {
        return LoanStatus::Paid;
    }
    match manual {
        Some(LoanStatus::Paid) | None => {}
        Some(status) => return status,
    }
    match policy.default_after_days_past_due {
        Some(threshold) if standing.days_past_due > threshold => LoanStatus::Defaulted,
        _ => LoanStatus::Active,
    }
}

/// The reason of an automatic change from `from` to `to` (`None` when they are equal).
fn automatic_reason(
    from: LoanStatus,
    to: LoanStatus,
    standing: Standing,
) -> Option<TransitionReason> {
    match (from, to) {
        (a, b) if a == b => None,
        (_, LoanStatus::Paid) => Some(TransitionReason::Closed),
        (LoanStatus::Paid, LoanStatus::Active) => Some(TransitionReason::BalanceReappeared),
        (_, LoanStatus::Defaulted) => Some(TransitionReason::PastDueThreshold {
            days_past_due: standing.days_past_due,
        }),
        (LoanStatus::Defaulted, LoanStatus::Active) => Some(TransitionReason::Cured),
        _ => None,
    }
}

/// The automatic transition from the stored status `current` to the status the replayed
/// `position` implies under `policy` and the owner's explicit status `manual` (see
/// [`status_as_of`]), or `None` when the status stays.
///
/// * to paid: `Closed`; paid → active: `BalanceReappeared`;
/// * to defaulted: `PastDueThreshold` (only with a threshold in the policy);
/// * defaulted → active: `Cured` (back within the threshold).
///
/// Every returned pair is accepted by [`LoanStatus::transition`].
///
/// ```
/// use loansyncro_core::ledger::{position, LedgerPayment};
/// use loansyncro_core::domain::status::{next_status, LoanStatus, StatusPolicy, TransitionReason};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(300)).installments(3).start(d(1, 1)).build()?;
/// let paid = [LedgerPayment { date: d(1, 10), amount: dec!(300) }];
/// let pos = position(&terms, &paid, d(1, 10))?;
/// let policy = StatusPolicy::default();
/// assert_eq!(
///     next_status(LoanStatus::Active, &pos, &policy, None),
///     Some((LoanStatus::Paid, TransitionReason::Closed))
/// );
/// assert_eq!(next_status(LoanStatus::Paid, &pos, &policy, None), None);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn next_status(
    current: LoanStatus,
    position: &Position,
    policy: &StatusPolicy,
    manual: Option<LoanStatus>,
) -> Option<(LoanStatus, TransitionReason)> {
    next_status_of(current, position.standing(), policy, manual)
}

/// [`next_status`] from the [`Standing`] of the position (all it reads of it), e.g. from
/// [`LedgerState::standing`](crate::ledger::LedgerState::standing), which does not re-project
/// the remaining schedule.
///
/// ```
/// use loansyncro_core::domain::status::{next_status_of, LoanStatus, StatusPolicy, TransitionReason};
/// use loansyncro_core::ledger::Standing;
/// let policy = StatusPolicy { default_after_days_past_due: Some(90) };
/// let late = Standing { closed: false, days_past_due: 91 };
/// assert_eq!(
///     next_status_of(LoanStatus::Active, late, &policy, None),
///     Some((LoanStatus::Defaulted, TransitionReason::PastDueThreshold { days_past_due: 91 }))
/// );
/// ```
pub fn next_status_of(
    current: LoanStatus,
    standing: Standing,
    policy: &StatusPolicy,
    manual: Option<LoanStatus>,
) -> Option<(LoanStatus, TransitionReason)> {
    let to = status_of(standing, policy, manual);
    automatic_reason(current, to, standing).map(|reason| (to, reason))
}

/// The status of a loan with `terms` and ledger `payments` as of `as_of`, replayed from
/// scratch, with its position: [`status_as_of`] under the terms' own policy (or `fallback` when
/// the terms set none) and the owner's explicit status `owner_status`. Payments after `as_of`
/// are ignored. Errors as [`ledger::position`](crate::ledger::position).
///
/// ```
/// use loansyncro_core::ledger::LedgerPayment;
/// use loansyncro_core::domain::status::{replay_status, LoanStatus, StatusPolicy};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// // The loan's own policy: defaulted more than 30 days past due.
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1))
///     .default_after_days_past_due(30).build()?;
/// let paid = [LedgerPayment { date: d(2, 1), amount: dec!(100) }];
/// let none = StatusPolicy::default();
/// assert_eq!(replay_status(&terms, &paid, d(3, 31), &none, None)?.0, LoanStatus::Active);
/// let (status, pos) = replay_status(&terms, &paid, d(4, 1), &none, None)?;
/// assert_eq!((status, pos.days_past_due, pos.amount_due), (LoanStatus::Defaulted, 31, dec!(200.00)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn replay_status(
    terms: &crate::schedule::terms::LoanTerms,
    payments: &[crate::ledger::LedgerPayment],
    as_of: chrono::NaiveDate,
    fallback: &StatusPolicy,
    owner_status: Option<LoanStatus>,
) -> Result<(LoanStatus, Position)> {
    let policy = StatusPolicy::of(terms).or(*fallback);
    let position = crate::ledger::position(terms, payments, as_of)?;
    Ok((status_as_of(&position, &policy, owner_status), position))
}
