//! Money's units and rounding: the `Currency` (ISO 4217 code with its minor units) of every
//! `Decimal` amount, and the rounding modes used everywhere in the core.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::math::error::{MathError as Error, Result};
use crate::math::vocab::vocabulary;

/// How an amount is rounded to its precision.
///
/// ```
/// use loansyncro_core::RoundingMode;
/// use rust_decimal_macros::dec;
/// assert_eq!(RoundingMode::HalfUp.round(dec!(0.505), 2), dec!(0.51));
/// assert_eq!(RoundingMode::HalfEven.round(dec!(0.505), 2), dec!(0.50));
/// assert_eq!(RoundingMode::Up.round(dec!(0.501), 2), dec!(0.51));
/// assert_eq!(RoundingMode::Down.round(dec!(0.509), 2), dec!(0.50));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RoundingMode {
    /// Ties away from zero (commercial rounding). The default.
    #[default]
    HalfUp,
    /// Ties to the even neighbour (banker's rounding).
    HalfEven,
    /// Always away from zero.
    Up,
    /// Always toward zero (truncation).
    Down,
}

impl RoundingMode {
    /// The matching `rust_decimal` strategy.
    pub fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
            RoundingMode::Down => RoundingStrategy::ToZero,
        }
    }

    /// Rounds `value` to `scale` decimal places.
    pub fn round(self, value: Decimal, scale: u32) -> Decimal {
        value.round_dp_with_strategy(scale, self.strategy())
    }

    /// Rounds `value` to a multiple of `step` (for example whole units: `step = 1`).
    /// A non-positive step leaves the value unchanged.
    ///
    /// ```
    /// use loansyncro_core::RoundingMode;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(RoundingMode::HalfUp.round_to_multiple(dec!(1580.17), dec!(1)), dec!(1580));
    /// assert_eq!(RoundingMode::Up.round_to_multiple(dec!(1580.17), dec!(5)), dec!(1585));
    /// ```
    pub fn round_to_multiple(self, value: Decimal, step: Decimal) -> Decimal {
        if step <= Decimal::ZERO {
            return value;
        }
        match value.checked_div(step) {
            Some(q) => self.round(q, 0) * step,
            None => value,
        }
    }

    /// Whether a quotient with a non-zero remainder moves away from zero: the one rounding
    /// decision of both integer divisions, from twice the remainder's magnitude, the divisor
    /// and whether the truncated quotient is odd.
    #[inline(always)]
    fn rounds_away(self, twice_remainder: u128, den: u128, quotient_odd: bool) -> bool {
        match self {
            RoundingMode::Down => false,
            RoundingMode::Up => true,
            RoundingMode::HalfUp => twice_remainder >= den,
            RoundingMode::HalfEven => {
                twice_remainder > den || (twice_remainder == den && quotient_odd)
            }
        }
    }

    /// [`RoundingMode::div_round_i128`] on 64-bit integers (the schedule's hot path).
    #[inline(always)]
    pub fn div_round_i64(self, num: i64, den: i64) -> Option<i64> {
        if den <= 0 {
            return None;
        }
        let q = num / den;
        let r = num % den;
        if r == 0 {
            return Some(q);
        }
        let away = if num < 0 { -1 } else { 1 };
        let twice = r.unsigned_abs().checked_mul(2)?;
        let den_u = den.unsigned_abs();
        let round_away = self.rounds_away(u128::from(twice), u128::from(den_u), q % 2 != 0);
        Some(if round_away { q + away } else { q })
    }

    /// Divides `num` by `den` (integers, `den > 0`) and rounds the quotient to an integer.
    /// Exact: no intermediate precision is lost. Returns `None` when `den` is not positive.
    pub fn div_round_i128(self, num: i128, den: i128) -> Option<i128> {
        if den <= 0 {
            return None;
        }
        let q = num / den;
        let r = num % den;
        if r == 0 {
            return Some(q);
        }
        let away = if num < 0 { -1 } else { 1 };
        let twice = r.unsigned_abs().checked_mul(2)?;
        let den_u = den.unsigned_abs();
        let round_away = self.rounds_away(twice, den_u, q % 2 != 0);
        Some(if round_away { q + away } else { q })
    }
}

vocabulary! {
    unit RoundingMode, field: "rounding", noun: "rounding mode";
    HalfUp => "half_up",
    HalfEven => "half_even" | "bankers",
    Up => "up",
    Down => "down",
}

