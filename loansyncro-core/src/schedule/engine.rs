//! What every schedule generator shares: the terms in integer units (minor units, or finer
//! under carried precision) and the level installment derived from them through the
//! arithmetic [`kernel`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::math::calendar::{DayCount, Fraction};
use crate::math::kernel::{self, Annuity, AnnuityTable, RateBasis};
use crate::math::money::RoundingMode;
use crate::math::rate::Rate;
use crate::schedule::amortization::ExtraPayments;
use crate::schedule::terms::{BalancePrecision, LoanTerms};

/// Extra digits carried under [`BalancePrecision::CarryPrecision`].
const CARRY_DIGITS: u32 = 6;

/// The terms of one schedule in the generators' integer units, and the annuity table of the
/// current rate when the periods differ in length.
pub(super) struct Engine<'a> {
    pub(super) terms: &'a LoanTerms,
    pub(super) extra: Option<&'a ExtraPayments>,
    /// The currency's minor units (decimal places).
    pub(super) scale: u32,
    /// Units per minor unit (1, or 10^6 under carried precision).
    pub(super) unit: i128,
    pub(super) basis: RateBasis,
    /// Installments the level payment amortizes over.
    amortize_over: u32,
    pub(super) first_due: NaiveDate,
    /// Whether the first period is a regular one (no odd first period).
    regular_first: bool,
    table: Option<(Rate, AnnuityTable)>,
}

impl<'a> Engine<'a> {
    pub(super) fn new(terms: &'a LoanTerms, extra: Option<&'a ExtraPayments>) -> Result<Self> {
        let mut engine = Engine {
            terms,
            extra,
            scale: terms.currency().minor_units(),
            unit: 1,
            basis: RateBasis::new(terms.compounding(), terms.frequency(), terms.day_count()),
            amortize_over: terms
                .amortization_installments()
                .unwrap_or(terms.installments()),
            first_due: terms
                .first_due_date()
                .ok_or_else(|| Error::validation("start", "first due date out of range"))?,
            regular_first: true,
            table: None,
        };
        engine.unit = 10i128
            .checked_pow(engine.digits())
            .ok_or_else(|| Error::overflow("scale"))?;
        engine.regular_first = terms.first_period_is_regular();
        Ok(engine)
    }

    /// Digits carried below the minor unit.
    pub(super) fn digits(&self) -> u32 {
        match self.terms.balance_precision() {
            BalancePrecision::RoundEachBalance => 0,
            BalancePrecision::CarryPrecision => CARRY_DIGITS,
            BalancePrecision::Spreadsheet => 0,
        }
    }

    /// Whether period `k` (1-based) is regular (only the first may be odd).
    pub(super) fn regular(&self, k: u32) -> bool {
        k > 1 || self.regular_first
    }

    /// An amount in units, rounded to the minor unit with `mode`.
    pub(super) fn to_units(&self, amount: Decimal, mode: RoundingMode) -> Result<i128> {
        // An amount with at most the currency's places needs no rounding (what `to_minor`
        // gives it, without the rounding call).
        let minor = match self.scale.checked_sub(amount.scale()) {
            Some(places) => 10i128
                .checked_pow(places)
                .and_then(|f| amount.mantissa().checked_mul(f)),
            None => self.terms.currency().to_minor(amount, mode),
        }
        .ok_or_else(|| Error::overflow("amount"))?;
        minor
            .checked_mul(self.unit)
            .ok_or_else(|| Error::overflow("amount"))
    }

    /// Units as shown minor units (rounded with `mode` under carried precision).
    #[inline]
    pub(super) fn display(&self, units: i128, mode: RoundingMode) -> Result<i64> {
        let minor = if self.unit == 1 {
            units
        } else {
            mode.div_round_i128(units, self.unit)
                .ok_or_else(|| Error::overflow("amount"))?
        };
        i64::try_from(minor).map_err(|_| Error::overflow("amount"))
    }

    /// Units as a `Decimal` (with the carried digits).
    pub(super) fn exact(&self, units: i128) -> Decimal {
        Decimal::from_i128_with_scale(units, self.scale + self.digits())
    }

    /// Shown minor units as a `Decimal` of the currency.
    pub(super) fn shown(&self, units: i128) -> Result<Decimal> {
        Ok(Decimal::new(
            self.display(units, RoundingMode::HalfUp)?,
            self.scale,
        ))
    }

    /// An exact installment rounded as the terms say, in units.
    pub(super) fn rounded_installment(&self, exact: Decimal) -> Result<i128> {
        let t = self.terms;
        let rounded = kernel::round_installment(
            exact,
            t.currency(),
            t.payment_rounding(),
            t.installment_multiple(),
        );
        self.to_units(rounded, RoundingMode::HalfUp)
    }

