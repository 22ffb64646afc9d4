//! Users: the identity-provider subject that owns loans and repayments, and its profile.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use crate::domain::ids::{UserId, MAX_ID_LEN};

/// Longest e-mail address accepted (in characters, RFC 5321 path limit).
pub const MAX_EMAIL_LEN: usize = 254;
/// Longest full name accepted (in characters).
pub const MAX_FULL_NAME_LEN: usize = 200;

/// A user's profile, synchronised from the identity provider on first sight.
///
/// Build it with [`User::new`], which validates every field; the fields are public so shells
/// can read them, and [`User::validate`] re-checks a value built by hand.
///
/// ```
/// use loansyncro_core::domain::user::{User, UserId};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap();
/// let user = User::new(UserId::new("sub-1")?, " ada@example.com ", "Ada Lovelace", at)?;
/// assert_eq!(user.email, "ada@example.com");
/// let err = User::new(UserId::new("sub-2")?, "not-an-email", "Bob", at).unwrap_err();
/// assert_eq!(err.field(), Some("email"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The identity provider's subject.
    pub id: UserId,
    /// E-mail address (trimmed; exactly one `@` with text on both sides).
    pub email: String,
    /// Display name (trimmed; may be empty; at most 200 characters).
    pub full_name: String,
    /// When the user was first seen.
    pub created_at: DateTime<Utc>,
}

impl User {
    /// A validated user. The e-mail and the name are trimmed. Errors name the field: `email`
    /// or `full_name`.
    pub fn new(
        id: UserId,
        email: impl Into<String>,
        full_name: impl Into<String>,
        created_at: DateTime<Utc>,
    ) -> Result<User> {
        let user = User {
            id,
            email: email.into().trim().to_owned(),
            full_name: full_name.into().trim().to_owned(),
            created_at,
        };
        user.validate()?;
        Ok(user)
    }

    /// Checks every field (the id is valid by construction).
    pub fn validate(&self) -> Result<()> {
        validate_email(&self.email)?;
        if self.full_name.chars().count() > MAX_FULL_NAME_LEN {
            return Err(Error::validation(
                "full_name",
                format!("must be at most {MAX_FULL_NAME_LEN} characters"),
            ));
        }
        if self.full_name.chars().any(char::is_control) {
            return Err(Error::validation(
                "full_name",
                "must not contain control characters",
            ));
        }
        Ok(())
    }
}

/// Checks an e-mail address: exactly one `@` with text on both sides, no whitespace, at most
/// 254 characters. Errors name the field `email`.
///
/// ```
/// use loansyncro_core::domain::user::validate_email;
/// assert!(validate_email("a@b.example").is_ok());
/// assert!(validate_email("a@@b").is_err());
/// assert!(validate_email("@b").is_err());
/// ```
pub fn validate_email(email: &str) -> Result<()> {
    if email.chars().count() > MAX_EMAIL_LEN {
        return Err(Error::validation(
            "email",
            format!("must be at most {MAX_EMAIL_LEN} characters"),
        ));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::validation(
            "email",
            "must not contain whitespace or control characters",
        ));
    }
    let mut parts = email.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) if !local.is_empty() && !domain.is_empty() => Ok(()),
        _ => Err(Error::validation(
            "email",
            "must contain exactly one '@' with text on both sides",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn user_id_rules() {
        assert_eq!(UserId::new("").unwrap_err().field(), Some("user_id"));
        assert_eq!(UserId::new(" a").unwrap_err().field(), Some("user_id"));
        assert_eq!(UserId::new("a\n").unwrap_err().field(), Some("user_id"));
        assert!(UserId::new("x".repeat(128)).is_ok());
        assert_eq!(
            UserId::new("x".repeat(129)).unwrap_err().field(),
            Some("user_id")
        );
        // 128 multi-byte characters are fine: the limit counts characters.
        assert!(UserId::new("é".repeat(128)).is_ok());
    }

    #[test]
    fn user_id_serde_is_a_validated_string() {
        let id = UserId::new("sub-1").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"sub-1\"");
        assert_eq!(serde_json::from_str::<UserId>("\"sub-1\"").unwrap(), id);
        assert!(serde_json::from_str::<UserId>("\"\"").is_err());
    }

    #[test]
    fn email_rules_name_the_field() {
        for bad in ["", "a", "a@", "@b", "a@b@c", "a b@c", "a\t@b"] {
            let err = User::new(UserId::new("u").unwrap(), bad, "N", at()).unwrap_err();
            assert_eq!(err.field(), Some("email"), "{bad:?}");
        }
        let long = format!("{}@b.c", "a".repeat(251));
        assert_eq!(long.len(), 255);
        assert_eq!(validate_email(&long).unwrap_err().field(), Some("email"));
        assert!(validate_email(&long[1..]).is_ok());
    }

    #[test]
    fn full_name_rules() {
        let u = User::new(UserId::new("u").unwrap(), "a@b", "  Ada  ", at()).unwrap();
        assert_eq!(u.full_name, "Ada");
        assert!(User::new(UserId::new("u").unwrap(), "a@b", "", at()).is_ok());
        let err = User::new(UserId::new("u").unwrap(), "a@b", "n".repeat(201), at()).unwrap_err();
        assert_eq!(err.field(), Some("full_name"));
    }

    #[test]
    fn user_round_trips_through_json() {
        let u = User::new(UserId::new("u").unwrap(), "a@b", "Ada", at()).unwrap();
        let json = serde_json::to_string(&u).unwrap();
        assert_eq!(serde_json::from_str::<User>(&json).unwrap(), u);
    }
}
