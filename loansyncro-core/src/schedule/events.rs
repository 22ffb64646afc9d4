//! Real-life events in one loan's timeline: a **renewal** (or refinance) at a date, with a new
//! rate and/or a new amortization and term, and the **opening** of a loan entered mid-term
//! (the stated balance it continues from, and what the original terms say about the history
//! before). Both are optional fields of [`LoanTerms`]; stored terms without them read unchanged.
//!
//! How a renewal changes the schedule (the general loop's `renew` step, on the recast
//! machinery of rate changes):
//! - it takes effect with the first installment whose period starts on or after `effective`
//!   (like a [`crate::RateChange`]); that installment is the first of a new **segment**;
//! - the rate becomes `annual_rate` (unchanged when absent);
//! - the amortization runs `amortization_installments` from there (absent: the current
//!   amortization continues, e.g. a Canadian 5-year renewal inside a 25-year amortization);
//! - the segment lasts `term_installments` (absent: to the end of its amortization); a term
//!   shorter than the amortization leaves the balance due with its last installment (the
//!   balance a Canadian borrower renews at term end), unless a later renewal takes over;
//! - the level payment is recast from the balance over the remaining amortization (recorded as
//!   an [`crate::schedule::Adjustment`]; a renewal is a new contract, so no payment cap applies). A
//!   fixed-installment loan keeps its payment at a rate-only renewal (its term moves) and is
//!   recast when the renewal gives an amortization.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::math::rate::Rate;
use crate::schedule::amortization::Schedule;
use crate::schedule::terms::{
    AmortizationMethod, BalancePrecision, LoanTerms, LoanTermsBuilder, RateChange, MAX_INSTALLMENTS,
};

/// A renewal or refinance at a date: the loan continues in the same timeline with a new rate
/// and/or a new amortization and term (see the [module](self) for the rules).
///
/// ```
/// use loansyncro_core::{LoanTerms, Rate, Renewal};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
/// // A 25-year amortization at 4.5%, renewed after 5 years at 6% for another 5-year term.
/// let terms = LoanTerms::builder()
///     .principal(dec!(400000))
///     .annual_rate(Rate::from_percent(dec!(4.5))?)
///     .installments(300)
///     .start(d(2020, 1))
///     .renewals(vec![Renewal::new(d(2025, 1)).rate(Rate::from_percent(dec!(6))?).term(60)])
///     .build()?;
/// let s = terms.schedule()?;
/// assert_eq!(s.regular_payment(), dec!(2223.33));
/// let renewal = s.adjustments()[0];
/// assert_eq!((renewal.payment_number, renewal.payment), (61, dec!(2517.77)));
/// assert_eq!(renewal.balance_before, dec!(351431.61)); // the balance renewed
/// // The new term ends with installment 120: the balance is due then (unless renewed again).
/// assert_eq!(s.len(), 120);
/// assert_eq!(s.last().unwrap().payment(), dec!(300881.44));
/// let segments = terms.segments(&s);
/// assert_eq!(segments.len(), 2);
/// assert_eq!((segments[0].interest, segments[1].interest), (dec!(84831.41), dec!(97998.26)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Renewal {
    /// The renewal date: the first installment whose period starts on or after it is the
    /// first of the new segment.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub effective: NaiveDate,
    /// The new annual nominal rate (absent: unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_rate: Option<Rate>,
    /// The new amortization, in installments from the renewal on, this one included (absent:
    /// the current amortization continues). A US refinance to a new 30-year loan is 360.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amortization_installments: Option<u32>,
    /// The new term, in installments from the renewal on (absent: to the end of the
    /// amortization). A Canadian 5-year term is 60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_installments: Option<u32>,
}

impl Renewal {
    /// A renewal on `effective` that changes nothing yet (set the rate, amortization, term).
    pub fn new(effective: NaiveDate) -> Renewal {
        Renewal {
            effective,
            annual_rate: None,
            amortization_installments: None,
            term_installments: None,
        }
    }
    /// With a new annual rate.
    pub fn rate(mut self, rate: Rate) -> Renewal {
        self.annual_rate = Some(rate);
        self
    }
    /// With a new amortization of `n` installments from the renewal on.
    pub fn amortization(mut self, n: u32) -> Renewal {
        self.amortization_installments = Some(n);
        self
    }
    /// With a new term of `n` installments from the renewal on.
    pub fn term(mut self, n: u32) -> Renewal {
        self.term_installments = Some(n);
        self
    }
}

