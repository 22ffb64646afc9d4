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
//! [`next_status`] derives the automatic transition from a replayed
//! [`Position`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ledger::Position;

/// The status of a loan.
///
/// ```
/// use loansyncro_core::status::LoanStatus;
/// assert_eq!("paid".parse::<LoanStatus>().unwrap(), LoanStatus::Paid);
/// assert_eq!(LoanStatus::Defaulted.to_string(), "defaulted");
/// assert!("closed".parse::<LoanStatus>().is_err());
/// assert_eq!(LoanStatus::default(), LoanStatus::Active);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoanStatus {
    /// Being repaid (the initial status).
    #[default]
    Active,
    /// Fully repaid: nothing outstanding.
    Paid,
    /// In default (set by the owner, or past the days-past-due threshold).
    Defaulted,
}

impl LoanStatus {
    /// All statuses, in declaration order.
    pub const ALL: [LoanStatus; 3] = [LoanStatus::Active, LoanStatus::Paid, LoanStatus::Defaulted];

    /// The lowercase name (`active`, `paid`, `defaulted`).
    pub fn as_str(self) -> &'static str {
        match self {
            LoanStatus::Active => "active",
            LoanStatus::Paid => "paid",
            LoanStatus::Defaulted => "defaulted",
        }
    }

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
                | (Defaulted, Active, R::Cured)
                | (Defaulted, Paid, R::Closed)
        )
    }

    /// The state machine: returns the new status, or [`Error::InvalidTransition`] naming both
    /// statuses and why the move is refused.
    ///
    /// ```
    /// use loansyncro_core::status::{LoanStatus, TransitionReason};
    /// use loansyncro_core::Error;
    /// let s = LoanStatus::Active.transition(LoanStatus::Paid, TransitionReason::Closed).unwrap();
    /// assert_eq!(s, LoanStatus::Paid);
    /// let err = LoanStatus::Paid
    ///     .transition(LoanStatus::Defaulted, TransitionReason::DefaultedByOwner)
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::InvalidTransition { ref from, ref to, .. } if from == "paid" && to == "defaulted"));
    /// ```
    pub fn transition(self, to: LoanStatus, reason: TransitionReason) -> Result<LoanStatus> {
        if self.can_transition(to, reason) {
            return Ok(to);
        }
        let why = if self == to {
            format!("the loan is already {self}")
        } else if Self::pair_allowed(self, to) {
            format!("reason {reason} does not apply to {self} -> {to}")
        } else {
            format!("{self} -> {to} is not an allowed transition")
        };
        Err(Error::InvalidTransition {
            from: self.to_string(),
            to: to.to_string(),
            reason: why,
        })
    }

    fn pair_allowed(from: LoanStatus, to: LoanStatus) -> bool {
        use LoanStatus::{Active, Defaulted, Paid};
        matches!(
            (from, to),
            (Active, Paid)
                | (Paid, Active)
                | (Active, Defaulted)
                | (Defaulted, Active)
                | (Defaulted, Paid)
        )
    }
}

impl fmt::Display for LoanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LoanStatus {
    type Err = Error;
    /// Parses `active`, `paid` or `defaulted` (case-insensitive, surrounding spaces ignored).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "active" => Ok(LoanStatus::Active),
            "paid" => Ok(LoanStatus::Paid),
            "defaulted" => Ok(LoanStatus::Defaulted),
            _ => Err(Error::validation(
                "status",
                format!("unknown loan status {s:?} (expected active, paid or defaulted)"),
            )),
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

impl fmt::Display for TransitionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionReason::Closed => f.write_str("closed"),
            TransitionReason::BalanceReappeared => f.write_str("balance_reappeared"),
            TransitionReason::DefaultedByOwner => f.write_str("defaulted_by_owner"),
            TransitionReason::PastDueThreshold { days_past_due } => {
                write!(f, "past_due_threshold ({days_past_due} days past due)")
            }
            TransitionReason::Cured => f.write_str("cured"),
        }
    }
}

/// When the status changes automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPolicy {
    /// An active loan becomes defaulted when its days past due exceed this (default 90).
    pub default_after_days_past_due: u32,
}

impl Default for StatusPolicy {
    fn default() -> Self {
        StatusPolicy {
            default_after_days_past_due: 90,
        }
    }
}

/// The automatic transition the replayed `position` calls for, or `None` when the status stays.
///
/// * active: closed → paid (`Closed`); days past due **greater than** the threshold →
///   defaulted (`PastDueThreshold`);
/// * paid: not closed → active (`BalanceReappeared`);
/// * defaulted: closed → paid (`Closed`, directly: see the module docs); no arrears
///   (`amount_due` zero) → active (`Cured`).
///
/// Every returned pair is accepted by [`LoanStatus::transition`].
///
/// ```
/// use loansyncro_core::ledger::{position, LedgerPayment};
/// use loansyncro_core::status::{next_status, LoanStatus, StatusPolicy, TransitionReason};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(300)).installments(3).start(d(1, 1)).build()?;
/// let paid = [LedgerPayment { date: d(1, 10), amount: dec!(300) }];
/// let pos = position(&terms, &paid, d(1, 10))?;
/// assert_eq!(
///     next_status(LoanStatus::Active, &pos, &StatusPolicy::default()),
///     Some((LoanStatus::Paid, TransitionReason::Closed))
/// );
/// assert_eq!(next_status(LoanStatus::Paid, &pos, &StatusPolicy::default()), None);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn next_status(
    current: LoanStatus,
    position: &Position,
    policy: &StatusPolicy,
) -> Option<(LoanStatus, TransitionReason)> {
    match current {
        LoanStatus::Active => {
            if position.closed {
                Some((LoanStatus::Paid, TransitionReason::Closed))
            } else if position.days_past_due > policy.default_after_days_past_due {
                Some((
                    LoanStatus::Defaulted,
                    TransitionReason::PastDueThreshold {
                        days_past_due: position.days_past_due,
                    },
                ))
            } else {
                None
            }
        }
        LoanStatus::Paid => {
            if position.closed {
                None
            } else {
                Some((LoanStatus::Active, TransitionReason::BalanceReappeared))
            }
        }
        LoanStatus::Defaulted => {
            if position.closed {
                Some((LoanStatus::Paid, TransitionReason::Closed))
            } else if position.amount_due <= Decimal::ZERO {
                Some((LoanStatus::Active, TransitionReason::Cured))
            } else {
                None
            }
        }
    }
}
