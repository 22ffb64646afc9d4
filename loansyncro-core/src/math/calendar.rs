//! Calendar: payment frequencies, day-count conventions and due-date stepping.
//!
//! Due dates of month-based frequencies keep the anchor's day of month and clamp to the month's
//! end: an anchor of Jan 31 gives Feb 29 (2024), then Mar 31, never chaining from a clamped date.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::math::error::{MathError as Error, Result};
use crate::math::vocab::vocabulary;

/// An exact non-negative rational number `num / den`, used for year fractions so the schedule
/// loop can stay in integers. `den` is always positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    /// Numerator.
    pub num: i128,
    /// Denominator (positive).
    pub den: i128,
}

impl Fraction {
    /// `num / den`.
    pub const fn new(num: i128, den: i128) -> Fraction {
        Fraction { num, den }
    }

    /// The same fraction in lowest terms.
    pub fn reduced(self) -> Fraction {
        let (mut a, mut b) = (self.num.unsigned_abs(), self.den.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        match i128::try_from(a) {
            Ok(g) if g > 1 => Fraction::new(self.num / g, self.den / g),
            _ => self,
        }
    }

    /// The fraction as a decimal (rounded to 28 significant digits).
    pub fn to_decimal(self) -> rust_decimal::Decimal {
        rust_decimal::Decimal::from_i128_with_scale(self.num, 0)
            .checked_div(rust_decimal::Decimal::from_i128_with_scale(self.den, 0))
            .unwrap_or_default()
    }
}

/// How often installments fall due.
///
/// ```
/// use loansyncro_core::Frequency;
/// let f: Frequency = "every 15 days".parse().unwrap();
/// assert_eq!(f, Frequency::EveryNDays(15));
/// assert_eq!("monthly".parse::<Frequency>().unwrap(), Frequency::Monthly);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Twice a month on two fixed days (e.g. the 1st and the 15th; 31 means month end).
    SemiMonthly {
        /// The earlier day of month (1..=31).
        first_day: u8,
        /// The later day of month (first_day < second_day <= 31).
        second_day: u8,
    },
    /// Once a month (the default).
    #[default]
    Monthly,
    /// Every three months.
    Quarterly,
    /// Every six months.
    SemiAnnual,
    /// Once a year.
    Annual,
    /// Every N days.
    EveryNDays(u32),
}

impl Frequency {
    /// Months per period for month-based frequencies.
    pub fn months(self) -> Option<u32> {
        match self {
            Frequency::Monthly => Some(1),
            Frequency::Quarterly => Some(3),
            Frequency::SemiAnnual => Some(6),
            Frequency::Annual => Some(12),
            _ => None,
        }
    }

    /// Days per period for day-based frequencies.
    pub fn days(self) -> Option<u32> {
        match self {
            Frequency::Weekly => Some(7),
            Frequency::Biweekly => Some(14),
            Frequency::EveryNDays(n) => Some(n),
            _ => None,
        }
    }

    /// Checks the frequency's own parameters.
    pub fn validate(self) -> Result<()> {
        match self {
            Frequency::EveryNDays(n) if n == 0 || n > 3660 => Err(Error::validation(
                "frequency",
                "every-N-days needs N between 1 and 3660",
            )),
            Frequency::SemiMonthly {
                first_day,
                second_day,
            } if first_day == 0 || second_day > 31 || first_day >= second_day => {
                Err(Error::validation(
                    "frequency",
                    "semi-monthly days must satisfy 1 <= first_day < second_day <= 31",
                ))
            }
            _ => Ok(()),
        }
    }

    /// Whole payments a year, where that is a whole number (`None` for every-N-days).
    pub fn periods_per_year(self) -> Option<u32> {
        match self {
            Frequency::Weekly => Some(52),
            Frequency::Biweekly => Some(26),
            Frequency::SemiMonthly { .. } => Some(24),
            Frequency::EveryNDays(_) => None,
            other => other.months().map(|m| 12 / m),
        }
    }

