//! The stored form of a replay state: [`LedgerCheckpoint`], a versioned text that a store keeps
//! with the loan's aggregates, so that a repayment dated on or after the latest one updates the
//! position from it ([`crate::ledger::LedgerState::resume`]) instead of replaying the ledger.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// The version of the checkpoint text. A checkpoint of another version is not resumed (the
/// ledger is replayed and a new checkpoint stored): bump it whenever the replay rules or the
/// state change.
pub const CHECKPOINT_VERSION: u32 = 1;

/// An installment billed and not fully paid: the unpaid remainders (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) number: u32,
    pub(crate) due: NaiveDate,
    pub(crate) interest: i128,
    pub(crate) principal: i128,
}

/// The replay state of a loan's ledger after its payments so far, in integer minor units,
/// detached from the terms (see [`crate::ledger::LedgerState`]). Stored as a versioned text
/// (`Display`/`FromStr`, and serde as that string); only the unpaid billed installments are
/// kept, so its size does not grow with the number of payments.
///
/// ```
/// use loansyncro_core::ledger::{LedgerCheckpoint, LedgerPayment, LedgerState};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let schedule = terms.schedule()?;
/// let mut state = LedgerState::new(&terms, &schedule)?;
/// state.apply(&LedgerPayment { date: d(2, 1), amount: dec!(100) })?;
/// let text = state.checkpoint().to_string();
/// let stored: LedgerCheckpoint = text.parse()?;
/// assert_eq!(stored, state.checkpoint());
/// assert_eq!(stored.payments(), 1);
/// assert_eq!(stored.last_payment(), Some(d(2, 1)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCheckpoint {
    // Which loan it belongs to (checked on resume).
    pub(crate) principal: i128,
    pub(crate) n: usize,
    pub(crate) start: NaiveDate,
    // The current period.
    pub(crate) k: usize,
    pub(crate) p_start: NaiveDate,
    pub(crate) p_end: Option<NaiveDate>,
    pub(crate) pd: i128,
    pub(crate) rate: (i128, i128),
    pub(crate) fixed_interest: i128,
    pub(crate) from_contract: bool,
    pub(crate) s_acc: i128,
    pub(crate) last: NaiveDate,
    pub(crate) paid_in_period: i128,
    pub(crate) deferred: i128,
    // Balances.
    pub(crate) p_out: i128,
    pub(crate) unbilled: i128,
    pub(crate) arrears: Vec<Row>,
    pub(crate) arrears_interest: i128,
    pub(crate) arrears_principal: i128,
    pub(crate) deviated: bool,
    pub(crate) level: Option<i128>,
    pub(crate) principal_part: Option<i128>,
    pub(crate) paid_interest: i128,
    pub(crate) paid_principal: i128,
    pub(crate) installments_paid: u32,
    pub(crate) last_payment: Option<NaiveDate>,
    pub(crate) payments: u32,
}

impl LedgerCheckpoint {
    /// The date of the latest payment replayed into it, if any.
    pub fn last_payment(&self) -> Option<NaiveDate> {
        self.last_payment
    }

    /// How many payments were replayed into it.
    pub fn payments(&self) -> u32 {
        self.payments
    }
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

impl fmt::Display for LedgerCheckpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self;
        write!(
            f,
            "v{CHECKPOINT_VERSION} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} ",
            c.principal,
            c.n,
            c.start,
            c.k,
            c.p_start,
            opt(&c.p_end),
            c.pd,
            c.rate.0,
            c.rate.1,
            c.fixed_interest,
            u8::from(c.from_contract),
            c.s_acc,
            c.last,
            c.paid_in_period,
            c.deferred,
            c.p_out,
            c.unbilled,
            c.arrears_interest,
            c.arrears_principal,
            u8::from(c.deviated),
            opt(&c.level),
            opt(&c.principal_part),
            c.paid_interest,
            c.paid_principal,
            c.installments_paid,
            opt(&c.last_payment),
            c.payments,
        )?;
        if c.arrears.is_empty() {
            return f.write_str("-");
        }
        for (i, r) in c.arrears.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(
                f,
                "{sep}{}:{}:{}:{}",
                r.number, r.due, r.interest, r.principal
            )?;
        }
        Ok(())
    }
}

