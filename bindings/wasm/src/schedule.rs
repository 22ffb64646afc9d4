//! Schedules in columnar form: one `Float64Array` (a single copy across the boundary) holding a
//! header and the columns of integer minor units. Building JS objects from Rust costs far more
//! than the schedule itself, so the JS side reads rows lazily from these columns.
//!
//! Layout (`H` = [`HEADER`] slots, then 7 columns of `n` values each, then an 8th when slot 9
//! is 1):
//!
//! | slot | value |
//! |---|---|
//! | 0 | layout version (2) |
//! | 1 | `n`, the number of installments (numbered 1..=n) |
//! | 2 | scale (the currency's minor units) |
//! | 3 | 1 if every value below is exact in a float (|minor| < 2^53), else 0 |
//! | 4..=8 | regular payment, Σ interest, Σ principal, Σ paid, Σ extra principal (minor units) |
//! | 9 | 1 if any installment amortized negatively (then the 8th column flags which) |
//! | 10..=12 | the currency code's three character codes |
//!
//! Columns: due date (days since 1970-01-01), payment, interest, principal, balance, deferred
//! interest, extra principal (minor units) [, negative amortization (0/1)].

use chrono::Datelike;
use loansyncro_core::{Currency, Schedule};
use rust_decimal::Decimal;

/// Header slots before the columns.
pub const HEADER: usize = 13;
/// Columns after the header (one more under negative amortization).
pub const COLUMNS: usize = 7;

/// Largest integer a float holds exactly (2^53).
const EXACT: i64 = 1 << 53;

fn minor(currency: Currency, value: Decimal, exact: &mut bool) -> f64 {
    let scale = currency.minor_units();
    if value.scale() == scale {
        // The common case (rows are built at the currency's scale): no rescaling.
        if let Ok(m) = i64::try_from(value.mantissa()) {
            if m.abs() < EXACT {
                return m as f64;
            }
        }
    }
    let mut v = value;
    v.rescale(scale);
    let ok = v == value && v.scale() == scale;
    match i64::try_from(v.mantissa()) {
        Ok(m) if ok && m.abs() < EXACT => m as f64,
        _ => {
            *exact = false;
            0.0
        }
    }
}

fn cell(v: i64, exact: &mut bool) -> f64 {
    if v.abs() >= EXACT {
        *exact = false;
    }
    v as f64
}

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i32 = 719_163;

/// The columnar encoding of a schedule. `deferred_possible`: whether the terms have an
/// interest grace (the only source of deferred interest); when false that column is not read
/// row by row.
pub fn columns(schedule: &Schedule, deferred_possible: bool) -> Vec<f64> {
    let rows = schedule.installments();
    let n = rows.len();
    let currency = schedule.currency();
    let totals = schedule.totals();
    let negative_any = schedule.negative_amortization();
    let ncols = if negative_any { COLUMNS + 1 } else { COLUMNS };
    let mut exact = true;
    let mut out = vec![0.0; HEADER + ncols * n];
    let (head, body) = out.split_at_mut(HEADER);
    let code = currency.code().as_bytes();
    let header = [
        2.0,
        n as f64,
        f64::from(currency.minor_units()),
        1.0,
        minor(currency, schedule.regular_payment(), &mut exact),
        minor(currency, totals.interest, &mut exact),
        minor(currency, totals.principal, &mut exact),
        minor(currency, totals.paid, &mut exact),
        minor(currency, totals.extra_principal, &mut exact),
        f64::from(u8::from(negative_any)),
        f64::from(code.first().copied().unwrap_or(b'?')),
        f64::from(code.get(1).copied().unwrap_or(b'?')),
        f64::from(code.get(2).copied().unwrap_or(b'?')),
    ];
    head.copy_from_slice(&header);
    // Extra principal is never negative: a zero total means a zero column.
    let extra_possible = !totals.extra_principal.is_zero();
    let (due, rest) = body.split_at_mut(n);
    let (payment, rest) = rest.split_at_mut(n);
    let (interest, rest) = rest.split_at_mut(n);
    let (principal, rest) = rest.split_at_mut(n);
    let (balance, rest) = rest.split_at_mut(n);
    let (deferred, rest) = rest.split_at_mut(n);
    let (extra, negative) = rest.split_at_mut(n);
    for (i, row) in rows.iter().enumerate() {
        if row.number() as usize != i + 1 {
            exact = false;
        }
        due[i] = f64::from(row.due_date().num_days_from_ce() - UNIX_EPOCH_CE_DAYS);
        payment[i] = cell(row.payment_minor(), &mut exact);
        interest[i] = cell(row.interest_minor(), &mut exact);
        principal[i] = cell(row.principal_minor(), &mut exact);
        balance[i] = cell(row.balance_minor(), &mut exact);
        if deferred_possible {
            deferred[i] = minor(currency, row.deferred_interest(), &mut exact);
        }
        if extra_possible {
            extra[i] = minor(currency, row.extra_principal(), &mut exact);
        }
        if negative_any {
            negative[i] = f64::from(u8::from(row.negative_amortization()));
        }
    }
    if !exact {
        head[3] = 0.0;
    }
    out
}

/// Installments, scale, regular payment, Σ interest and Σ paid (minor units) of a schedule;
/// an overflow error when an amount is beyond 2^53 minor units (use the full schedule then).
pub fn summary(schedule: &Schedule) -> loansyncro_core::Result<[f64; 5]> {
    let currency = schedule.currency();
    let totals = schedule.totals();
    let mut exact = true;
    let out = [
        schedule.len() as f64,
        f64::from(currency.minor_units()),
        minor(currency, schedule.regular_payment(), &mut exact),
        minor(currency, totals.interest, &mut exact),
        minor(currency, totals.paid, &mut exact),
    ];
    if exact {
        Ok(out)
    } else {
        Err(loansyncro_core::Error::overflow(
            "schedule summary (an amount is beyond 2^53 minor units)",
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::NaiveDate;
    use loansyncro_core::LoanTerms;

    #[test]
    fn quickstart_schedule_in_columns() {
        let s = LoanTerms::builder()
            .principal(Decimal::from(250_000))
            .annual_rate_percent(Decimal::new(65, 1))
            .installments(360)
            .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .build()
            .unwrap()
            .schedule()
            .unwrap();
        let c = columns(&s, false);
        assert_eq!(c.len(), HEADER + COLUMNS * 360);
        assert_eq!(&c[..5], &[2.0, 360.0, 2.0, 1.0, 158_017.0]);
        assert_eq!(c[HEADER], 20_120.0); // first due date, 2025-02-01, in days since 1970
        assert_eq!(c[HEADER + 360], 158_017.0); // first payment
        assert_eq!(c[HEADER + 5 * 360 - 1], 0.0); // last balance
        assert_eq!(
            c[5],
            (s.totals().interest * Decimal::ONE_HUNDRED)
                .to_string()
                .parse::<f64>()
                .unwrap()
        );
    }
}