    /// The share of a year one regular period stands for under `day_count`: months / 12 for
    /// month-based frequencies, 1/24 for semi-monthly, days / year basis for day-based ones
    /// (7/364 for weekly under Actual/364, 15/360 every 15 days under 30/360).
    pub fn nominal_fraction(self, day_count: DayCount) -> Fraction {
        match (self.months(), self.days()) {
            (Some(m), _) => Fraction::new(i128::from(m), 12),
            (None, Some(d)) => Fraction::new(i128::from(d), i128::from(day_count.year_basis())),
            (None, None) => Fraction::new(1, 24),
        }
    }

    /// The default first due date: one period after `start`.
    pub fn first_due_after(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Frequency::SemiMonthly {
                first_day,
                second_day,
            } => {
                let (y, m) = (start.year(), start.month());
                [
                    (0, first_day),
                    (0, second_day),
                    (1, first_day),
                    (1, second_day),
                ]
                .into_iter()
                .filter_map(|(dm, day)| month_day(y, m, dm, u32::from(day)))
                .find(|d| *d > start)
            }
            _ => self.step(start, 1),
        }
    }

    /// The date `k` periods after `anchor`, clamped to month end and never chained from a
    /// clamped date. For semi-monthly frequencies `anchor` must be one of the two days.
    pub fn step(self, anchor: NaiveDate, k: u32) -> Option<NaiveDate> {
        match self {
            Frequency::SemiMonthly {
                first_day,
                second_day,
            } => {
                let start_index = if anchor.day() >= u32::from(second_day)
                    || (anchor.day() > u32::from(first_day) && is_month_end(anchor))
                {
                    1
                } else {
                    0
                };
                let index = start_index + k;
                let day = if index % 2 == 0 {
                    first_day
                } else {
                    second_day
                };
                month_day(anchor.year(), anchor.month(), index / 2, u32::from(day))
            }
            _ => match (self.months(), self.days()) {
                (Some(m), _) => add_months(anchor, k.checked_mul(m)?),
                (None, Some(d)) => {
                    anchor.checked_add_signed(Duration::days(i64::from(d) * i64::from(k)))
                }
                (None, None) => None,
            },
        }
    }
}

/// Successive due dates from an anchor (the anchor first), stepped incrementally: month-based
/// frequencies keep the anchor's day of month and clamp, never chaining from a clamped date.
#[derive(Debug, Clone)]
pub struct DueDates {
    frequency: Frequency,
    anchor: NaiveDate,
    k: u32,
    year: i32,
    month: u32,
    day: u32,
}

impl DueDates {
    /// Due dates of `frequency` starting with `anchor`.
    pub fn new(frequency: Frequency, anchor: NaiveDate) -> DueDates {
        DueDates {
            frequency,
            anchor,
            k: 0,
            year: anchor.year(),
            month: anchor.month(),
            day: anchor.day(),
        }
    }
}

impl Iterator for DueDates {
    type Item = NaiveDate;

    #[inline]
    fn next(&mut self) -> Option<NaiveDate> {
        match self.frequency.months() {
            Some(step) => {
                let date = NaiveDate::from_ymd_opt(
                    self.year,
                    self.month,
                    self.day.min(days_in_month(self.year, self.month)),
                );
                self.month += step;
                if self.month > 12 {
                    self.month -= 12;
                    self.year += 1;
                }
                date
            }
            None => {
                let date = self.frequency.step(self.anchor, self.k);
                self.k = self.k.checked_add(1)?;
                date
            }
        }
    }
}

vocabulary! {
    mixed Frequency, field: "frequency", noun: "frequency";
    Weekly => "weekly",
    Biweekly => "biweekly" | "bi weekly" | "fortnightly",
    SemiMonthly { .. } => "semi-monthly"
        default Frequency::SemiMonthly { first_day: 1, second_day: 15 },
    Monthly => "monthly",
    Quarterly => "quarterly",
    SemiAnnual => "semi-annual" | "semi annually",
    Annual => "annual" | "annually" | "yearly",
    EveryNDays(..) => "every N days" needs "a number of days, e.g. \"every 15 days\"",
}

