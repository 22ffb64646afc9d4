//! Amortization schedules: one [`Installment`] per period, generated from [`LoanTerms`].
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
use crate::math::calendar::Fraction;
use crate::math::money::{Currency, RoundingMode};
use crate::math::rate::{Compounding, Rate};
use crate::schedule::terms::{
    AmortizationMethod, BalancePrecision, LoanTerms, PrepaymentPolicy, MAX_INSTALLMENTS,
};

/// A balance above this multiple of the principal means the schedule runs away (a
/// near-perpetuity whose rounding error compounds, or a payment cap far below the interest).
const RUNAWAY_FACTOR: i128 = 4;

/// Extra digits carried under [`BalancePrecision::CarryPrecision`].
const CARRY_DIGITS: u32 = 6;

/// One installment of a schedule. Amounts are stored as integer minor units and become
/// `Decimal` when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Installment {
    number: u32,
    due: PackedDate,
    interest: i64,
    principal: i64,
    balance: i64,
    deferred_interest: i64,
    extra_principal: i64,
    scale: u8,
    negative_amortization: bool,
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
}

/// A calendar date packed as `year << 9 | month << 5 | day`: rows build the `NaiveDate` only
/// when it is read (dates are validated when the schedule is generated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct PackedDate(i32);

impl PackedDate {
    #[inline]
    fn new(year: i32, month: u32, day: u32) -> PackedDate {
        PackedDate((year << 9) | ((month as i32) << 5) | day as i32)
    }

    fn from_date(d: NaiveDate) -> PackedDate {
        PackedDate::new(d.year(), d.month(), d.day())
    }

    fn date(self) -> NaiveDate {
        let (y, m, d) = (
            self.0 >> 9,
            ((self.0 >> 5) & 0xF) as u32,
            (self.0 & 0x1F) as u32,
        );
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }
}

