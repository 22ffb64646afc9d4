//! Custom types (decimals and dates cross as strings) and the enums shared by several modules,
//! each with its conversions to and from the core's type. Translation only.

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core as core;
use rust_decimal::Decimal;

use crate::FfiResult;

// `Decimal` crosses as its decimal string (never through a float). Kotlin: java.math.BigDecimal;
// Swift: Foundation.Decimal (configured in uniffi.toml).
uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |s| Ok(Decimal::from_str(&s).or_else(|_| Decimal::from_scientific(&s))?),
});

// Dates cross as ISO 8601 `YYYY-MM-DD`. Kotlin: java.time.LocalDate; Swift: Foundation.Date at
// UTC midnight (configured in uniffi.toml).
uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| Ok(NaiveDate::parse_from_str(&s, "%Y-%m-%d")?),
});

/// Payment frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Frequency {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Twice a month on two fixed days (31 means month end).
    SemiMonthly {
        /// The earlier day of month.
        first_day: u8,
        /// The later day of month.
        second_day: u8,
    },
    /// Once a month.
    Monthly,
    /// Every three months.
    Quarterly,
    /// Every six months.
    SemiAnnual,
    /// Once a year.
    Annual,
    /// Every N days.
    EveryNDays {
        /// The number of days.
        days: u32,
    },
}

impl From<Frequency> for core::Frequency {
    fn from(f: Frequency) -> Self {
        match f {
            Frequency::Weekly => Self::Weekly,
            Frequency::Biweekly => Self::Biweekly,
            Frequency::SemiMonthly {
                first_day,
                second_day,
            } => Self::SemiMonthly {
                first_day,
                second_day,
            },
            Frequency::Monthly => Self::Monthly,
            Frequency::Quarterly => Self::Quarterly,
            Frequency::SemiAnnual => Self::SemiAnnual,
            Frequency::Annual => Self::Annual,
            Frequency::EveryNDays { days } => Self::EveryNDays(days),
        }
    }
}

impl From<core::Frequency> for Frequency {
    fn from(f: core::Frequency) -> Self {
        use core::Frequency as F;
        match f {
            F::Weekly => Self::Weekly,
            F::Biweekly => Self::Biweekly,
            F::SemiMonthly {
                first_day,
                second_day,
            } => Self::SemiMonthly {
                first_day,
                second_day,
            },
            F::Monthly => Self::Monthly,
            F::Quarterly => Self::Quarterly,
            F::SemiAnnual => Self::SemiAnnual,
            F::Annual => Self::Annual,
            F::EveryNDays(days) => Self::EveryNDays { days },
        }
    }
}

/// Day-count conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DayCount {
    /// 30/360 US (SIA), the default.
    Thirty360Us,
    /// 30E/360.
    Thirty360European,
    /// Actual/360.
    Actual360,
    /// Actual/364.
    Actual364,
    /// Actual/365 Fixed.
    Actual365Fixed,
    /// Actual/Actual (ISDA).
    ActualActualIsda,
}

/// Generates `From` both ways for a field-less enum mirrored variant by variant.
macro_rules! mirror_enum {
    ($ours:ident <=> $m:ident :: $theirs:ident { $($v:ident),+ $(,)? }) => {
        impl From<$ours> for $m::$theirs {
            fn from(x: $ours) -> Self {
                match x { $($ours::$v => $m::$theirs::$v),+ }
            }
        }
        impl From<$m::$theirs> for $ours {
            fn from(x: $m::$theirs) -> Self {
                match x { $($m::$theirs::$v => $ours::$v),+ }
            }
        }
    };
}
pub(crate) use mirror_enum;

mirror_enum!(DayCount <=> core::DayCount {
    Thirty360Us, Thirty360European, Actual360, Actual364, Actual365Fixed, ActualActualIsda
});

/// Rounding modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RoundingMode {
    /// Ties away from zero (the default).
    HalfUp,
    /// Ties to even (banker's rounding).
    HalfEven,
    /// Always away from zero.
    Up,
    /// Always toward zero.
    Down,
}
mirror_enum!(RoundingMode <=> core::RoundingMode { HalfUp, HalfEven, Up, Down });

/// How the quoted rate compounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Compounding {
    /// Annual nominal rate / periods per year (the default).
    Nominal,
    /// Compounded semi-annually (Canadian j2).
    SemiAnnual,
    /// Compounded once a year.
    Annual,
}
mirror_enum!(Compounding <=> core::Compounding { Nominal, SemiAnnual, Annual });

/// What an extra payment does to the rest of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PrepaymentPolicy {
    /// The installment stays, the schedule gets shorter (the default).
    ReduceTerm,
    /// The term stays, the installment is recalculated.
    ReducePayment,
}
mirror_enum!(PrepaymentPolicy <=> core::PrepaymentPolicy { ReduceTerm, ReducePayment });

/// Parses a frequency (`monthly`, `weekly`, `every 15 days`, `semi-monthly 1,15`, ...).
#[uniffi::export]
pub fn parse_frequency(text: String) -> FfiResult<Frequency> {
    Ok(core::Frequency::from_str(&text)?.into())
}

/// Parses a day count (`30/360`, `30E/360`, `actual/360`, `actual/365F`, `actual/actual`, ...).
#[uniffi::export]
pub fn parse_day_count(text: String) -> FfiResult<DayCount> {
    Ok(core::DayCount::from_str(&text)?.into())
}

/// Parses a rounding mode (`half_up`, `half_even`, `up`, `down`).
#[uniffi::export]
pub fn parse_rounding_mode(text: String) -> FfiResult<RoundingMode> {
    Ok(core::RoundingMode::from_str(&text)?.into())
}

/// The number of minor-unit digits of an ISO 4217 currency (2 for USD, 0 for JPY).
#[uniffi::export]
pub fn currency_minor_units(code: String) -> FfiResult<u32> {
    Ok(core::Currency::from_code(&code)?.minor_units())
}

/// Parses an ISO 4217 code into the core's currency.
pub(crate) fn currency(code: &str) -> FfiResult<core::Currency> {
    Ok(core::Currency::from_code(code)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::error::LoanSyncroError;

    /// Names parse through the core's vocabulary: every core name maps to its mirrored
    /// variant and back; a bad name is `Validation` on the field, listing the valid names.
    #[test]
    fn names_parse_through_the_core_vocabulary() {
        for (name, core) in core::DayCount::NAMES.iter().zip(core::DayCount::ALL) {
            let mirrored = parse_day_count((*name).to_owned()).unwrap();
            assert_eq!(core::DayCount::from(mirrored), core);
        }
        for (name, core) in core::RoundingMode::NAMES
            .iter()
            .zip(core::RoundingMode::ALL)
        {
            let mirrored = parse_rounding_mode((*name).to_owned()).unwrap();
            assert_eq!(core::RoundingMode::from(mirrored), core);
        }
        assert!(matches!(
            parse_frequency("every 15 days".into()).unwrap(),
            Frequency::EveryNDays { days: 15 }
        ));
        for (result, field, listed) in [
            (
                parse_day_count("30/365".into()).map(|_| ()),
                "day_count",
                "actual/365F",
            ),
            (
                parse_rounding_mode("nearest".into()).map(|_| ()),
                "rounding",
                "half_up, half_even, up, down",
            ),
            (
                parse_frequency("hourly".into()).map(|_| ()),
                "frequency",
                "every N days",
            ),
        ] {
            match result.unwrap_err() {
                LoanSyncroError::Validation { field: f, reason } => {
                    assert_eq!(f, field);
                    assert!(reason.contains(listed), "{reason}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
