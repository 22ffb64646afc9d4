//! Amortization schedules: one [`Installment`] per period, generated from [`LoanTerms`]. This
//! file holds the schedule's types; the generators fill them in (see [`LoanTerms::schedule`]).
//!
//! Conventions (see DESIGN.md): the rounded installment drives the schedule; the interest of
//! each period is rounded once (balance × annual rate × period fraction, multiplied before it is
//! divided, in exact integers); principal = payment − interest; the last installment pays the
//! remaining balance plus its interest, so the balance closes at exactly zero and the principal
//! parts add up to the principal. Totals are sums of the rounded rows.
//!
//! The loop runs in exact fixed point (`i128` minor units, the rate kept as an exact fraction);
//! amounts become `Decimal` only at the API.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::math::money::Currency;
use crate::math::rate::Rate;
use crate::schedule::terms::{LoanTerms, PrepaymentPolicy};

/// One installment of a schedule. Amounts are stored as integer minor units and become
/// `Decimal` when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Installment {
    pub(super) number: u32,
    pub(super) due: PackedDate,
    pub(super) interest: i64,
    pub(super) principal: i64,
    pub(super) balance: i64,
    pub(super) deferred_interest: i64,
    pub(super) extra_principal: i64,
    pub(super) scale: u8,
    pub(super) negative_amortization: bool,
}

impl Installment {
    fn dec(&self, minor: i64) -> Decimal {
        Decimal::new(minor, u32::from(self.scale))
    }
    /// 1-based installment number.
    pub fn number(&self) -> u32 {
        self.number
    }
    /// Due date.
    pub fn due_date(&self) -> NaiveDate {
        self.due.date()
    }
    /// Amount due (interest + principal, including any extra principal).
    pub fn payment(&self) -> Decimal {
        self.dec(self.payment_minor())
    }
    /// Interest paid with this installment (including deferred interest caught up).
    pub fn interest(&self) -> Decimal {
        self.dec(self.interest)
    }
    /// Principal repaid (negative under negative amortization).
    pub fn principal(&self) -> Decimal {
        self.dec(self.principal)
    }
    /// Balance after this installment.
    pub fn balance(&self) -> Decimal {
        self.dec(self.balance)
    }
    /// Interest of this period deferred by an interest grace (paid later).
    pub fn deferred_interest(&self) -> Decimal {
        self.dec(self.deferred_interest)
    }
    /// Extra principal (what-if prepayments) included in `payment` and `principal`.
    pub fn extra_principal(&self) -> Decimal {
        self.dec(self.extra_principal)
    }
    /// Whether the payment did not cover the interest (the balance grew).
    pub fn negative_amortization(&self) -> bool {
        self.negative_amortization
    }
    /// Payment in integer minor units.
    pub fn payment_minor(&self) -> i64 {
        self.principal + self.interest
    }
    /// Interest in integer minor units.
    pub fn interest_minor(&self) -> i64 {
        self.interest
    }
    /// Principal in integer minor units.
    pub fn principal_minor(&self) -> i64 {
        self.principal
    }
    /// Balance in integer minor units.
    pub fn balance_minor(&self) -> i64 {
        self.balance
    }
    /// Due date as days since 1970-01-01 (NumPy's `datetime64[D]`, Arrow's `date32`), without
    /// building a `NaiveDate`.
    ///
    /// ```
    /// # use loansyncro_core::{LoanTerms, Rate};
    /// # use chrono::NaiveDate;
    /// # use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder().principal(dec!(1000)).annual_rate(Rate::ZERO)
    ///     .installments(2).start(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).build()?;
    /// let s = terms.schedule()?;
    /// assert_eq!(s.installments()[0].due_epoch_days(), 31);
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    #[inline]
    pub fn due_epoch_days(&self) -> i32 {
        self.due.epoch_days()
    }
}

/// A calendar date packed as `year << 9 | month << 5 | day`: rows build the `NaiveDate` only
/// when it is read (dates are validated when the schedule is generated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct PackedDate(i32);

