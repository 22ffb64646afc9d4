//! Interest rates: the annual nominal rate of a loan and its conversion to periodic rates.

use std::fmt;

use rust_decimal::{Decimal, MathematicalOps};
use serde::{Deserialize, Serialize};

use crate::math::error::{MathError as Error, Result};
use crate::math::vocab::vocabulary;

/// Most decimal places an annual rate (as a fraction) may carry. Keeps the exact integer
/// schedule loop inside `i128` (a percent with up to 16 decimals is accepted).
pub const MAX_RATE_SCALE: u32 = 18;

/// An annual nominal interest rate, stored as a fraction (`0.065` for 6.5%).
///
/// Construct it with an explicit name for the unit, so that `6.5` and `0.065` cannot be confused:
///
/// ```
/// use loansyncro_core::Rate;
/// use rust_decimal_macros::dec;
/// let a = Rate::from_percent(dec!(6.5)).unwrap();
/// let b = Rate::from_fraction(dec!(0.065)).unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.percent(), dec!(6.5));
/// assert!(Rate::from_percent(dec!(100.01)).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Rate(Decimal);

impl TryFrom<Decimal> for Rate {
    type Error = Error;
    /// A rate from its wire form, a fraction (validated like [`Rate::from_fraction`]).
    fn try_from(fraction: Decimal) -> Result<Rate> {
        Rate::from_fraction(fraction)
    }
}

impl From<Rate> for Decimal {
    fn from(rate: Rate) -> Decimal {
        rate.0
    }
}

impl Rate {
    /// Zero percent.
    pub const ZERO: Rate = Rate(Decimal::ZERO);

    /// A rate from a percentage (`6.5` means 6.5% a year). Accepts 0 to 100 inclusive, with at
    /// most [`MAX_RATE_SCALE`]` − 2` decimal places: a percent the engine cannot represent
    /// exactly as a fraction is a validation error on `annual_rate`, never silently rounded.
    ///
    /// ```
    /// use loansyncro_core::Rate;
    /// use std::str::FromStr;
    /// use rust_decimal::Decimal;
    /// assert!(Rate::from_percent(Decimal::from_str("6.1234567890123456").unwrap()).is_ok());
    /// let too_fine = Decimal::from_str("5.0000000000000000000000000001").unwrap();
    /// let err = Rate::from_percent(too_fine).unwrap_err();
    /// assert_eq!(err.field(), Some("annual_rate"));
    /// assert!(err.to_string().contains("never rounded"));
    /// ```
    pub fn from_percent(percent: Decimal) -> Result<Rate> {
        let max = MAX_RATE_SCALE - 2;
        if percent.normalize().scale() > max {
            return Err(Error::validation(
                "annual_rate",
                format!("{percent}: more than {max} decimals in percent (never rounded)"),
            ));
        }
        let fraction = percent
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or_else(|| Error::validation("annual_rate", "out of range"))?;
        Rate::from_fraction(fraction)
    }

    /// A rate from a fraction (`0.065` means 6.5% a year). Accepts 0 to 1 inclusive.
    pub fn from_fraction(fraction: Decimal) -> Result<Rate> {
        if fraction.is_sign_negative() && !fraction.is_zero() {
            return Err(Error::validation("annual_rate", "must not be negative"));
        }
        if fraction > Decimal::ONE {
            return Err(Error::validation(
                "annual_rate",
                "must be at most 100% a year (pass percent to from_percent, fractions to from_fraction)",
            ));
        }
        let normalized = fraction.normalize();
        if normalized.scale() > MAX_RATE_SCALE {
            return Err(Error::validation(
                "annual_rate",
                format!("{fraction}: more than {MAX_RATE_SCALE} decimals (never rounded)"),
            ));
        }
        Ok(Rate(normalized))
    }

    /// The rate as a fraction (`0.065`).
    pub fn fraction(self) -> Decimal {
        self.0
    }

    /// The rate in percent (`6.5`).
    pub fn percent(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).normalize()
    }

    /// Whether the rate is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rate({}%)", self.percent())
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

/// How the quoted annual rate compounds.
///
/// `Nominal` (the default) means the periodic rate is the annual rate divided by the periods per
/// year (`6% / 12 = 0.5%` a month). `SemiAnnual` is the Canadian mortgage convention (j2): the
/// quoted rate compounds twice a year, so the equivalent periodic rate for `ppy` payments a year
/// is `(1 + j2/2)^(2/ppy) - 1`.
///
/// ```
/// use loansyncro_core::{Compounding, Rate};
/// use rust_decimal_macros::dec;
/// let j2 = Rate::from_percent(dec!(6)).unwrap();
/// let monthly = Compounding::SemiAnnual.periodic_rate(j2, 12).unwrap();
/// // (1.03)^(1/6) - 1 = 0.004938622031...
/// assert_eq!(monthly.round_dp(12), dec!(0.004938622031));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compounding {
    /// Annual nominal rate divided by the periods per year.
    #[default]
    Nominal,
    /// Compounded semi-annually (Canadian j2).
    SemiAnnual,
    /// Compounded once a year (effective annual rate).
    Annual,
}

vocabulary! {
    unit Compounding, field: "compounding", noun: "compounding";
    Nominal => "nominal",
    SemiAnnual => "semi_annual" | "j2",
    Annual => "annual" | "effective",
}

impl Compounding {
    /// Times a year the quoted rate compounds (`None` for nominal: it follows the payments).
    fn compounds_per_year(self) -> Option<u32> {
        match self {
            Compounding::Nominal => None,
            Compounding::SemiAnnual => Some(2),
            Compounding::Annual => Some(1),
        }
    }

    /// The periodic rate for `periods_per_year` payments a year, carried to
    /// [`MAX_RATE_SCALE`] decimal places when the conversion is not exact.
    pub fn periodic_rate(self, annual: Rate, periods_per_year: u32) -> Result<Decimal> {
        if periods_per_year == 0 {
            return Err(Error::validation(
                "frequency",
                "periods per year must be positive",
            ));
        }
        let ppy = Decimal::from(periods_per_year);
        match self.compounds_per_year() {
            None => Ok(annual.fraction() / ppy),
            Some(m) => {
                let m = Decimal::from(m);
                let base = Decimal::ONE + annual.fraction() / m;
                let exponent = m / ppy;
                let grown = base
                    .checked_powd(exponent)
                    .ok_or_else(|| Error::overflow("compounding conversion"))?;
                Ok((grown - Decimal::ONE).round_dp(MAX_RATE_SCALE))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn bounds_name_the_field() {
        for bad in [dec!(-0.01), dec!(1.0001)] {
            assert_eq!(
                Rate::from_fraction(bad).unwrap_err().field(),
                Some("annual_rate")
            );
        }
        assert!(Rate::from_fraction(dec!(0)).is_ok());
        assert!(Rate::from_fraction(dec!(1)).is_ok());
    }

    #[test]
    fn too_many_decimals_rejected() {
        assert!(Rate::from_fraction(dec!(0.0000000000000000001)).is_err());
    }

    #[test]
    fn deserializing_validates() {
        assert!(serde_json::from_str::<Rate>(r#""0.065""#).is_ok());
        assert!(serde_json::from_str::<Rate>(r#""-0.01""#).is_err());
        assert!(serde_json::from_str::<Rate>(r#""1.5""#).is_err());
    }

    #[test]
    fn annual_compounding_to_monthly() {
        let r = Rate::from_percent(dec!(12.682503013196972)).unwrap();
        let m = Compounding::Annual.periodic_rate(r, 12).unwrap();
        assert_eq!(m.round_dp(9), dec!(0.010000000));
    }
}