/// An ISO 4217 currency: its three-letter code and the number of minor-unit digits.
///
/// ```
/// use loansyncro_core::Currency;
/// let jpy: Currency = "JPY".parse().unwrap();
/// assert_eq!(jpy.minor_units(), 0);
/// assert_eq!(Currency::BHD.minor_units(), 3);
/// assert!("XYZ".parse::<Currency>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    /// US dollar (2 minor digits).
    pub const USD: Currency = Currency::known(*b"USD", 2);
    /// Euro (2).
    pub const EUR: Currency = Currency::known(*b"EUR", 2);
    /// Pound sterling (2).
    pub const GBP: Currency = Currency::known(*b"GBP", 2);
    /// Japanese yen (0).
    pub const JPY: Currency = Currency::known(*b"JPY", 0);
    /// Bahraini dinar (3).
    pub const BHD: Currency = Currency::known(*b"BHD", 3);

    const fn known(code: [u8; 3], minor_units: u8) -> Currency {
        Currency { code, minor_units }
    }

    /// Looks up an ISO 4217 code (case-insensitive). Unknown codes are a validation error on
    /// field `currency`.
    ///
    /// The list is the ISO 4217 data of the maintained [`iso_currency`] crate (updated with each
    /// ISO amendment). Currencies in use and superseded ones are accepted: a loan taken out in
    /// Bulgarian lev (`BGN`, replaced by `EUR` in 2026) or Netherlands Antillean guilder (`ANG`,
    /// replaced by `XCG` in 2025, no longer in the crate's data and kept here in
    /// [`Currency::HISTORICAL`]) is still a loan in that currency, and stored loans must keep
    /// loading after an ISO amendment. Funds codes (`CLF`, `USN`, ...) and special codes
    /// (precious metals, `XDR`, `XTS`, `XXX`) are refused: they are not currencies.
    /// [`Currency::successor`] names the replacement of a superseded code.
    ///
    /// ```
    /// use loansyncro_core::Currency;
    /// assert_eq!(Currency::from_code("xcg").unwrap().minor_units(), 2);
    /// assert_eq!(Currency::from_code("BGN").unwrap().successor().as_deref(), Some("EUR"));
    /// assert_eq!(Currency::from_code("ANG").unwrap().successor().as_deref(), Some("XCG"));
    /// assert!(Currency::from_code("XAU").is_err());
    /// ```
    pub fn from_code(code: &str) -> Result<Currency> {
        let upper = code.trim().to_ascii_uppercase();
        let refuse = |reason: String| Error::validation("currency", reason);
        let unknown = || refuse(format!("unknown ISO 4217 currency code {code:?}"));
        if let Some(&(_, minor_units, _)) = Self::HISTORICAL.iter().find(|h| h.0 == upper) {
            return match upper.as_bytes() {
                &[a, b, c] => Ok(Currency {
                    code: [a, b, c],
                    minor_units,
                }),
                _ => Err(unknown()),
            };
        }
        let iso = iso_currency::Currency::from_code(&upper).ok_or_else(unknown)?;
        if iso.is_fund() || iso.is_special() {
            return Err(refuse(format!(
                "{code:?} is an ISO 4217 funds or special code, not a currency"
            )));
        }
        let minor_units = iso
            .exponent()
            .and_then(|e| u8::try_from(e).ok())
            .ok_or_else(unknown)?;
        match upper.as_bytes() {
            &[a, b, c] => Ok(Currency {
                code: [a, b, c],
                minor_units,
            }),
            _ => Err(unknown()),
        }
    }

    /// Codes that earlier versions accepted and that the ISO data no longer lists at all:
    /// (code, minor units, successor). Stored loans in them keep loading.
    pub const HISTORICAL: &'static [(&'static str, u8, &'static str)] = &[("ANG", 2, "XCG")];

    /// The code that replaced this one, when ISO 4217 lists it as superseded (`BGN` -> `EUR`).
    pub fn successor(&self) -> Option<String> {
        if let Some(h) = Self::HISTORICAL.iter().find(|h| h.0 == self.code()) {
            return Some(h.2.to_owned());
        }
        iso_currency::Currency::from_code(self.code())
            .and_then(|iso| iso.is_superseded())
            .map(|next| next.code().to_owned())
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Number of digits after the decimal point (USD 2, JPY 0, BHD 3).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// The smallest unit as a decimal (0.01 for USD, 1 for JPY, 0.001 for BHD).
    pub fn minor_unit(&self) -> Decimal {
        Decimal::new(1, self.minor_units())
    }

    /// Rounds `amount` to this currency's minor unit.
    pub fn round(&self, amount: Decimal, mode: RoundingMode) -> Decimal {
        mode.round(amount, self.minor_units())
    }

    /// Checks that `amount` has no more decimal places than the currency allows.
    pub fn check_precision(&self, field: &str, amount: Decimal) -> Result<()> {
        if amount.normalize().scale() > self.minor_units() {
            return Err(Error::validation(
                field,
                format!(
                    "{amount} has more decimal places than {} allows ({})",
                    self.code(),
                    self.minor_units()
                ),
            ));
        }
        Ok(())
    }

    /// `amount` in integer minor units (cents for USD), rounded with `mode` if needed.
    /// `None` if it does not fit.
    pub fn to_minor(&self, amount: Decimal, mode: RoundingMode) -> Option<i128> {
        let r = self.round(amount, mode);
        let scale = r.scale();
        let m = r.mantissa();
        let want = self.minor_units();
        if scale <= want {
            m.checked_mul(10i128.checked_pow(want - scale)?)
        } else {
            None
        }
    }

    /// A decimal amount from integer minor units.
    pub fn from_minor(&self, minor: i128) -> Decimal {
        Decimal::from_i128_with_scale(minor, self.minor_units())
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::USD
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::from_code(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn div_round_matches_decimal_rounding() {
        for (n, d) in [
            (5, 10),
            (15, 10),
            (25, 10),
            (-5, 10),
            (-15, 10),
            (1, 3),
            (2, 3),
            (-2, 3),
        ] {
            for mode in [
                RoundingMode::HalfUp,
                RoundingMode::HalfEven,
                RoundingMode::Up,
                RoundingMode::Down,
            ] {
                let want = mode.round(Decimal::from(n) / Decimal::from(d), 0);
                assert_eq!(
                    mode.div_round_i128(n, d).map(Decimal::from),
                    Some(want),
                    "{n}/{d} {mode:?}"
                );
            }
        }
    }

    #[test]
    fn minor_units_round_trip() {
        assert_eq!(
            Currency::USD.to_minor(dec!(12.34), RoundingMode::HalfUp),
            Some(1234)
        );
        assert_eq!(
            Currency::JPY.to_minor(dec!(12), RoundingMode::HalfUp),
            Some(12)
        );
        assert_eq!(Currency::BHD.from_minor(12345), dec!(12.345));
    }

    #[test]
    fn unknown_currency_names_field() {
        let e = Currency::from_code("ABC").unwrap_err();
        assert_eq!(e.field(), Some("currency"));
    }

    #[test]
    fn currency_serializes_as_code() {
        let json = serde_json::to_string(&Currency::EUR).unwrap();
        assert_eq!(json, r#""EUR""#);
        let back: Currency = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Currency::EUR);
        assert!(serde_json::from_str::<Currency>(r#""ABC""#).is_err());
    }

    #[test]
    fn iso_4217_is_current_and_refusals_name_the_reason() {
        assert_eq!(Currency::from_code(" xcg ").unwrap().code(), "XCG");
        assert_eq!(Currency::from_code("XCG").unwrap().minor_units(), 2);
        assert_eq!(Currency::from_code("ZWG").unwrap().minor_units(), 2);
        assert_eq!(Currency::from_code("KWD").unwrap().minor_units(), 3);
        assert_eq!(Currency::from_code("CLP").unwrap().minor_units(), 0);
        // Superseded codes keep working (stored loans in them must load), with their successor.
        for (code, minor, next) in [
            ("BGN", 2, "EUR"),
            ("HRK", 2, "EUR"),
            ("VES", 2, "VED"),
            ("ANG", 2, "XCG"),
        ] {
            let c = Currency::from_code(code).unwrap();
            assert_eq!(
                (c.code(), c.minor_units(), c.successor().as_deref()),
                (code, minor, Some(next))
            );
        }
        assert_eq!(Currency::from_code("EUR").unwrap().successor(), None);
        for (code, reason) in [
            (
                "XAU",
                "\"XAU\" is an ISO 4217 funds or special code, not a currency",
            ),
            (
                "CLF",
                "\"CLF\" is an ISO 4217 funds or special code, not a currency",
            ),
            ("US", "unknown ISO 4217 currency code \"US\""),
            ("", "unknown ISO 4217 currency code \"\""),
        ] {
            assert_eq!(
                Currency::from_code(code).unwrap_err().to_string(),
                Error::validation("currency", reason).to_string(),
                "{code}"
            );
        }
    }

    /// The named constants are typed here; they must agree with the ISO data.
    #[test]
    fn named_constants_agree_with_iso_4217() {
        for c in [
            Currency::USD,
            Currency::EUR,
            Currency::GBP,
            Currency::JPY,
            Currency::BHD,
        ] {
            assert_eq!(Currency::from_code(c.code()).unwrap(), c);
        }
    }
}