impl fmt::Display for Frequency {
    /// The name, with the days of a semi-monthly frequency (`semi-monthly 1,15`) and the
    /// count of an every-N-days one (`every 15 days`). The serde form is snake case
    /// (`"semi_annual"`, `{"every_n_days": 15}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frequency::SemiMonthly {
                first_day,
                second_day,
            } => write!(f, "{} {first_day},{second_day}", self.name()),
            Frequency::EveryNDays(n) => write!(f, "every {n} days"),
            _ => f.pad(self.name()),
        }
    }
}

impl FromStr for Frequency {
    type Err = Error;
    /// Parses a name of [`Frequency::NAMES`] (case and separators ignored, `semi-monthly` is
    /// the 1st and the 15th), `semi-monthly D1,D2` and `every N days`.
    fn from_str(s: &str) -> Result<Self> {
        let f = match Frequency::lookup(s) {
            Some(Ok(f)) => f,
            _ => parameterized_frequency(s)?,
        };
        f.validate()?;
        Ok(f)
    }
}

/// `every N days` and `semi-monthly D1,D2`.
fn parameterized_frequency(s: &str) -> Result<Frequency> {
    let norm = s.trim().to_ascii_lowercase().replace(['_', '-'], " ");
    let bad =
        || crate::math::vocab::unknown_name(Frequency::FIELD, "frequency", s, &Frequency::NAMES);
    if let Some(rest) = norm.strip_prefix("every ") {
        let n = rest
            .trim_end_matches(" days")
            .trim_end_matches(" day")
            .trim()
            .parse::<u32>()
            .map_err(|_| bad())?;
        return Ok(Frequency::EveryNDays(n));
    }
    let rest = ["semi monthly ", "semimonthly "]
        .iter()
        .find_map(|p| norm.strip_prefix(p))
        .ok_or_else(bad)?;
    let mut parts = rest.split(',').map(|p| p.trim().parse::<u8>());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b)), None) => Ok(Frequency::SemiMonthly {
            first_day: a,
            second_day: b,
        }),
        _ => Err(bad()),
    }
}

/// Day-count conventions: how the time between two dates becomes a fraction of a year.
///
/// * `30/360` (US, SIA): D1 = 31 → 30; D1 the last day of February → 30; D2 = 31 with
///   D1 ≥ 30 → 30; D2 the last day of February with D1 also the last day of February → 30.
/// * `30E/360`: both days capped at 30.
/// * `Actual/360`, `Actual/364`, `Actual/365F`: actual days over a fixed year.
/// * `Actual/Actual (ISDA)`: the days of the span falling in a leap year count /366 and the
///   others /365; a span crossing Dec 31 → Jan 1 is split at the year boundary, so
///   2023-12-01..2024-01-31 = 31/365 + 30/366.
///
/// Under the 30/360 family a *regular* period counts exactly its nominal share of a year
/// (1/12 a month, 15/360 every 15 days); only irregular (odd) periods use the day count.
///
/// ```
/// use loansyncro_core::DayCount;
/// use chrono::NaiveDate;
/// let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
/// let yf = DayCount::ActualActualIsda.year_fraction(d("2023-12-01"), d("2024-01-31"));
/// assert_eq!((yf.num, yf.den), (31 * 366 + 30 * 365, 365 * 366));
/// assert_eq!(DayCount::Thirty360Us.days(d("2024-01-31"), d("2024-03-01")), 31);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DayCount {
    /// 30/360 US (SIA). The default for monthly loans.
    #[default]
    Thirty360Us,
    /// 30E/360 (Eurobond basis).
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

vocabulary! {
    unit DayCount, field: "day_count", noun: "day count";
    Thirty360Us => "30/360" | "30/360 US" | "thirty360" | "days360",
    Thirty360European => "30E/360" | "30/360E",
    Actual360 => "actual/360" | "act/360",
    Actual364 => "actual/364" | "act/364",
    Actual365Fixed => "actual/365F" | "actual/365" | "act/365F" | "act/365",
    ActualActualIsda => "actual/actual" | "actual/actual ISDA" | "act/act",
}