/// Wire form of an installment (amounts as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallmentRecord {
    /// 1-based number.
    pub number: u32,
    /// Due date.
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
    currency: Currency,
    regular_payment: Decimal,
    installments: Vec<Installment>,
    totals: Totals,
    negative_amortization: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    adjustments: Vec<Adjustment>,
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

    fn validate(&self, terms: &LoanTerms) -> Result<()> {
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

impl LoanTerms {
    /// The contractual schedule.
    pub fn schedule(&self) -> Result<Schedule> {
        generate(self, None)
    }

    /// The schedule with extra payments, and the interest and installments saved.
    ///
    /// ```
    /// use loansyncro_core::{ExtraPayments, LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(250000))
    ///     .annual_rate(Rate::from_percent(dec!(6.5)).unwrap())
    ///     .installments(360)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build().unwrap();
    /// let w = terms.what_if(&ExtraPayments::recurring(dec!(200))).unwrap();
    /// assert_eq!(w.installments_saved, 95);
    /// assert_eq!(w.interest_saved, dec!(97618.44));
    /// ```
    pub fn what_if(&self, extra: &ExtraPayments) -> Result<WhatIf> {
        extra.validate(self)?;
        let base = generate(self, None)?;
        let schedule = generate(self, Some(extra))?;
        let base_n = u32::try_from(base.len()).unwrap_or(u32::MAX);
        let new_n = u32::try_from(schedule.len()).unwrap_or(u32::MAX);
        Ok(WhatIf {
            base_totals: base.totals,
            base_installments: base_n,
            interest_saved: base.totals.interest - schedule.totals.interest,
            installments_saved: base_n.saturating_sub(new_n),
            schedule,
        })
    }
}

/// Number of installments a fixed installment amount needs (used by the builder).
pub(crate) fn fixed_installment_count(terms: &LoanTerms) -> Result<u32> {
    let s = generate(terms, None)?;
    let amount = match terms.method() {
        AmortizationMethod::FixedInstallment { amount } => amount,
        _ => return u32::try_from(s.len()).map_err(|_| Error::overflow("installments")),
    };
    let last = s
        .last()
        .ok_or_else(|| Error::validation("method.amount", "produced no installments"))?;
    if s.len() >= MAX_INSTALLMENTS as usize && last.payment() > amount {
        return Err(Error::validation(
            "method.amount",
            format!("{amount} does not repay the loan within {MAX_INSTALLMENTS} installments"),
        ));
    }
    u32::try_from(s.len()).map_err(|_| Error::overflow("installments"))
}

/// `value × f` rounded with `mode`, exactly (in 64-bit integers when everything fits).
#[inline]
fn mul_frac(value: i128, f: Fraction, mode: RoundingMode) -> Result<i128> {
    if let (Ok(v), Ok(n), Ok(d)) = (
        i64::try_from(value),
        i64::try_from(f.num),
        i64::try_from(f.den),
    ) {
        if let Some(q) = v.checked_mul(n).and_then(|p| mode.div_round_i64(p, d)) {
            return Ok(i128::from(q));
        }
    }
    let num = value
        .checked_mul(f.num)
        .ok_or_else(|| Error::overflow("interest"))?;
    mode.div_round_i128(num, f.den)
        .ok_or_else(|| Error::overflow("interest"))
}

fn pow10(exp: u32) -> Result<i128> {
    10i128
        .checked_pow(exp)
        .ok_or_else(|| Error::overflow("scale"))
}

/// The per-period rate as an exact fraction.
struct PeriodRate {
    compounding: Compounding,
    ppy: Option<u32>,
    nominal: Fraction,
}

impl PeriodRate {
    /// Rate for a period of year-fraction `frac` at annual rate `annual`.
    fn fraction(&self, annual: Rate, frac: Fraction) -> Result<Fraction> {
        let a = annual.fraction();
        let (m, e) = (a.mantissa(), a.scale());
        let of = |x: Option<i128>| x.ok_or_else(|| Error::overflow("period rate"));
        match self.compounding {
            Compounding::Nominal => Ok(Fraction::new(
                of(m.checked_mul(frac.num))?,
                of(pow10(e)?.checked_mul(frac.den))?,
            )),
            other => {
                let ppy = self.ppy.ok_or_else(|| {
                    Error::validation(
                        "compounding",
                        "needs a frequency with a whole number of periods a year",
                    )
                })?;
                let rp = other.periodic_rate(annual, ppy)?;
                let (pm, pe) = (rp.mantissa(), rp.scale());
                // rp × frac / nominal
                Ok(Fraction::new(
                    of(of(pm.checked_mul(frac.num))?.checked_mul(self.nominal.den))?,
                    of(of(pow10(pe)?.checked_mul(frac.den))?.checked_mul(self.nominal.num))?,
                ))
            }
        }
    }
}

/// Level payment that takes `balance` to `residual` over `periods` at periodic rate `r`.
/// Returns the payment and the discount factor `v = (1+r)^-periods`.
fn annuity_payment(
    balance: Decimal,
    rate: Fraction,
    periods: u32,
    residual: Decimal,
) -> Result<(Decimal, Decimal)> {
    let r = rate.to_decimal();
    let ovf = || Error::overflow("annuity payment");
    if periods == 0 {
        return Ok((balance, Decimal::ONE));
    }
    let n = Decimal::from(periods);
    if r.is_zero() {
        return Ok((
            (balance - residual).checked_div(n).ok_or_else(ovf)?,
            Decimal::ONE,
        ));
    }
    let v = match crate::math::fixed::discount_factor(rate.num, rate.den, periods) {
        Some(v) => v,
        None => {
            let discount = Decimal::ONE.checked_div(Decimal::ONE + r).ok_or_else(ovf)?;
            pow_u32(discount, periods).ok_or_else(ovf)?
        }
    };
    let annuity_factor = Decimal::ONE - v;
    if annuity_factor.is_zero() {
        return Err(ovf());
    }
    let owed = if residual.is_zero() {
        balance
    } else {
        balance - residual * v
    };
    let payment = owed
        .checked_mul(r)
        .and_then(|x| x.checked_div(annuity_factor))
        .ok_or_else(ovf)?;
    Ok((payment, v))
}

/// `base^exp` by repeated squaring (a value below 1 underflows gracefully to 0).
fn pow_u32(base: Decimal, mut exp: u32) -> Option<Decimal> {
    let mut result = Decimal::ONE;
    let mut b = base;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result.checked_mul(b)?;
        }
        exp >>= 1;
        if exp > 0 {
            b = b.checked_mul(b)?;
        }
    }
    Some(result)
}

/// Discount factors of the periods at one annual rate, for level payments when the periods'
/// year fractions differ (actual day counts, an odd first period). Built once per rate regime.
struct AnnuityTable {
    rate: Rate,
    /// `sums[k-1]` = Σ_{j≥k} Π_{i=k..=j} 1/(1+r_i): the value of 1 per period from period k on.
    sums: Vec<Decimal>,
    /// `products[k-1]` = Π_{i≥k} 1/(1+r_i): the value of 1 paid at the end.
    products: Vec<Decimal>,
}

/// Mutable state of the generator.
struct Engine<'a> {
    terms: &'a LoanTerms,
    extra: Option<&'a ExtraPayments>,
    scale: u32,
    unit: i128,
    rates: PeriodRate,
    amortize_over: u32,
    first_due: NaiveDate,
    regular_first: bool,
    table: Option<AnnuityTable>,
}

impl<'a> Engine<'a> {
    fn to_units(&self, amount: Decimal, mode: RoundingMode) -> Result<i128> {
        let minor = self
            .terms
            .currency()
            .to_minor(amount, mode)
            .ok_or_else(|| Error::overflow("amount"))?;
        minor
            .checked_mul(self.unit)
            .ok_or_else(|| Error::overflow("amount"))
    }

