//! Schedules in columnar form: one `Float64Array` (a single copy across the boundary) holding a
//! header and the columns of integer minor units, written straight from the rows (no decimal
//! or calendar types on the way). Building JS objects from Rust costs far more than the
//! schedule itself, so the JS side reads rows lazily from these columns.
//!
//! Layout (`H` = [`HEADER`] slots, then the 5 columns every schedule has, `n` values each, then
//! the optional columns slot 13 announces, in this order):
//!
//! | slot | value |
//! |---|---|
//! | 0 | layout version (3) |
//! | 1 | `n`, the number of installments (numbered 1..=n) |
//! | 2 | scale (the currency's minor units) |
//! | 3 | 1 if every value below is exact in a float (|minor| < 2^53), else 0 |
//! | 4..=8 | regular payment, Σ interest, Σ principal, Σ paid, Σ extra principal (minor units) |
//! | 9 | 1 if any installment amortized negatively |
//! | 10..=12 | the currency code's three character codes |
//! | 13 | optional columns present: 1 deferred interest, 2 extra principal, 4 negative amortization (0/1) |
//!
//! Columns: due date (days since 1970-01-01), payment, interest, principal, balance (minor
//! units); an optional column left out is all zeros (the JS side makes it on access).

use loansyncro_core::{Currency, Schedule};
use rust_decimal::Decimal;

/// Header slots before the columns.
pub const HEADER: usize = 14;
/// Columns every schedule has (due date, payment, interest, principal, balance).
pub const COLUMNS: usize = 5;
/// Slot 13 flags of the optional columns.
pub const DEFERRED: u8 = 1;
/// See [`DEFERRED`].
pub const EXTRA: u8 = 2;
/// See [`DEFERRED`].
pub const NEGATIVE: u8 = 4;

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

/// The columnar encoding of a schedule. `deferred_possible`: whether the terms have an
/// interest grace (the only source of deferred interest); when false that column is not read.
pub fn columns(schedule: &Schedule, deferred_possible: bool) -> Vec<f64> {
    let mut out = Vec::new();
    columns_into(&mut out, schedule, deferred_possible);
    out
}

