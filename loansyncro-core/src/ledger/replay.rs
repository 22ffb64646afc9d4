//! The ledger: replay of actual repayments against the schedule.
//!
//! [`position`] is a pure function of the terms, the repayments and a date. Nothing is stored
//! between calls: a backdated, edited or deleted repayment simply changes the input, and the
//! replay is deterministic (payments are sorted by `(date, amount)`, so insertion order never
//! matters).
//!
//! # Replay rules
//!
//! * The contractual schedule is generated once. On each due date the installment is *billed*
//!   (its interest and principal become due); a payment on a due date comes after the billing,
//!   so it covers that installment.
//! * A payment first covers what is due on or before its date, oldest installment first:
//!   interest, then principal. A partial payment leaves arrears (`amount_due`,
//!   `days_past_due`).
//! * Anything extra first settles interest owed to the payment date (deferred grace interest,
//!   then the interest accrued in the current period), then prepays principal, handled by the
//!   terms' [`PrepaymentPolicy`]: `ReduceTerm` keeps each installment's amount and the schedule
//!   shortens; `ReducePayment` re-amortizes the rest of the principal over the remaining
//!   installments. The installment of the current period still falls due on its date.
//! * A payment above the payoff amount on its date is rejected with [`Error::Overpayment`]
//!   (stating the payoff): balances never go negative.
//! * [`Accrual::Scheduled`]: each period's interest is the schedule's (recomputed on the
//!   reduced balance for periods that start after a prepayment); late payments do not add
//!   interest. Interest "accrued" inside a period is the period's interest pro rata of the
//!   actual days elapsed.
//! * [`Accrual::Daily`]: interest accrues on the actual outstanding principal (arrears
//!   included) between actual payment dates: for a span of `d` days inside a period of `D`
//!   actual days, `balance × period rate × d / D`, where the period rate comes from the terms'
//!   day count (1/12 of the annual rate for a regular 30/360 month). The interest of a period
//!   is accumulated exactly and rounded once. After maturity interest keeps accruing on unpaid
//!   principal, billed every period.
//!
//! Amounts are integer minor units inside the replay (exact, no per-payment allocation);
//! every `Decimal` handed out is rounded to the currency's minor unit, with the terms' interest
//! rounding mode.
//!
//! ```
//! use loansyncro_core::ledger::{payoff_quote, position, LedgerPayment, PayoffRule};
//! use loansyncro_core::{Accrual, LoanTerms, Rate, RoundingMode};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! // The Fineract progressive case: 100 at 7%, 6 monthly installments, daily accrual.
//! let terms = LoanTerms::builder()
//!     .principal(dec!(100))
//!     .annual_rate(Rate::from_percent(dec!(7))?)
//!     .installments(6)
//!     .start(d(2024, 1, 1))
//!     .payment_rounding(RoundingMode::HalfEven)
//!     .interest_rounding(RoundingMode::HalfEven)
//!     .accrual(Accrual::Daily)
//!     .build()?;
//! let paid = [LedgerPayment { date: d(2024, 2, 1), amount: dec!(17.01) }];
//! let q = payoff_quote(&terms, &paid, d(2024, 2, 15), PayoffRule::TillPreClose)?;
//! assert_eq!((q.principal, q.interest, q.total), (dec!(83.57), dec!(0.24), dec!(83.81)));
//! let q = payoff_quote(&terms, &paid, d(2024, 2, 15), PayoffRule::TillPeriodEnd)?;
//! assert_eq!(q.total, dec!(84.06));
//! let pos = position(&terms, &paid, d(2024, 2, 15))?;
//! assert_eq!(pos.next_due_date, Some(d(2024, 3, 1)));
//! assert_eq!(pos.installments_paid, 1);
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ledger::checkpoint::{LedgerCheckpoint, Row};
use crate::math::calendar::Fraction;
use crate::math::kernel::{self, RateBasis};
use crate::math::money::RoundingMode;
use crate::math::rate::Rate;
use crate::math::vocab::vocabulary;
use crate::schedule::terms::{Accrual, AmortizationMethod, LoanTerms, PrepaymentPolicy};
use crate::schedule::{Installment, InstallmentRecord, Schedule};

/// An actual repayment: money the borrower paid on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPayment {
    /// The date the money was paid.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The amount paid (> 0, in the currency's precision).
    pub amount: Decimal,
}

/// How much interest a payoff quote includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayoffRule {
    /// Interest accrued up to the payoff date (the default; Fineract `TILL_PRE_CLOSURE_DATE`).
    #[default]
    TillPreClose,
    /// The whole current period's interest (Fineract `TILL_REST_FREQUENCY_DATE`).
    TillPeriodEnd,
}

vocabulary! {
    unit PayoffRule, field: "rule", noun: "payoff rule";
    TillPreClose => "till_pre_close",
    TillPeriodEnd => "till_period_end",
}

/// Where a loan stands on a date, given its repayments. Every amount is rounded to the
/// currency's minor unit and never negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The date of the position.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub as_of: NaiveDate,
    /// Principal not yet repaid (arrears principal included).
    pub principal_outstanding: Decimal,
    /// Interest accrued and unpaid on `as_of` (billed arrears interest, deferred grace
    /// interest and the interest accrued so far in the current period).
    pub interest_accrued: Decimal,
    /// Interest paid so far.
    pub paid_interest: Decimal,
    /// Principal paid so far.
    pub paid_principal: Decimal,
    /// Everything paid so far (`paid_interest + paid_principal`).
    pub paid_total: Decimal,
    /// Arrears: installments due on or before `as_of` and unpaid.
    pub amount_due: Decimal,
    /// Days since the oldest unpaid due date (0 if nothing is overdue).
    pub days_past_due: u32,
    /// The next due date after `as_of`, if any installment remains.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub next_due_date: Option<NaiveDate>,
    /// The installment due on `next_due_date` (arrears not included), zero if none.
    pub next_due_amount: Decimal,
    /// Installments billed and fully paid.
    pub installments_paid: u32,
    /// Sum of `projected` payments: the arrears plus the re-projected future installments.
    pub remaining_scheduled: Decimal,
    /// `paid_principal / principal`, 0..=1, truncated to 4 decimal places.
    pub progress: Decimal,
    /// The payoff amount on `as_of` ([`PayoffRule::TillPreClose`]).
    pub payoff_amount: Decimal,
    /// Nothing outstanding: no principal and no interest owed.
    pub closed: bool,
    /// The re-projected remaining schedule: first the unpaid remainders of overdue
    /// installments (with their original due dates), then the future installments, projected
    /// as if the arrears were paid on the next due date and every installment on time.
    /// `balance` is the principal left after each row; the last row closes at zero.
    pub projected: Vec<InstallmentRecord>,
}

/// What the status rules read of a [`Position`]: whether the loan is closed and how many
/// days its oldest unpaid installment is overdue. [`LedgerState::standing`] gives it without
/// re-projecting the remaining schedule (the costly part of a position).
///
/// ```
/// use loansyncro_core::ledger::{position, LedgerPayment, LedgerState, Standing};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(300)).installments(3).start(d(1, 1)).build()?;
/// let schedule = terms.schedule()?;
/// let state = LedgerState::new(&terms, &schedule)?;
/// let standing = state.standing(d(3, 11))?;
/// assert_eq!(standing, Standing { closed: false, days_past_due: 38 });
/// assert_eq!(standing, position(&terms, &[], d(3, 11))?.standing());
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Nothing outstanding: no principal and no interest owed ([`Position::closed`]).
    pub closed: bool,
    /// Days since the oldest unpaid due date, 0 if nothing is overdue
    /// ([`Position::days_past_due`]).
    pub days_past_due: u32,
}

impl Position {
    /// Whether the loan is closed and how many days it is past due.
    pub fn standing(&self) -> Standing {
        Standing {
            closed: self.closed,
            days_past_due: self.days_past_due,
        }
    }
}

/// A payoff quote: what closes the loan on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoffQuote {
    /// The payoff date.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Principal outstanding.
    pub principal: Decimal,
    /// Interest owed under the quote's [`PayoffRule`].
    pub interest: Decimal,
    /// `principal + interest`.
    pub total: Decimal,
}

/// What is payable on a date for one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payable {
    /// Principal outstanding on the date.
    pub outstanding: Decimal,
    /// Principal part payable for the installment.
    pub principal_due: Decimal,
    /// Interest part payable for the installment.
    pub interest_due: Decimal,
}