    /// Whether every period from `k` on has the same year fraction (closed-form annuity).
    pub(super) fn uniform_from(&self, k: u32) -> bool {
        let t = self.terms;
        let dc = t.day_count();
        self.regular(k)
            && (dc.is_thirty_360()
                || (t.frequency().days().is_some() && dc != DayCount::ActualActualIsda))
    }

    /// The periodic rate of the level payment from period `k` on when it is a closed-form
    /// annuity: the payment day count's nominal period (e.g. 30/360 under actual/360 accrual),
    /// or the accrual's when every period from `k` on has the same length; `None` otherwise.
    fn closed_form_rate(&self, annual: Rate, k: u32) -> Result<Option<Fraction>> {
        let t = self.terms;
        let nominal = match t.payment_day_count() {
            Some(basis) => t.frequency().nominal_fraction(basis),
            None if self.uniform_from(k) => self.basis.nominal_fraction(),
            None => return Ok(None),
        };
        Ok(Some(self.basis.period_rate(annual, nominal)?))
    }

    /// The periodic rate of period `k` (1-based) at `annual`.
    fn period_rate(&self, annual: Rate, k: u32) -> Result<Fraction> {
        let f = self.terms.frequency();
        let out = || Error::validation("installments", "due dates run out of range");
        let due = f.step(self.first_due, k - 1).ok_or_else(out)?;
        let previous = if k == 1 {
            self.terms.start()
        } else {
            f.step(self.first_due, k - 2).ok_or_else(out)?
        };
        Ok(self
            .basis
            .rate_between(annual, previous, due, self.regular(k))?)
    }

    /// The exact level payment that takes `balance` to `residual` over periods
    /// `k..=amortize_over`, and the discount factor of that span.
    fn level_exact(
        &mut self,
        balance: Decimal,
        residual: Decimal,
        annual: Rate,
        k: u32,
    ) -> Result<Annuity> {
        let periods = self.amortize_over.saturating_sub(k - 1).max(1);
        if let Some(r) = self.closed_form_rate(annual, k)? {
            return Ok(kernel::level_payment(balance, r, periods, residual)?);
        }
        let table = match self.table.take() {
            Some((rate, table)) if rate == annual => table,
            _ => {
                let rates = (1..=self.amortize_over)
                    .map(|k| self.period_rate(annual, k))
                    .collect::<Result<Vec<_>>>()?;
                AnnuityTable::new(&rates)?
            }
        };
        let annuity = table.level_payment(k, balance, residual);
        self.table = Some((annual, table));
        Ok(annuity?)
    }

    /// The rounded level installment from `balance` (units) for periods `k..`: in fixed point
    /// when [`crate::math::fixed::level_payment`] can guarantee the `Decimal` result, else by
    /// [`Engine::level_payment_decimal`].
    pub(super) fn level_payment(&mut self, balance: i128, annual: Rate, k: u32) -> Result<i128> {
        match self.level_payment_fixed(balance, annual, k)? {
            Some(units) => Ok(units),
            None => self.level_payment_decimal(balance, annual, k),
        }
    }

    /// The level installment in 64-bit fixed point: a plain annuity (closed-form rate, no
    /// residual, no installment multiple, whole minor units) away from a rounding boundary;
    /// `None` for everything else.
    fn level_payment_fixed(&self, balance: i128, annual: Rate, k: u32) -> Result<Option<i128>> {
        let t = self.terms;
        if self.unit != 1
            || t.installment_multiple().is_some()
            || t.balloon().is_some_and(|b| !b.is_zero())
        {
            return Ok(None);
        }
        let Some(rate) = self.closed_form_rate(annual, k)? else {
            return Ok(None);
        };
        let (Ok(balance), Ok(num), Ok(den)) = (
            u64::try_from(balance),
            u64::try_from(rate.num),
            u64::try_from(rate.den),
        ) else {
            return Ok(None);
        };
        let periods = self.amortize_over.saturating_sub(k - 1).max(1);
        Ok(
            crate::math::fixed::level_payment(balance, num, den, periods, t.payment_rounding())
                .map(i128::from),
        )
    }

