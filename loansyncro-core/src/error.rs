//! The domain and service error enum, and the kinds of conflict.
//!
//! Variants carry typed data (the field, ids, statuses, amounts, dates), never a preformatted
//! string that callers would have to parse: the human message is produced by `Display`, and
//! every shell (HTTP, Python, JS, Kotlin) maps the variants to its own error shape. The
//! arithmetic layers have their own error, [`MathError`], which converts into [`Error`] with
//! the same code, field and message (so `?` works upward).
//!
//! # Wire form
//!
//! `Error` is serialized with its stable [`Error::code`] as the `code` tag; each variant's
//! fields follow. A conflict also carries its human `reason` and, flattened, its typed
//! [`ConflictKind`] (tag `kind`); an invalid transition carries its human `reason` and the
//! typed `refusal`:
//!
//! ```
//! use loansyncro_core::{domain::loan::LoanId, ConflictKind, Error};
//! let e = Error::conflict(ConflictKind::StaleVersion {
//!     loan_id: LoanId::new("l1")?,
//!     expected: 1,
//!     stored: 2,
//! });
//! assert_eq!(
//!     serde_json::to_string(&e).unwrap(),
//!     r#"{"code":"conflict","reason":"stale version of loan l1: expected 1, stored 2","kind":"stale_version","loan_id":"l1","expected":1,"stored":2}"#
//! );
//! assert_eq!(serde_json::from_str::<Error>(&serde_json::to_string(&e).unwrap()).unwrap(), e);
//! # Ok::<(), Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::ids::LoanId;
use crate::domain::status::{LoanStatus, TransitionRefusal};
pub use crate::math::error::MathError;

