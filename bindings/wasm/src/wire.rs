//! Parsing of the values JavaScript hands over: decimal strings, ISO dates, whole numbers and
//! JSON documents in the core's serde wire forms. Translation only: every rule about what is a
//! valid value lives in the core.

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::{DayCount, Error, Frequency, LoanTermsBuilder, MathError, Result};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::from_serde;

/// A decimal from its string form (`"1580.17"`, `"-0.5"`, `"1e-7"`; the JS wrapper turns
/// numbers into their shortest round-trip string).
pub fn decimal(field: &str, text: &str) -> Result<Decimal, MathError> {
    let t = text.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|_| MathError::validation(field, format!("{text:?} is not a decimal number")))
}

/// An ISO 8601 calendar date (`YYYY-MM-DD`).
/// Parsed by the core's one date rule ([`loansyncro_core::math::calendar::parse_iso_date`]), as
/// every date field of the core's wire forms is: one date parser in the .wasm, no chrono parser.
pub fn date(field: &str, text: &str) -> Result<NaiveDate> {
    Ok(loansyncro_core::math::calendar::parse_iso_date(
        field,
        text.trim(),
    )?)
}

/// A whole number in `0..=u32::MAX` from a JS number.
pub fn whole(field: &str, value: f64) -> Result<u32, MathError> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        // In range and integral, so the cast is exact.
        Ok(value as u32)
    } else {
        // (No float formatting here: it would add its code to the .wasm.)
        Err(MathError::validation(
            field,
            "must be a whole number from 0 to 4294967295",
        ))
    }
}

/// A JSON document deserialized into `T`; a failure names the path of the bad field under
/// `root`. Parsed into a `Value` first and deserialized through [`crate::path`]: one
/// instantiation per type keeps the .wasm small (the hot path, loan terms, has its own fast
/// path in [`terms_builder`]).
pub fn json<T: DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => from_value(root, v),
        Err(e) => Err(Error::validation(
            if root.is_empty() { "input" } else { root },
            format!("not valid JSON: {e}"),
        )),
    }
}

/// `T` from a JSON value; a failure names the path of the bad field under `root`
/// ([`crate::path`]).
pub fn from_value<T: DeserializeOwned>(root: &str, v: Value) -> Result<T> {
    crate::path::deserialize(v).map_err(|(path, e)| from_serde(root, &path, &e))
}

/// Loan terms in the core's wire form ([`LoanTermsBuilder`]). `frequency` and `day_count` may
/// also be given in the spellings the core parses (`"every 15 days"`, `"semi-monthly 1,15"`,
/// `"actual/365"`, ...).
///
/// One route for every document (text -> `Value` -> builder): a second, direct
/// `serde_json::from_str::<LoanTermsBuilder>` instantiation would add its deserializers to the
/// .wasm; the common terms skip JSON entirely (`scheduleColumnsNumeric`).
pub fn terms_builder(root: &str, text: &str) -> Result<LoanTermsBuilder> {
    let mut v: Value = json(root, text)?;
    normalize_terms(&mut v)?;
    from_value(root, v)
}

/// Rewrites free-form `frequency` / `day_count` strings into their serde form; true if
/// anything changed.
pub fn normalize_terms(v: &mut Value) -> Result<bool> {
    let mut changed = false;
    if let Some(Value::String(s)) = v.get("frequency") {
        let parsed = Frequency::from_str(s)?;
        let canonical = canonical(&parsed)?;
        if canonical != Value::String(s.clone()) {
            v["frequency"] = canonical;
            changed = true;
        }
    }
    if let Some(Value::String(s)) = v.get("day_count") {
        let parsed = DayCount::from_str(s)?;
        let canonical = canonical(&parsed)?;
        if canonical != Value::String(s.clone()) {
            v["day_count"] = canonical;
            changed = true;
        }
    }
    Ok(changed)
}

/// The serde form of a value as a JSON `Value` (through text: the one JSON parser of the
/// package, no second `Value` serializer).
fn canonical<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::from_str(&to_json(value)?).map_err(|e| Error::overflow(e.to_string()))
}

/// Serializes a core value to JSON (amounts become decimal strings).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::overflow(format!("serialization: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn decimals_dates_and_whole_numbers() {
        assert_eq!(decimal("x", "1580.17").unwrap().to_string(), "1580.17");
        assert_eq!(
            decimal("x", "8.333333333333334e-6").unwrap().to_string(),
            "0.000008333333333333334"
        );
        assert_eq!(decimal("rate", "abc").unwrap_err().field(), Some("rate"));
        assert_eq!(
            date("start", "2025-01-31").unwrap().to_string(),
            "2025-01-31"
        );
        assert_eq!(
            date("start", "2025-02-30").unwrap_err().field(),
            Some("start")
        );
        assert_eq!(whole("nper", 360.0).unwrap(), 360);
        assert!(whole("nper", 1.5).is_err());
        assert!(whole("nper", -1.0).is_err());
    }

    #[test]
    fn terms_accept_free_form_frequency_and_name_bad_fields() {
        let b = terms_builder(
            "",
            r#"{"principal":"100","installments":4,"start":"2025-01-01","frequency":"every 15 days","day_count":"actual/365"}"#,
        )
        .unwrap();
        assert_eq!(b.frequency, Frequency::EveryNDays(15));
        assert_eq!(b.day_count, DayCount::Actual365Fixed);
        let e = terms_builder("", r#"{"principal":"abc","installments":4}"#).unwrap_err();
        assert_eq!(e.field(), Some("principal"));
        let e = terms_builder("", r#"{"principal":"1","start":"2025-13-01"}"#).unwrap_err();
        assert_eq!(e.field(), Some("start"));
        let e = terms_builder("", r#"{"frequency":"hourly"}"#).unwrap_err();
        assert_eq!(e.field(), Some("frequency"));
    }
}
