//! Statement lines from an OFX/QFX loan statement, SGML (OFX 1.x) or XML (OFX 2.x).
//!
//! The loan statement response (`LOANSTMTRS`) lists its transactions in `LOANTRANLIST` as
//! `LOANSTMTTRN` aggregates (`LOANTRAN` is accepted too): the posting date `DTPOSTED`, the
//! amount `TRNAMT`, and in `LOANTRNAMT` the split `PRINAMT`, `INTAMT` and the pass-through
//! parts `ESCRWAMT` and `INSURANCE` (not paid to the loan, so they are taken off the amount).
//! A running principal balance is read when the institution sends one in the transaction
//! (`RUNNINGBAL` or `BALAMT`). Payments are credits to the loan, so signs are ignored; a
//! transaction whose `LOANTRNTYPE` is not a payment (a fee, a charge) becomes a line without a
//! payment whose principal is minus its amount: it raises the balance, and the reconciliation
//! flags it. SGML leaves need no closing tags; XML closing tags are read and ignored.
//! Errors name the text line and the element: `ofx line 14: DTPOSTED`.
//!
//! ```
//! use loansyncro_core::reconcile::ofx;
//! use rust_decimal_macros::dec;
//! let text = "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><LOANMSGSRSV1><LOANSTMTTRNRS><LOANSTMTRS>\n\
//!     <CURDEF>USD<LOANTRANLIST><LOANSTMTTRN><LOANTRNTYPE>PAYMENT<DTPOSTED>20250201\n\
//!     <TRNAMT>-1027.29<FITID>1<LOANTRNAMT><PRINAMT>-977.29<INTAMT>-50.00</LOANTRNAMT>\n\
//!     </LOANSTMTTRN></LOANTRANLIST></LOANSTMTRS></LOANSTMTTRNRS></LOANMSGSRSV1></OFX>";
//! let lines = ofx::parse(text)?;
//! assert_eq!(lines[0].amount, dec!(1027.29));
//! assert_eq!(lines[0].interest, Some(dec!(50.00)));
//! assert_eq!(lines[0].principal, Some(dec!(977.29)));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::fields;
use super::StatementLine;
use crate::error::{Error, Result};

/// One token of the text: an element with its text value (a leaf) or without (an
/// aggregate), or a closing tag; with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open(String, usize),
    Leaf(String, String, usize),
    Close(String),
}

/// A leaf element of a transaction: name, value, line.
type Leaf = (String, String, usize);

/// The statement lines of an OFX or QFX text (see the [module docs](self)).
///
/// Errors: [`Error::Validation`] on `ofx` for a text without a loan statement or without
/// transactions, on `ofx line N` for a malformed tag, on `ofx line N: ELEMENT` for a bad or
/// missing value.
pub fn parse(text: &str) -> Result<Vec<StatementLine>> {
    let tokens = tokens(text)?;
    if !tokens
        .iter()
        .any(|t| matches!(t, Token::Open(n, _) if n == "LOANSTMTRS"))
    {
        return Err(Error::validation(
            "ofx",
            "no loan statement (LOANSTMTRS) in the text",
        ));
    }
    let mut lines = Vec::new();
    let mut current: Option<(usize, Vec<Leaf>)> = None;
    for token in tokens {
        match token {
            Token::Open(name, line) if is_transaction(&name) => {
                if let Some((at, leaves)) = current.take() {
                    lines.push(transaction(at, &leaves)?);
                }
                current = Some((line, Vec::new()));
            }
            Token::Close(name) if is_transaction(&name) || name == "LOANTRANLIST" => {
                if let Some((at, leaves)) = current.take() {
                    lines.push(transaction(at, &leaves)?);
                }
            }
            Token::Leaf(name, value, line) => {
                if let Some((_, leaves)) = current.as_mut() {
                    leaves.push((name, value, line));
                }
            }
            _ => {}
        }
    }
    if let Some((at, leaves)) = current.take() {
        lines.push(transaction(at, &leaves)?);
    }
    if lines.is_empty() {
        return Err(Error::validation(
            "ofx",
            "the loan statement has no transactions (LOANSTMTTRN)",
        ));
    }
    Ok(lines)
}