    #[inline]
    fn display(&self, units: i128, mode: RoundingMode) -> Result<i64> {
        let minor = if self.unit == 1 {
            units
        } else {
            mode.div_round_i128(units, self.unit)
                .ok_or_else(|| Error::overflow("amount"))?
        };
        i64::try_from(minor).map_err(|_| Error::overflow("amount"))
    }

    fn rounded_installment(&self, exact: Decimal) -> Result<i128> {
        let t = self.terms;
        let rounded = match t.installment_multiple() {
            Some(step) => t.payment_rounding().round_to_multiple(exact, step),
            None => t.currency().round(exact, t.payment_rounding()),
        };
        self.to_units(rounded, RoundingMode::HalfUp)
    }

    /// Whether every period from `k` on has the same year fraction (closed-form annuity).
    fn uniform_from(&self, k: u32) -> bool {
        let t = self.terms;
        let regular = k > 1 || self.regular_first;
        let dc = t.day_count();
        regular
            && (dc.is_thirty_360()
                || (t.frequency().days().is_some()
                    && dc != crate::math::calendar::DayCount::ActualActualIsda))
    }

    /// The periodic rate of the level payment from period `k` on when it is a closed-form
    /// annuity: the payment day count's nominal period (e.g. 30/360 under actual/360 accrual),
    /// or the accrual's when every period from `k` on has the same length; `None` otherwise.
    fn closed_form_rate(&self, annual: Rate, k: u32) -> Result<Option<Fraction>> {
        let t = self.terms;
        let nominal = match t.payment_day_count() {
            Some(basis) => t.frequency().nominal_fraction(basis),
            None if self.uniform_from(k) => self.rates.nominal,
            None => return Ok(None),
        };
        Ok(Some(self.rates.fraction(annual, nominal)?.reduced()))
    }

    /// Year fraction of period `k` (1-based).
    fn period_fraction(&self, k: u32) -> Result<Fraction> {
        let t = self.terms;
        let f = t.frequency();
        let out = || Error::validation("installments", "due dates run out of range");
        let due = f.step(self.first_due, k - 1).ok_or_else(out)?;
        let previous = if k == 1 {
            t.start()
        } else {
            f.step(self.first_due, k - 2).ok_or_else(out)?
        };
        Ok(t.day_count()
            .period_fraction(f, previous, due, k > 1 || self.regular_first))
    }

    fn build_table(&self, annual: Rate) -> Result<AnnuityTable> {
        let ovf = || Error::overflow("annuity table");
        let n = self.amortize_over as usize;
        let mut sums = vec![Decimal::ZERO; n];
        let mut products = vec![Decimal::ONE; n];
        let (mut sum, mut product) = (Decimal::ZERO, Decimal::ONE);
        for k in (1..=self.amortize_over).rev() {
            let r = self
                .rates
                .fraction(annual, self.period_fraction(k)?)?
                .to_decimal();
            let d = Decimal::ONE.checked_div(Decimal::ONE + r).ok_or_else(ovf)?;
            sum = d.checked_mul(Decimal::ONE + sum).ok_or_else(ovf)?;
            product = d.checked_mul(product).ok_or_else(ovf)?;
            let i = k as usize - 1;
            if let (Some(s), Some(p)) = (sums.get_mut(i), products.get_mut(i)) {
                *s = sum;
                *p = product;
            }
        }
        Ok(AnnuityTable {
            rate: annual,
            sums,
            products,
        })
    }

    /// The exact level payment that takes `balance` to `residual` over periods `k..=amortize_over`.
    /// Returns the payment and the discount factor `v` of the whole remaining span.
    fn level_exact(
        &mut self,
        balance: Decimal,
        residual: Decimal,
        annual: Rate,
        k: u32,
    ) -> Result<(Decimal, Decimal)> {
        let periods = self.amortize_over.saturating_sub(k - 1).max(1);
        if let Some(r) = self.closed_form_rate(annual, k)? {
            return annuity_payment(balance, r, periods, residual);
        }
        if self.table.as_ref().map(|t| t.rate) != Some(annual) {
            self.table = Some(self.build_table(annual)?);
        }
        let i = (k as usize).saturating_sub(1);
        let ovf = || Error::overflow("annuity payment");
        let table = self.table.as_ref().ok_or_else(ovf)?;
        match (table.sums.get(i), table.products.get(i)) {
            (Some(sum), Some(product)) if !sum.is_zero() => Ok((
                (balance - residual * *product)
                    .checked_div(*sum)
                    .ok_or_else(ovf)?,
                *product,
            )),
            _ => Ok((balance, Decimal::ONE)),
        }
    }

