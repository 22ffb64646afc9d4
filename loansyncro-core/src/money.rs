//! Money: a `Decimal` amount in a `Currency` (ISO 4217 code with its minor units), and the
//! rounding modes used everywhere in the core.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
        let round_away = match self {
            RoundingMode::Down => false,
            RoundingMode::Up => true,
            RoundingMode::HalfUp => twice >= den_u,
            RoundingMode::HalfEven => twice > den_u || (twice == den_u && q % 2 != 0),
        };
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
        let round_away = match self {
            RoundingMode::Down => false,
            RoundingMode::Up => true,
            RoundingMode::HalfUp => twice >= den_u,
            RoundingMode::HalfEven => twice > den_u || (twice == den_u && q % 2 != 0),
        };
        Some(if round_away { q + away } else { q })
    }
}

impl FromStr for RoundingMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "half_up" => Ok(RoundingMode::HalfUp),
            "half_even" | "bankers" => Ok(RoundingMode::HalfEven),
            "up" => Ok(RoundingMode::Up),
            "down" => Ok(RoundingMode::Down),
            _ => Err(Error::validation(
                "rounding",
                format!("unknown rounding mode {s:?} (expected half_up, half_even, up or down)"),
            )),
        }
    }
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

/// ISO 4217 active codes and their minor units (funds codes and precious metals left out).
const ISO_4217: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

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
    pub fn from_code(code: &str) -> Result<Currency> {
        let upper = code.trim().to_ascii_uppercase();
        ISO_4217
            .iter()
            .find(|(c, _)| *c == upper)
            .and_then(|(c, minor)| {
                let b = c.as_bytes();
                Some(Currency {
                    code: [*b.first()?, *b.get(1)?, *b.get(2)?],
                    minor_units: *minor,
                })
            })
            .ok_or_else(|| {
                Error::validation(
                    "currency",
                    format!("unknown ISO 4217 currency code {code:?}"),
                )
            })
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

/// An amount of money in a currency.
///
/// ```
/// use loansyncro_core::{Currency, Money};
/// use rust_decimal_macros::dec;
/// let m = Money::new(dec!(1580.17), Currency::USD).unwrap();
/// assert_eq!(m.to_string(), "1580.17 USD");
/// assert!(Money::new(dec!(1.001), Currency::USD).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MoneyWire")]
pub struct Money {
    /// The amount, a decimal (serialized as a string).
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
}

/// Unvalidated wire form of [`Money`].
#[derive(Deserialize)]
struct MoneyWire {
    amount: Decimal,
    currency: Currency,
}

impl TryFrom<MoneyWire> for Money {
    type Error = Error;
    fn try_from(w: MoneyWire) -> Result<Money> {
        Money::new(w.amount, w.currency)
    }
}

impl Money {
    /// A money value; the amount may not have more decimals than the currency allows.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money> {
        currency.check_precision("amount", amount)?;
        Ok(Money { amount, currency })
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// Adds two amounts of the same currency; different currencies are a validation error.
    pub fn checked_add(self, other: Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or_else(|| Error::overflow("money addition"))?;
        Ok(Money { amount, ..self })
    }

    /// Subtracts an amount of the same currency.
    pub fn checked_sub(self, other: Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or_else(|| Error::overflow("money subtraction"))?;
        Ok(Money { amount, ..self })
    }

    fn same_currency(self, other: Money) -> Result<()> {
        if self.currency != other.currency {
            return Err(Error::validation(
                "currency",
                format!(
                    "cannot combine {} with {}",
                    self.currency.code(),
                    other.currency.code()
                ),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
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
    fn mixing_currencies_is_rejected() {
        let a = Money::zero(Currency::USD);
        let b = Money::zero(Currency::EUR);
        assert_eq!(a.checked_add(b).unwrap_err().field(), Some("currency"));
    }

    #[test]
    fn currency_serializes_as_code() {
        let json = serde_json::to_string(&Money::new(dec!(1.50), Currency::EUR).unwrap()).unwrap();
        assert_eq!(json, r#"{"amount":"1.50","currency":"EUR"}"#);
        let back: Money = serde_json::from_str(&json).unwrap();
        assert_eq!(back.amount, dec!(1.50));
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1.501","currency":"EUR"}"#).is_err());
    }
}