/// Everything that can go wrong in the core above the arithmetic layers.
///
/// ```
/// use loansyncro_core::Error;
/// let e = Error::validation("principal", "must be greater than zero");
/// assert_eq!(e.to_string(), "invalid principal: must be greater than zero");
/// assert_eq!(e.field(), Some("principal"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "wire::Error", from = "wire::Error")]
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
    /// A write conflicted with the stored state; match on the [`ConflictKind`].
    #[error("conflict: {kind}")]
    Conflict {
        /// What conflicted.
        kind: ConflictKind,
    },
    /// A loan status transition that the state machine does not allow.
    #[error("invalid status transition from {from} to {to}: {}", .reason.describe(*.from, *.to))]
    InvalidTransition {
        /// Current status.
        from: LoanStatus,
        /// Requested status.
        to: LoanStatus,
        /// Why it is not allowed.
        reason: TransitionRefusal,
    },
    /// A repayment would pay more than the payoff amount on its date.
    #[error("overpayment: {attempted} exceeds the payoff amount {payoff} on {date}")]
    Overpayment {
        /// The payoff amount on the repayment date.
        payoff: Decimal,
        /// The amount that was attempted.
        attempted: Decimal,
        /// The repayment date.
        date: NaiveDate,
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

/// The kinds of [`Error::Conflict`]: what a caller matches on (never the message).
///
/// ```
/// use loansyncro_core::{domain::loan::LoanId, ConflictKind};
/// let kind = ConflictKind::IdempotencyKeyReused { loan_id: LoanId::new("l1")?, key: "feb".into() };
/// assert_eq!(kind.to_string(), r#"idempotency key "feb" already used on loan l1"#);
/// assert!(kind.is_idempotency_key() && !kind.is_stale_version());
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConflictKind {
    /// The stored loan's version is not the one the writer read: reload and retry.
    #[error("stale version of loan {loan_id}: expected {expected}, stored {stored}")]
    StaleVersion {
        /// The loan written.
        loan_id: LoanId,
        /// The version the writer read.
        expected: u64,
        /// The version stored now.
        stored: u64,
    },
    /// A conditional write failed although the stored version read afterwards is the expected
    /// one (a concurrent write came and went): reload and retry, like [`Self::StaleVersion`].
    #[error("stale version of loan {loan_id}: a concurrent write changed it; reload and retry")]
    ConcurrentWrite {
        /// The loan written.
        loan_id: LoanId,
    },
    /// A store already holds a repayment with this idempotency key on this loan (look it up
    /// with `RepaymentRepository::find_by_idempotency_key`).
    #[error("idempotency key {key:?} already used on loan {loan_id}")]
    IdempotencyKeyReused {
        /// The loan.
        loan_id: LoanId,
        /// The key.
        key: String,
    },
    /// The idempotency key was used for a different repayment (another amount or date).
    #[error("idempotency key {key:?} was used for a repayment of {amount} on {date}")]
    IdempotencyKeyMismatch {
        /// The key.
        key: String,
        /// The amount of the repayment first recorded with the key.
        amount: Decimal,
        /// Its date.
        date: NaiveDate,
    },
    /// An entity with this id exists already (for any owner).
    #[error("{entity} {id} already exists")]
    AlreadyExists {
        /// Kind of entity: `loan`, `repayment`.
        entity: String,
        /// The id.
        id: String,
    },
}

impl ConflictKind {
    /// The kind's stable snake-case name, as in the serde form: `stale_version`,
    /// `concurrent_write`, `idempotency_key_reused`, `idempotency_key_mismatch`,
    /// `already_exists`.
    pub fn name(&self) -> &'static str {
        match self {
            ConflictKind::StaleVersion { .. } => "stale_version",
            ConflictKind::ConcurrentWrite { .. } => "concurrent_write",
            ConflictKind::IdempotencyKeyReused { .. } => "idempotency_key_reused",
            ConflictKind::IdempotencyKeyMismatch { .. } => "idempotency_key_mismatch",
            ConflictKind::AlreadyExists { .. } => "already_exists",
        }
    }

    /// A stale version or a concurrent write: the caller should reload and retry.
    pub fn is_stale_version(&self) -> bool {
        matches!(
            self,
            ConflictKind::StaleVersion { .. } | ConflictKind::ConcurrentWrite { .. }
        )
    }

    /// A conflict on an idempotency key (reused on the loan, or used for another repayment).
    pub fn is_idempotency_key(&self) -> bool {
        matches!(
            self,
            ConflictKind::IdempotencyKeyReused { .. } | ConflictKind::IdempotencyKeyMismatch { .. }
        )
    }
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

    /// A conflict of the given kind.
    pub fn conflict(kind: ConflictKind) -> Self {
        Error::Conflict { kind }
    }

    /// An entity with this id exists already ([`ConflictKind::AlreadyExists`]).
    pub fn already_exists(entity: impl Into<String>, id: impl Into<String>) -> Self {
        Error::conflict(ConflictKind::AlreadyExists {
            entity: entity.into(),
            id: id.into(),
        })
    }

    /// The conflict's kind, if this is a conflict.
    pub fn conflict_kind(&self) -> Option<&ConflictKind> {
        match self {
            Error::Conflict { kind } => Some(kind),
            _ => None,
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

impl From<MathError> for Error {
    fn from(e: MathError) -> Self {
        match e {
            MathError::InvalidArgument { field, reason } => Error::Validation { field, reason },
            MathError::NoSolution { reason } => Error::NoSolution { reason },
            MathError::Overflow { operation } => Error::Overflow { operation },
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The serde form of [`Error`]: the variants' fields, plus the human `reason` of a conflict
/// and of an invalid transition (what the bindings' error classes have always shown).
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(tag = "code", rename_all = "snake_case")]
    pub(super) enum Error {
        Validation {
            field: String,
            reason: String,
        },
        NoSolution {
            reason: String,
        },
        Overflow {
            operation: String,
        },
        NotFound {
            entity: String,
            id: String,
        },
        Conflict {
            reason: String,
            #[serde(flatten)]
            kind: ConflictKind,
        },
        InvalidTransition {
            from: LoanStatus,
            to: LoanStatus,
            reason: String,
            refusal: TransitionRefusal,
        },
        Overpayment {
            payoff: Decimal,
            attempted: Decimal,
            date: NaiveDate,
        },
        Storage {
            operation: String,
            message: String,
        },
    }

    impl From<super::Error> for Error {
        fn from(e: super::Error) -> Self {
            use super::Error as E;
            match e {
                E::Validation { field, reason } => Error::Validation { field, reason },
                E::NoSolution { reason } => Error::NoSolution { reason },
                E::Overflow { operation } => Error::Overflow { operation },
                E::NotFound { entity, id } => Error::NotFound { entity, id },
                E::Conflict { kind } => Error::Conflict {
                    reason: kind.to_string(),
                    kind,
                },
                E::InvalidTransition { from, to, reason } => Error::InvalidTransition {
                    from,
                    to,
                    reason: reason.describe(from, to),
                    refusal: reason,
                },
                E::Overpayment {
                    payoff,
                    attempted,
                    date,
                } => Error::Overpayment {
                    payoff,
                    attempted,
                    date,
                },
                E::Storage { operation, message } => Error::Storage { operation, message },
            }
        }
    }

    // The human texts are derived, so they are not read back.
    impl From<Error> for super::Error {
        fn from(e: Error) -> Self {
            use super::Error as E;
            match e {
                Error::Validation { field, reason } => E::Validation { field, reason },
                Error::NoSolution { reason } => E::NoSolution { reason },
                Error::Overflow { operation } => E::Overflow { operation },
                Error::NotFound { entity, id } => E::NotFound { entity, id },
                Error::Conflict { kind, .. } => E::Conflict { kind },
                Error::InvalidTransition {
                    from, to, refusal, ..
                } => E::InvalidTransition {
                    from,
                    to,
                    reason: refusal,
                },
                Error::Overpayment {
                    payoff,
                    attempted,
                    date,
                } => E::Overpayment {
                    payoff,
                    attempted,
                    date,
                },
                Error::Storage { operation, message } => E::Storage { operation, message },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::status::TransitionReason;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 2, 5).unwrap()
    }

    fn loan() -> LoanId {
        LoanId::new("l1").unwrap()
    }

    /// Every variant (and every conflict kind) with its code, message and exact JSON.
    fn cases() -> Vec<(Error, &'static str, &'static str, &'static str)> {
        vec![
            (
                Error::validation("principal", "must be greater than zero"),
                "validation",
                "invalid principal: must be greater than zero",
                r#"{"code":"validation","field":"principal","reason":"must be greater than zero"}"#,
            ),
            (
                Error::no_solution("no root"),
                "no_solution",
                "no solution: no root",
                r#"{"code":"no_solution","reason":"no root"}"#,
            ),
            (
                Error::overflow("pmt"),
                "overflow",
                "arithmetic overflow in pmt",
                r#"{"code":"overflow","operation":"pmt"}"#,
            ),
            (
                Error::not_found("loan", "l9"),
                "not_found",
                "loan l9 not found",
                r#"{"code":"not_found","entity":"loan","id":"l9"}"#,
            ),
            (
                Error::conflict(ConflictKind::StaleVersion {
                    loan_id: loan(),
                    expected: 1,
                    stored: 2,
                }),
                "conflict",
                "conflict: stale version of loan l1: expected 1, stored 2",
                r#"{"code":"conflict","reason":"stale version of loan l1: expected 1, stored 2","kind":"stale_version","loan_id":"l1","expected":1,"stored":2}"#,
            ),
            (
                Error::conflict(ConflictKind::ConcurrentWrite { loan_id: loan() }),
                "conflict",
                "conflict: stale version of loan l1: a concurrent write changed it; reload and retry",
                r#"{"code":"conflict","reason":"stale version of loan l1: a concurrent write changed it; reload and retry","kind":"concurrent_write","loan_id":"l1"}"#,
            ),
            (
                Error::conflict(ConflictKind::IdempotencyKeyReused {
                    loan_id: loan(),
                    key: "feb".into(),
                }),
                "conflict",
                r#"conflict: idempotency key "feb" already used on loan l1"#,
                r#"{"code":"conflict","reason":"idempotency key \"feb\" already used on loan l1","kind":"idempotency_key_reused","loan_id":"l1","key":"feb"}"#,
            ),
            (
                Error::conflict(ConflictKind::IdempotencyKeyMismatch {
                    key: "feb".into(),
                    amount: Decimal::new(10662, 2),
                    date: date(),
                }),
                "conflict",
                r#"conflict: idempotency key "feb" was used for a repayment of 106.62 on 2025-02-05"#,
                r#"{"code":"conflict","reason":"idempotency key \"feb\" was used for a repayment of 106.62 on 2025-02-05","kind":"idempotency_key_mismatch","key":"feb","amount":"106.62","date":"2025-02-05"}"#,
            ),
            (
                Error::already_exists("repayment", "r1"),
                "conflict",
                "conflict: repayment r1 already exists",
                r#"{"code":"conflict","reason":"repayment r1 already exists","kind":"already_exists","entity":"repayment","id":"r1"}"#,
            ),
            (
                Error::InvalidTransition {
                    from: LoanStatus::Active,
                    to: LoanStatus::Active,
                    reason: TransitionRefusal::AlreadyInStatus,
                },
                "invalid_transition",
                "invalid status transition from active to active: the loan is already active",
                r#"{"code":"invalid_transition","from":"active","to":"active","reason":"the loan is already active","refusal":{"kind":"already_in_status"}}"#,
            ),
            (
                Error::InvalidTransition {
                    from: LoanStatus::Paid,
                    to: LoanStatus::Defaulted,
                    reason: TransitionRefusal::ReasonDoesNotApply {
                        reason: TransitionReason::DefaultedByOwner,
                    },
                },
                "invalid_transition",
                "invalid status transition from paid to defaulted: reason defaulted_by_owner does not apply to paid -> defaulted",
                r#"{"code":"invalid_transition","from":"paid","to":"defaulted","reason":"reason defaulted_by_owner does not apply to paid -> defaulted","refusal":{"kind":"reason_does_not_apply","reason":{"kind":"defaulted_by_owner"}}}"#,
            ),
            (
                Error::InvalidTransition {
                    from: LoanStatus::Paid,
                    to: LoanStatus::Paid,
                    reason: TransitionRefusal::NotAllowed,
                },
                "invalid_transition",
                "invalid status transition from paid to paid: paid -> paid is not an allowed transition",
                r#"{"code":"invalid_transition","from":"paid","to":"paid","reason":"paid -> paid is not an allowed transition","refusal":{"kind":"not_allowed"}}"#,
            ),
            (
                Error::Overpayment {
                    payoff: Decimal::new(110000, 2),
                    attempted: Decimal::new(110001, 2),
                    date: date(),
                },
                "overpayment",
                "overpayment: 1100.01 exceeds the payoff amount 1100.00 on 2025-02-05",
                r#"{"code":"overpayment","payoff":"1100.00","attempted":"1100.01","date":"2025-02-05"}"#,
            ),
            (
                Error::Storage {
                    operation: "PutItem on loans".into(),
                    message: "throttled".into(),
                },
                "storage",
                "storage error in PutItem on loans: throttled",
                r#"{"code":"storage","operation":"PutItem on loans","message":"throttled"}"#,
            ),
        ]
    }

    #[test]
    fn every_variant_has_its_code_message_and_pinned_json() {
        for (error, code, message, json) in cases() {
            assert_eq!(error.code(), code, "{error:?}");
            assert_eq!(error.to_string(), message, "{error:?}");
            assert_eq!(serde_json::to_string(&error).unwrap(), json, "{error:?}");
            // The wire's code is the tag, and the value reads back as the same error.
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(value["code"], code);
            assert_eq!(serde_json::from_str::<Error>(json).unwrap(), error);
        }
    }

    #[test]
    fn conflict_kinds_classify_without_reading_the_message() {
        let kinds: Vec<ConflictKind> = cases()
            .into_iter()
            .filter_map(|(e, ..)| e.conflict_kind().cloned())
            .collect();
        let names: Vec<&str> = kinds.iter().map(ConflictKind::name).collect();
        assert_eq!(
            names,
            [
                "stale_version",
                "concurrent_write",
                "idempotency_key_reused",
                "idempotency_key_mismatch",
                "already_exists"
            ]
        );
        let stale: Vec<bool> = kinds.iter().map(ConflictKind::is_stale_version).collect();
        assert_eq!(stale, [true, true, false, false, false]);
        let keys: Vec<bool> = kinds.iter().map(ConflictKind::is_idempotency_key).collect();
        assert_eq!(keys, [false, false, true, true, false]);
        // The name is the serde tag.
        for kind in &kinds {
            let v = serde_json::to_value(kind).unwrap();
            assert_eq!(v["kind"], kind.name());
        }
        assert_eq!(Error::validation("x", "y").conflict_kind(), None);
    }

    #[test]
    fn field_is_named_only_by_validation() {
        for (error, ..) in cases() {
            let expected = (error.code() == "validation").then_some("principal");
            assert_eq!(error.field(), expected, "{error:?}");
        }
    }
}