/// The position of a loan on `as_of`, replaying the payments made on or before it (later
/// payments are ignored).
///
/// Errors: [`Error::Validation`] naming `as_of` when it is before the start, naming
/// `payments[i].amount` / `payments[i].date` for a non-positive amount, more decimals than the
/// currency, or a date before the start; [`Error::Overpayment`] when a payment exceeds the
/// payoff on its date; [`Error::Overflow`] instead of ever panicking.
///
/// ```
/// use loansyncro_core::ledger::{position, LedgerPayment};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// // 1200 at 0%, 12 installments of 100 from 2025-02-01.
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let paid = [
///     LedgerPayment { date: d(2, 1), amount: dec!(100) },
///     LedgerPayment { date: d(3, 1), amount: dec!(40) },
/// ];
/// let pos = position(&terms, &paid, d(3, 11))?;
/// assert_eq!(pos.amount_due, dec!(60.00));
/// assert_eq!(pos.days_past_due, 10);
/// assert_eq!(pos.principal_outstanding, dec!(1060.00));
/// assert_eq!(pos.next_due_date, Some(d(4, 1)));
/// assert_eq!(pos.remaining_scheduled, dec!(1060.00));
/// assert!(!pos.closed);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn position(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    as_of: NaiveDate,
) -> Result<Position> {
    if as_of < terms.start() {
        return Err(Error::validation(
            "as_of",
            format!("{as_of} is before the loan start {}", terms.start()),
        ));
    }
    let schedule = terms.schedule()?;
    let mut r = replay(terms, &schedule, payments, None, as_of)?;
    r.position(as_of)
}

/// The payoff quote on `on`: principal outstanding plus interest under `rule`.
///
/// ```
/// use loansyncro_core::ledger::{payoff_quote, PayoffRule};
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder()
///     .principal(dec!(1000))
///     .annual_rate(Rate::from_percent(dec!(12))?)
///     .installments(12)
///     .start(d(1, 1))
///     .build()?;
/// // Half of January (15 of 31 days): 10.00 × 15 / 31 = 4.84 accrued.
/// let q = payoff_quote(&terms, &[], d(1, 16), PayoffRule::TillPreClose)?;
/// assert_eq!((q.principal, q.interest, q.total), (dec!(1000.00), dec!(4.84), dec!(1004.84)));
/// let q = payoff_quote(&terms, &[], d(1, 16), PayoffRule::TillPeriodEnd)?;
/// assert_eq!(q.total, dec!(1010.00));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn payoff_quote(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    on: NaiveDate,
    rule: PayoffRule,
) -> Result<PayoffQuote> {
    if on < terms.start() {
        return Err(Error::validation(
            "on",
            format!("{on} is before the loan start {}", terms.start()),
        ));
    }
    let schedule = terms.schedule()?;
    let r = replay(terms, &schedule, payments, None, on)?;
    let (principal, interest) = r.payoff(on, rule)?;
    let total = principal
        .checked_add(interest)
        .ok_or_else(|| Error::overflow("payoff"))?;
    Ok(PayoffQuote {
        date: on,
        principal: r.dec(principal)?,
        interest: r.dec(interest)?,
        total: r.dec(total)?,
    })
}

/// What is payable on `on` for the installment due `for_due`.
///
/// * An installment already due (`for_due <= on`): its unpaid interest and principal (zero
///   when it is paid).
/// * The next installment (the current period ends on `for_due`): the interest accrued to
///   `on`, and the installment's principal (installment − interest for level installments).
/// * A later installment: its projected principal; no interest has accrued for it yet.
///
/// `for_due` must be a due date of the loan, else [`Error::Validation`] naming `for_due`.
///
/// ```
/// use loansyncro_core::ledger::{payable, LedgerPayment};
/// use loansyncro_core::{Accrual, LoanTerms, Rate, RoundingMode};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let terms = LoanTerms::builder()
///     .principal(dec!(100))
///     .annual_rate(Rate::from_percent(dec!(7))?)
///     .installments(6)
///     .start(d(1, 1))
///     .interest_rounding(RoundingMode::HalfEven)
///     .accrual(Accrual::Daily)
///     .build()?;
/// let paid = [LedgerPayment { date: d(2, 1), amount: dec!(17.01) }];
/// let p = payable(&terms, &paid, d(2, 15), d(3, 1))?;
/// assert_eq!((p.outstanding, p.principal_due, p.interest_due), (dec!(83.57), dec!(16.77), dec!(0.24)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn payable(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    on: NaiveDate,
    for_due: NaiveDate,
) -> Result<Payable> {
    if on < terms.start() {
        return Err(Error::validation(
            "on",
            format!("{on} is before the loan start {}", terms.start()),
        ));
    }
    let schedule = terms.schedule()?;
    let mut r = replay(terms, &schedule, payments, None, on)?;
    let outstanding = r.dec(r.p_out)?;
    let not_a_due_date = || {
        Error::validation(
            "for_due",
            format!("{for_due} is not a due date of the loan"),
        )
    };
    let (principal, interest) = if for_due <= on {
        if let Some(row) = r.arrears[r.head..].iter().find(|row| row.due == for_due) {
            (row.principal, row.interest)
        } else if r.arrears.iter().any(|row| row.due == for_due)
            || r.rows.iter().take(r.k).any(|i| i.due_date() == for_due)
        {
            (0, 0)
        } else {
            return Err(not_a_due_date());
        }
    } else if r.p_end == Some(for_due) && r.k < r.n {
        let accrued = r.period_accrued(on)?;
        let interest = (accrued - r.paid_in_period).max(0);
        let principal = r.principal_due(r.k, accrued);
        (principal, interest)
    } else {
        let projected = r.project(on)?;
        let row = projected
            .iter()
            .find(|row| row.due_date == for_due)
            .ok_or_else(not_a_due_date)?;
        let principal = r.minor(row.principal)?;
        (principal, 0)
    };
    Ok(Payable {
        outstanding,
        principal_due: r.dec(principal)?,
        interest_due: r.dec(interest)?,
    })
}

/// Checks that `new` can be added to `payments`.
///
/// `Ok(())` when it can; [`Error::Validation`] for an amount `<= 0` (field `amount`), more
/// decimals than the currency allows (`amount`) or a date before the loan start (`date`);
/// [`Error::Overpayment`] with the payoff on the payment's date when the payment exceeds it.
/// The whole ledger is replayed with `new` in place (after the existing payments of its date,
/// so an overpayment on that date names `new`'s amount), so a backdated payment that would make
/// a later existing payment overpay is reported too (with that payment's date and amount).
///
/// ```
/// use loansyncro_core::ledger::{check_payment, LedgerPayment};
/// use loansyncro_core::{Error, LoanTerms};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let paid = [LedgerPayment { date: d(2, 1), amount: dec!(100) }];
/// check_payment(&terms, &paid, &LedgerPayment { date: d(2, 5), amount: dec!(1100) })?;
/// let err = check_payment(&terms, &paid, &LedgerPayment { date: d(2, 5), amount: dec!(1100.01) })
///     .unwrap_err();
/// assert_eq!(
///     err,
///     Error::Overpayment { payoff: dec!(1100.00), attempted: dec!(1100.01), date: d(2, 5) }
/// );
/// assert_eq!(
///     check_payment(&terms, &paid, &LedgerPayment { date: d(2, 5), amount: dec!(0) }).unwrap_err().field(),
///     Some("amount")
/// );
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn check_payment(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    new: &LedgerPayment,
) -> Result<()> {
    validate_payment(terms, new, "amount", "date")?;
    let schedule = terms.schedule()?;
    let until = payments
        .iter()
        .map(|p| p.date)
        .chain(std::iter::once(new.date))
        .max()
        .unwrap_or(new.date);
    replay(terms, &schedule, payments, Some(new), until).map(|_| ())
}

fn validate_payment(
    terms: &LoanTerms,
    p: &LedgerPayment,
    amount_field: &str,
    date_field: &str,
) -> Result<()> {
    if p.amount <= Decimal::ZERO {
        return Err(Error::validation(amount_field, "must be greater than zero"));
    }
    terms.currency().check_precision(amount_field, p.amount)?;
    if p.date < terms.start() {
        return Err(Error::validation(
            date_field,
            format!("{} is before the loan start {}", p.date, terms.start()),
        ));
    }
    if let Some(entry) = terms.opening().filter(|o| p.date < o.date) {
        return Err(Error::validation(
            date_field,
            format!(
                "{} is before the loan's entry date {}: its opening balance already counts it",
                p.date, entry.date
            ),
        ));
    }
    Ok(())
}

