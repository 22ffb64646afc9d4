//! Expected vs stated, line by line, under one set of terms.

use rust_decimal::Decimal;
use serde::Serialize;

use super::StatementLine;
use crate::error::{Error, Result};
use crate::ledger::{LedgerPayment, LedgerState, LedgerTotals};
use crate::schedule::terms::LoanTerms;

/// One amount of a line: what the terms give, what the statement says (if it says it) and the
/// difference `stated − expected` to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Amounts {
    /// What the terms give.
    pub expected: Decimal,
    /// What the statement says, when it shows this column.
    pub stated: Option<Decimal>,
    /// `stated − expected` (`None` when the statement does not show the column).
    pub difference: Option<Decimal>,
}

impl Amounts {
    fn new(expected: Decimal, stated: Option<Decimal>) -> Amounts {
        Amounts {
            expected,
            stated,
            difference: stated.map(|s| s - expected),
        }
    }

    /// Whether the statement agrees (or does not show the column).
    pub fn agrees(&self) -> bool {
        self.difference.is_none_or(|d| d.is_zero())
    }
}

/// A statement line checked against the terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineCheck {
    /// The line's number in the statement, from 1.
    pub line: usize,
    /// The line's date.
    pub date: chrono::NaiveDate,
    /// The amount paid.
    pub amount: Decimal,
    /// Interest charged.
    pub interest: Amounts,
    /// Principal repaid.
    pub principal: Amounts,
    /// Principal balance after the line.
    pub balance: Amounts,
    /// Whether every column the statement shows agrees to the cent. A line after one the
    /// terms cannot replay at all (a payment above the payoff) never matches.
    pub matches: bool,
}

/// The statement's lines, checked one by one, ordered by date (every line is validated first).
///
/// Errors: [`Error::Validation`] naming `lines[i].date` / `lines[i].amount` (index from 0)
/// for a line before the loan's start or out of date order, a negative amount or one with more
/// decimals than the currency; errors of the terms' schedule.
///
/// ```
/// use loansyncro_core::reconcile::{check_lines, StatementLine};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1)).build()?;
/// let line = StatementLine {
///     date: d(2),
///     amount: dec!(100),
///     interest: Some(dec!(0)),
///     principal: None,
///     balance: Some(dec!(1100.01)),
/// };
/// let checked = check_lines(&terms, &[line])?;
/// assert_eq!(checked[0].balance.expected, dec!(1100.00));
/// assert_eq!(checked[0].balance.difference, Some(dec!(0.01)));
/// assert!(!checked[0].matches);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn check_lines(terms: &LoanTerms, lines: &[StatementLine]) -> Result<Vec<LineCheck>> {
    validate(terms, lines)?;
    Ok(check_within(terms, lines, usize::MAX)?.unwrap_or_default())
}

/// The lines checked (the caller validated them), or `None` as soon as more than `budget`
/// lines disagree (the search drops a convention that cannot beat the best so far).
pub(super) fn check_within(
    terms: &LoanTerms,
    lines: &[StatementLine],
    budget: usize,
) -> Result<Option<Vec<LineCheck>>> {
    let schedule = terms.schedule()?;
    let mut state = LedgerState::new(terms, &schedule)?;
    let mut paid_interest = Decimal::ZERO;
    let mut paid_principal = Decimal::ZERO;
    let mut broken = false;
    let mut mismatches = 0;
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let expected = if broken {
            None
        } else {
            step(&mut state, line).ok()
        };
        let (interest, principal, balance) = match expected {
            Some(totals) => {
                let e = (
                    totals.paid_interest - paid_interest,
                    totals.paid_principal - paid_principal,
                    totals.principal_outstanding,
                );
                paid_interest = totals.paid_interest;
                paid_principal = totals.paid_principal;
                e
            }
            None => {
                broken = true;
                (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
            }
        };
        let interest = Amounts::new(interest, line.interest);
        let principal = Amounts::new(principal, line.principal);
        let balance = Amounts::new(balance, line.balance);
        let matches = !broken && interest.agrees() && principal.agrees() && balance.agrees();
        if !matches {
            mismatches += 1;
            if mismatches > budget {
                return Ok(None);
            }
        }
        out.push(LineCheck {
            line: i + 1,
            date: line.date,
            amount: line.amount,
            matches,
            interest,
            principal,
            balance,
        });
    }
    Ok(Some(out))
}

/// Applies the line's payment (if any) and returns the position on its date.
fn step(state: &mut LedgerState<'_>, line: &StatementLine) -> Result<LedgerTotals> {
    if line.amount > Decimal::ZERO {
        state.apply(&LedgerPayment {
            date: line.date,
            amount: line.amount,
        })?;
    }
    state.totals(line.date)
}

/// Checks what every convention needs of the lines: dates in order, not before the start;
/// amounts not negative and in the currency's precision.
pub(super) fn validate(terms: &LoanTerms, lines: &[StatementLine]) -> Result<()> {
    if lines.is_empty() {
        return Err(Error::validation("lines", "the statement has no lines"));
    }
    let currency = terms.currency();
    for (i, line) in lines.iter().enumerate() {
        if line.date < terms.start() {
            return Err(Error::validation(
                format!("lines[{i}].date"),
                format!("{} is before the loan start {}", line.date, terms.start()),
            ));
        }
        if i > 0 && line.date < lines[i - 1].date {
            return Err(Error::validation(
                format!("lines[{i}].date"),
                format!("{} is before the previous line's date", line.date),
            ));
        }
        if line.amount < Decimal::ZERO {
            return Err(Error::validation(
                format!("lines[{i}].amount"),
                "must not be negative (the amount paid)",
            ));
        }
        currency.check_precision(&format!("lines[{i}].amount"), line.amount)?;
    }
    Ok(())
}