impl DayCount {
    /// Days in the convention's year (365 for Actual/Actual, used for nominal day-based periods).
    pub fn year_basis(self) -> u32 {
        match self {
            DayCount::Thirty360Us | DayCount::Thirty360European | DayCount::Actual360 => 360,
            DayCount::Actual364 => 364,
            DayCount::Actual365Fixed | DayCount::ActualActualIsda => 365,
        }
    }

    /// Whether this is a 30/360-family convention.
    pub fn is_thirty_360(self) -> bool {
        matches!(self, DayCount::Thirty360Us | DayCount::Thirty360European)
    }

    /// Days between two dates under the convention (30/360 days or actual days).
    pub fn days(self, from: NaiveDate, to: NaiveDate) -> i64 {
        match self {
            DayCount::Thirty360Us => days_30_360_us(from, to),
            DayCount::Thirty360European => days_30e_360(from, to),
            _ => (to - from).num_days(),
        }
    }

    /// The year fraction between two dates as an exact fraction.
    pub fn year_fraction(self, from: NaiveDate, to: NaiveDate) -> Fraction {
        match self {
            DayCount::ActualActualIsda => actual_actual_isda(from, to),
            _ => Fraction::new(
                i128::from(self.days(from, to)),
                i128::from(self.year_basis()),
            ),
        }
    }

    /// The year fraction of one installment period `from..to`: the nominal share for regular
    /// periods under 30/360, otherwise [`DayCount::year_fraction`].
    pub fn period_fraction(
        self,
        frequency: Frequency,
        from: NaiveDate,
        to: NaiveDate,
        regular: bool,
    ) -> Fraction {
        if regular && self.is_thirty_360() {
            frequency.nominal_fraction(self)
        } else {
            self.year_fraction(from, to)
        }
    }
}

/// The one date range LoanSyncro supports, in every store and binding: 1900-01-01 to
/// 2199-12-31 (years [`MIN_SUPPORTED_YEAR`]..=[`MAX_SUPPORTED_YEAR`]). Loan start and first
/// due dates, rate-change dates and repayment dates outside it are validation errors, so
/// every date that is stored prints as `YYYY-MM-DD` and reads back the same.
pub const MIN_SUPPORTED_YEAR: i32 = 1900;
/// Last year of the supported date range (see [`MIN_SUPPORTED_YEAR`]).
pub const MAX_SUPPORTED_YEAR: i32 = 2199;

/// Checks that `date` lies in the supported range (see [`MIN_SUPPORTED_YEAR`]); the error
/// names `field`.
///
/// ```
/// use loansyncro_core::math::calendar::check_supported_date;
/// use chrono::NaiveDate;
/// let ok = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
/// assert!(check_supported_date("start", ok).is_ok());
/// let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
/// let err = check_supported_date("start", far).unwrap_err();
/// assert_eq!(err.field(), Some("start"));
/// ```
pub fn check_supported_date(field: impl Into<String>, date: NaiveDate) -> Result<()> {
    if (MIN_SUPPORTED_YEAR..=MAX_SUPPORTED_YEAR).contains(&date.year()) {
        return Ok(());
    }
    Err(Error::validation(
        field,
        format!("must be between {MIN_SUPPORTED_YEAR}-01-01 and {MAX_SUPPORTED_YEAR}-12-31"),
    ))
}

/// Parses a calendar date written exactly `YYYY-MM-DD` (the one date format of every wire
/// form); anything else is a validation error on `field` saying what was expected and what came:
/// `expected YYYY-MM-DD, got "12/01/2025"` ([`iso_date_reason`]).
///
/// ```
/// use loansyncro_core::math::calendar::parse_iso_date;
/// use chrono::NaiveDate;
/// assert_eq!(parse_iso_date("start_date", "2025-12-01").unwrap(), NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
/// let err = parse_iso_date("start_date", "12/01/2025").unwrap_err();
/// assert_eq!(err.field(), Some("start_date"));
/// assert_eq!(err.to_string(), r#"invalid start_date: expected YYYY-MM-DD, got "12/01/2025""#);
/// assert!(parse_iso_date("d", "2025-02-30").is_err());
/// assert!(parse_iso_date("d", "2025-2-3").is_err());
/// ```
pub fn parse_iso_date(field: &str, text: &str) -> Result<NaiveDate> {
    iso_date(text).ok_or_else(|| Error::validation(field, iso_date_reason(text)))
}