/// The replay state of a loan's ledger after its payments so far: where the replay stands
/// after the latest payment, resumable.
///
/// [`LedgerState::apply`] adds one more payment dated on or after the latest one; the result
/// is the state a full replay of all the payments gives (the property test
/// `resumed_replay_equals_full_replay` checks this on random loans and payments). Its
/// [`LedgerState::checkpoint`] is the detached form a store keeps, and
/// [`LedgerState::resume`] continues from it, so recording a payment at the end of a long
/// ledger costs the same as at the start. A back-dated, edited or deleted payment needs a
/// full replay ([`LedgerState::replay`]).
///
/// ```
/// use loansyncro_core::ledger::{position, LedgerPayment, LedgerState};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let schedule = terms.schedule()?;
/// let paid = [
///     LedgerPayment { date: d(2, 1), amount: dec!(100) },
///     LedgerPayment { date: d(3, 1), amount: dec!(40) },
/// ];
/// let stored = LedgerState::replay(&terms, &schedule, &paid[..1])?.checkpoint();
/// let mut state = LedgerState::resume(&terms, &schedule, &stored)?;
/// state.apply(&paid[1])?;
/// assert_eq!(state.position(d(3, 11))?, position(&terms, &paid, d(3, 11))?);
/// assert_eq!(state.position(d(3, 11))?.amount_due, dec!(60.00));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LedgerState<'a> {
    replay: Replay<'a>,
}

impl<'a> LedgerState<'a> {
    /// The state of a loan with no payments (`schedule` is `terms.schedule()`).
    pub fn new(terms: &'a LoanTerms, schedule: &'a Schedule) -> Result<LedgerState<'a>> {
        Ok(LedgerState {
            replay: Replay::new(terms, schedule)?,
        })
    }

    /// The state after all of `payments` (in any order), replayed from the start. Errors as
    /// [`position`].
    pub fn replay(
        terms: &'a LoanTerms,
        schedule: &'a Schedule,
        payments: &[LedgerPayment],
    ) -> Result<LedgerState<'a>> {
        let until = latest(terms, payments, None);
        Ok(LedgerState {
            replay: replay(terms, schedule, payments, None, until)?,
        })
    }

    /// The state after `payments` and `new`, replayed from the start with `new` after the
    /// payments of its date. Errors as [`check_payment`].
    pub fn replay_with(
        terms: &'a LoanTerms,
        schedule: &'a Schedule,
        payments: &[LedgerPayment],
        new: &LedgerPayment,
    ) -> Result<LedgerState<'a>> {
        validate_payment(terms, new, "amount", "date")?;
        let until = latest(terms, payments, Some(new));
        Ok(LedgerState {
            replay: replay(terms, schedule, payments, Some(new), until)?,
        })
    }

    /// Continues from a stored checkpoint of these terms; a checkpoint of another loan is a
    /// validation error on `checkpoint`.
    pub fn resume(
        terms: &'a LoanTerms,
        schedule: &'a Schedule,
        checkpoint: &LedgerCheckpoint,
    ) -> Result<LedgerState<'a>> {
        Ok(LedgerState {
            replay: Replay::resume(terms, schedule, checkpoint)?,
        })
    }

    /// Adds a payment dated on or after the latest one. Errors as [`check_payment`]
    /// (nothing changes on an error); a payment dated before the latest one is a validation
    /// error on `date` (replay instead).
    pub fn apply(&mut self, payment: &LedgerPayment) -> Result<()> {
        validate_payment(self.replay.terms, payment, "amount", "date")?;
        if let Some(last) = self.replay.last_payment.filter(|last| payment.date < *last) {
            return Err(Error::validation(
                "date",
                format!(
                    "{} is before the latest payment {last}: replay the ledger",
                    payment.date
                ),
            ));
        }
        let amount = self.replay.minor(payment.amount)?;
        let mut next = self.replay.clone();
        next.pay(payment.date, amount)?;
        self.replay = next;
        Ok(())
    }

    /// The position on `as_of`, which is neither before the start nor before the latest
    /// payment (else a validation error on `as_of`).
    pub fn position(&self, as_of: NaiveDate) -> Result<Position> {
        self.advanced_to(as_of)?.position(as_of)
    }

    /// The [`Standing`] of [`position`](Self::position)`(as_of)`, without re-projecting the
    /// remaining schedule. Errors as [`position`](Self::position).
    pub fn standing(&self, as_of: NaiveDate) -> Result<Standing> {
        self.advanced_to(as_of)?.standing(as_of)
    }

    /// A copy of the replay advanced to `as_of`, which is neither before the start nor before
    /// the latest payment (else a validation error on `as_of`).
    fn advanced_to(&self, as_of: NaiveDate) -> Result<Replay<'_>> {
        let floor = self
            .replay
            .last_payment
            .unwrap_or(self.replay.terms.start());
        if as_of < floor {
            return Err(Error::validation(
                "as_of",
                format!("{as_of} is before the ledger's latest date {floor}"),
            ));
        }
        let mut r = self.replay.clone();
        r.advance_to(as_of)?;
        Ok(r)
    }

    /// The detached state a store keeps (see [`LedgerCheckpoint`]).
    pub fn checkpoint(&self) -> LedgerCheckpoint {
        self.replay.checkpoint()
    }

    /// The date of the latest payment, if any.
    pub fn last_payment(&self) -> Option<NaiveDate> {
        self.replay.last_payment
    }

    /// How many payments the state holds.
    pub fn payments(&self) -> u32 {
        self.replay.payments
    }
}

/// The latest of the loan's start and the dates of `payments` and `extra`.
fn latest(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    extra: Option<&LedgerPayment>,
) -> NaiveDate {
    payments
        .iter()
        .chain(extra)
        .map(|p| p.date)
        .fold(terms.start(), NaiveDate::max)
}

/// Validates and sorts the payments made on or before `until` by `(date, amount)`, then
/// replays them. `extra` (the payment being checked) is replayed after the payments of its
/// date, so an overpayment it causes on that date is reported with its own amount.
fn replay<'a>(
    terms: &'a LoanTerms,
    schedule: &'a Schedule,
    payments: &[LedgerPayment],
    extra: Option<&LedgerPayment>,
    until: NaiveDate,
) -> Result<Replay<'a>> {
    let mut sorted = minor_payments(terms, payments, until)?;
    if let Some(p) = extra {
        insert_after_its_date(terms, &mut sorted, p)?;
    }
    let mut r = Replay::new(terms, schedule)?;
    for (date, amount) in sorted {
        r.pay(date, amount)?;
    }
    r.advance_to(until)?;
    Ok(r)
}

/// The payments made on or before `until` in integer minor units, sorted by `(date, amount)`.
/// A bad payment is a validation error naming `payments[i].amount` or `payments[i].date`.
fn minor_payments(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    until: NaiveDate,
) -> Result<Vec<(NaiveDate, i128)>> {
    let mut sorted: Vec<(NaiveDate, i128)> = Vec::with_capacity(payments.len() + 1);
    for (i, p) in payments.iter().enumerate() {
        if p.date > until {
            continue;
        }
        let Some(minor) = exact_minor(terms, p) else {
            // The slow path only builds the field names when something is wrong.
            validate_payment(
                terms,
                p,
                &format!("payments[{i}].amount"),
                &format!("payments[{i}].date"),
            )?;
            return Err(Error::overflow("payment amount"));
        };
        sorted.push((p.date, minor));
    }
    if !sorted.is_sorted() {
        sorted.sort_unstable();
    }
    Ok(sorted)
}

/// The amount of a valid payment (positive, in the currency's precision, not before the
/// start) in minor units, exactly; `None` for an invalid one.
#[inline(always)]
fn exact_minor(terms: &LoanTerms, p: &LedgerPayment) -> Option<i128> {
    let currency = terms.currency();
    let scale = currency.minor_units();
    let positive = !p.amount.is_zero() && !p.amount.is_sign_negative();
    if !positive || p.date < terms.start() {
        None
    } else if p.amount.scale() == scale {
        Some(p.amount.mantissa())
    } else if p.amount.scale() < scale {
        // Fewer decimals than the currency: the mantissa, scaled up (exact).
        10i128
            .checked_pow(scale - p.amount.scale())
            .and_then(|f| p.amount.mantissa().checked_mul(f))
    } else if currency.round(p.amount, RoundingMode::Down) == p.amount {
        currency.to_minor(p.amount, RoundingMode::Down)
    } else {
        None
    }
}

