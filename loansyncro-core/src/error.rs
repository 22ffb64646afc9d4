//! The core's one error enum.
//!
//! Variants carry data (the field, the reason, ids, amounts), never preformatted strings only, so
//! every shell (HTTP, Python, JS, Kotlin) can map them to its own error shape.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything that can go wrong in the core.
///
/// ```
/// use loansyncro_core::Error;
/// let e = Error::validation("principal", "must be greater than zero");
/// assert_eq!(e.to_string(), "invalid principal: must be greater than zero");
/// assert_eq!(e.field(), Some("principal"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Error {
    /// An input value is invalid; `field` names it, `reason` says why.
    #[error("invalid {field}: {reason}")]
    Validation {
        /// The offending input, e.g. `principal` or `rate_changes[2].date`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An equation has no solution for the given inputs (for example `rate` with no root).
    #[error("no solution: {reason}")]
    NoSolution {
        /// Why no solution exists.
        reason: String,
    },
    /// A computation left the representable range of `Decimal` (about 7.9e28).
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// What was being computed.
        operation: String,
    },
    /// The entity does not exist (or belongs to somebody else: no existence leak).
    #[error("{entity} {id} not found")]
    NotFound {
        /// Kind of entity: `loan`, `repayment`, `user`.
        entity: String,
        /// The id that was looked up.
        id: String,
    },
    /// A concurrent writer got there first (stale version) or a uniqueness rule was broken.
    #[error("conflict: {reason}")]
    Conflict {
        /// What conflicted.
        reason: String,
    },
    /// A loan status transition that the state machine does not allow.
    #[error("invalid status transition from {from} to {to}: {reason}")]
    InvalidTransition {
        /// Current status.
        from: String,
        /// Requested status.
        to: String,
        /// Why it is not allowed.
        reason: String,
    },
    /// A repayment would pay more than the payoff amount on its date.
    #[error("overpayment: {attempted} exceeds the payoff amount {payoff} on {date}")]
    Overpayment {
        /// The payoff amount on the repayment date.
        payoff: Decimal,
        /// The amount that was attempted.
        attempted: Decimal,
        /// The repayment date (ISO 8601).
        date: String,
    },
    /// A storage adapter failed (I/O, throttling after retries, ...).
    #[error("storage error in {operation}: {message}")]
    Storage {
        /// The operation and table, e.g. `TransactWriteItems on loans`.
        operation: String,
        /// The adapter's message.
        message: String,
    },
}

impl Error {
    /// A validation error for `field` with `reason`.
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An overflow error for `operation`.
    pub fn overflow(operation: impl Into<String>) -> Self {
        Error::Overflow {
            operation: operation.into(),
        }
    }

    /// A "no solution" error.
    pub fn no_solution(reason: impl Into<String>) -> Self {
        Error::NoSolution {
            reason: reason.into(),
        }
    }

    /// A "not found" error for an entity kind and id.
    pub fn not_found(entity: impl Into<String>, id: impl Into<String>) -> Self {
        Error::NotFound {
            entity: entity.into(),
            id: id.into(),
        }
    }

    /// A conflict error.
    pub fn conflict(reason: impl Into<String>) -> Self {
        Error::Conflict {
            reason: reason.into(),
        }
    }

    /// The field a validation error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A stable machine-readable code: `validation`, `no_solution`, `overflow`, `not_found`,
    /// `conflict`, `invalid_transition`, `overpayment`, `storage`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::NoSolution { .. } => "no_solution",
            Error::Overflow { .. } => "overflow",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::Overpayment { .. } => "overpayment",
            Error::Storage { .. } => "storage",
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
