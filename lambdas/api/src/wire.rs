//! The JSON of a schedule row ([`InstallmentDto`]), written directly: the same bytes as
//! `#[derive(Serialize)]` would give, at a fraction of the cost.
//!
//! A repayment's answer carries the re-projected remaining schedule (up to a few hundred rows
//! of eight decimals and a date each). Through the derived serializer every key and every value
//! went through serde_json's string escaping, every date through `Debug` one character at a
//! time and every decimal through a 96-bit division per digit: about two thirds of the
//! instructions of a `POST /repayments` after authentication. Here a row is formatted into one
//! string (keys are constants, decimals from their 128-bit mantissa, dates from their fields)
//! and handed to serde_json as a raw value, which is only validated.
//!
//! The wire form stays the derived one exactly, compact (`serde_json::to_vec`): the tests compare
//! both byte for byte, for ordinary and extreme values.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};

use crate::dto::InstallmentDto;

/// Appends `d` exactly as `Decimal`'s serializer writes it (its `Display` without precision):
/// the sign when negative (even for a zero), the digits of the mantissa padded to the scale, a
/// point before the last `scale` digits.
///
/// ```
/// # use rust_decimal_macros::dec;
/// let mut s = String::new();
/// loansyncro_api::wire::push_decimal(&mut s, dec!(-0.05));
/// assert_eq!(s, "-0.05");
/// ```
pub fn push_decimal(out: &mut String, d: Decimal) {
    let mut digits = [0u8; 40];
    let mut len = 0;
    let mut m = d.mantissa().unsigned_abs();
    while m > 0 {
        digits[len] = b'0' + (m % 10) as u8;
        m /= 10;
        len += 1;
    }
    let scale = d.scale() as usize;
    while len < scale {
        digits[len] = b'0';
        len += 1;
    }
    if d.is_sign_negative() {
        out.push('-');
    }
    let whole = len - scale;
    if whole == 0 {
        out.push('0');
    }
    for (i, digit) in digits[..len].iter().rev().enumerate() {
        if i == whole && scale > 0 {
            out.push('.');
        }
        out.push(char::from(*digit));
    }
}

/// Appends `date` as chrono writes it (`YYYY-MM-DD`, other years signed as `{:+05}`).
fn push_date(out: &mut String, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        let _ = write!(out, "{date:?}");
        return;
    }
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    let year = year.unsigned_abs();
    two(out, year / 100);
    two(out, year % 100);
    out.push('-');
    two(out, date.month());
    out.push('-');
    two(out, date.day());
}

/// The compact JSON object of one row, keys in declaration order.
fn row_json(r: &InstallmentDto) -> String {
    let mut s = String::with_capacity(256);
    s.push_str("{\"number\":");
    let _ = write!(s, "{}", r.number);
    s.push_str(",\"due_date\":\"");
    push_date(&mut s, r.due_date);
    for (key, value) in [
        ("\",\"payment\":\"", r.payment),
        ("\",\"interest\":\"", r.interest),
        ("\",\"principal\":\"", r.principal),
        ("\",\"balance\":\"", r.balance),
        ("\",\"deferred_interest\":\"", r.deferred_interest),
        ("\",\"extra_principal\":\"", r.extra_principal),
    ] {
        s.push_str(key);
        push_decimal(&mut s, value);
    }
    s.push_str("\",\"negative_amortization\":");
    s.push_str(if r.negative_amortization {
        "true}"
    } else {
        "false}"
    });
    s
}

impl Serialize for InstallmentDto {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(row_json(self))
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal_macros::dec;

    /// What `#[derive(Serialize)]` on the row gives (the reference).
    #[derive(Serialize)]
    struct Derived {
        number: u32,
        due_date: NaiveDate,
        payment: Decimal,
        interest: Decimal,
        principal: Decimal,
        balance: Decimal,
        deferred_interest: Decimal,
        extra_principal: Decimal,
        negative_amortization: bool,
    }