/// Where a loan entered mid-term starts: the balance stated on a date (the lender's figure),
/// which is the principal of the loan from there on, and what the original terms say about the
/// history before (absent when they are unknown). Built by [`LoanTerms::from_current`] and
/// [`LoanTerms::enter_mid_term`]; repayments dated before `date` are refused by the ledger
/// (the stated balance already counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Opening {
    /// The entry date: the day the stated balance is known on.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The stated balance (equal to the terms' principal).
    pub balance: Decimal,
    /// The history before `date` by the original terms (absent: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
}

/// The history of a loan entered mid-term, summarized from its original schedule: the
/// installments due on or before the entry date, what they paid, and the difference between
/// the stated balance and the schedule's (stated, never absorbed silently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct History {
    /// The original disbursement date.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub original_start: NaiveDate,
    /// The original principal.
    pub original_principal: Decimal,
    /// The original number of installments.
    pub original_installments: u32,
    /// Installments of the original schedule due on or before the entry date.
    pub installments: u32,
    /// Σ interest of those installments.
    pub interest_paid: Decimal,
    /// Σ principal of those installments.
    pub principal_paid: Decimal,
    /// The original schedule's balance after them.
    pub scheduled_balance: Decimal,
    /// Stated balance − scheduled balance (positive: the lender says more is owed).
    pub difference: Decimal,
    /// The payment the loan keeps from the entry on (the original schedule's payment then).
    pub payment: Decimal,
}

/// One segment of a loan's timeline: the original term, then one per renewal
/// ([`LoanTerms::segments`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// 0 for the original terms, then the renewal's position (1-based) in date order.
    pub index: u32,
    /// The segment's first and last installment numbers.
    pub first_installment: u32,
    /// See `first_installment`.
    pub last_installment: u32,
    /// Due dates of its first and last installments.
    pub first_due: NaiveDate,
    /// See `first_due`.
    pub last_due: NaiveDate,
    /// The annual rate at the segment's start.
    pub annual_rate: Rate,
    /// Its first installment's payment.
    pub payment: Decimal,
    /// Balance before its first installment.
    pub balance_before: Decimal,
    /// Σ interest of its installments.
    pub interest: Decimal,
    /// Σ principal of its installments.
    pub principal: Decimal,
    /// Balance after its last installment (due at term end unless renewed again).
    pub balance_after: Decimal,
}

// The reasons below spell the installment limit out (no formatting code in the WASM bundle).
const _: () = assert!(MAX_INSTALLMENTS == 1200);

/// The validation error on field `name` of renewal `i` (the one place that names it).
pub(super) fn renewal_error(i: usize, name: &str, reason: impl Into<String>) -> Error {
    Error::validation(format!("renewals[{i}].{name}"), reason)
}

/// What is wrong with renewal `r` on its own (its field and why), given the one before it.
fn renewal_problem(
    r: &Renewal,
    previous: Option<&Renewal>,
    start: NaiveDate,
    rate_changes: &[RateChange],
) -> Option<(&'static str, &'static str)> {
    let installments = |n: Option<u32>| n.is_some_and(|n| !(1..=MAX_INSTALLMENTS).contains(&n));
    Some(
        if crate::math::calendar::check_supported_date("effective", r.effective).is_err() {
            ("effective", "is outside the supported date range")
        } else if r.effective <= start {
            ("effective", "must be after the start date")
        } else if previous.is_some_and(|p| p.effective == r.effective) {
            ("effective", "two renewals on the same date")
        } else if rate_changes.iter().any(|c| c.effective == r.effective) {
            (
                "effective",
                "a rate change falls on the same date (give the rate in the renewal)",
            )
        } else if r
            .annual_rate
            .is_some_and(|rate| Rate::from_fraction(rate.fraction()).is_err())
        {
            ("annual_rate", "must be a rate from 0 to 100 percent")
        } else if installments(r.amortization_installments) {
            ("amortization_installments", "must be between 1 and 1200")
        } else if installments(r.term_installments) {
            ("term_installments", "must be between 1 and 1200")
        } else if r.term_installments > r.amortization_installments
            && r.amortization_installments.is_some()
        {
            (
                "term_installments",
                "must not be longer than the amortization",
            )
        } else {
            return None;
        },
    )
}

impl LoanTermsBuilder {
    /// Sets the opening of a loan entered mid-term (normally set by [`LoanTerms::from_current`]
    /// or [`LoanTerms::enter_mid_term`]).
    pub fn opening(mut self, opening: Opening) -> Self {
        self.opening = Some(opening);
        self
    }

    /// Sets the renewals (any order; one per date).
    pub fn renewals(mut self, renewals: Vec<Renewal>) -> Self {
        self.renewals = renewals;
        self
    }