    /// The rounded level installment from `balance` (units) for periods `k..`.
    fn level_payment(&mut self, balance: i128, annual: Rate, k: u32) -> Result<i128> {
        let bal = Decimal::from_i128_with_scale(balance, self.scale + self.digits());
        let residual = self.terms.balloon().unwrap_or(Decimal::ZERO);
        let (exact, v) = self.level_exact(bal, residual, annual, k)?;
        let rounded = match self.exact_tie(balance, residual, annual, k, exact)? {
            Some(tie) => self.to_units(tie, RoundingMode::HalfUp)?,
            None => self.rounded_installment(exact)?,
        };
        // Rounding noise (the installment's, and half a minor unit of interest every period)
        // compounds to noise / v by the last installment. In a near-perpetuity that exceeds an
        // installment: then the installment carries a surplus of one minor unit over the exact
        // value, which outweighs the noise, so the loan closes (early) instead of running away.
        let shown = Decimal::from_i128_with_scale(rounded, self.scale + self.digits());
        let half_unit = self.terms.currency().minor_unit() / Decimal::TWO;
        // noise / v > shown  <=>  shown × v < noise (and v is at most 1).
        let runaway = shown.checked_mul(v).is_none_or(|x| x < half_unit);
        if runaway || v.is_zero() {
            let up = self.to_units(
                self.terms.currency().round(exact, RoundingMode::Up),
                RoundingMode::Up,
            )?;
            return self.installment_above(up);
        }
        Ok(rounded)
    }

    /// The level installment rounded on its exact rational value when its approximation
    /// `exact` is within a hair of a half minor unit (see [`crate::math::exact`]); `None` when the
    /// approximation rounds correctly or the case is not a plain annuity over uniform periods.
    fn exact_tie(
        &self,
        balance: i128,
        residual: Decimal,
        annual: Rate,
        k: u32,
        exact: Decimal,
    ) -> Result<Option<Decimal>> {
        let t = self.terms;
        if !residual.is_zero() || t.installment_multiple().is_some() {
            return Ok(None);
        }
        let Some(rate) = self.closed_form_rate(annual, k)? else {
            return Ok(None);
        };
        let periods = self.amortize_over.saturating_sub(k - 1).max(1);
        Ok(crate::math::exact::annuity_tie(
            balance,
            self.scale + self.digits(),
            rate,
            periods,
            self.scale,
            t.payment_rounding(),
            exact,
        ))
    }

    /// The smallest installment (in the installment's rounding step) above `interest` (units).
    fn installment_above(&self, interest: i128) -> Result<i128> {
        let t = self.terms;
        let floor = Decimal::from_i128_with_scale(interest + self.unit, self.scale + self.digits());
        let rounded = match t.installment_multiple() {
            Some(step) => RoundingMode::Up.round_to_multiple(floor, step),
            None => t.currency().round(floor, RoundingMode::Up),
        };
        self.to_units(rounded, RoundingMode::Up)
    }

    /// How much an extra payment of `extra` (units) before period `k` lowers the installment
    /// under the reduce-payment policy: its own annuity over the remaining periods, rounded
    /// down so the balances never exceed those of the schedule without it.
    fn payment_reduction(&mut self, extra: i128, annual: Rate, k: u32) -> Result<i128> {
        if k > self.amortize_over {
            return Ok(0);
        }
        let x = Decimal::from_i128_with_scale(extra, self.scale + self.digits());
        let (exact, _) = self.level_exact(x, Decimal::ZERO, annual, k)?;
        let minor = self
            .terms
            .currency()
            .to_minor(exact, RoundingMode::Down)
            .ok_or_else(|| Error::overflow("amount"))?;
        minor
            .checked_mul(self.unit)
            .ok_or_else(|| Error::overflow("amount"))
    }

    fn digits(&self) -> u32 {
        match self.terms.balance_precision() {
            BalancePrecision::RoundEachBalance => 0,
            BalancePrecision::CarryPrecision => CARRY_DIGITS,
            BalancePrecision::Spreadsheet => 0,
        }
    }

    /// Extra principal scheduled with installment `k` (period `from..=to`).
    fn extra_for(&self, k: u32, from: NaiveDate, to: NaiveDate) -> Result<i128> {
        let Some(extra) = self.extra else {
            return Ok(0);
        };
        let mut total = Decimal::ZERO;
        if k >= extra.recurring_from.max(1) {
            total += extra.recurring;
        }
        for l in &extra.lump_sums {
            if l.date > from && l.date <= to {
                total += l.amount;
            }
        }
        self.to_units(total, RoundingMode::HalfUp)
    }
}

/// Flat (add-on) interest: the interest of the whole term on the original principal.
fn flat_total_interest(e: &Engine<'_>, principal: i128) -> Result<i128> {
    let t = e.terms;
    let n = i128::from(t.installments());
    let period = e.rates.fraction(t.annual_rate(), e.rates.nominal)?;
    let whole = Fraction::new(
        period
            .num
            .checked_mul(n)
            .ok_or_else(|| Error::overflow("flat interest"))?,
        period.den,
    );
    mul_frac(principal, whole, t.interest_rounding())
}

/// Whether the fast path may be used (tests turn it off to compare both paths).
static FAST_PATH: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