    /// [`Engine::level_payment`] in `Decimal`: the exact payment to 28 digits, its exact tie
    /// check and the near-perpetuity guard.
    pub(super) fn level_payment_decimal(
        &mut self,
        balance: i128,
        annual: Rate,
        k: u32,
    ) -> Result<i128> {
        let residual = self.terms.balloon().unwrap_or(Decimal::ZERO);
        let Annuity {
            payment: exact,
            discount: v,
        } = self.level_exact(self.exact(balance), residual, annual, k)?;
        let rounded = match self.exact_tie(balance, residual, annual, k, exact)? {
            Some(tie) => self.to_units(tie, RoundingMode::HalfUp)?,
            None => self.rounded_installment(exact)?,
        };
        // Rounding noise (the installment's, and half a minor unit of interest every period)
        // compounds to noise / v by the last installment. In a near-perpetuity that exceeds an
        // installment: then the installment carries a surplus of one minor unit over the exact
        // value, which outweighs the noise, so the loan closes (early) instead of running away.
        let half_unit = Decimal::new(5, self.scale + 1);
        // noise / v > shown  <=>  shown × v < noise (and v is at most 1).
        let runaway = self
            .exact(rounded)
            .checked_mul(v)
            .is_none_or(|x| x < half_unit);
        if runaway || v.is_zero() {
            let up = self.to_units(exact, RoundingMode::Up)?;
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
    pub(super) fn installment_above(&self, interest: i128) -> Result<i128> {
        let t = self.terms;
        let floor = self.exact(interest + self.unit);
        let rounded = kernel::round_installment(
            floor,
            t.currency(),
            RoundingMode::Up,
            t.installment_multiple(),
        );
        self.to_units(rounded, RoundingMode::Up)
    }

    /// How much an extra payment of `extra` (units) before period `k` lowers the installment
    /// under the reduce-payment policy: its own annuity over the remaining periods, rounded
    /// down so the balances never exceed those of the schedule without it.
    pub(super) fn payment_reduction(&mut self, extra: i128, annual: Rate, k: u32) -> Result<i128> {
        if k > self.amortize_over {
            return Ok(0);
        }
        let exact = self
            .level_exact(self.exact(extra), Decimal::ZERO, annual, k)?
            .payment;
        self.to_units(exact, RoundingMode::Down)
    }

    /// From now on the level payment amortizes up to installment `n` (a renewal's new
    /// amortization, see `general.rs`).
    pub(super) fn amortize_until(&mut self, n: u32) {
        self.amortize_over = n;
        self.table = None;
    }

    /// Extra principal scheduled with installment `k` (period `from..=to`).
    pub(super) fn extra_for(&self, k: u32, from: NaiveDate, to: NaiveDate) -> Result<i128> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::math::calendar::Frequency;
    use crate::math::rate::Compounding;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    const MODES: [RoundingMode; 4] = [
        RoundingMode::HalfUp,
        RoundingMode::HalfEven,
        RoundingMode::Up,
        RoundingMode::Down,
    ];

    /// Both level payments of `terms` from period `k`, and whether the fixed point answered.
    fn both(terms: &LoanTerms, k: u32) -> (Result<i128>, Result<i128>, bool) {
        let mut e = Engine::new(terms, None).unwrap();
        let principal = e.to_units(terms.principal(), RoundingMode::HalfUp).unwrap();
        let annual = terms.annual_rate();
        let fixed = e.level_payment_fixed(principal, annual, k).unwrap();
        let fast = e.level_payment(principal, annual, k);
        let decimal = e.level_payment_decimal(principal, annual, k);
        if let (Some(f), Ok(d)) = (fixed, &decimal) {
            assert_eq!(f, *d, "{terms:?}");
        }
        (fast, decimal, fixed.is_some())
    }

    fn terms(
        cents: i64,
        rate: Decimal,
        n: u32,
        mode: RoundingMode,
        frequency: Frequency,
        day_count: DayCount,
        compounding: Compounding,
    ) -> Option<LoanTerms> {
        LoanTerms::builder()
            .principal(Decimal::new(cents, 2))
            .annual_rate_percent(rate)
            .installments(n)
            .payment_rounding(mode)
            .frequency(frequency)
            .day_count(day_count)
            .compounding(compounding)
            .start(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap())
            .build()
            .ok()
    }

    /// 1,000 cases, or `LOANSYNCRO_DEEP_CASES` for a deep run (e.g. 100,000 under `--release`).
    fn cases() -> u32 {
        std::env::var("LOANSYNCRO_DEEP_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]
        /// The fixed-point level payment is the `Decimal` one on random terms in every
        /// rounding mode, frequency, day count and compounding.
        #[test]
        fn the_fixed_level_payment_is_the_decimal_one(
            cents in 1i64..=100_000_000_000_000,
            rate in 0i64..=100_000_000,
            places in 0u32..=6,
            n in 1u32..=1200,
            mode in 0usize..4,
            frequency in 0usize..6,
            day_count in 0usize..4,
            compounding in 0usize..3,
        ) {
            let frequency = [
                Frequency::Monthly,
                Frequency::Quarterly,
                Frequency::Weekly,
                Frequency::Biweekly,
                Frequency::Annual,
                Frequency::EveryNDays(10),
            ][frequency];
            let day_count = [
                DayCount::Thirty360Us,
                DayCount::Thirty360European,
                DayCount::Actual360,
                DayCount::Actual365Fixed,
            ][day_count];
            let compounding =
                [Compounding::Nominal, Compounding::SemiAnnual, Compounding::Annual][compounding];
            // Rates from 0.000001% to 100% a year, with up to six places.
            let rate = Decimal::new(1 + rate % (100 * 10i64.pow(places)), places);
            if let Some(t) = terms(cents, rate, n, MODES[mode], frequency, day_count, compounding) {
                let (fast, decimal, _) = both(&t, 1);
                prop_assert_eq!(fast.ok(), decimal.ok());
            }
        }
    }

    /// Typical loans take the fixed point (the property above is not vacuous) and give the
    /// `Decimal` payment; the reference mortgage's payment is 1580.17.
    #[test]
    fn typical_loans_take_the_fixed_point() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        let mut taken = 0;
        let cases = 2000;
        for i in 0..cases {
            let cents = 100_000 + i64::try_from(next(100_000_000_000)).unwrap();
            let rate = Decimal::new(1 + i64::try_from(next(3000)).unwrap(), 2);
            let n = 12 + u32::try_from(next(469)).unwrap();
            let mode = MODES[i % 4];
            let t = terms(
                cents,
                rate,
                n,
                mode,
                Frequency::Monthly,
                DayCount::Thirty360Us,
                Compounding::Nominal,
            )
            .unwrap();
            let (fast, decimal, fixed) = both(&t, 1);
            assert_eq!(fast.unwrap(), decimal.unwrap(), "{t:?}");
            taken += usize::from(fixed);
        }
        assert!(taken >= cases * 99 / 100, "{taken} of {cases}");
        let mortgage = terms(
            25_000_000,
            Decimal::new(65, 1),
            360,
            RoundingMode::HalfUp,
            Frequency::Monthly,
            DayCount::Thirty360Us,
            Compounding::Nominal,
        )
        .unwrap();
        let (fast, _, fixed) = both(&mortgage, 1);
        assert_eq!((fast.unwrap(), fixed), (158_017, true));
    }

    /// Exact ties and exact integers are left to the `Decimal` path, which decides them.
    #[test]
    fn boundaries_are_left_to_the_decimal_path() {
        // 12345.00 at 6%/12 over one month: exactly 12406.725 (a tie for the half modes);
        // 1000.00 at 12%/12 over one month: exactly 1010.00 (a boundary for up and down; the
        // `Decimal` approximation falls a hair below it, so down gives 1009.99).
        for (cents, rate, want) in [
            (1_234_500, 6, [1_240_673, 1_240_672, 1_240_673, 1_240_672]),
            (100_000, 12, [101_000, 101_000, 101_000, 100_999]),
        ] {
            for (mode, want) in MODES.into_iter().zip(want) {
                let t = terms(
                    cents,
                    Decimal::from(rate),
                    1,
                    mode,
                    Frequency::Monthly,
                    DayCount::Thirty360Us,
                    Compounding::Nominal,
                )
                .unwrap();
                let (fast, decimal, _) = both(&t, 1);
                assert_eq!(fast.unwrap(), want, "{cents} {rate}% {mode:?}");
                assert_eq!(decimal.unwrap(), want);
            }
        }
        let tie = terms(
            1_234_500,
            Decimal::from(6),
            1,
            RoundingMode::HalfEven,
            Frequency::Monthly,
            DayCount::Thirty360Us,
            Compounding::Nominal,
        )
        .unwrap();
        assert!(!both(&tie, 1).2);
        let whole = terms(
            100_000,
            Decimal::from(12),
            1,
            RoundingMode::Up,
            Frequency::Monthly,
            DayCount::Thirty360Us,
            Compounding::Nominal,
        )
        .unwrap();
        assert!(!both(&whole, 1).2);
    }

    /// A near-perpetuity (the last installment worth under a unit today), a rate below 2^-32
    /// a period and the largest balances: all give the `Decimal` payment.
    #[test]
    fn the_edges_give_the_decimal_payment() {
        for (cents, rate, n) in [
            (100_000_000, Decimal::from(100), 1200),
            (1, Decimal::from(100), 1200),
            (100_000_000, Decimal::new(1, 8), 360),
            (100_000_000, Decimal::new(3, 7), 360),
            (100_000_000_000_000, Decimal::new(65, 1), 360),
            (100_000_000_000_000, Decimal::new(1, 8), 1200),
            (1, Decimal::new(65, 1), 1),
        ] {
            for mode in MODES {
                let t = terms(
                    cents,
                    rate,
                    n,
                    mode,
                    Frequency::Monthly,
                    DayCount::Thirty360Us,
                    Compounding::Nominal,
                )
                .expect("valid terms");
                let (fast, decimal, _) = both(&t, 1);
                assert_eq!(fast.ok(), decimal.ok(), "{cents} {rate}% {n} {mode:?}");
            }
        }
    }
}