/// The reason of a date that is not `YYYY-MM-DD`: `expected YYYY-MM-DD, got "12/01/2025"`.
pub fn iso_date_reason(text: &str) -> String {
    format!("expected YYYY-MM-DD, got {text:?}")
}

/// `YYYY-MM-DD` (four, two and two ASCII digits) naming a calendar day.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    let year = text[0..4].parse().ok()?;
    let month = text[5..7].parse().ok()?;
    let day = text[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A serde `deserialize_with` for dates: a JSON string `YYYY-MM-DD`, else the error of
/// [`iso_date_reason`] (the caller's path names the field).
///
/// ```
/// use chrono::NaiveDate;
/// #[derive(serde::Deserialize)]
/// struct Body {
///     #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
///     start: NaiveDate,
/// }
/// let err = serde_json::from_str::<Body>(r#"{"start": "12/01/2025"}"#).err().unwrap();
/// assert!(err.to_string().starts_with(r#"expected YYYY-MM-DD, got "12/01/2025""#));
/// ```
pub fn deserialize_iso_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<NaiveDate, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date YYYY-MM-DD")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<NaiveDate, E> {
            iso_date(text).ok_or_else(|| E::custom(iso_date_reason(text)))
        }
    }
    deserializer.deserialize_str(Visitor)
}

/// [`deserialize_iso_date`] for an optional date (`null` or absent: `None`; use with
/// `#[serde(default)]`).
pub fn deserialize_opt_iso_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<NaiveDate>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "deserialize_iso_date")] NaiveDate);
    Option::<Wrapped>::deserialize(deserializer).map(|o| o.map(|Wrapped(d)| d))
}

/// Days in month `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap_year(year) => 29,
        _ => 28,
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn is_month_end(d: NaiveDate) -> bool {
    d.day() == days_in_month(d.year(), d.month())
}

/// `date` plus `months`, keeping `date`'s day of month and clamping to the month's end.
///
/// ```
/// use loansyncro_core::math::calendar::add_months;
/// use chrono::NaiveDate;
/// let jan31 = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
/// assert_eq!(add_months(jan31, 1), NaiveDate::from_ymd_opt(2024, 2, 29));
/// assert_eq!(add_months(jan31, 2), NaiveDate::from_ymd_opt(2024, 3, 31));
/// ```
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    month_day(date.year(), date.month(), months, date.day())
}

/// Day `day` (clamped to the month's end) of the month `months` after `year-month`.
fn month_day(year: i32, month: u32, months: u32, day: u32) -> Option<NaiveDate> {
    let total = i64::from(year) * 12 + i64::from(month) - 1 + i64::from(months);
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = u32::try_from(total.rem_euclid(12)).ok()? + 1;
    NaiveDate::from_ymd_opt(y, m, day.min(days_in_month(y, m)))
}

fn is_last_of_february(d: NaiveDate) -> bool {
    d.month() == 2 && is_month_end(d)
}

fn days_30_360_us(from: NaiveDate, to: NaiveDate) -> i64 {
    let (mut d1, mut d2) = (from.day() as i64, to.day() as i64);
    if is_last_of_february(from) && is_last_of_february(to) {
        d2 = 30;
    }
    if is_last_of_february(from) {
        d1 = 30;
    }
    if d2 == 31 && d1 >= 30 {
        d2 = 30;
    }
    if d1 == 31 {
        d1 = 30;
    }
    days_360(from, to, d1, d2)
}

fn days_30e_360(from: NaiveDate, to: NaiveDate) -> i64 {
    let d1 = (from.day() as i64).min(30);
    let d2 = (to.day() as i64).min(30);
    days_360(from, to, d1, d2)
}