#[doc(hidden)]
/// Enables or disables the fast path (for tests that check it against the general loop).
pub fn set_fast_path(enabled: bool) {
    FAST_PATH.store(enabled, std::sync::atomic::Ordering::Relaxed);
}

/// The common case in 64-bit integers: a level installment over uniform periods with no grace,
/// rate changes, extra payments or carried precision. Returns `None` when it does not apply.
fn fast_level_annuity(e: &mut Engine<'_>, principal: i128) -> Result<Option<Schedule>> {
    let t = e.terms;
    let eligible = FAST_PATH.load(std::sync::atomic::Ordering::Relaxed)
        && t.method() == AmortizationMethod::EqualInstallments
        && e.extra.is_none()
        && e.unit == 1
        && t.rate_changes().is_empty()
        && t.adjustment_payment_numbers().is_empty()
        && t.grace() == crate::schedule::terms::Grace::default()
        && e.uniform_from(1)
        && t.frequency().months().is_some();
    if !eligible {
        return Ok(None);
    }
    let rate = e
        .rates
        .fraction(t.annual_rate(), e.rates.nominal)?
        .reduced();
    let (Ok(num), Ok(den), Ok(balance)) = (
        i64::try_from(rate.num),
        i64::try_from(rate.den),
        i64::try_from(principal),
    ) else {
        return Ok(None);
    };
    if balance.checked_mul(num).is_none() || den <= 0 {
        return Ok(None);
    }
    let mode = t.interest_rounding();
    let first_interest = mode
        .div_round_i64(balance * num, den)
        .ok_or_else(|| Error::overflow("interest"))?;
    let mut level = e.level_payment(principal, t.annual_rate(), 1)?;
    if level <= i128::from(first_interest) {
        level = e.installment_above(i128::from(first_interest))?;
    }
    let Ok(level) = i64::try_from(level) else {
        return Ok(None);
    };
    let n = t.installments();
    let scale = u8::try_from(e.scale).map_err(|_| Error::overflow("scale"))?;
    let step = t.frequency().months().unwrap_or(1);
    let (Ok(balance), Ok(level), Ok(num), Ok(den)) = (
        u64::try_from(balance),
        u64::try_from(level),
        u64::try_from(num),
        u64::try_from(den),
    ) else {
        return Ok(None);
    };
    let plan = FastPlan {
        balance,
        level,
        num,
        den,
        n,
        step,
        year: e.first_due.year(),
        month: e.first_due.month(),
        day: e.first_due.day(),
        scale,
    };
    let (mut rows, sum_interest) = match mode {
        RoundingMode::HalfUp => fast_rows::<HalfUpDiv>(&plan),
        RoundingMode::HalfEven => fast_rows::<HalfEvenDiv>(&plan),
        RoundingMode::Up => fast_rows::<UpDiv>(&plan),
        RoundingMode::Down => fast_rows::<DownDiv>(&plan),
    };
    // Balances never increase, so the rows after the one that closed the loan (an installment
    // rounded up can finish early) start where the balance first reaches zero.
    let closed = rows.partition_point(|r| r.balance > 0) + 1;
    rows.truncate(closed);
    if rows.last().is_none_or(|r| r.balance != 0) {
        return Ok(None);
    }
    let sum_paid = i64::try_from(principal).map_err(|_| Error::overflow("amount"))? + sum_interest;
    // Dates are valid unless the last one left chrono's range.
    if let Some(last) = rows.last() {
        let (y, m) = (last.due.0 >> 9, ((last.due.0 >> 5) & 0xF) as u32);
        if NaiveDate::from_ymd_opt(y, m, 1).is_none() {
            return Err(Error::validation(
                "installments",
                "due dates run out of range",
            ));
        }
    }
    let currency = t.currency();
    Ok(Some(Schedule {
        currency,
        regular_payment: Decimal::from_i128_with_scale(i128::from(level), e.scale),
        totals: Totals {
            interest: Decimal::new(sum_interest, e.scale),
            principal: Decimal::from_i128_with_scale(principal, e.scale),
            paid: Decimal::new(sum_paid, e.scale),
            extra_principal: Decimal::ZERO,
        },
        installments: rows,
        negative_amortization: false,
        adjustments: Vec::new(),
    }))
}

/// Rounded division of non-negative integers, one type per rounding mode so the fast loop is
/// compiled once per mode with no per-row branch on the mode.
trait RoundedDiv {
    fn div(num: u64, den: u64) -> u64;
}

struct HalfUpDiv;
struct HalfEvenDiv;
struct UpDiv;
struct DownDiv;

impl RoundedDiv for HalfUpDiv {
    #[inline(always)]
    fn div(num: u64, den: u64) -> u64 {
        let (q, r) = (num / den, num % den);
        q + u64::from(r >= den - r)
    }
}

