//! The validated string ids of the domain: [`UserId`], [`LoanId`], [`RepaymentId`] and
//! [`PlanId`], each non-empty, at most [`MAX_ID_LEN`] characters, no leading or trailing
//! whitespace, no control characters. The leaf of the domain layer: the entities refer to each
//! other through these ids, so no entity module imports another to name it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Longest id accepted (in characters), for users, loans and repayments.
pub const MAX_ID_LEN: usize = 128;
/// Checks an id string; errors name `field`.
pub(crate) fn validate_id(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    if value.chars().count() > MAX_ID_LEN {
        return Err(Error::validation(
            field,
            format!("must be at most {MAX_ID_LEN} characters"),
        ));
    }
    if value.trim() != value {
        return Err(Error::validation(
            field,
            "must not start or end with whitespace",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Declares a validated string id newtype (serde as a plain string, validated on the way in).
macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $field:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps an id: non-empty, at most
            #[doc = concat!("[`", "crate::domain::ids::MAX_ID_LEN", "`]")]
            /// characters, no surrounding whitespace or control characters. Errors name the
            #[doc = concat!("field `", $field, "`.")]
            pub fn new(value: impl Into<String>) -> $crate::error::Result<Self> {
                let value = value.into();
                $crate::domain::ids::validate_id($field, &value)?;
                Ok(Self(value))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::Error;
            fn try_from(value: String) -> $crate::error::Result<Self> {
                Self::new(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::error::Error;
            fn try_from(value: &str) -> $crate::error::Result<Self> {
                Self::new(value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(value: &str) -> $crate::error::Result<Self> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// The id of a user: the identity provider's subject (`sub` claim), validated non-empty and
    /// at most 128 characters.
    ///
    /// ```
    /// use loansyncro_core::domain::user::UserId;
    /// let id = UserId::new("c0ffee-42")?;
    /// assert_eq!(id.as_str(), "c0ffee-42");
    /// assert_eq!(UserId::new("").unwrap_err().field(), Some("user_id"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    UserId,
    "user_id"
);

string_id!(
    /// The id of a loan (made by the id-generator port).
    ///
    /// ```
    /// use loansyncro_core::domain::loan::LoanId;
    /// assert_eq!(LoanId::new("loan_1")?.as_str(), "loan_1");
    /// assert_eq!(LoanId::new("").unwrap_err().field(), Some("loan_id"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    LoanId,
    "loan_id"
);

string_id!(
    /// The id of a repayment (made by the id-generator port).
    ///
    /// ```
    /// use loansyncro_core::domain::repayment::RepaymentId;
    /// assert_eq!(RepaymentId::new("rep_1")?.as_str(), "rep_1");
    /// assert_eq!(RepaymentId::new("").unwrap_err().field(), Some("repayment_id"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    RepaymentId,
    "repayment_id"
);

string_id!(
    /// The id of a recurring repayment plan.
    ///
    /// ```
    /// use loansyncro_core::domain::repayment::PlanId;
    /// assert_eq!(PlanId::new("plan_1")?.to_string(), "plan_1");
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    PlanId,
    "plan_id"
);

string_id!(
    /// The id of a balance correction (made by the id-generator port).
    ///
    /// ```
    /// use loansyncro_core::domain::correction::CorrectionId;
    /// assert_eq!(CorrectionId::new("corr_1")?.to_string(), "corr_1");
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    CorrectionId,
    "correction_id"
);
