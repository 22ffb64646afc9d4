//! Chart-ready series: balance over time and cumulative interest against cumulative principal.
//!
//! A series is a plain list of [`SeriesPoint`]s, one per date, that a chart can draw directly
//! (amounts are exact decimals, serialized as strings). The payoff planner's per-month rows are
//! in [`crate::ledger::planner::MonthRow`].
//!
//! - [`schedule_series`]: the contractual plan, from the disbursement to the last installment.
//! - [`position_series`]: where a loan stands (what was paid so far) and its re-projected
//!   remaining schedule.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ledger::Position;
use crate::schedule::Schedule;

/// One point of a chart series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// Date of the point.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Balance outstanding after that date's installment.
    pub balance: Decimal,
    /// Interest paid up to and including that date.
    pub cumulative_interest: Decimal,
    /// Principal repaid up to and including that date.
    pub cumulative_principal: Decimal,
}

/// The series of a schedule: a first point at `start` with the full `principal` and nothing paid,
/// then one point per installment (its due date, the balance after it, and the running sums of
/// the interest and principal parts).
///
/// The running sums are sums of the schedule's rounded rows, so the last point's
/// `cumulative_interest` equals `schedule.totals().interest` and, for a schedule that closes at
/// zero, `cumulative_principal` equals the principal.
///
/// ```
/// use loansyncro_core::ledger::series::schedule_series;
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
///
/// let start = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
/// let terms = LoanTerms::builder()
///     .principal(dec!(1000))
///     .annual_rate(Rate::from_percent(dec!(12))?)
///     .installments(2)
///     .start(start)
///     .build()?;
/// let schedule = terms.schedule()?;
/// let series = schedule_series(&schedule, start, terms.principal());
/// assert_eq!(series.len(), 3);
/// assert_eq!(series[0].balance, dec!(1000));
/// // Payment 507.51: 10.00 interest + 497.51 principal, then 5.02 interest + 502.49.
/// assert_eq!(series[1].balance, dec!(502.49));
/// assert_eq!(series[2].date, NaiveDate::from_ymd_opt(2025, 3, 15).unwrap());
/// assert_eq!(series[2].balance, dec!(0));
/// assert_eq!(series[2].cumulative_interest, dec!(15.02));
/// assert_eq!(series[2].cumulative_principal, dec!(1000));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn schedule_series(
    schedule: &Schedule,
    start: NaiveDate,
    principal: Decimal,
) -> Vec<SeriesPoint> {
    let mut points = Vec::with_capacity(schedule.len() + 1);
    points.push(SeriesPoint {
        date: start,
        balance: principal,
        cumulative_interest: Decimal::ZERO,
        cumulative_principal: Decimal::ZERO,
    });
    let (mut interest, mut repaid) = (Decimal::ZERO, Decimal::ZERO);
    for row in schedule.installments() {
        interest += row.interest();
        repaid += row.principal();
        points.push(SeriesPoint {
            date: row.due_date(),
            balance: row.balance(),
            cumulative_interest: interest,
            cumulative_principal: repaid,
        });
    }
    points
}

/// The series of a loan's [`Position`]: a first point at `position.as_of` with the principal
/// outstanding and what was paid so far (`paid_interest`, `paid_principal`), then the
/// re-projected remaining schedule (`position.projected`), the running sums continuing from what
/// was paid.
///
/// The projection pays overdue remainders on the next due date, so a projected row dated on or
/// before `as_of` is drawn on `position.next_due_date` (or `as_of` when there is none); rows that land
/// on the same date are merged into one point. Dates therefore increase strictly after the
/// first point.
///
/// ```
/// use loansyncro_core::ledger::{position, LedgerPayment};
/// use loansyncro_core::ledger::series::position_series;
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// // 1200 at 0%, 12 installments of 100 from 2025-02-01; one paid on time.
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(2025, 1, 1)).build()?;
/// let paid = [LedgerPayment { date: d(2025, 2, 1), amount: dec!(100) }];
/// let pos = position(&terms, &paid, d(2025, 2, 10))?;
/// let series = position_series(&pos);
/// assert_eq!(series[0].date, d(2025, 2, 10));
/// assert_eq!(series[0].balance, dec!(1100));
/// assert_eq!(series[0].cumulative_principal, dec!(100));
/// let last = series.last().unwrap();
/// assert_eq!((last.date, last.balance), (d(2026, 1, 1), dec!(0)));
/// assert_eq!(last.cumulative_principal, dec!(1200));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn position_series(position: &Position) -> Vec<SeriesPoint> {
    let mut points = Vec::with_capacity(position.projected.len() + 1);
    let mut point = SeriesPoint {
        date: position.as_of,
        balance: position.principal_outstanding,
        cumulative_interest: position.paid_interest,
        cumulative_principal: position.paid_principal,
    };
    points.push(point);
    let arrears_date = position.next_due_date.unwrap_or(position.as_of);
    for row in &position.projected {
        let date = if row.due_date <= position.as_of {
            arrears_date
        } else {
            row.due_date
        };
        point = SeriesPoint {
            date,
            balance: row.balance,
            cumulative_interest: point.cumulative_interest + row.interest,
            cumulative_principal: point.cumulative_principal + row.principal,
        };
        let merge = points.len() > 1;
        match points.last_mut() {
            Some(last) if merge && last.date == date => *last = point,
            _ => points.push(point),
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::terms::LoanTerms;
    use rust_decimal_macros::dec;

    #[test]
    fn last_point_matches_totals() {
        let start = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap_or_default();
        let terms = LoanTerms::builder()
            .principal(dec!(250000))
            .annual_rate_percent(dec!(6.5))
            .installments(360)
            .start(start)
            .build();
        let Ok(schedule) = terms.and_then(|t| t.schedule()) else {
            unreachable!("valid terms")
        };
        let s = schedule_series(&schedule, start, dec!(250000));
        assert_eq!(s.len(), 361);
        let last = s[360];
        assert_eq!(last.balance, dec!(0));
        assert_eq!(last.cumulative_interest, schedule.totals().interest);
        assert_eq!(last.cumulative_principal, dec!(250000));
        for w in s.windows(2) {
            assert!(w[1].date > w[0].date);
            assert!(w[1].balance <= w[0].balance);
            assert_eq!(w[1].balance + w[1].cumulative_principal, dec!(250000));
        }
    }
}