/// Inserts `p` (validated by the caller) after the payments of its date.
fn insert_after_its_date(
    terms: &LoanTerms,
    sorted: &mut Vec<(NaiveDate, i128)>,
    p: &LedgerPayment,
) -> Result<()> {
    let minor = terms
        .currency()
        .to_minor(p.amount, RoundingMode::HalfUp)
        .ok_or_else(|| Error::overflow("payment amount"))?;
    let at = sorted.partition_point(|&(date, _)| date <= p.date);
    sorted.insert(at, (p.date, minor));
    Ok(())
}

/// Periods after maturity the replay walks at most (a guard against absurd dates).
const MAX_EXTRA_PERIODS: usize = 12_000;

/// The replay state, in integer minor units.
#[derive(Debug, Clone)]
struct Replay<'a> {
    terms: &'a LoanTerms,
    rows: &'a [Installment],
    n: usize,
    scale: u32,
    mode: RoundingMode,
    daily: bool,
    level_kind: bool,
    flat: bool,
    policy: PrepaymentPolicy,
    interest_grace: usize,
    principal_grace: usize,
    regular_first: bool,
    principal: i128,
    // The current period: index `k` (0-based) of the installment it ends with.
    k: usize,
    p_start: NaiveDate,
    p_end: Option<NaiveDate>,
    pd: i128,
    rate: Fraction,
    /// How the terms' annual rate becomes the rate of a period (the arithmetic kernel).
    basis: RateBasis,
    rate_cache: Option<(Rate, Fraction, Fraction)>,
    /// No rate changes and a 30/360 day count: every regular period has the same rate.
    uniform_periods: bool,
    uniform_rate: Option<Fraction>,
    /// The deferred interest of contract row `k`, once computed.
    row_def: Option<i128>,
    fixed_interest: i128,
    from_contract: bool,
    s_acc: i128,
    last: NaiveDate,
    paid_in_period: i128,
    deferred: i128,
    // Balances.
    p_out: i128,
    unbilled: i128,
    arrears: Vec<Row>,
    head: usize,
    arrears_interest: i128,
    arrears_principal: i128,
    deviated: bool,
    level: Option<i128>,
    principal_part: Option<i128>,
    paid_interest: i128,
    paid_principal: i128,
    installments_paid: u32,
    /// The date of the latest payment replayed, if any.
    last_payment: Option<NaiveDate>,
    /// How many payments were replayed.
    payments: u32,
    /// Net of the balance adjustments applied (signed), never part of the paid totals.
    adjusted: i128,
}

fn ovf(what: &str) -> Error {
    Error::overflow(what)
}