impl PackedDate {
    #[inline]
    pub(super) fn new(year: i32, month: u32, day: u32) -> PackedDate {
        PackedDate((year << 9) | ((month as i32) << 5) | day as i32)
    }

    pub(super) fn from_date(d: NaiveDate) -> PackedDate {
        PackedDate::new(d.year(), d.month(), d.day())
    }

    pub(super) fn year(self) -> i32 {
        self.0 >> 9
    }

    pub(super) fn month(self) -> u32 {
        ((self.0 >> 5) & 0xF) as u32
    }

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's `days_from_civil`).
    #[inline]
    fn epoch_days(self) -> i32 {
        let (month, day) = (self.month() as i32, self.0 & 0x1F);
        let year = self.year() - i32::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    fn date(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), (self.0 & 0x1F) as u32)
            .unwrap_or_default()
    }
}

/// Wire form of an installment (amounts as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallmentRecord {
    /// 1-based number.
    pub number: u32,
    /// Due date.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub due_date: NaiveDate,
    /// Amount due.
    pub payment: Decimal,
    /// Interest part.
    pub interest: Decimal,
    /// Principal part.
    pub principal: Decimal,
    /// Balance after.
    pub balance: Decimal,
    /// Interest deferred in this period.
    pub deferred_interest: Decimal,
    /// Extra principal.
    pub extra_principal: Decimal,
    /// Negative amortization flag.
    pub negative_amortization: bool,
}

impl From<&Installment> for InstallmentRecord {
    fn from(i: &Installment) -> Self {
        InstallmentRecord {
            number: i.number,
            due_date: i.due_date(),
            payment: i.payment(),
            interest: i.interest(),
            principal: i.principal(),
            balance: i.balance(),
            deferred_interest: i.deferred_interest(),
            extra_principal: i.extra_principal(),
            negative_amortization: i.negative_amortization,
        }
    }
}

impl Serialize for Installment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        InstallmentRecord::from(self).serialize(s)
    }
}

/// Sums over a schedule's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Σ interest.
    pub interest: Decimal,
    /// Σ principal (equals the principal, except in the spreadsheet table, whose shown
    /// principal column may miss it by cents).
    pub principal: Decimal,
    /// Σ payments.
    pub paid: Decimal,
    /// Σ extra principal.
    pub extra_principal: Decimal,
}

/// A schedule: the contractual plan of a loan.
///
/// ```
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let s = LoanTerms::builder()
///     .principal(dec!(1200))
///     .installments(12)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 15).unwrap())
///     .build().unwrap()
///     .schedule().unwrap();
/// assert_eq!(s.regular_payment(), dec!(100.00));
/// assert_eq!(s.installments()[0].due_date(), NaiveDate::from_ymd_opt(2025, 2, 15).unwrap());
/// assert_eq!(s.last().unwrap().balance(), dec!(0));
/// assert_eq!(s.totals().principal, dec!(1200));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub(super) currency: Currency,
    pub(super) regular_payment: Decimal,
    pub(super) installments: Vec<Installment>,
    pub(super) totals: Totals,
    pub(super) negative_amortization: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) adjustments: Vec<Adjustment>,
}

/// A recast of the level payment: at a rate change, or at a scheduled adjustment
/// ([`crate::LoanTermsBuilder::adjust_every`]) whether or not the rate changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// The first installment paying the recast payment.
    pub payment_number: u32,
    /// The annual rate from this installment on.
    pub annual_rate: Rate,
    /// The balance the payment is recast from (after installment `payment_number − 1`).
    pub balance_before: Decimal,
    /// Installments left, this one included.
    pub remaining_installments: u32,
    /// The level payment over the remaining installments, before any payment cap.
    pub recast_payment: Decimal,
    /// The payment from this installment on (the recast payment, capped).
    pub payment: Decimal,
}