    fn row(number: u32, due_date: NaiveDate, values: [Decimal; 6], flag: bool) -> InstallmentDto {
        InstallmentDto {
            number,
            due_date,
            payment: values[0],
            interest: values[1],
            principal: values[2],
            balance: values[3],
            deferred_interest: values[4],
            extra_principal: values[5],
            negative_amortization: flag,
        }
    }

    fn derived(r: &InstallmentDto) -> String {
        serde_json::to_string(&Derived {
            number: r.number,
            due_date: r.due_date,
            payment: r.payment,
            interest: r.interest,
            principal: r.principal,
            balance: r.balance,
            deferred_interest: r.deferred_interest,
            extra_principal: r.extra_principal,
            negative_amortization: r.negative_amortization,
        })
        .unwrap()
    }

    fn decimals() -> Vec<Decimal> {
        let mut all = vec![
            Decimal::ZERO,
            -Decimal::ZERO,
            dec!(0.00),
            Decimal::new(0, 2).set_sign_negative_copy(),
            dec!(1),
            dec!(-1),
            dec!(0.05),
            dec!(-0.05),
            dec!(1517.29),
            dec!(250000),
            dec!(250000.00),
            dec!(0.0000000000000000000000000001),
            dec!(-0.0000000000000000000000000001),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(i64::MAX, 28),
            Decimal::new(123_456_789, 28),
            Decimal::new(-42, 1),
        ];
        // A deterministic sweep of mantissas and scales.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mantissa = i64::try_from(x >> 1).unwrap() >> (x % 60);
            let sign = if x & 1 == 0 { 1 } else { -1 };
            all.push(Decimal::new(sign * mantissa, (x % 29) as u32));
        }
        all
    }

    trait NegZero {
        fn set_sign_negative_copy(self) -> Decimal;
    }
    impl NegZero for Decimal {
        fn set_sign_negative_copy(mut self) -> Decimal {
            self.set_sign_negative(true);
            self
        }
    }

    #[test]
    fn decimals_are_written_as_their_serializer_writes_them() {
        for d in decimals() {
            let mut s = String::new();
            push_decimal(&mut s, d);
            assert_eq!(
                serde_json::to_string(&d).unwrap(),
                format!("\"{s}\""),
                "{d:?}"
            );
        }
    }

    #[test]
    fn rows_are_byte_identical_to_the_derived_serializer() {
        let dates = [
            NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(),
            NaiveDate::from_ymd_opt(1, 2, 3).unwrap(),
            NaiveDate::from_ymd_opt(0, 12, 9).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-1, 1, 1).unwrap(),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ];
        let all = decimals();
        for (i, chunk) in all.chunks(6).enumerate() {
            let mut values = [Decimal::ZERO; 6];
            values[..chunk.len()].copy_from_slice(chunk);
            let r = row(
                u32::try_from(i).unwrap().wrapping_mul(7919),
                dates[i % dates.len()],
                values,
                i % 2 == 0,
            );
            assert_eq!(serde_json::to_string(&r).unwrap(), derived(&r));
        }
        let max = row(u32::MAX, NaiveDate::MAX, [Decimal::MIN; 6], true);
        assert_eq!(serde_json::to_string(&max).unwrap(), derived(&max));
    }

    #[test]
    fn rows_inside_documents_and_values_keep_their_shape() {
        let r = row(
            3,
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            [
                dec!(1517.29),
                dec!(1354.17),
                dec!(163.12),
                dec!(249836.88),
                dec!(0),
                dec!(0),
            ],
            false,
        );
        let list = vec![r.clone(), r.clone()];
        let expected = format!("[{},{}]", derived(&r), derived(&r));
        assert_eq!(serde_json::to_string(&list).unwrap(), expected);
        let value = serde_json::to_value(&r).unwrap();
        assert_eq!(value["due_date"], "2025-03-01");
        assert_eq!(value["payment"], "1517.29");
        assert_eq!(value["negative_amortization"], false);
        assert_eq!(value.as_object().unwrap().len(), 9);
    }
}