impl<'a> Replay<'a> {
    fn new(terms: &'a LoanTerms, schedule: &'a Schedule) -> Result<Replay<'a>> {
        let rows = schedule.installments();
        let currency = terms.currency();
        let principal = currency
            .to_minor(terms.principal(), RoundingMode::HalfUp)
            .ok_or_else(|| ovf("principal"))?;
        let start = terms.start();
        let regular_first = terms.first_due().is_none()
            || terms.frequency().first_due_after(start) == rows.first().map(|r| r.due_date());
        let grace = terms.grace();
        let mut r = Replay {
            terms,
            rows,
            n: rows.len(),
            scale: currency.minor_units(),
            mode: terms.interest_rounding(),
            daily: terms.accrual() == Accrual::Daily,
            level_kind: matches!(
                terms.method(),
                AmortizationMethod::EqualInstallments | AmortizationMethod::FixedInstallment { .. }
            ),
            flat: terms.method() == AmortizationMethod::FlatInterest,
            policy: terms.prepayment_policy(),
            interest_grace: grace.interest_periods as usize,
            principal_grace: grace.principal_periods as usize,
            regular_first,
            principal,
            k: 0,
            p_start: start,
            p_end: None,
            pd: 1,
            rate: Fraction::new(0, 1),
            basis: RateBasis::new(terms.compounding(), terms.frequency(), terms.day_count()),
            rate_cache: None,
            uniform_periods: terms.rate_changes().is_empty()
                && terms.renewals().is_empty()
                && terms.day_count().is_thirty_360(),
            uniform_rate: None,
            row_def: None,
            fixed_interest: 0,
            from_contract: true,
            s_acc: 0,
            last: start,
            paid_in_period: 0,
            deferred: 0,
            p_out: principal,
            unbilled: principal,
            arrears: Vec::new(),
            head: 0,
            arrears_interest: 0,
            arrears_principal: 0,
            deviated: false,
            level: None,
            principal_part: None,
            paid_interest: 0,
            paid_principal: 0,
            installments_paid: 0,
            last_payment: None,
            payments: 0,
            adjusted: 0,
        };
        r.enter_period(0, start)?;
        Ok(r)
    }

    /// The detached state (only the unpaid billed installments are kept).
    fn checkpoint(&self) -> LedgerCheckpoint {
        LedgerCheckpoint {
            principal: self.principal,
            n: self.n,
            start: self.terms.start(),
            k: self.k,
            p_start: self.p_start,
            p_end: self.p_end,
            pd: self.pd,
            rate: (self.rate.num, self.rate.den),
            fixed_interest: self.fixed_interest,
            from_contract: self.from_contract,
            s_acc: self.s_acc,
            last: self.last,
            paid_in_period: self.paid_in_period,
            deferred: self.deferred,
            p_out: self.p_out,
            unbilled: self.unbilled,
            arrears: self.arrears.get(self.head..).unwrap_or(&[]).to_vec(),
            arrears_interest: self.arrears_interest,
            arrears_principal: self.arrears_principal,
            deviated: self.deviated,
            level: self.level,
            principal_part: self.principal_part,
            paid_interest: self.paid_interest,
            paid_principal: self.paid_principal,
            installments_paid: self.installments_paid,
            last_payment: self.last_payment,
            payments: self.payments,
        }
    }

    /// The replay of `terms` continued from `c` (the caches start empty).
    fn resume(
        terms: &'a LoanTerms,
        schedule: &'a Schedule,
        c: &LedgerCheckpoint,
    ) -> Result<Replay<'a>> {
        let mut r = Replay::new(terms, schedule)?;
        if (c.principal, c.n, c.start) != (r.principal, r.n, terms.start())
            || c.k > r.n + MAX_EXTRA_PERIODS
        {
            return Err(Error::validation(
                "checkpoint",
                "was not taken on these terms",
            ));
        }
        r.k = c.k;
        r.row_def = None;
        r.p_start = c.p_start;
        r.p_end = c.p_end;
        r.pd = c.pd;
        r.rate = Fraction::new(c.rate.0, c.rate.1);
        r.fixed_interest = c.fixed_interest;
        r.from_contract = c.from_contract;
        r.s_acc = c.s_acc;
        r.last = c.last;
        r.paid_in_period = c.paid_in_period;
        r.deferred = c.deferred;
        r.p_out = c.p_out;
        r.unbilled = c.unbilled;
        r.arrears = c.arrears.clone();
        r.head = 0;
        r.arrears_interest = c.arrears_interest;
        r.arrears_principal = c.arrears_principal;
        r.deviated = c.deviated;
        r.level = c.level;
        r.principal_part = c.principal_part;
        r.paid_interest = c.paid_interest;
        r.paid_principal = c.paid_principal;
        r.installments_paid = c.installments_paid;
        r.last_payment = c.last_payment;
        r.payments = c.payments;
        Ok(r)
    }

    /// `minor` units of the currency as a decimal. Amounts that fit 64 bits (all but
    /// absurd ones) go through `Decimal::try_new`: half the instructions of the 128-bit
    /// constructor, four times per projected row.
    #[inline]
    fn dec(&self, minor: i128) -> Result<Decimal> {
        match i64::try_from(minor) {
            Ok(m) => Decimal::try_new(m, self.scale),
            Err(_) => Decimal::try_from_i128_with_scale(minor, self.scale),
        }
        .map_err(|_| ovf("amount"))
    }

    fn minor(&self, amount: Decimal) -> Result<i128> {
        self.terms
            .currency()
            .to_minor(amount, RoundingMode::HalfUp)
            .ok_or_else(|| ovf("amount"))
    }

    /// The interest the contract row of the current period defers (interest grace), in minor
    /// units; computed once per period.
    #[inline(always)]
    fn row_deferred(&mut self, row: &Installment) -> Result<i128> {
        if let Some(d) = self.row_def {
            return Ok(d);
        }
        let d = self.row_deferred_uncached(row)?;
        self.row_def = Some(d);
        Ok(d)
    }

    #[inline(always)]
    fn row_deferred_uncached(&self, row: &Installment) -> Result<i128> {
        let d = row.deferred_interest();
        if d.is_zero() {
            Ok(0)
        } else if d.scale() == self.scale {
            Ok(d.mantissa())
        } else {
            self.minor(d)
        }
    }

    /// Starts period `k` (ending with installment `k`, 0-based) on `start`.
    #[inline(always)]
    fn enter_period(&mut self, k: usize, start: NaiveDate) -> Result<()> {
        self.k = k;
        self.row_def = None;
        self.p_start = start;
        self.s_acc = 0;
        self.last = start;
        self.paid_in_period = 0;
        self.fixed_interest = 0;
        self.from_contract = false;
        let (end, regular) = self.period_end(k, start)?;
        self.p_end = end;
        let Some(end) = end else {
            self.pd = 1;
            self.rate = Fraction::new(0, 1);
            return Ok(());
        };
        // The period length only matters to daily accrual here; scheduled accrual computes
        // it when a payment falls inside the period (`period_accrued`).
        self.pd = if self.daily {
            i128::from((end - start).num_days().max(1))
        } else {
            1
        };
        self.rate = self.period_rate_of(start, end, regular)?;
        if !self.daily {
            self.set_fixed_interest(k)?;
        }
        Ok(())
    }

    /// The end of period `k` starting on `start` (none after the last installment, unless
    /// daily interest keeps accruing on unpaid principal), and whether it is a regular period.
    #[inline(always)]
    fn period_end(&self, k: usize, start: NaiveDate) -> Result<(Option<NaiveDate>, bool)> {
        Ok(if let Some(row) = self.rows.get(k) {
            (Some(row.due_date()), k > 0 || self.regular_first)
        } else if self.daily && self.p_out > 0 {
            (self.extra_period_end(k, start)?, true)
        } else {
            (None, true)
        })
    }

    /// The periodic rate of the period from `start` to `end`. Without rate changes a regular
    /// 30/360 period always has the same rate (the annual rate × the frequency's nominal
    /// fraction): computed once, then reused.
    #[inline(always)]
    fn period_rate_of(
        &mut self,
        start: NaiveDate,
        end: NaiveDate,
        regular: bool,
    ) -> Result<Fraction> {
        let uniform = regular && self.uniform_periods;
        match self.uniform_rate {
            Some(r) if uniform => Ok(r),
            _ => {
                let r = self.rate_of(start, end, regular)?;
                if uniform {
                    self.uniform_rate = Some(r);
                }
                Ok(r)
            }
        }
    }

    /// Scheduled accrual: the interest of period `k`, from the contract row while the ledger
    /// follows the schedule, else on the unbilled principal.
    #[inline(always)]
    fn set_fixed_interest(&mut self, k: usize) -> Result<()> {
        let Some(row) = self.rows.get(k) else {
            return Ok(());
        };
        if self.p_out == 0 || self.unbilled == 0 {
            // Nothing outstanding, or the shortened schedule has no installment here: no
            // interest.
            self.from_contract = true;
        } else if !self.deviated || self.flat {
            // The period's interest, including the part an interest grace defers.
            self.fixed_interest = i128::from(row.interest_minor()) + self.row_deferred(row)?;
            self.from_contract = true;
        } else {
            self.fixed_interest = kernel::interest(self.unbilled, self.rate, self.mode)?;
        }
        Ok(())
    }

    /// The end of period `k` after maturity (daily accrual on unpaid principal).
    #[inline(never)]
    fn extra_period_end(&self, k: usize, start: NaiveDate) -> Result<Option<NaiveDate>> {
        if k > self.n + MAX_EXTRA_PERIODS {
            return Err(Error::validation(
                "as_of",
                "too far after the loan's maturity",
            ));
        }
        let anchor = self.rows.first().map(|r| r.due_date()).unwrap_or(start);
        Ok(u32::try_from(k)
            .ok()
            .and_then(|k| self.terms.frequency().step(anchor, k))
            .filter(|d| *d > start))
    }

    /// The periodic rate of the period from `start` to `end`.
    #[inline(never)]
    fn rate_of(&mut self, start: NaiveDate, end: NaiveDate, regular: bool) -> Result<Fraction> {
        let annual = self.terms.rate_on(start);
        let frac = self.basis.period_fraction(start, end, regular);
        match self.rate_cache {
            Some((a, f, r)) if a == annual && f == frac => Ok(r),
            _ => {
                let r = self.basis.period_rate(annual, frac)?;
                self.rate_cache = Some((annual, frac, r));
                Ok(r)
            }
        }
    }

    /// Daily accrual of the outstanding principal up to `d`.
    #[inline(always)]
    fn accrue_to(&mut self, d: NaiveDate) -> Result<()> {
        if self.daily && d > self.last {
            let days = i128::from((d - self.last).num_days());
            let add = self.p_out.checked_mul(days).ok_or_else(|| ovf("accrual"))?;
            self.s_acc = self.s_acc.checked_add(add).ok_or_else(|| ovf("accrual"))?;
            self.last = d;
        }
        Ok(())
    }

    /// The interest of the current period accrued up to `d` (paid parts included).
    #[inline(always)]
    fn period_accrued(&self, d: NaiveDate) -> Result<i128> {
        let Some(end) = self.p_end else {
            return Ok(0);
        };
        let d = d.min(end);
        if self.daily {
            let days = i128::from((d - self.last).num_days().max(0));
            let s = self
                .p_out
                .checked_mul(days)
                .and_then(|x| x.checked_add(self.s_acc))
                .ok_or_else(|| ovf("accrual"))?;
            let den = self
                .rate
                .den
                .checked_mul(self.pd)
                .ok_or_else(|| ovf("accrual"))?;
            Ok(kernel::interest(
                s,
                Fraction::new(self.rate.num, den),
                self.mode,
            )?)
        } else if d >= end {
            Ok(self.fixed_interest)
        } else if d <= self.p_start || self.fixed_interest == 0 {
            // No day of the period elapsed, or nothing to spread.
            Ok(0)
        } else {
            let days = i128::from((d - self.p_start).num_days());
            let pd = i128::from((end - self.p_start).num_days().max(1));
            Ok(kernel::interest(
                self.fixed_interest,
                Fraction::new(days, pd),
                self.mode,
            )?)
        }
    }

    /// Principal billed with installment `k` whose interest (paid parts included) is
    /// `interest_total`.
    #[inline(always)]
    fn principal_due(&self, k: usize, interest_total: i128) -> i128 {
        if k + 1 >= self.n {
            return self.unbilled;
        }
        let Some(row) = self.rows.get(k) else {
            return 0;
        };
        let contract = i128::from(row.principal_minor());
        if contract <= 0 {
            return 0;
        }
        let p = if self.level_kind {
            self.level.unwrap_or_else(|| row.payment_minor().into()) - interest_total
        } else {
            self.principal_part.unwrap_or(contract)
        };
        p.clamp(0, self.unbilled)
    }

    /// Bills the installment that ends the current period and starts the next period.
    #[inline(always)]
    fn bill(&mut self) -> Result<()> {
        let Some(end) = self.p_end else {
            return Ok(());
        };
        self.accrue_to(end)?;
        let k = self.k;
        let total = self.period_accrued(end)?;
        let mut interest = (total - self.paid_in_period).max(0);
        let mut principal = 0;
        if k < self.n {
            interest = self.billed_interest(k, interest)?;
            principal = self.principal_due(k, interest + self.paid_in_period);
            self.unbilled -= principal;
        }
        if interest > 0 || principal > 0 {
            self.push_arrears(k, end, interest, principal)?;
        }
        self.enter_period(k + 1, end)
    }

    /// The part of the interest of installment `k` that is billed: an interest grace defers
    /// it (paid later with the first billed installment), negative amortization capitalizes
    /// the unpaid part of it.
    #[inline(always)]
    fn billed_interest(&mut self, k: usize, mut interest: i128) -> Result<i128> {
        if self.from_contract {
            // Contract interest already has grace deferral and catch-up applied; track the
            // deferred amount for payoff quotes.
            if let Some(row) = self.rows.get(k) {
                let deferred = self.row_deferred(row)?.min(interest);
                if deferred > 0 {
                    self.deferred += deferred;
                    interest -= deferred;
                } else if k >= self.interest_grace {
                    self.deferred = 0;
                }
                let contract_principal = i128::from(row.principal_minor());
                if contract_principal < 0 && k + 1 < self.n {
                    // Negative amortization: the unpaid interest is capitalized.
                    let cap = (-contract_principal).min(interest);
                    interest -= cap;
                    self.p_out += cap;
                    self.unbilled += cap;
                }
            }
        } else if k < self.interest_grace {
            self.deferred += interest;
            interest = 0;
        } else {
            interest += std::mem::take(&mut self.deferred);
        }
        Ok(interest)
    }

    /// Records installment `k` due on `due` as billed and unpaid.
    #[inline(always)]
    fn push_arrears(
        &mut self,
        k: usize,
        due: NaiveDate,
        interest: i128,
        principal: i128,
    ) -> Result<()> {
        let number = u32::try_from(k + 1).map_err(|_| ovf("installment number"))?;
        if self.arrears.capacity() == 0 {
            self.arrears.reserve(self.n.saturating_sub(k).max(1));
        }
        self.arrears.push(Row {
            number,
            due,
            interest,
            principal,
        });
        self.arrears_interest += interest;
        self.arrears_principal += principal;
        Ok(())
    }

    /// Bills every installment due on or before `d` and accrues to `d`.
    #[inline(always)]
    fn advance_to(&mut self, d: NaiveDate) -> Result<()> {
        while let Some(end) = self.p_end {
            if end > d {
                break;
            }
            self.bill()?;
        }
        self.accrue_to(d)
    }

    /// Interest owed on `d` under `rule` (arrears, deferred, current period) and principal.
    #[inline(always)]
    fn payoff(&self, d: NaiveDate, rule: PayoffRule) -> Result<(i128, i128)> {
        let upto = match (rule, self.p_end) {
            (PayoffRule::TillPeriodEnd, Some(end)) => end,
            _ => d,
        };
        let accrued = (self.period_accrued(upto)? - self.paid_in_period).max(0);
        let interest = self
            .arrears_interest
            .checked_add(self.deferred)
            .and_then(|x| x.checked_add(accrued))
            .ok_or_else(|| ovf("payoff"))?;
        Ok((self.p_out, interest))
    }

    /// Applies a payment of `amount` minor units on `date`.
    fn pay(&mut self, date: NaiveDate, amount: i128) -> Result<()> {
        self.advance_to(date)?;
        self.check_not_above_payoff(date, amount)?;
        let left = self.pay_arrears(amount);
        if left > 0 {
            self.prepay(date, left)?;
        }
        if self.p_out == 0 && !self.daily && self.k < self.n {
            // Closed mid-period: no more interest for the rest of the period.
            self.fixed_interest = self.paid_in_period;
        }
        self.last_payment = Some(date);
        self.payments = self.payments.saturating_add(1);
        Ok(())
    }

    /// [`Error::Overpayment`] when `amount` is above the payoff on `date`.
    fn check_not_above_payoff(&self, date: NaiveDate, amount: i128) -> Result<()> {
        let (principal, interest) = self.payoff(date, PayoffRule::TillPreClose)?;
        let payoff = principal + interest;
        if amount > payoff {
            return Err(Error::Overpayment {
                payoff: self.dec(payoff)?,
                attempted: self.dec(amount)?,
                date,
            });
        }
        Ok(())
    }

    /// Pays the billed installments, oldest first (interest, then principal); returns what
    /// is left of `amount`.
    #[inline(always)]
    fn pay_arrears(&mut self, amount: i128) -> i128 {
        let mut left = amount;
        while left > 0 {
            let Some(row) = self.arrears.get_mut(self.head) else {
                break;
            };
            let i = left.min(row.interest);
            row.interest -= i;
            left -= i;
            self.paid_interest += i;
            self.arrears_interest -= i;
            let p = left.min(row.principal);
            row.principal -= p;
            left -= p;
            self.paid_principal += p;
            self.arrears_principal -= p;
            self.p_out -= p;
            if row.interest == 0 && row.principal == 0 {
                self.head += 1;
                self.installments_paid += 1;
            } else {
                break;
            }
        }
        left
    }

    /// The part of a payment beyond what is due: deferred interest, interest accrued in the
    /// period, then principal.
    fn prepay(&mut self, date: NaiveDate, mut left: i128) -> Result<()> {
        self.deviated = true;
        let x = left.min(self.deferred);
        self.deferred -= x;
        left -= x;
        self.paid_interest += x;
        let accrued = (self.period_accrued(date)? - self.paid_in_period).max(0);
        let x = left.min(accrued);
        self.paid_in_period += x;
        left -= x;
        self.paid_interest += x;
        let x = left.min(self.unbilled);
        if x > 0 {
            self.unbilled -= x;
            self.p_out -= x;
            self.paid_principal += x;
            if !self.daily
                && self.k < self.n
                && self.p_out > 0
                && date == self.p_start
                && !self.flat
            {
                // Prepaid on the period's first day (with the previous installment): the
                // whole period bears interest on the reduced balance.
                self.fixed_interest = kernel::interest(self.unbilled, self.rate, self.mode)?;
                self.from_contract = false;
            }
            if self.policy == PrepaymentPolicy::ReducePayment {
                // Also when nothing is left to bill (the installment becomes zero), so that the
                // state depends on the payments, never on the order of those of one date.
                self.reamortize()?;
            }
        }
        Ok(())
    }

    /// Re-amortizes the unbilled principal over the remaining installments.
    fn reamortize(&mut self) -> Result<()> {
        if self.k >= self.n {
            return Ok(());
        }
        let first = self.k.max(self.principal_grace);
        let m = self.n.saturating_sub(first).max(1);
        let m_i = i128::try_from(m).map_err(|_| ovf("installments"))?;
        if !self.level_kind {
            self.principal_part = Some(
                RoundingMode::HalfUp
                    .div_round_i128(self.unbilled, m_i)
                    .ok_or_else(|| ovf("installment"))?,
            );
            return Ok(());
        }
        let balance = self.dec(self.unbilled)?;
        let periods = u32::try_from(m).map_err(|_| ovf("installments"))?;
        let payment = kernel::level_payment(balance, self.rate, periods, Decimal::ZERO)?.payment;
        let rounded = self
            .terms
            .currency()
            .round(payment, self.terms.payment_rounding());
        self.level = Some(self.minor(rounded)?);
        Ok(())
    }

    fn record(&self, row: &Row, balance: i128) -> Result<InstallmentRecord> {
        let payment = row.interest + row.principal;
        Ok(InstallmentRecord {
            number: row.number,
            due_date: row.due,
            payment: self.dec(payment)?,
            interest: self.dec(row.interest)?,
            principal: self.dec(row.principal)?,
            balance: self.dec(balance.max(0))?,
            deferred_interest: Decimal::ZERO,
            extra_principal: Decimal::ZERO,
            negative_amortization: false,
        })
    }

    /// The re-projected remaining schedule (consumes the period state).
    fn project(&mut self, _as_of: NaiveDate) -> Result<Vec<InstallmentRecord>> {
        let pending = self.arrears.len() - self.head;
        let mut out = Vec::with_capacity(pending + self.n.saturating_sub(self.k));
        let mut balance = self.p_out;
        for row in self.arrears.get(self.head..).unwrap_or(&[]) {
            balance -= row.principal;
            out.push(self.record(row, balance)?);
        }
        while self.k < self.n && self.p_end.is_some() {
            let before = self.arrears.len();
            self.bill()?;
            // Everything billed so far is paid on this due date.
            self.p_out -= self.arrears_principal;
            self.arrears_principal = 0;
            self.arrears_interest = 0;
            self.head = self.arrears.len();
            for row in self.arrears.get(before..).unwrap_or(&[]) {
                out.push(self.record(row, self.p_out)?);
            }
            if self.p_out <= 0 && self.deferred == 0 {
                break;
            }
        }
        Ok(out)
    }

    /// `paid_principal / principal`, 0..=1, truncated to 4 decimal places.
    fn progress(&self) -> Result<Decimal> {
        if self.principal <= 0 {
            return Ok(Decimal::ONE);
        }
        let of = |x| Decimal::try_from_i128_with_scale(x, 0).map_err(|_| ovf("progress"));
        Ok((of(self.paid_principal)? / of(self.principal)?)
            .min(Decimal::ONE)
            .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::ToZero))
    }

    fn standing(&self, as_of: NaiveDate) -> Result<Standing> {
        let (principal_out, interest) = self.payoff(as_of, PayoffRule::TillPreClose)?;
        Ok(self.standing_with(as_of, principal_out + interest))
    }

    /// The standing on `as_of` given the payoff on that date: closed when nothing is owed;
    /// days past due since the oldest unpaid due date (0 if nothing is overdue).
    fn standing_with(&self, as_of: NaiveDate, payoff: i128) -> Standing {
        let days_past_due = self
            .arrears
            .get(self.head)
            .map(|row| (as_of - row.due).num_days().max(0))
            .map(|d| u32::try_from(d).unwrap_or(u32::MAX))
            .unwrap_or(0);
        Standing {
            closed: payoff == 0,
            days_past_due,
        }
    }

    fn position(&mut self, as_of: NaiveDate) -> Result<Position> {
        let (principal_out, interest) = self.payoff(as_of, PayoffRule::TillPreClose)?;
        let payoff = principal_out + interest;
        let amount_due = self.arrears_interest + self.arrears_principal;
        let Standing {
            closed,
            days_past_due,
        } = self.standing_with(as_of, payoff);
        let paid_total = self.paid_interest + self.paid_principal;
        let progress = self.progress()?;
        let (paid_interest, paid_principal, installments_paid) = (
            self.paid_interest,
            self.paid_principal,
            self.installments_paid,
        );
        let projected = self.project(as_of)?;
        let mut remaining = Decimal::ZERO;
        for r in &projected {
            remaining = remaining
                .checked_add(r.payment)
                .ok_or_else(|| ovf("remaining scheduled"))?;
        }
        let next = projected.iter().find(|r| r.due_date > as_of);
        Ok(Position {
            as_of,
            principal_outstanding: self.dec(principal_out)?,
            interest_accrued: self.dec(interest)?,
            paid_interest: self.dec(paid_interest)?,
            paid_principal: self.dec(paid_principal)?,
            paid_total: self.dec(paid_total)?,
            amount_due: self.dec(amount_due)?,
            days_past_due,
            next_due_date: next.map(|r| r.due_date),
            next_due_amount: next
                .map(|r| r.payment)
                .unwrap_or(Decimal::ZERO)
                .round_dp(self.scale),
            installments_paid,
            remaining_scheduled: remaining,
            progress,
            payoff_amount: self.dec(payoff)?,
            closed,
            projected,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Balance adjustments
// ---------------------------------------------------------------------------------------------

/// A booked balance adjustment: on `date`, after the payments of that date, the principal
/// outstanding changes by `amount` (positive: more is owed than the engine computed; negative:
/// less). It is not a payment: the paid totals never include it.
///
/// How the replay applies it (see [`adjusted_position`]):
/// * the installments due on or before `date` are billed first, then the adjustment changes
///   the principal not billed yet; a negative adjustment larger than that also reduces the
///   principal of unpaid billed installments, newest first; after maturity a positive one is
///   due at once (an unpaid row dated `date`);
/// * interest: daily accrual runs on the adjusted balance from `date` on; scheduled accrual
///   keeps the interest of the period in progress (unless `date` starts it) and computes the
///   later periods on the adjusted balance;
/// * the installment: [`PrepaymentPolicy::ReduceTerm`] keeps it (the last installment absorbs
///   the difference), [`PrepaymentPolicy::ReducePayment`] re-amortizes the rest;
/// * an adjustment that would make the principal outstanding negative (possible when
///   payments dated before it were added after it was booked) is a validation error naming
///   `adjustments[i].amount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerAdjustment {
    /// The date the balance is corrected on.
    pub date: NaiveDate,
    /// The signed change of the principal outstanding, in the currency's precision.
    pub amount: Decimal,
}

/// A [`Position`] with the balance adjustments booked on or before its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustedPosition {
    /// The position: `principal_outstanding` includes the adjustments; the paid totals are
    /// the repayments' only.
    pub position: Position,
    /// The net of the adjustments applied (signed), shown apart from the repayments.
    pub adjustments: Decimal,
}

/// The position of a loan on `as_of`, replaying the payments and the balance adjustments made
/// on or before it, in date order (on one date: the payments, then the adjustments). Without
/// adjustments it equals [`position`].
///
/// Errors: as [`position`]; an adjustment dated before the start or with more decimals than
/// the currency is a validation error naming `adjustments[i].date` / `adjustments[i].amount`,
/// and so is one that would make the principal negative.
///
/// ```
/// use loansyncro_core::ledger::{adjusted_position, position, LedgerAdjustment, LedgerPayment};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// // 1200 at 0%, 12 installments of 100 from 2025-02-01.
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let paid = [LedgerPayment { date: d(2, 1), amount: dec!(100) }];
/// // On March 5th the engine says 1100.00 (March's installment is billed but unpaid: still
/// // owed); the lender's statement says 1090.00: -10.00 booked.
/// let adj = [LedgerAdjustment { date: d(3, 5), amount: dec!(-10) }];
/// let p = adjusted_position(&terms, &paid, &adj, d(3, 5))?;
/// assert_eq!(p.position.principal_outstanding, dec!(1090.00));
/// assert_eq!((p.position.paid_total, p.adjustments), (dec!(100.00), dec!(-10.00)));
/// assert_eq!(adjusted_position(&terms, &paid, &[], d(3, 5))?.position, position(&terms, &paid, d(3, 5))?);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn adjusted_position(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    adjustments: &[LedgerAdjustment],
    as_of: NaiveDate,
) -> Result<AdjustedPosition> {
    if as_of < terms.start() {
        return Err(Error::validation(
            "as_of",
            format!("{as_of} is before the loan start {}", terms.start()),
        ));
    }
    let schedule = terms.schedule()?;
    let mut r = replay_adjusted(terms, &schedule, payments, adjustments, as_of)?;
    let adjustments = r.dec(r.adjusted)?;
    Ok(AdjustedPosition {
        position: r.position(as_of)?,
        adjustments,
    })
}