    /// Sorts and checks the renewals and the opening against the other fields (the builder's
    /// part of [`LoanTermsBuilder::build`]; where a renewal lands is checked by the schedule).
    pub(super) fn checked_events(
        &mut self,
        start: NaiveDate,
        rate_changes: &[RateChange],
    ) -> Result<Vec<Renewal>> {
        let mut renewals = std::mem::take(&mut self.renewals);
        // An insertion sort: a few renewals, and no sort code instantiated for the WASM bundle.
        for i in 1..renewals.len() {
            let mut j = i;
            while j > 0 && renewals[j - 1].effective > renewals[j].effective {
                renewals.swap(j - 1, j);
                j -= 1;
            }
        }
        if let Some(opening) = &self.opening {
            if opening.balance != self.principal {
                return Err(Error::validation(
                    "opening.balance",
                    "must equal the principal (the loan continues from the stated balance)",
                ));
            }
            crate::math::calendar::check_supported_date("opening.date", opening.date)?;
            if opening.date < start {
                return Err(Error::validation(
                    "opening.date",
                    "must be on or after the start date",
                ));
            }
            if let Some(h) = &opening.history {
                if h.difference != opening.balance - h.scheduled_balance {
                    return Err(Error::validation(
                        "opening.history.difference",
                        "must be the stated balance minus the scheduled balance",
                    ));
                }
            }
        }
        if renewals.is_empty() {
            return Ok(renewals);
        }
        if !matches!(
            self.method,
            AmortizationMethod::EqualInstallments | AmortizationMethod::FixedInstallment { .. }
        ) {
            return Err(Error::validation(
                "renewals",
                "need equal installments or a fixed installment (a level payment to recast)",
            ));
        }
        if self.balloon.is_some() || self.balance_precision == BalancePrecision::Spreadsheet {
            return Err(Error::validation(
                "renewals",
                "cannot be combined with a balloon amount or the spreadsheet table",
            ));
        }
        for (i, r) in renewals.iter().enumerate() {
            let previous = i.checked_sub(1).and_then(|p| renewals.get(p));
            if let Some((name, reason)) = renewal_problem(r, previous, start, rate_changes) {
                return Err(renewal_error(i, name, reason));
            }
        }
        Ok(renewals)
    }
}

impl LoanTerms {
    /// The renewals, sorted by date.
    pub fn renewals(&self) -> &[Renewal] {
        &self.renewals
    }

    /// Where a loan entered mid-term starts, if it was.
    pub fn opening(&self) -> Option<&Opening> {
        self.opening.as_ref()
    }

    /// Whether the terms carry timeline events (renewals or an opening): the plain-annuity
    /// fast path does not take them.
    pub fn has_events(&self) -> bool {
        !self.renewals.is_empty() || self.opening.is_some()
    }

    /// The segments of `schedule` (this loan's schedule): the original term, then one per
    /// renewal, with what each pays. Empty without renewals.
    pub fn segments(&self, schedule: &Schedule) -> Vec<Segment> {
        let rows = schedule.installments();
        if self.renewals.is_empty() || rows.is_empty() {
            return Vec::new();
        }
        let zero = schedule.currency().from_minor(0);
        // The first row of each segment: the first whose period starts on or after the date.
        let mut starts = vec![0usize];
        let mut period_start = self.start;
        let mut next = self.renewals.iter().peekable();
        for (i, row) in rows.iter().enumerate() {
            while next.next_if(|r| r.effective <= period_start).is_some() {
                if i > 0 && starts.last() != Some(&i) {
                    starts.push(i);
                }
            }
            period_start = row.due_date();
        }
        let mut out = Vec::with_capacity(starts.len());
        for (index, pair) in starts.iter().enumerate() {
            let from = *pair;
            let to = starts.get(index + 1).copied().unwrap_or(rows.len());
            let part = &rows[from..to];
            let (Some(first), Some(last)) = (part.first(), part.last()) else {
                continue;
            };
            let sum = |f: fn(&crate::schedule::Installment) -> Decimal| {
                part.iter().map(f).fold(zero, |a, b| a + b)
            };
            let period_start = if from == 0 {
                self.start
            } else {
                rows[from - 1].due_date()
            };
            out.push(Segment {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                first_installment: first.number(),
                last_installment: last.number(),
                first_due: first.due_date(),
                last_due: last.due_date(),
                annual_rate: self.rate_on(period_start),
                payment: first.payment(),
                balance_before: if from == 0 {
                    self.principal
                } else {
                    rows[from - 1].balance()
                },
                interest: sum(|r| r.interest()),
                principal: sum(|r| r.principal()),
                balance_after: last.balance(),
            });
        }
        out
    }
}