fn is_transaction(name: &str) -> bool {
    name == "LOANSTMTTRN" || name == "LOANTRAN"
}

/// One transaction from its leaves.
fn transaction(at: usize, leaves: &[Leaf]) -> Result<StatementLine> {
    let find = |name: &str| leaves.iter().find(|(n, _, _)| n == name);
    let value = |name: &str| -> Result<Option<Decimal>> {
        find(name)
            .map(|(_, v, line)| fields::amount(v, &format!("ofx line {line}: {name}")))
            .transpose()
    };
    let Some((_, posted, line)) = find("DTPOSTED") else {
        return Err(Error::validation(
            format!("ofx line {at}: DTPOSTED"),
            "the transaction has no posting date",
        ));
    };
    let date = ofx_date(posted, &format!("ofx line {line}: DTPOSTED"))?;
    let total = value("TRNAMT")?.map(|a| a.abs());
    let principal = value("PRINAMT")?.map(|a| a.abs());
    let interest = value("INTAMT")?.map(|a| a.abs());
    let passed_through = value("ESCRWAMT")?.unwrap_or_default().abs()
        + value("INSURANCE")?.unwrap_or_default().abs();
    let balance = match value("RUNNINGBAL")? {
        Some(b) => Some(b.abs()),
        None => value("BALAMT")?.map(|b| b.abs()),
    };
    let payment = find("LOANTRNTYPE").is_none_or(|(_, kind, _)| {
        let kind = kind.trim().to_ascii_uppercase();
        kind.contains("PAY") || kind.contains("CREDIT")
    });
    if !payment {
        let charge = total.or(principal).unwrap_or_default();
        return Ok(StatementLine {
            date,
            amount: Decimal::ZERO,
            interest,
            principal: Some(-charge),
            balance,
        });
    }
    let amount = match (total, interest, principal) {
        (Some(t), _, _) => t - passed_through,
        (None, Some(i), Some(p)) => i + p,
        _ => {
            return Err(Error::validation(
                format!("ofx line {at}: TRNAMT"),
                "the transaction has neither an amount nor a principal and interest split",
            ))
        }
    };
    if amount < Decimal::ZERO {
        return Err(Error::validation(
            format!("ofx line {at}: TRNAMT"),
            "the escrow and insurance parts exceed the amount",
        ));
    }
    Ok(StatementLine {
        date,
        amount,
        interest,
        principal,
        balance,
    })
}

/// An OFX date: `YYYYMMDD`, optionally followed by a time and a zone (ignored).
fn ofx_date(text: &str, field: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let digits = t.get(..8).unwrap_or(t);
    fields::date(digits, "%Y%m%d", field)
}

/// The tokens of the text after its header; processing instructions, comments and
/// declarations are skipped. Entities `&amp; &lt; &gt; &quot; &apos;` are decoded.
fn tokens(text: &str) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut line = 1;
    // Skip the SGML header (key:value lines) or anything before the first tag.
    while let Some(at) = rest.find('<') {
        line += rest[..at].matches('\n').count();
        rest = &rest[at..];
        let Some(end) = rest.find('>') else {
            return Err(Error::validation(
                format!("ofx line {line}"),
                "a tag is not closed with '>'",
            ));
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        line += tag.matches('\n').count();
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let (closing, name) = match tag.strip_prefix('/') {
            Some(n) => (true, n.trim()),
            None => (false, tag.trim()),
        };
        let name = name.split_whitespace().next().unwrap_or("");
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        {
            return Err(Error::validation(
                format!("ofx line {line}"),
                format!("{:?} is not an element name", fields::truncate(tag)),
            ));
        }
        let name = name.to_ascii_uppercase();
        if closing {
            out.push(Token::Close(name));
            continue;
        }
        let value_end = rest.find('<').unwrap_or(rest.len());
        let value = rest[..value_end].trim();
        if value.is_empty() {
            out.push(Token::Open(name, line));
        } else {
            out.push(Token::Leaf(name, decode(value), line));
        }
    }
    Ok(out)
}

fn decode(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