/// The adjustment that books a stated principal balance on `date`: `stated_balance` minus the
/// principal outstanding on `date` with `payments` and the earlier `adjustments` replayed (the
/// payments of `date` included). Errors as [`adjusted_position`] (`as_of` is `date`).
///
/// ```
/// use loansyncro_core::ledger::{booked_adjustment, LedgerPayment};
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let paid = [LedgerPayment { date: d(2, 1), amount: dec!(100) }];
/// let a = booked_adjustment(&terms, &paid, &[], d(2, 1), dec!(1090))?;
/// assert_eq!((a.date, a.amount), (d(2, 1), dec!(-10.00)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn booked_adjustment(
    terms: &LoanTerms,
    payments: &[LedgerPayment],
    adjustments: &[LedgerAdjustment],
    date: NaiveDate,
    stated_balance: Decimal,
) -> Result<LedgerAdjustment> {
    let engine = adjusted_position(terms, payments, adjustments, date)?
        .position
        .principal_outstanding;
    Ok(LedgerAdjustment {
        date,
        amount: stated_balance - engine,
    })
}

/// The adjustments dated on or before `until` in minor units, sorted by date (stable).
fn minor_adjustments(
    terms: &LoanTerms,
    adjustments: &[LedgerAdjustment],
    until: NaiveDate,
) -> Result<Vec<(NaiveDate, i128, usize)>> {
    let currency = terms.currency();
    let mut out = Vec::with_capacity(adjustments.len());
    for (i, a) in adjustments.iter().enumerate() {
        if a.date < terms.start() {
            return Err(Error::validation(
                format!("adjustments[{i}].date"),
                format!("{} is before the loan start {}", a.date, terms.start()),
            ));
        }
        currency.check_precision(&format!("adjustments[{i}].amount"), a.amount)?;
        if a.date > until {
            continue;
        }
        let minor = currency
            .to_minor(a.amount, RoundingMode::HalfUp)
            .ok_or_else(|| ovf("adjustment amount"))?;
        out.push((a.date, minor, i));
    }
    out.sort_by_key(|&(date, _, i)| (date, i));
    Ok(out)
}