/// [`columns`] written into `out` (cleared first; its allocation is reused).
pub fn columns_into(out: &mut Vec<f64>, schedule: &Schedule, deferred_possible: bool) {
    let rows = schedule.installments();
    let n = rows.len();
    let currency = schedule.currency();
    let totals = schedule.totals();
    let negative_any = schedule.negative_amortization();
    // Extra principal is never negative: a zero total means a zero column.
    let deferred_any = deferred_possible && rows.iter().any(|r| !r.deferred_interest().is_zero());
    let extra_any = !totals.extra_principal.is_zero();
    let flags = (u8::from(deferred_any) * DEFERRED)
        | (u8::from(extra_any) * EXTRA)
        | (u8::from(negative_any) * NEGATIVE);
    let ncols = COLUMNS + flags.count_ones() as usize;
    let mut exact = true;
    out.clear();
    out.resize(HEADER + ncols * n, 0.0);
    let (head, body) = out.split_at_mut(HEADER);
    let code = currency.code().as_bytes();
    let header = [
        3.0,
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
        f64::from(flags),
    ];
    head.copy_from_slice(&header);
    let (due, rest) = body.split_at_mut(n);
    let (payment, rest) = rest.split_at_mut(n);
    let (interest, rest) = rest.split_at_mut(n);
    let (principal, rest) = rest.split_at_mut(n);
    let (balance, mut optional) = rest.split_at_mut(n);
    // One pass, no bounds checks (zipped slices of length n) and no branch per cell: the
    // magnitudes are OR-ed together and compared with 2^53 once; a row numbered out of
    // sequence marks the layout inexact likewise.
    let mut magnitude = 0u64;
    let mut numbering = 0u32;
    let cells = due
        .iter_mut()
        .zip(payment.iter_mut())
        .zip(interest.iter_mut())
        .zip(principal.iter_mut())
        .zip(balance.iter_mut());
    for (i, (row, ((((d, p), it), pr), b))) in rows.iter().zip(cells).enumerate() {
        numbering |= row.number() ^ (i as u32).wrapping_add(1);
        let (pay, int, prin, bal) = (
            row.payment_minor(),
            row.interest_minor(),
            row.principal_minor(),
            row.balance_minor(),
        );
        magnitude |=
            pay.unsigned_abs() | int.unsigned_abs() | prin.unsigned_abs() | bal.unsigned_abs();
        *d = f64::from(row.due_epoch_days());
        *p = pay as f64;
        *it = int as f64;
        *pr = prin as f64;
        *b = bal as f64;
    }
    if magnitude >= EXACT as u64 || numbering != 0 {
        exact = false;
    }
    if deferred_any {
        let (column, rest) = optional.split_at_mut(n);
        for (cell, row) in column.iter_mut().zip(rows) {
            *cell = minor(currency, row.deferred_interest(), &mut exact);
        }
        optional = rest;
    }
    if extra_any {
        let (column, rest) = optional.split_at_mut(n);
        for (cell, row) in column.iter_mut().zip(rows) {
            *cell = minor(currency, row.extra_principal(), &mut exact);
        }
        optional = rest;
    }
    if negative_any {
        for (cell, row) in optional.iter_mut().zip(rows) {
            *cell = f64::from(u8::from(row.negative_amortization()));
        }
    }
    if !exact {
        head[3] = 0.0;
    }
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
        assert_eq!(&c[..5], &[3.0, 360.0, 2.0, 1.0, 158_017.0]);
        assert_eq!(c[13], 0.0); // no optional column
        assert_eq!(c[HEADER], 20_120.0); // first due date, 2025-02-01, in days since 1970
        assert_eq!(c[HEADER + 360], 158_017.0); // first payment
        assert_eq!(c[HEADER + 5 * 360 - 1], 0.0); // last balance
        assert_eq!(c[HEADER + 359], 31_046.0); // last due date, 2055-01-01
        assert_eq!(
            c[5],
            (s.totals().interest * Decimal::ONE_HUNDRED)
                .to_string()
                .parse::<f64>()
                .unwrap()
        );
    }

    #[test]
    fn columns_into_reuses_the_buffer_and_the_largest_amounts_stay_exact() {
        // The largest principal the core accepts (1e12) in a 3-decimal currency: 10^15 minor
        // units, below 2^53, so every value is exact.
        let s = LoanTerms::builder()
            .principal(Decimal::from(1_000_000_000_000_i64))
            .currency(loansyncro_core::Currency::BHD)
            .annual_rate_percent(Decimal::new(5, 0))
            .installments(12)
            .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .build()
            .unwrap()
            .schedule()
            .unwrap();
        let mut reused = vec![7.0; 3 * HEADER * COLUMNS * 12];
        columns_into(&mut reused, &s, false);
        assert_eq!(reused, columns(&s, false));
        assert_eq!(reused.len(), HEADER + COLUMNS * 12);
        assert_eq!(reused[3], 1.0);
        assert_eq!(reused[2], 3.0);
        // First row: principal + balance is the whole principal, 10^15 minor units.
        assert_eq!(reused[HEADER + 3 * 12] + reused[HEADER + 4 * 12], 1e15);
    }

    #[test]
    fn due_dates_in_days_agree_with_the_calendar() {
        use chrono::Datelike;
        use loansyncro_core::Frequency;
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut checked = 0;
        for (y, m, d) in [
            (1901, 1, 31),
            (1968, 2, 29),
            (1999, 12, 31),
            (2000, 2, 29),
            (2024, 1, 30),
        ] {
            for frequency in [
                Frequency::Monthly,
                Frequency::Weekly,
                Frequency::EveryNDays(15),
            ] {
                let s = LoanTerms::builder()
                    .principal(Decimal::from(100_000))
                    .annual_rate_percent(Decimal::new(5, 0))
                    .installments(600)
                    .frequency(frequency)
                    .start(NaiveDate::from_ymd_opt(y, m, d).unwrap())
                    .build()
                    .unwrap()
                    .schedule()
                    .unwrap();
                let c = columns(&s, false);
                for (i, row) in s.installments().iter().enumerate() {
                    let days = (row.due_date() - epoch).num_days();
                    assert_eq!(i64::from(row.due_epoch_days()), days, "{}", row.due_date());
                    assert_eq!(c[HEADER + i], days as f64);
                    assert!(row.due_date().year() >= 1901);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 3 * 600);
    }
}
