//! A [`Journal`] as text: beancount, hledger/ledger journal, generic CSV.
//!
//! The two journal formats open (declare) every account used and the currency on the first
//! transaction's date, and end with an exact assertion of the liability's balance (beancount
//! `balance` with tolerance `~ 0`, hledger/ledger `=` on a final zero-amount posting), so `bean-check` and
//! `hledger check` verify that the liability ends at minus the principal outstanding.

use std::fmt::Write as _;

use super::{Journal, Transaction};
use crate::math::vocab::vocabulary;
use rust_decimal::Decimal;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Beancount (checked with `bean-check`).
    Beancount,
    /// hledger journal, also read by ledger (checked with `hledger check`).
    Ledger,
    /// `date,transaction,status,account,amount,currency,payee,narration`, one row per leg.
    Csv,
}

vocabulary! {
    unit Format, field: "format", noun: "postings format";
    Beancount => "beancount" | "bean",
    Ledger => "ledger" | "hledger" | "journal",
    Csv => "csv",
}

impl Format {
    /// The media type of the rendered text.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Beancount | Format::Ledger => "text/plain; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

impl Journal {
    /// The journal in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Beancount => self.to_beancount(),
            Format::Ledger => self.to_ledger(),
            Format::Csv => self.to_csv(),
        }
    }

    /// The accounts used, in order of first use.
    pub fn accounts_used(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![&self.accounts.liability];
        for t in &self.transactions {
            for p in &t.postings {
                if !out.contains(&p.account.as_str()) {
                    out.push(&p.account);
                }
            }
        }
        out
    }

    fn opened(&self) -> chrono::NaiveDate {
        self.transactions
            .first()
            .map_or(self.closing_date, |t| t.date)
    }

    fn width(&self) -> usize {
        self.accounts_used()
            .iter()
            .map(|a| a.len())
            .max()
            .unwrap_or(0)
    }

    fn amount(&self, d: Decimal) -> String {
        let mut d = d;
        d.rescale(self.scale);
        format!("{d} {}", self.currency)
    }

    /// Beancount: `open` directives, the transactions, a closing `balance` assertion.
    pub fn to_beancount(&self) -> String {
        let mut s = String::new();
        let opened = self.opened();
        let _ = writeln!(s, "option \"operating_currency\" \"{}\"\n", self.currency);
        for a in self.accounts_used() {
            let _ = writeln!(s, "{opened} open {a} {}", self.currency);
        }
        let width = self.width();
        for t in &self.transactions {
            let flag = if t.pending { '!' } else { '*' };
            let _ = writeln!(
                s,
                "\n{} {flag} {} {}",
                t.date,
                bean_string(&t.payee),
                bean_string(&t.narration)
            );
            for p in &t.postings {
                let _ = writeln!(s, "  {:<width$}  {:>14}", p.account, self.amount(p.amount));
            }
        }
        // `~ 0`: beancount would otherwise tolerate half a unit of the last digit shown.
        let mut zero = Decimal::ZERO;
        zero.rescale(self.scale);
        let mut closing = self.closing_balance;
        closing.rescale(self.scale);
        let _ = writeln!(
            s,
            "\n{} balance {} {closing} ~ {zero} {}",
            self.closing_date, self.accounts.liability, self.currency
        );
        s
    }

    /// hledger journal (ledger reads it too): `commodity` and `account` declarations, the
    /// transactions, and a closing balance assertion.
    pub fn to_ledger(&self) -> String {
        let mut s = String::new();
        let example = {
            let mut one = Decimal::from(1000);
            one.rescale(self.scale);
            one
        };
        let _ = writeln!(s, "commodity {example} {}", self.currency);
        for a in self.accounts_used() {
            let _ = writeln!(s, "account {a}");
        }
        let width = self.width();
        for t in &self.transactions {
            let flag = if t.pending { '!' } else { '*' };
            let _ = writeln!(
                s,
                "\n{} {flag} {} | {}",
                t.date,
                ledger_text(&t.payee),
                ledger_text(&t.narration)
            );
            for p in &t.postings {
                let _ = writeln!(
                    s,
                    "    {:<width$}  {:>14}",
                    p.account,
                    self.amount(p.amount)
                );
            }
        }
        // A balance assertion on its own transaction: the balance after every posting so far.
        let _ = writeln!(
            s,
            "\n{} * {} | Closing balance\n    {:<width$}  {:>14} = {}",
            self.closing_date,
            ledger_text(self.transactions.first().map_or("", |t| t.payee.as_str())),
            self.accounts.liability,
            self.amount(Decimal::ZERO),
            self.amount(self.closing_balance)
        );
        s
    }

    /// One row per leg: `date,transaction,status,account,amount,currency,payee,narration`
    /// (`transaction` numbers the transactions from 1; `status` is `cleared` or `pending`).
    pub fn to_csv(&self) -> String {
        let mut s =
            String::from("date,transaction,status,account,amount,currency,payee,narration\n");
        for (n, t) in self.transactions.iter().enumerate() {
            for p in &t.postings {
                let mut amount = p.amount;
                amount.rescale(self.scale);
                let _ = writeln!(
                    s,
                    "{},{},{},{},{amount},{},{},{}",
                    t.date,
                    n + 1,
                    status(t),
                    csv_field(&p.account),
                    self.currency,
                    csv_field(&t.payee),
                    csv_field(&t.narration)
                );
            }
        }
        s
    }
}

fn status(t: &Transaction) -> &'static str {
    if t.pending {
        "pending"
    } else {
        "cleared"
    }
}

/// A beancount string literal (quotes and backslashes escaped, one line).
fn bean_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for an hledger description: one line, without the characters that end or split it
/// (`;` starts a comment, `|` separates payee and note).
fn ledger_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ';' => ',',
            '|' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// An RFC 4180 field: quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_each_format() {
        assert_eq!(bean_string("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
        assert_eq!(ledger_text("a;b|c\td"), "a,b/c d");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }

    #[test]
    fn formats_parse_by_name_and_alias() {
        assert_eq!(
            Format::parse_field("hledger", "format").ok(),
            Some(Format::Ledger)
        );
        assert_eq!(Format::parse_field("CSV", "format").ok(), Some(Format::Csv));
        assert!(Format::parse_field("qif", "format").is_err());
    }
}