/// The replay up to `until` of the payments and adjustments, in date order (on one date:
/// payments first).
fn replay_adjusted<'a>(
    terms: &'a LoanTerms,
    schedule: &'a Schedule,
    payments: &[LedgerPayment],
    adjustments: &[LedgerAdjustment],
    until: NaiveDate,
) -> Result<Replay<'a>> {
    let sorted = minor_payments(terms, payments, until)?;
    let adjustments = minor_adjustments(terms, adjustments, until)?;
    let mut r = Replay::new(terms, schedule)?;
    let mut pending = sorted.into_iter().peekable();
    for (date, amount, i) in adjustments {
        while let Some((d, a)) = pending.next_if(|&(d, _)| d <= date) {
            r.pay(d, a)?;
        }
        r.adjust(date, amount, i)?;
    }
    for (date, amount) in pending {
        r.pay(date, amount)?;
    }
    r.advance_to(until)?;
    Ok(r)
}

impl Replay<'_> {
    /// Applies adjustment number `i` of `amount` minor units on `date` (see
    /// [`LedgerAdjustment`]).
    fn adjust(&mut self, date: NaiveDate, amount: i128, i: usize) -> Result<()> {
        self.advance_to(date)?;
        if amount == 0 {
            return Ok(());
        }
        if amount > 0 {
            if self.k < self.n {
                self.unbilled = self
                    .unbilled
                    .checked_add(amount)
                    .ok_or_else(|| ovf("adjustment"))?;
            } else {
                // After maturity nothing is billed any more: due at once.
                self.push_arrears(self.n.saturating_sub(1), date, 0, amount)?;
            }
        } else {
            let mut cut = -amount;
            if cut > self.p_out {
                return Err(Error::validation(
                    format!("adjustments[{i}].amount"),
                    format!(
                        "{} would make the principal outstanding on {date} negative (it is {})",
                        self.dec(amount)?,
                        self.dec(self.p_out)?
                    ),
                ));
            }
            let x = cut.min(self.unbilled);
            self.unbilled -= x;
            cut -= x;
            for row in self.arrears[self.head..].iter_mut().rev() {
                if cut == 0 {
                    break;
                }
                let y = cut.min(row.principal);
                row.principal -= y;
                self.arrears_principal -= y;
                cut -= y;
            }
            while self
                .arrears
                .get(self.head)
                .is_some_and(|row| row.interest == 0 && row.principal == 0)
            {
                self.head += 1;
            }
        }
        self.p_out = self
            .p_out
            .checked_add(amount)
            .ok_or_else(|| ovf("adjustment"))?;
        self.adjusted = self
            .adjusted
            .checked_add(amount)
            .ok_or_else(|| ovf("adjustment"))?;
        self.deviated = true;
        if !self.daily && !self.flat && self.k < self.n {
            if self.p_out == 0 {
                self.fixed_interest = self.paid_in_period;
            } else if date == self.p_start {
                self.fixed_interest = kernel::interest(self.unbilled, self.rate, self.mode)?;
                self.from_contract = false;
            }
        }
        if self.policy == PrepaymentPolicy::ReducePayment {
            self.reamortize()?;
        }
        Ok(())
    }
}