/// The tokens of a checkpoint text, parsed in order.
struct Tokens<'a>(std::str::SplitAsciiWhitespace<'a>);

impl Tokens<'_> {
    fn next<T: FromStr>(&mut self) -> Result<T> {
        self.0
            .next()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| Error::validation("checkpoint", "is not a ledger checkpoint"))
    }

    fn opt<T: FromStr>(&mut self) -> Result<Option<T>> {
        match self.0.next() {
            Some("-") => Ok(None),
            Some(t) => t
                .parse()
                .map(Some)
                .map_err(|_| Error::validation("checkpoint", "is not a ledger checkpoint")),
            None => Err(Error::validation("checkpoint", "is truncated")),
        }
    }

    fn flag(&mut self) -> Result<bool> {
        Ok(self.next::<u8>()? == 1)
    }
}

fn row(text: &str) -> Result<Row> {
    let bad = || Error::validation("checkpoint", "has a malformed installment");
    let mut parts = text.split(':');
    let mut next = || parts.next().ok_or_else(bad);
    Ok(Row {
        number: next()?.parse().map_err(|_| bad())?,
        due: next()?.parse().map_err(|_| bad())?,
        interest: next()?.parse().map_err(|_| bad())?,
        principal: next()?.parse().map_err(|_| bad())?,
    })
}

impl FromStr for LedgerCheckpoint {
    type Err = Error;

    /// Parses the text of [`Display`](fmt::Display); another version or a malformed text is a
    /// validation error on `checkpoint`.
    fn from_str(text: &str) -> Result<LedgerCheckpoint> {
        let mut t = Tokens(text.split_ascii_whitespace());
        let version = t.0.next().unwrap_or_default();
        if version != format!("v{CHECKPOINT_VERSION}") {
            return Err(Error::validation(
                "checkpoint",
                format!("version {version:?} is not v{CHECKPOINT_VERSION}"),
            ));
        }
        let mut c = LedgerCheckpoint {
            principal: t.next()?,
            n: t.next()?,
            start: t.next()?,
            k: t.next()?,
            p_start: t.next()?,
            p_end: t.opt()?,
            pd: t.next()?,
            rate: (t.next()?, t.next()?),
            fixed_interest: t.next()?,
            from_contract: t.flag()?,
            s_acc: t.next()?,
            last: t.next()?,
            paid_in_period: t.next()?,
            deferred: t.next()?,
            p_out: t.next()?,
            unbilled: t.next()?,
            arrears: Vec::new(),
            arrears_interest: t.next()?,
            arrears_principal: t.next()?,
            deviated: t.flag()?,
            level: t.opt()?,
            principal_part: t.opt()?,
            paid_interest: t.next()?,
            paid_principal: t.next()?,
            installments_paid: t.next()?,
            last_payment: t.opt()?,
            payments: t.next()?,
        };
        match t.0.next() {
            Some("-") => {}
            Some(rows) => c.arrears = rows.split(',').map(row).collect::<Result<_>>()?,
            None => return Err(Error::validation("checkpoint", "is truncated")),
        }
        if t.0.next().is_some() || c.rate.1 <= 0 {
            return Err(Error::validation(
                "checkpoint",
                "is not a ledger checkpoint",
            ));
        }
        Ok(c)
    }
}

impl Serialize for LedgerCheckpoint {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LedgerCheckpoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Deserializes an optional checkpoint leniently: a checkpoint of another version or a
/// malformed one reads as none (the ledger is then replayed and a new one stored), so a loan
/// never becomes unreadable because of its checkpoint.
pub fn lenient<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<LedgerCheckpoint>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    Ok(text.and_then(|t| t.parse().ok()))
}