impl RoundedDiv for HalfEvenDiv {
    #[inline(always)]
    fn div(num: u64, den: u64) -> u64 {
        let (q, r) = (num / den, num % den);
        let half = den - r;
        q + u64::from(r > half || (r == half && q % 2 == 1))
    }
}

impl RoundedDiv for UpDiv {
    #[inline(always)]
    fn div(num: u64, den: u64) -> u64 {
        num.div_ceil(den)
    }
}

impl RoundedDiv for DownDiv {
    #[inline(always)]
    fn div(num: u64, den: u64) -> u64 {
        num / den
    }
}

/// Inputs of the fast loop, all validated non-negative and overflow-free by the caller.
struct FastPlan {
    balance: u64,
    level: u64,
    num: u64,
    den: u64,
    n: u32,
    step: u32,
    year: i32,
    month: u32,
    day: u32,
    scale: u8,
}

/// The rows of a level annuity over uniform periods (every row; the caller cuts the rows after
/// the balance closes) and the total interest.
fn fast_rows<R: RoundedDiv>(p: &FastPlan) -> (Vec<Installment>, i64) {
    let (mut balance, mut year, mut month) = (p.balance, p.year, p.month);
    let mut sum_interest = 0u64;
    let rows = (1..p.n + 1)
        .map(|k| {
            // The interest only shrinks with the balance and the level exceeds the first
            // period's interest, so the principal part is never negative here.
            let interest = R::div(balance * p.num, p.den);
            let mut principal = p.level.saturating_sub(interest);
            if k == p.n || principal > balance {
                principal = balance;
            }
            balance -= principal;
            sum_interest += interest;
            let day = if p.day > 28 {
                p.day.min(crate::math::calendar::days_in_month(year, month))
            } else {
                p.day
            };
            let due = PackedDate::new(year, month, day);
            month += p.step;
            if month > 12 {
                month -= 12;
                year += 1;
            }
            Installment {
                number: k,
                due,
                interest: interest as i64,
                principal: principal as i64,
                balance: balance as i64,
                deferred_interest: 0,
                extra_principal: 0,
                scale: p.scale,
                negative_amortization: false,
            }
        })
        .collect();
    (rows, sum_interest as i64)
}

/// The spreadsheet/textbook table (see [`crate::schedule::spreadsheet`]).
fn spreadsheet_schedule(e: &mut Engine<'_>, extra: Option<&ExtraPayments>) -> Result<Schedule> {
    let t = e.terms;
    crate::schedule::spreadsheet::check(t, extra.is_some(), e.uniform_from(1))?;
    let rate = e
        .rates
        .fraction(t.annual_rate(), e.rates.nominal)?
        .reduced();
    let payment = match t.method() {
        AmortizationMethod::FixedInstallment { amount } => amount,
        _ => annuity_payment(t.principal(), rate, t.installments(), Decimal::ZERO)?.0,
    };
    let table = crate::schedule::spreadsheet::Table {
        rate: rate.to_decimal(),
        payment,
    };
    let shown = crate::schedule::spreadsheet::rows(t, &table)?;
    let currency = t.currency();
    let scale = u8::try_from(e.scale).map_err(|_| Error::overflow("scale"))?;
    let minor = |x: Decimal| -> Result<i64> {
        currency
            .to_minor(x, RoundingMode::HalfUp)
            .and_then(|m| i64::try_from(m).ok())
            .ok_or_else(|| Error::overflow("amount"))
    };
    let mut dates = crate::math::calendar::DueDates::new(t.frequency(), e.first_due);
    let mut rows = Vec::with_capacity(shown.len());
    let (mut interest, mut principal, mut paid) = (0i64, 0i64, 0i64);
    for (k, row) in (1u32..).zip(&shown) {
        let due = dates
            .next()
            .ok_or_else(|| Error::validation("installments", "due dates run out of range"))?;
        let installment = Installment {
            number: k,
            due: PackedDate::from_date(due),
            interest: minor(row.interest)?,
            principal: minor(row.principal)?,
            balance: minor(row.balance)?,
            deferred_interest: 0,
            extra_principal: 0,
            scale,
            negative_amortization: row.principal < Decimal::ZERO,
        };
        interest += installment.interest;
        principal += installment.principal;
        paid += installment.payment_minor();
        rows.push(installment);
    }
    Ok(Schedule {
        currency,
        regular_payment: currency.round(payment, t.payment_rounding()),
        totals: Totals {
            interest: Decimal::new(interest, e.scale),
            principal: Decimal::new(principal, e.scale),
            paid: Decimal::new(paid, e.scale),
            extra_principal: Decimal::ZERO,
        },
        negative_amortization: rows.iter().any(|r| r.negative_amortization),
        installments: rows,
        adjustments: Vec::new(),
    })
}