impl Schedule {
    /// The currency of every amount.
    pub fn currency(&self) -> Currency {
        self.currency
    }
    /// The regular installment (the seed's `monthly_payment`): the first amortizing
    /// installment amount before any recast.
    pub fn regular_payment(&self) -> Decimal {
        self.regular_payment
    }
    /// The installments in order.
    pub fn installments(&self) -> &[Installment] {
        &self.installments
    }
    /// The last installment.
    pub fn last(&self) -> Option<&Installment> {
        self.installments.last()
    }
    /// Number of installments.
    pub fn len(&self) -> usize {
        self.installments.len()
    }
    /// Whether the schedule has no installments (never the case for valid terms).
    pub fn is_empty(&self) -> bool {
        self.installments.is_empty()
    }
    /// Sums of the rows.
    pub fn totals(&self) -> Totals {
        self.totals
    }
    /// Σ of all installments (the seed's `total_amount`).
    pub fn total_amount(&self) -> Decimal {
        self.totals.paid
    }
    /// Whether any installment amortized negatively (payment cap).
    pub fn negative_amortization(&self) -> bool {
        self.negative_amortization
    }
    /// The recasts of the level payment, in order (none for a fixed-rate schedule).
    pub fn adjustments(&self) -> &[Adjustment] {
        &self.adjustments
    }
    /// Rows in their wire form.
    pub fn records(&self) -> Vec<InstallmentRecord> {
        self.installments
            .iter()
            .map(InstallmentRecord::from)
            .collect()
    }
}

/// A one-off extra payment on a date (applied with the first installment due on or after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LumpSum {
    /// Date of the extra payment.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Amount.
    pub amount: Decimal,
}

/// Extra payments for a what-if.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtraPayments {
    /// Extra principal with every installment.
    pub recurring: Decimal,
    /// First installment number that carries the recurring extra (default 1).
    pub recurring_from: u32,
    /// One-off extra payments.
    pub lump_sums: Vec<LumpSum>,
    /// Reduce term (default) or reduce payment.
    pub policy: PrepaymentPolicy,
}

impl ExtraPayments {
    /// A recurring extra amount per installment.
    pub fn recurring(amount: Decimal) -> ExtraPayments {
        ExtraPayments {
            recurring: amount,
            ..ExtraPayments::default()
        }
    }

    pub(super) fn validate(&self, terms: &LoanTerms) -> Result<()> {
        let c = terms.currency();
        if self.recurring < Decimal::ZERO {
            return Err(Error::validation("recurring", "must not be negative"));
        }
        c.check_precision("recurring", self.recurring)?;
        for (i, l) in self.lump_sums.iter().enumerate() {
            if l.amount <= Decimal::ZERO {
                return Err(Error::validation(
                    format!("lump_sums[{i}].amount"),
                    "must be greater than zero",
                ));
            }
            c.check_precision(&format!("lump_sums[{i}].amount"), l.amount)?;
            if l.date <= terms.start() {
                return Err(Error::validation(
                    format!("lump_sums[{i}].date"),
                    "must be after the start date",
                ));
            }
        }
        Ok(())
    }
}

/// The result of a what-if: the new schedule and what it saves against the base schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    /// Totals of the schedule without extra payments.
    pub base_totals: Totals,
    /// Installments of the schedule without extra payments.
    pub base_installments: u32,
    /// The schedule with the extra payments.
    pub schedule: Schedule,
    /// Interest saved (base interest − new interest).
    pub interest_saved: Decimal,
    /// Installments saved (base count − new count).
    pub installments_saved: u32,
}

#[cfg(test)]
mod packed_date_tests {
    use super::*;

    #[test]
    fn epoch_days_count_like_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut d = NaiveDate::from_ymd_opt(-1200, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2600, 12, 31).unwrap();
        while d <= end {
            assert_eq!(
                i64::from(PackedDate::from_date(d).epoch_days()),
                (d - epoch).num_days(),
                "{d}"
            );
            d += chrono::Duration::days(1);
        }
    }
}