fn days_360(from: NaiveDate, to: NaiveDate, d1: i64, d2: i64) -> i64 {
    360 * (i64::from(to.year()) - i64::from(from.year()))
        + 30 * (i64::from(to.month()) - i64::from(from.month()))
        + (d2 - d1)
}

fn actual_actual_isda(from: NaiveDate, to: NaiveDate) -> Fraction {
    if to <= from {
        return Fraction::new(-i128::from((from - to).num_days()), 365);
    }
    let (mut leap_days, mut common_days) = (0i128, 0i128);
    let mut cursor = from;
    while cursor < to {
        let next_year = NaiveDate::from_ymd_opt(cursor.year() + 1, 1, 1).unwrap_or(to);
        let end = next_year.min(to);
        let span = i128::from((end - cursor).num_days());
        if is_leap_year(cursor.year()) {
            leap_days += span;
        } else {
            common_days += span;
        }
        cursor = end;
    }
    Fraction::new(common_days * 366 + leap_days * 365, 365 * 366)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn month_end_anchor_never_chains_from_clamped_date() {
        let f = Frequency::Monthly;
        let a = d("2024-01-31");
        let got: Vec<_> = (0..4).map(|k| f.step(a, k).unwrap()).collect();
        assert_eq!(
            got,
            vec![
                d("2024-01-31"),
                d("2024-02-29"),
                d("2024-03-31"),
                d("2024-04-30")
            ]
        );
    }

    #[test]
    fn semi_monthly_alternates_days() {
        let f = Frequency::SemiMonthly {
            first_day: 15,
            second_day: 31,
        };
        assert_eq!(f.first_due_after(d("2024-02-01")), Some(d("2024-02-15")));
        let a = d("2024-02-15");
        let got: Vec<_> = (0..4).map(|k| f.step(a, k).unwrap()).collect();
        assert_eq!(
            got,
            vec![
                d("2024-02-15"),
                d("2024-02-29"),
                d("2024-03-15"),
                d("2024-03-31")
            ]
        );
        assert_eq!(f.step(d("2024-02-29"), 1), Some(d("2024-03-15")));
    }

    #[test]
    fn day_counts() {
        assert_eq!(
            DayCount::Thirty360Us.days(d("2024-01-30"), d("2024-01-31")),
            0
        );
        assert_eq!(
            DayCount::Thirty360Us.days(d("2024-02-29"), d("2024-03-31")),
            30
        );
        assert_eq!(
            DayCount::Thirty360European.days(d("2024-02-29"), d("2024-03-31")),
            31
        );
        assert_eq!(
            DayCount::Actual365Fixed.days(d("2024-02-01"), d("2024-03-01")),
            29
        );
        let f = DayCount::ActualActualIsda.year_fraction(d("2024-01-01"), d("2025-01-01"));
        assert_eq!(f.num, f.den);
    }

    #[test]
    fn every_n_days_validation_names_field() {
        assert_eq!(
            "every 0 days".parse::<Frequency>().unwrap_err().field(),
            Some("frequency")
        );
        assert_eq!(
            "fortnight-ish".parse::<Frequency>().unwrap_err().field(),
            Some("frequency")
        );
    }

    #[test]
    fn parse_day_counts() {
        for s in [
            "30/360",
            "30E/360",
            "actual/360",
            "actual/364",
            "actual/365F",
            "actual/actual",
        ] {
            let dc: DayCount = s.parse().unwrap();
            assert_eq!(dc.to_string(), s);
        }
    }

    #[test]
    fn supported_date_range_has_exact_edges() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert!(check_supported_date("date", d(1900, 1, 1)).is_ok());
        assert!(check_supported_date("date", d(2199, 12, 31)).is_ok());
        for outside in [d(1899, 12, 31), d(2200, 1, 1), d(10_000, 1, 1), d(-1, 1, 1)] {
            let err = check_supported_date("date", outside).unwrap_err();
            assert_eq!(err.field(), Some("date"), "{outside}");
        }
    }
}
