//! The one error of the bindings: each core `Error` variant becomes a case with the same data.
//! Kotlin sees `LoanSyncroException.Validation` (with `.field`, `.reason`), Swift
//! `LoanSyncroError.Validation(field:reason:)`.

use rust_decimal::Decimal;

/// Everything that can go wrong, mirroring `loansyncro_core::Error` case by case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum LoanSyncroError {
    /// An input value is invalid; `field` names it (e.g. `principal`, `rate_changes[2].date`).
    #[error("invalid {field}: {reason}")]
    Validation {
        /// The offending input.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An equation has no solution for the given inputs.
    #[error("no solution: {reason}")]
    NoSolution {
        /// Why no solution exists.
        reason: String,
    },
    /// A computation left the representable range of the core's decimals (about 7.9e28).
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// What was being computed.
        operation: String,
    },
    /// The entity does not exist (or belongs to somebody else).
    #[error("{entity} {id} not found")]
    NotFound {
        /// `loan`, `repayment`, `user`.
        entity: String,
        /// The id that was looked up.
        id: String,
    },
    /// A concurrent writer got there first or a uniqueness rule was broken.
    #[error("conflict: {reason}")]
    Conflict {
        /// What conflicted.
        reason: String,
    },
    /// A loan status transition the state machine does not allow.
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
    /// A storage adapter failed. (`detail` is the core's `message`: Kotlin exceptions reserve
    /// `message`.)
    #[error("storage error in {operation}: {detail}")]
    Storage {
        /// The operation.
        operation: String,
        /// The adapter's message.
        detail: String,
    },
}

impl From<loansyncro_core::Error> for LoanSyncroError {
    fn from(e: loansyncro_core::Error) -> Self {
        use loansyncro_core::Error as E;
        match e {
            E::Validation { field, reason } => Self::Validation { field, reason },
            E::NoSolution { reason } => Self::NoSolution { reason },
            E::Overflow { operation } => Self::Overflow { operation },
            E::NotFound { entity, id } => Self::NotFound { entity, id },
            E::Conflict { kind } => Self::Conflict {
                reason: kind.to_string(),
            },
            E::InvalidTransition { from, to, reason } => Self::InvalidTransition {
                from: from.to_string(),
                to: to.to_string(),
                reason: reason.describe(from, to),
            },
            E::Overpayment {
                payoff,
                attempted,
                date,
            } => Self::Overpayment {
                payoff,
                attempted,
                date: date.to_string(),
            },
            E::Storage { operation, message } => Self::Storage {
                operation,
                detail: message,
            },
        }
    }
}

impl From<loansyncro_core::MathError> for LoanSyncroError {
    fn from(e: loansyncro_core::MathError) -> Self {
        loansyncro_core::Error::from(e).into()
    }
}

impl LoanSyncroError {
    /// The core's stable machine-readable code (`validation`, `not_found`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation",
            Self::NoSolution { .. } => "no_solution",
            Self::Overflow { .. } => "overflow",
            Self::NotFound { .. } => "not_found",
            Self::Conflict { .. } => "conflict",
            Self::InvalidTransition { .. } => "invalid_transition",
            Self::Overpayment { .. } => "overpayment",
            Self::Storage { .. } => "storage",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loansyncro_core::domain::status::{LoanStatus, TransitionRefusal};

    #[test]
    fn every_core_error_keeps_its_data_and_code() {
        let loan_id = loansyncro_core::domain::loan::LoanId::new("l1").unwrap();
        let date = chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
        let core_errors = [
            loansyncro_core::Error::validation("principal", "must be greater than zero"),
            loansyncro_core::Error::no_solution("no root"),
            loansyncro_core::Error::overflow("pmt"),
            loansyncro_core::Error::not_found("loan", "loan_1"),
            loansyncro_core::app::ports::stale_version(&loan_id, 1, 2),
            loansyncro_core::Error::already_exists("repayment", "r1"),
            loansyncro_core::Error::InvalidTransition {
                from: LoanStatus::Paid,
                to: LoanStatus::Defaulted,
                reason: TransitionRefusal::NotAllowed,
            },
            loansyncro_core::Error::Overpayment {
                payoff: Decimal::new(110538, 2),
                attempted: Decimal::new(5000, 0),
                date,
            },
            loansyncro_core::Error::Storage {
                operation: "put".into(),
                message: "disk full".into(),
            },
        ];
        for e in core_errors {
            let ours = LoanSyncroError::from(e.clone());
            assert_eq!(ours.code(), e.code());
            assert_eq!(ours.to_string(), e.to_string());
        }
        assert_eq!(
            LoanSyncroError::from(loansyncro_core::Error::validation("start", "is required")),
            LoanSyncroError::Validation {
                field: "start".into(),
                reason: "is required".into()
            }
        );
        assert_eq!(
            LoanSyncroError::from(loansyncro_core::app::ports::stale_version(&loan_id, 1, 2)),
            LoanSyncroError::Conflict {
                reason: "stale version of loan l1: expected 1, stored 2".into()
            }
        );
        assert_eq!(
            LoanSyncroError::from(loansyncro_core::Error::InvalidTransition {
                from: LoanStatus::Active,
                to: LoanStatus::Active,
                reason: TransitionRefusal::AlreadyInStatus,
            }),
            LoanSyncroError::InvalidTransition {
                from: "active".into(),
                to: "active".into(),
                reason: "the loan is already active".into()
            }
        );
        assert_eq!(
            LoanSyncroError::from(loansyncro_core::Error::Overpayment {
                payoff: Decimal::new(110538, 2),
                attempted: Decimal::new(5000, 0),
                date,
            }),
            LoanSyncroError::Overpayment {
                payoff: Decimal::new(110538, 2),
                attempted: Decimal::new(5000, 0),
                date: "2025-02-01".into()
            }
        );
        assert_eq!(
            LoanSyncroError::from(loansyncro_core::MathError::no_solution("no root")),
            LoanSyncroError::NoSolution {
                reason: "no root".into()
            }
        );
    }
}
