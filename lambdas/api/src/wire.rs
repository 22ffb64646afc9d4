//! The JSON of a schedule row ([`InstallmentDto`]): the same bytes as `#[derive(Serialize)]`
//! would give, at a fraction of the cost.
//!
//! A repayment's answer carries the re-projected remaining schedule (up to a few hundred rows
//! of six decimals and a date each). Through the derived serializer every date went through
//! `Debug` one character at a time (each character through serde_json's string escaping) and
//! every decimal through a 96-bit division per digit: about two thirds of the instructions of a
//! `POST /repayments` once the token is verified. Here the row is still a serde struct (any
//! serializer, same keys, same order), but a date is formatted from its fields and a decimal from
//! its mantissa (when it fits 64 bits, else by `Decimal`'s own serializer) into a stack buffer.
//!
//! The tests compare both serializers byte for byte, for ordinary and extreme values.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::dto::InstallmentDto;

/// Longest text of a decimal with a 64-bit mantissa: sign, 20 digits, point, a leading zero
/// and up to 28 zeros of scale.
const DECIMAL_TEXT: usize = 52;

/// Writes `d` as `Decimal`'s serializer does (its `Display` without precision: the sign when
/// negative, even for a zero; the digits of the mantissa padded to the scale; a point before
/// the last `scale` digits) into `buf`; `None` when the mantissa does not fit 64 bits.
///
/// ```
/// # use rust_decimal_macros::dec;
/// let mut buf = [0u8; 52];
/// assert_eq!(loansyncro_api::wire::decimal_text(dec!(-0.05), &mut buf), Some("-0.05"));
/// assert_eq!(loansyncro_api::wire::decimal_text(dec!(1517.29), &mut buf), Some("1517.29"));
/// ```
pub fn decimal_text(d: Decimal, buf: &mut [u8; DECIMAL_TEXT]) -> Option<&str> {
    let mut m = u64::try_from(d.mantissa().unsigned_abs()).ok()?;
    let scale = d.scale() as usize;
    // Digits from the right end of the buffer, at least `scale` of them.
    let mut at = buf.len();
    let mut digits = 0;
    while m > 0 || digits < scale {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        digits += 1;
        if digits == scale {
            at -= 1;
            buf[at] = b'.';
        }
    }
    if digits == scale {
        // No whole digit: "0" (then the point, if there is a scale).
        at -= 1;
        buf[at] = b'0';
    }
    if d.is_sign_negative() {
        at -= 1;
        buf[at] = b'-';
    }
    std::str::from_utf8(&buf[at..]).ok()
}

/// A decimal serialized through [`decimal_text`].
struct FastDecimal(Decimal);

impl Serialize for FastDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; DECIMAL_TEXT];
        match decimal_text(self.0, &mut buf) {
            Some(text) => serializer.serialize_str(text),
            None => Serialize::serialize(&self.0, serializer),
        }
    }
}

/// A date serialized as chrono does (`YYYY-MM-DD`; years outside 0..=9999 by chrono itself).
struct FastDate(NaiveDate);

impl Serialize for FastDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let date = self.0;
        let Ok(year) = u32::try_from(date.year()) else {
            return date.serialize(serializer);
        };
        if year > 9999 {
            return date.serialize(serializer);
        }
        let mut buf = *b"0000-00-00";
        let mut put = |at: usize, n: u32| {
            buf[at] = b'0' + (n / 10) as u8;
            buf[at + 1] = b'0' + (n % 10) as u8;
        };
        put(0, year / 100);
        put(2, year % 100);
        put(5, date.month());
        put(8, date.day());
        match std::str::from_utf8(&buf) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => date.serialize(serializer),
        }
    }
}

impl Serialize for InstallmentDto {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_struct("InstallmentDto", 9)?;
        row.serialize_field("number", &self.number)?;
        row.serialize_field("due_date", &FastDate(self.due_date))?;
        row.serialize_field("payment", &FastDecimal(self.payment))?;
        row.serialize_field("interest", &FastDecimal(self.interest))?;
        row.serialize_field("principal", &FastDecimal(self.principal))?;
        row.serialize_field("balance", &FastDecimal(self.balance))?;
        row.serialize_field("deferred_interest", &FastDecimal(self.deferred_interest))?;
        row.serialize_field("extra_principal", &FastDecimal(self.extra_principal))?;
        row.serialize_field("negative_amortization", &self.negative_amortization)?;
        row.end()
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
        let mut fast = 0;
        for d in decimals() {
            assert_eq!(
                serde_json::to_string(&FastDecimal(d)).unwrap(),
                serde_json::to_string(&d).unwrap(),
                "{d:?}"
            );
            fast += usize::from(decimal_text(d, &mut [0; DECIMAL_TEXT]).is_some());
        }
        assert!(fast > 400, "the fast path is taken ({fast})");
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
