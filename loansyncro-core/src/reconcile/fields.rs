//! Reading one amount or one date out of an imported statement; errors name where it was.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// An amount as statements write it: `1234.56`, `1,234.56`, `$1,234.56`, `-12.00`,
/// `(12.00)` (negative), surrounding spaces. Exact: never rounded.
pub(super) fn amount(text: &str, field: &str) -> Result<Decimal> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, t),
    };
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '$' | '€' | '£' | '¥' | ' ' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return Err(Error::validation(field, "is empty (expected an amount)"));
    }
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return Err(Error::validation(
            field,
            format!("{:?} is not an amount", truncate(text)),
        ));
    }
    let value = Decimal::from_str_exact(&cleaned).map_err(|e| {
        Error::validation(
            field,
            format!("{:?} is not an exact amount ({e})", truncate(text)),
        )
    })?;
    Ok(if negative { -value } else { value })
}

/// A date in `format` (chrono syntax, e.g. `%Y-%m-%d`, `%m/%d/%Y`).
pub(super) fn date(text: &str, format: &str, field: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), format).map_err(|e| {
        Error::validation(
            field,
            format!(
                "{:?} is not a date in the format {format:?} ({e})",
                truncate(text)
            ),
        )
    })
}

/// At most 40 characters of a value, for an error message.
pub(super) fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}