/// The running totals of a ledger on a date: what a lender's statement line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerTotals {
    /// Interest paid so far.
    pub paid_interest: Decimal,
    /// Principal paid so far.
    pub paid_principal: Decimal,
    /// Principal not yet repaid.
    pub principal_outstanding: Decimal,
}

impl LedgerState<'_> {
    /// The totals of [`LedgerState::position`] on `as_of` without re-projecting the rest of
    /// the schedule (the statement reconciliation reads them after every line). Errors as
    /// [`LedgerState::position`].
    ///
    /// ```
    /// use loansyncro_core::ledger::{position, LedgerPayment, LedgerState};
    /// use loansyncro_core::LoanTerms;
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
    /// let schedule = terms.schedule()?;
    /// let paid = [LedgerPayment { date: d(2, 1), amount: dec!(100) }];
    /// let totals = LedgerState::replay(&terms, &schedule, &paid)?.totals(d(2, 1))?;
    /// let pos = position(&terms, &paid, d(2, 1))?;
    /// assert_eq!(totals.principal_outstanding, pos.principal_outstanding);
    /// assert_eq!(totals.paid_principal, dec!(100.00));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn totals(&self, as_of: NaiveDate) -> Result<LedgerTotals> {
        let r = self.advanced_to(as_of)?;
        let (principal_out, _) = r.payoff(as_of, PayoffRule::TillPreClose)?;
        Ok(LedgerTotals {
            paid_interest: r.dec(r.paid_interest)?,
            paid_principal: r.dec(r.paid_principal)?,
            principal_outstanding: r.dec(principal_out)?,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn check_payment_names_the_new_payment_on_the_day_of_an_existing_one() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        let terms = LoanTerms::builder()
            .principal(Decimal::new(100_000, 2))
            .installments(10)
            .start(d(1, 1))
            .build()
            .unwrap();
        // 1000.00 closes the (0%) loan on January 10th.
        let paid = [LedgerPayment {
            date: d(1, 10),
            amount: Decimal::new(100_000, 2),
        }];
        assert!(position(&terms, &paid, d(1, 10)).unwrap().closed);
        let new = LedgerPayment {
            date: d(1, 10),
            amount: Decimal::new(1, 2),
        };
        assert_eq!(
            check_payment(&terms, &paid, &new),
            Err(Error::Overpayment {
                payoff: Decimal::ZERO,
                attempted: Decimal::new(1, 2),
                date: d(1, 10),
            })
        );
        // A backdated payment still makes the later existing payment overpay.
        let earlier = LedgerPayment {
            date: d(1, 5),
            amount: Decimal::new(1, 2),
        };
        assert_eq!(
            check_payment(&terms, &paid, &earlier),
            Err(Error::Overpayment {
                payoff: Decimal::new(99_999, 2),
                attempted: Decimal::new(100_000, 2),
                date: d(1, 10),
            })
        );
        // Positions do not depend on the insertion order.
        let both = [paid[0], new];
        let other = [new, paid[0]];
        assert_eq!(
            position(&terms, &[both[0], earlier], d(1, 20)),
            position(&terms, &[earlier, both[0]], d(1, 20))
        );
        assert_eq!(
            position(&terms, &both, d(1, 20)).unwrap_err(),
            position(&terms, &other, d(1, 20)).unwrap_err()
        );
    }
    #[test]
    fn adjustments_name_their_field_close_the_loan_and_fall_due_after_maturity() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let terms = LoanTerms::builder()
            .principal(Decimal::new(120_000, 2))
            .installments(12)
            .start(d(2025, 1, 1))
            .build()
            .unwrap();
        let adj = |date, cents| LedgerAdjustment {
            date,
            amount: Decimal::new(cents, 2),
        };
        // Nothing paid: 1200.00 outstanding (installments billed included).
        let too_much =
            adjusted_position(&terms, &[], &[adj(d(2025, 3, 5), -120_001)], d(2025, 3, 5));
        assert_eq!(too_much.unwrap_err().field(), Some("adjustments[0].amount"));
        let early = adjusted_position(&terms, &[], &[adj(d(2024, 12, 31), 1)], d(2025, 3, 5));
        assert_eq!(early.unwrap_err().field(), Some("adjustments[0].date"));
        let fine = adjusted_position(&terms, &[], &[adj(d(2025, 3, 5), 1)], d(2025, 3, 5));
        assert!(fine.is_ok());
        let precise = LedgerAdjustment {
            date: d(2025, 3, 5),
            amount: Decimal::new(1, 3),
        };
        assert_eq!(
            adjusted_position(&terms, &[], &[precise], d(2025, 3, 5))
                .unwrap_err()
                .field(),
            Some("adjustments[0].amount")
        );
        // Down to zero: closed, nothing due, nothing paid.
        let zero =
            adjusted_position(&terms, &[], &[adj(d(2025, 3, 5), -120_000)], d(2025, 3, 5)).unwrap();
        assert!(zero.position.closed);
        assert_eq!(zero.position.amount_due, Decimal::ZERO);
        assert_eq!(zero.position.paid_total, Decimal::ZERO);
        assert_eq!(zero.adjustments, Decimal::new(-120_000, 2));
        // After maturity a positive adjustment is due at once.
        let late =
            adjusted_position(&terms, &[], &[adj(d(2026, 3, 1), 5_000)], d(2026, 3, 11)).unwrap();
        assert_eq!(
            late.position.principal_outstanding,
            Decimal::new(125_000, 2)
        );
        assert_eq!(late.position.amount_due, Decimal::new(125_000, 2));
        // An adjustment dated after `as_of` is not applied yet.
        let before =
            adjusted_position(&terms, &[], &[adj(d(2025, 6, 1), 5_000)], d(2025, 5, 1)).unwrap();
        assert_eq!(before.adjustments, Decimal::ZERO);
        assert_eq!(
            before.position,
            position(&terms, &[], d(2025, 5, 1)).unwrap()
        );
    }
}
