//! CSV export (RFC 4180): a header row, CRLF line ends, decimal strings exactly as computed.

use std::fmt::Write;

use crate::schedule::Schedule;

/// The header of [`schedule_csv`].
pub const SCHEDULE_CSV_HEADER: &str =
    "number,due_date,payment,interest,principal,balance,deferred_interest,extra_principal";

/// A schedule as CSV.
///
/// ```
/// use loansyncro_core::{schedule::export::schedule_csv, LoanTerms};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let s = LoanTerms::builder().principal(dec!(100)).installments(2)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).build().unwrap().schedule().unwrap();
/// let csv = schedule_csv(&s);
/// assert!(csv.starts_with("number,due_date,payment"));
/// assert!(csv.contains("\r\n1,2025-02-01,50.00,0.00,50.00,50.00,0.00,0.00\r\n"));
/// ```
pub fn schedule_csv(schedule: &Schedule) -> String {
    let mut out = String::with_capacity(64 * (schedule.len() + 1));
    out.push_str(SCHEDULE_CSV_HEADER);
    out.push_str("\r\n");
    for i in schedule.installments() {
        // Numbers and ISO dates never need quoting.
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{}\r\n",
            i.number(),
            i.due_date(),
            i.payment(),
            i.interest(),
            i.principal(),
            i.balance(),
            i.deferred_interest(),
            i.extra_principal()
        );
    }
    out
}

/// Quotes a CSV field when it contains a comma, quote or line break (RFC 4180).
pub fn csv_field(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains([',', '"', '\r', '\n']) {
        std::borrow::Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

impl Schedule {
    /// The schedule as CSV (see [`schedule_csv`]).
    pub fn to_csv(&self) -> String {
        schedule_csv(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
