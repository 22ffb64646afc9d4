//! Statement lines from CSV with a column mapping.
//!
//! The mapping names the header of each column (matched without regard to case or
//! surrounding spaces); only the date is required, and the amount paid may be left to the sum
//! of the interest and principal columns. Fields follow RFC 4180 (quotes, doubled quotes,
//! line breaks inside quotes). A payment written as a credit (`-500.00`, `(500.00)`) is read
//! as the amount paid. Errors name the file line and the column: `csv line 3: interest`.
//!
//! ```
//! use loansyncro_core::reconcile::csv::{parse, CsvMapping};
//! use rust_decimal_macros::dec;
//! let text = "Posted,Payment,Interest,Principal,Balance\n\
//!             02/01/2025,\"$1,027.29\",50.00,977.29,\"9,022.71\"\n";
//! let mapping = CsvMapping {
//!     date: "Posted".into(),
//!     amount: Some("payment".into()),
//!     interest: Some("Interest".into()),
//!     principal: Some("Principal".into()),
//!     balance: Some("Balance".into()),
//!     date_format: "%m/%d/%Y".into(),
//!     delimiter: ',',
//! };
//! let lines = parse(text, &mapping)?;
//! assert_eq!(lines[0].amount, dec!(1027.29));
//! assert_eq!(lines[0].balance, Some(dec!(9022.71)));
//! let err = parse("Posted\n2025-13-01\n", &mapping).unwrap_err();
//! assert_eq!(err.field(), Some("csv line 1: payment"));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fields;
use super::StatementLine;
use crate::error::{Error, Result};

/// Which CSV column holds what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    /// The date column (required).
    pub date: String,
    /// The amount paid; when absent, interest + principal.
    #[serde(default)]
    pub amount: Option<String>,
    /// The interest charged.
    #[serde(default)]
    pub interest: Option<String>,
    /// The principal repaid.
    #[serde(default)]
    pub principal: Option<String>,
    /// The principal balance after the line.
    #[serde(default)]
    pub balance: Option<String>,
    /// The date format in chrono's syntax (default `%Y-%m-%d`).
    #[serde(default = "default_date_format")]
    pub date_format: String,
    /// The field separator (default `,`).
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
}

fn default_date_format() -> String {
    "%Y-%m-%d".to_string()
}

fn default_delimiter() -> char {
    ','
}

impl CsvMapping {
    /// A mapping with these column names for date, amount, interest, principal and balance,
    /// ISO dates and commas.
    pub fn columns(
        date: &str,
        amount: Option<&str>,
        interest: Option<&str>,
        principal: Option<&str>,
        balance: Option<&str>,
    ) -> CsvMapping {
        CsvMapping {
            date: date.to_string(),
            amount: amount.map(str::to_string),
            interest: interest.map(str::to_string),
            principal: principal.map(str::to_string),
            balance: balance.map(str::to_string),
            date_format: default_date_format(),
            delimiter: default_delimiter(),
        }
    }
}

/// A record: the file line it starts on (from 1) and its fields.
type Record = (usize, Vec<String>);

/// The statement lines of a CSV text (see the [module docs](self)).
///
/// Errors: [`Error::Validation`] on `csv line N: COLUMN` for a bad or missing value, on
/// `csv line 1: COLUMN` for a mapped column the header lacks, on `csv line N` for an
/// unterminated quote, on `csv` for a text without a header or lines.
pub fn parse<'a>(text: &str, mapping: &'a CsvMapping) -> Result<Vec<StatementLine>> {
    let records = records(text, mapping.delimiter)?;
    let mut records = records.into_iter();
    let Some((header_line, header)) = records.next() else {
        return Err(Error::validation("csv", "the text has no header line"));
    };
    let find = |name: &str| -> Result<usize> {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                Error::validation(
                    format!("csv line {header_line}: {name}"),
                    format!(
                        "no such column (the header has {})",
                        fields::truncate(&header.join(", "))
                    ),
                )
            })
    };
    let optional = |name: Option<&'a str>| -> Result<Option<(usize, &'a str)>> {
        name.map(|n| Ok((find(n)?, n))).transpose()
    };
    let date_col = (find(&mapping.date)?, mapping.date.as_str());
    let amount_col = optional(mapping.amount.as_deref())?;
    let interest_col = optional(mapping.interest.as_deref())?;
    let principal_col = optional(mapping.principal.as_deref())?;
    let balance_col = optional(mapping.balance.as_deref())?;
    let mut lines = Vec::new();
    for (line, record) in records {
        let cell = |(at, name): (usize, &str)| -> Result<Option<Decimal>> {
            match record.get(at).map(|c| c.trim()).filter(|c| !c.is_empty()) {
                None => Ok(None),
                Some(c) => fields::amount(c, &format!("csv line {line}: {name}")).map(Some),
            }
        };
        let date_text = record.get(date_col.0).map(String::as_str).unwrap_or("");
        let date = fields::date(
            date_text,
            &mapping.date_format,
            &format!("csv line {line}: {}", date_col.1),
        )?;
        let interest = interest_col.map(cell).transpose()?.flatten();
        let principal = principal_col.map(cell).transpose()?.flatten();
        let amount = match amount_col {
            Some(col) => cell(col)?.map(|a| a.abs()),
            None => None,
        };
        let amount = match (amount, interest, principal) {
            (Some(a), _, _) => a,
            (None, Some(i), Some(p)) => i + p,
            (None, _, _) => {
                let name = mapping.amount.as_deref().unwrap_or("amount");
                return Err(Error::validation(
                    format!("csv line {line}: {name}"),
                    "is missing (map an amount column, or both interest and principal)",
                ));
            }
        };
        lines.push(StatementLine {
            date,
            amount,
            interest,
            principal,
            balance: balance_col.map(cell).transpose()?.flatten(),
        });
    }
    if lines.is_empty() {
        return Err(Error::validation("csv", "the text has no statement lines"));
    }
    Ok(lines)
}

/// RFC 4180 records with the line each starts on; blank lines are skipped.
fn records(text: &str, delimiter: char) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                quoted = true;
                any = true;
            }
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if any || fields.iter().any(|f| !f.trim().is_empty()) {
                    out.push((start, std::mem::take(&mut fields)));
                }
                fields.clear();
                any = false;
                line += 1;
                start = line;
            }
            c if c == delimiter => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(Error::validation(
            format!("csv line {start}"),
            "a quoted field is not closed",
        ));
    }
    fields.push(field);
    if any || fields.iter().any(|f| !f.trim().is_empty()) {
        out.push((start, fields));
    }
    Ok(out)
}
