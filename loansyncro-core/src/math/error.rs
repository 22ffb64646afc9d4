//! The error of the arithmetic layers ([`crate::math`] and [`crate::finance`]): an invalid
//! argument, an equation without a solution, or a result beyond `Decimal`'s range. Nothing
//! about loans, stores or statuses: those are the domain's [`crate::Error`], which every
//! [`MathError`] converts into (so `?` works upward) with the same code, field and message.
//!
//! ```
//! use loansyncro_core::math::error::MathError;
//! use loansyncro_core::Error;
//! let e = MathError::validation("rate", "must be finite");
//! assert_eq!((e.code(), e.field()), ("validation", Some("rate")));
//! assert_eq!(e.to_string(), "invalid rate: must be finite");
//! let up: Error = e.clone().into();
//! assert_eq!((up.code(), up.field(), up.to_string()), (e.code(), e.field(), e.to_string()));
//! ```

/// What can go wrong in pure arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MathError {
    /// An argument is invalid; `field` names it, `reason` says why (code `validation`).
    #[error("invalid {field}: {reason}")]
    InvalidArgument {
        /// The offending argument, e.g. `rate` or `values[2]`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An equation has no solution for the given inputs (code `no_solution`).
    #[error("no solution: {reason}")]
    NoSolution {
        /// Why no solution exists.
        reason: String,
    },
    /// A computation left the representable range of `Decimal`, about 7.9e28 (code
    /// `overflow`).
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// What was being computed.
        operation: String,
    },
}

impl MathError {
    /// An invalid argument `field` with `reason` (named like [`crate::Error::validation`]).
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        MathError::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An overflow in `operation`.
    pub fn overflow(operation: impl Into<String>) -> Self {
        MathError::Overflow {
            operation: operation.into(),
        }
    }

    /// A "no solution" error.
    pub fn no_solution(reason: impl Into<String>) -> Self {
        MathError::NoSolution {
            reason: reason.into(),
        }
    }

    /// The argument an invalid-argument error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            MathError::InvalidArgument { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The code of the [`crate::Error`] this becomes: `validation`, `no_solution` or `overflow`.
    pub fn code(&self) -> &'static str {
        match self {
            MathError::InvalidArgument { .. } => "validation",
            MathError::NoSolution { .. } => "no_solution",
            MathError::Overflow { .. } => "overflow",
        }
    }
}

/// The arithmetic layers' result type.
pub type Result<T, E = MathError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn every_math_error_becomes_the_domain_error_with_the_same_code_field_and_message() {
        let cases = [
            (
                MathError::validation("nper", "must be positive"),
                Error::validation("nper", "must be positive"),
            ),
            (
                MathError::no_solution("no root"),
                Error::no_solution("no root"),
            ),
            (MathError::overflow("pmt"), Error::overflow("pmt")),
        ];
        for (math, domain) in cases {
            assert_eq!(math.code(), domain.code());
            assert_eq!(math.field(), domain.field());
            assert_eq!(math.to_string(), domain.to_string());
            assert_eq!(Error::from(math), domain);
        }
    }
}