/// Generates a schedule, optionally with extra payments.
pub(crate) fn generate(terms: &LoanTerms, extra: Option<&ExtraPayments>) -> Result<Schedule> {
    let currency = terms.currency();
    let scale = currency.minor_units();
    let n = terms.installments();
    let frequency = terms.frequency();
    let day_count = terms.day_count();
    let mut engine = Engine {
        terms,
        extra,
        scale,
        unit: 1,
        rates: PeriodRate {
            compounding: terms.compounding(),
            ppy: frequency.periods_per_year(),
            nominal: frequency.nominal_fraction(day_count),
        },
        amortize_over: terms.amortization_installments().unwrap_or(n),
        first_due: terms
            .first_due_date()
            .ok_or_else(|| Error::validation("start", "first due date out of range"))?,
        regular_first: true,
        table: None,
    };
    engine.unit = pow10(engine.digits())?;
    let first_due = engine.first_due;
    let regular_first =
        terms.first_due().is_none() || frequency.first_due_after(terms.start()) == Some(first_due);
    engine.regular_first = regular_first;
    let e = &mut engine;
    if terms.balance_precision() == BalancePrecision::Spreadsheet {
        return spreadsheet_schedule(e, extra);
    }
    let method = terms.method();
    let grace = terms.grace();
    let interest_mode = terms.interest_rounding();
    let principal_units = e.to_units(terms.principal(), RoundingMode::HalfUp)?;
    let amortizing_periods = n.saturating_sub(grace.principal_periods).max(1);

    // Method-specific constants.
    let (flat_interest_total, flat_interest_part) = if method == AmortizationMethod::FlatInterest {
        let total = flat_total_interest(e, principal_units)?;
        (total, total / i128::from(n.max(1)))
    } else {
        (0, 0)
    };
    let equal_principal_part = match method {
        AmortizationMethod::EqualPrincipal | AmortizationMethod::FlatInterest => {
            let residual = e.to_units(
                terms.balloon().unwrap_or(Decimal::ZERO),
                RoundingMode::HalfUp,
            )?;
            let exact =
                Decimal::from_i128_with_scale(principal_units - residual, scale + e.digits())
                    / Decimal::from(amortizing_periods);
            e.rounded_installment(exact)?
        }
        _ => 0,
    };

    let mut rows: Vec<Installment> = Vec::with_capacity(n as usize);
    let mut balance = principal_units;
    let mut shown_balance = e.display(balance, RoundingMode::HalfUp)?;
    let mut deferred: i128 = 0;
    let mut level: Option<i128> = match method {
        AmortizationMethod::FixedInstallment { amount } => {
            Some(e.to_units(amount, RoundingMode::HalfUp)?)
        }
        _ => None,
    };
    let mut regular_payment: Option<i128> = level;
    let mut current_rate = terms.annual_rate();
    let mut previous = terms.start();
    let mut flat_paid: i128 = 0;
    let mut any_negative = false;
    let (mut sum_interest, mut sum_paid, mut sum_extra) = (0i64, 0i64, 0i64);
    let scale_u8 = u8::try_from(scale).map_err(|_| Error::overflow("scale"))?;
    let has_changes = !terms.rate_changes().is_empty();

    if let Some(fast) = fast_level_annuity(e, principal_units)? {
        return Ok(fast);
    }
    let uniform_regular = e.uniform_from(2);
    let mut cached_rate: Option<(Rate, Fraction)> = None;
    let mut adjustments: Vec<Adjustment> = Vec::new();
    let mut due_dates = crate::math::calendar::DueDates::new(frequency, first_due);
    for k in 1..=n {
        let due = due_dates
            .next()
            .ok_or_else(|| Error::validation("installments", "due dates run out of range"))?;
        let mut recast = false;
        if has_changes {
            let rate = terms.rate_on(previous);
            if rate != current_rate {
                current_rate = rate;
                recast = level.is_some()
                    && !matches!(method, AmortizationMethod::FixedInstallment { .. });
            }
        }
        // Scheduled adjustment dates recast whether or not the rate changed.
        recast |= level.is_some() && terms.adjustment_payment_numbers().binary_search(&k).is_ok();
        let regular = k > 1 || regular_first;

        // Interest of the period.
        let period_interest = if method == AmortizationMethod::FlatInterest {
            if k == n {
                flat_interest_total - flat_paid
            } else {
                flat_interest_part
            }
        } else {
            let rate = match cached_rate {
                Some((r, f)) if r == current_rate && regular && uniform_regular => f,
                _ => {
                    let frac = day_count.period_fraction(frequency, previous, due, regular);
                    let f = e.rates.fraction(current_rate, frac)?.reduced();
                    if regular && uniform_regular {
                        cached_rate = Some((current_rate, f));
                    }
                    f
                }
            };
            mul_frac(balance, rate, interest_mode)?
        };
        flat_paid += period_interest;
        let (interest_due, deferred_now) = if k <= grace.interest_periods {
            deferred += period_interest;
            (0, period_interest)
        } else {
            let catch_up = std::mem::take(&mut deferred);
            (period_interest + catch_up, 0)
        };

        // Principal of the period.
        let amortizing = k > grace.principal_periods;
        let mut principal = if !amortizing {
            0
        } else {
            match method {
                AmortizationMethod::EqualInstallments
                | AmortizationMethod::FixedInstallment { .. } => {
                    if level.is_none() || recast {
                        let mut fresh = e.level_payment(balance, current_rate, k)?;
                        if fresh <= period_interest {
                            // Near-perpetuities: rounding must not leave the installment at or
                            // below the interest, or the loan would never amortize.
                            fresh = e.installment_above(period_interest)?;
                        }
                        let uncapped = fresh;
                        if let (Some(old), Some(cap), true) = (level, terms.payment_cap(), recast) {
                            let old_dec = Decimal::from_i128_with_scale(old, scale + e.digits());
                            let ceiling = e.to_units(
                                currency.round(
                                    old_dec
                                        .checked_mul(cap)
                                        .ok_or_else(|| Error::overflow("payment cap"))?,
                                    RoundingMode::HalfUp,
                                ),
                                RoundingMode::HalfUp,
                            )?;
                            fresh = fresh.min(ceiling);
                        }
                        if recast {
                            adjustments.push(Adjustment {
                                payment_number: k,
                                annual_rate: current_rate,
                                balance_before: Decimal::new(
                                    e.display(balance, RoundingMode::HalfUp)?,
                                    scale,
                                ),
                                remaining_installments: n - k + 1,
                                recast_payment: Decimal::new(
                                    e.display(uncapped, RoundingMode::HalfUp)?,
                                    scale,
                                ),
                                payment: Decimal::new(
                                    e.display(fresh, RoundingMode::HalfUp)?,
                                    scale,
                                ),
                            });
                        }
                        level = Some(fresh);
                        regular_payment.get_or_insert(fresh);
                    }
                    level.unwrap_or(0) - period_interest
                }
                AmortizationMethod::EqualPrincipal | AmortizationMethod::FlatInterest => {
                    equal_principal_part
                }
                AmortizationMethod::InterestOnly => 0,
            }
        };
        let mut extra_units = e.extra_for(k, previous, due)?;
        let last = k == n;
        if last || principal >= balance {
            principal = balance;
            extra_units = 0;
        } else if principal + extra_units >= balance {
            extra_units = balance - principal;
        }
        let negative = principal < 0;
        any_negative |= negative;
        balance -= principal + extra_units;
        if balance > principal_units.saturating_mul(RUNAWAY_FACTOR) {
            return Err(Error::validation(
                "installments",
                "the installment never amortizes the loan: interest compounds faster than it is repaid (rate too high for this term, or a payment cap too tight)",
            ));
        }

        // Rows show whole minor units; under carry precision the principal is the difference of
        // the rounded balances and the interest the rest of the payment.
        let payment_units = principal + extra_units + interest_due;
        let new_shown = e.display(balance, RoundingMode::HalfUp)?;
        let payment = e.display(payment_units, RoundingMode::HalfUp)?;
        let extra_shown = e.display(extra_units, RoundingMode::HalfUp)?;
        let principal_shown = shown_balance - new_shown;
        let interest_shown = payment - principal_shown;
        shown_balance = new_shown;
        sum_interest += interest_shown;
        sum_paid += payment;
        sum_extra += extra_shown;
        rows.push(Installment {
            number: k,
            due: PackedDate::from_date(due),
            interest: interest_shown,
            principal: principal_shown,
            balance: new_shown,
            deferred_interest: e.display(deferred_now, RoundingMode::HalfUp)?,
            extra_principal: extra_shown,
            scale: scale_u8,
            negative_amortization: negative,
        });
        if balance == 0 && deferred == 0 {
            break;
        }
        if extra_units > 0 && extra.map(|x| x.policy) == Some(PrepaymentPolicy::ReducePayment) {
            if let Some(current) = level {
                let cut = e.payment_reduction(extra_units, current_rate, k + 1)?;
                level = Some((current - cut).max(0));
            }
        }
        previous = due;
    }
    if balance != 0 {
        return Err(Error::overflow("schedule did not close"));
    }
    let principal_total = e.display(principal_units, RoundingMode::HalfUp)?;
    let regular = match regular_payment {
        Some(p) => Decimal::new(e.display(p, RoundingMode::HalfUp)?, scale),
        None => rows
            .iter()
            .find(|r| r.number > grace.principal_periods)
            .or(rows.first())
            .map(|r| r.payment())
            .unwrap_or_default(),
    };
    Ok(Schedule {
        currency,
        regular_payment: regular,
        totals: Totals {
            interest: Decimal::new(sum_interest, scale),
            principal: Decimal::new(principal_total, scale),
            paid: Decimal::new(sum_paid, scale),
            extra_principal: Decimal::new(sum_extra, scale),
        },
        installments: rows,
        negative_amortization: any_negative,
        adjustments,
    })
}
