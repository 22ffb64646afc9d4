//! The JSON of the repayment answers and of a schedule row ([`InstallmentDto`]): the same bytes
//! as `#[derive(Serialize)]` through serde_json would give, at a fraction of the cost.
//!
//! A repayment's answer carries the re-projected remaining schedule (up to a few hundred rows
//! of six decimals and a date each, ~77 KB for a 30-year loan). Through the derived serializer
//! every date went through `Debug` one character at a time and every decimal through a 96-bit
//! division per digit; then serde_json scanned every key and value for characters to escape.
//! Here:
//! * [`RepaymentOutcomeDto::to_json`], [`LedgerOutcomeDto::to_json`] and
//!   [`PositionDto::to_json`] write the answer into one pre-sized buffer: the position and its
//!   rows byte by byte (the keys are constants and every value a number, a boolean, a date or
//!   a decimal written here, ASCII with nothing to escape), the parts that carry free text
//!   (repayment, loan, transition) through serde_json; [`json_response`] sends the bytes as
//!   they are, without a copy or a UTF-8 check.
//! * A row is still a serde struct for every other answer (same keys, same order), with a date
//!   formatted from its fields and a decimal from its mantissa (when it fits 64 bits, else by
//!   `Decimal`'s own serializer) into a stack buffer.
//!
//! The tests compare both writers with the derived serializer byte for byte, for ordinary and
//! extreme values.

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use http::{header, HeaderValue, StatusCode};
use rust_decimal::Decimal;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::dto::{
    InstallmentDto, LedgerOutcomeDto, LoanDto, PositionDto, RepaymentOutcomeDto, StatusChangeDto,
};
use crate::error::ApiError;

/// Longest text of a decimal with a 64-bit mantissa: sign, 20 digits, point, a leading zero
/// and up to 28 zeros of scale.
const DECIMAL_TEXT: usize = 52;

/// The two digits of 0..=99, for writing numbers two digits at a time.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `text` so that it ends just before `buf[*at]`, and moves `at` to its start.
#[inline]
fn back(buf: &mut [u8], at: &mut usize, text: &[u8]) {
    let start = *at - text.len();
    buf[start..*at].copy_from_slice(text);
    *at = start;
}

/// Writes the two digits of `n % 100` before `buf[*at]`; gives `n / 100`.
#[inline]
fn back_pair(buf: &mut [u8], at: &mut usize, n: u64) -> u64 {
    let pair = (n % 100) as usize * 2;
    back(buf, at, &PAIRS[pair..pair + 2]);
    n / 100
}

/// Writes the digits of `n` (at least one) before `buf[*at]`.
#[inline]
fn back_unsigned(buf: &mut [u8], at: &mut usize, mut n: u64) {
    while n >= 100 {
        n = back_pair(buf, at, n);
    }
    if n >= 10 {
        back_pair(buf, at, n);
    } else {
        back(buf, at, &[b'0' + n as u8]);
    }
}

/// Writes the text of `d` (see [`decimal_text`]) so that it ends just before `buf[*at]`, and
/// moves `at` to its start; `false` (nothing written) when the mantissa does not fit 64 bits.
/// `buf` must have [`DECIMAL_TEXT`] bytes before `*at`.
#[inline]
fn back_decimal(buf: &mut [u8], at: &mut usize, d: Decimal) -> bool {
    let Ok(mut m) = u64::try_from(d.mantissa().unsigned_abs()) else {
        return false;
    };
    let mut scale = d.scale();
    if scale > 0 {
        // Exactly `scale` digits after the point, zeros included.
        while scale >= 2 {
            m = back_pair(buf, at, m);
            scale -= 2;
        }
        if scale == 1 {
            back(buf, at, &[b'0' + (m % 10) as u8]);
            m /= 10;
        }
        back(buf, at, b".");
    }
    // At least one whole digit ("0" when there is none).
    back_unsigned(buf, at, m);
    if d.is_sign_negative() {
        back(buf, at, b"-");
    }
    true
}

/// [`back_decimal`] between quotes; `None` (the quotes may be written) when it does not fit.
#[inline]
fn back_quoted(buf: &mut [u8], at: &mut usize, d: Decimal) -> Option<()> {
    back(buf, at, b"\"");
    back_decimal(buf, at, d).then(|| back(buf, at, b"\""))
}

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
    let mut at = DECIMAL_TEXT;
    if !back_decimal(buf, &mut at, d) {
        return None;
    }
    std::str::from_utf8(&buf[at..]).ok()
}

/// `YYYY-MM-DD` of a date in the years 0..=9999 (chrono's own text for them); `None` outside.
fn date_text(date: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let mut buf = *b"0000-00-00";
    let mut put = |at: usize, n: u32| {
        buf[at] = b'0' + (n / 10) as u8;
        buf[at + 1] = b'0' + (n % 10) as u8;
    };
    put(0, year / 100);
    put(2, year % 100);
    put(5, date.month());
    put(8, date.day());
    Some(buf)
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
        match date_text(self.0).as_ref().map(|t| std::str::from_utf8(t)) {
            Some(Ok(text)) => serializer.serialize_str(text),
            _ => self.0.serialize(serializer),
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

// ---------------------------------------------------------------------------------------------
// Answers written straight into bytes
// ---------------------------------------------------------------------------------------------

/// Appends `{"name":` (or `,"name":`): `$open` is `"{"` for the first key of an object, else
/// `","`. Names are the Rust field names, as the derived serializer writes them.
macro_rules! key {
    ($out:expr, $open:literal, $name:literal) => {
        $out.extend_from_slice(concat!($open, "\"", $name, "\":").as_bytes())
    };
}

/// Appends a decimal as a JSON string (`"-0.05"`): by [`back_quoted`], else (a mantissa over
/// 64 bits) by `Decimal`'s own serializer.
fn put_decimal(out: &mut Vec<u8>, d: Decimal) -> serde_json::Result<()> {
    let mut buf = [0u8; DECIMAL_TEXT + 2];
    let mut at = buf.len();
    match back_quoted(&mut buf, &mut at, d) {
        Some(()) => {
            out.extend_from_slice(&buf[at..]);
            Ok(())
        }
        None => serde_json::to_writer(out, &d),
    }
}

/// Appends a date as a JSON string (`"2025-03-01"`); years outside 0..=9999 by chrono.
fn put_date(out: &mut Vec<u8>, date: NaiveDate) -> serde_json::Result<()> {
    match date_text(date) {
        Some(text) => {
            out.push(b'"');
            out.extend_from_slice(&text);
            out.push(b'"');
            Ok(())
        }
        None => serde_json::to_writer(out, &date),
    }
}

/// Appends an unsigned integer as serde_json writes it (plain digits).
fn put_unsigned(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    back_unsigned(&mut buf, &mut at, n);
    out.extend_from_slice(&buf[at..]);
}

/// Appends `true` or `false`.
fn put_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Room for a row written by [`row_back`]: 134 bytes of keys and punctuation, a `u32`, a
/// quoted date, six quoted decimals and `false}`.
const ROW_TEXT: usize = 134 + 10 + 12 + 6 * (DECIMAL_TEXT + 2) + 6;

/// Writes a row from its end to its start into `buf` (each value before the key that names
/// it, constant keys copied at known lengths) and gives where it starts; `None` for a row with
/// a decimal over 64 bits or a date outside 0..=9999 (written by [`put_row`]'s slow path).
fn row_back(row: &InstallmentDto, buf: &mut [u8; ROW_TEXT]) -> Option<usize> {
    // Every field named: a new field is a compile error here, not a silently missing key.
    let InstallmentDto {
        number,
        due_date,
        payment,
        interest,
        principal,
        balance,
        deferred_interest,
        extra_principal,
        negative_amortization,
    } = row;
    let date = date_text(*due_date)?;
    let mut at = ROW_TEXT;
    let at = &mut at;
    back(
        buf,
        at,
        if *negative_amortization {
            b"true}"
        } else {
            b"false}"
        },
    );
    back(buf, at, b",\"negative_amortization\":");
    back_quoted(buf, at, *extra_principal)?;
    back(buf, at, b",\"extra_principal\":");
    back_quoted(buf, at, *deferred_interest)?;
    back(buf, at, b",\"deferred_interest\":");
    back_quoted(buf, at, *balance)?;
    back(buf, at, b",\"balance\":");
    back_quoted(buf, at, *principal)?;
    back(buf, at, b",\"principal\":");
    back_quoted(buf, at, *interest)?;
    back(buf, at, b",\"interest\":");
    back_quoted(buf, at, *payment)?;
    back(buf, at, b",\"payment\":");
    back(buf, at, b"\"");
    back(buf, at, &date);
    back(buf, at, b"\"");
    back(buf, at, b",\"due_date\":");
    back_unsigned(buf, at, u64::from(*number));
    back(buf, at, b"{\"number\":");
    Some(*at)
}

/// Appends one schedule row as its `Serialize` writes it: through [`row_back`] in one copy,
/// else value by value.
fn put_row(out: &mut Vec<u8>, row: &InstallmentDto) -> serde_json::Result<()> {
    let mut buf = [0u8; ROW_TEXT];
    if let Some(at) = row_back(row, &mut buf) {
        out.extend_from_slice(&buf[at..]);
        return Ok(());
    }
    let InstallmentDto {
        number,
        due_date,
        payment,
        interest,
        principal,
        balance,
        deferred_interest,
        extra_principal,
        negative_amortization,
    } = row;
    key!(out, "{", "number");
    put_unsigned(out, u64::from(*number));
    key!(out, ",", "due_date");
    put_date(out, *due_date)?;
    key!(out, ",", "payment");
    put_decimal(out, *payment)?;
    key!(out, ",", "interest");
    put_decimal(out, *interest)?;
    key!(out, ",", "principal");
    put_decimal(out, *principal)?;
    key!(out, ",", "balance");
    put_decimal(out, *balance)?;
    key!(out, ",", "deferred_interest");
    put_decimal(out, *deferred_interest)?;
    key!(out, ",", "extra_principal");
    put_decimal(out, *extra_principal)?;
    key!(out, ",", "negative_amortization");
    put_bool(out, *negative_amortization);
    out.push(b'}');
    Ok(())
}

/// Appends a position as its derived `Serialize` writes it.
fn put_position(out: &mut Vec<u8>, position: &PositionDto) -> serde_json::Result<()> {
    let PositionDto {
        as_of,
        principal_outstanding,
        interest_accrued,
        paid_interest,
        paid_principal,
        paid_total,
        amount_due,
        days_past_due,
        next_due_date,
        next_due_amount,
        installments_paid,
        remaining_scheduled,
        progress,
        payoff_amount,
        closed,
        projected,
    } = position;
    key!(out, "{", "as_of");
    put_date(out, *as_of)?;
    key!(out, ",", "principal_outstanding");
    put_decimal(out, *principal_outstanding)?;
    key!(out, ",", "interest_accrued");
    put_decimal(out, *interest_accrued)?;
    key!(out, ",", "paid_interest");
    put_decimal(out, *paid_interest)?;
    key!(out, ",", "paid_principal");
    put_decimal(out, *paid_principal)?;
    key!(out, ",", "paid_total");
    put_decimal(out, *paid_total)?;
    key!(out, ",", "amount_due");
    put_decimal(out, *amount_due)?;
    key!(out, ",", "days_past_due");
    put_unsigned(out, u64::from(*days_past_due));
    key!(out, ",", "next_due_date");
    match next_due_date {
        Some(date) => put_date(out, *date)?,
        None => out.extend_from_slice(b"null"),
    }
    key!(out, ",", "next_due_amount");
    put_decimal(out, *next_due_amount)?;
    key!(out, ",", "installments_paid");
    put_unsigned(out, u64::from(*installments_paid));
    key!(out, ",", "remaining_scheduled");
    put_decimal(out, *remaining_scheduled)?;
    key!(out, ",", "progress");
    put_decimal(out, *progress)?;
    key!(out, ",", "payoff_amount");
    put_decimal(out, *payoff_amount)?;
    key!(out, ",", "closed");
    put_bool(out, *closed);
    key!(out, ",", "projected");
    out.push(b'[');
    for (i, row) in projected.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        put_row(out, row)?;
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// Room for an answer whose position projects `rows` rows: a row of a 30-year loan is ~190
/// bytes, the rest of the answer (repayment, loan with its terms, position) ~1.5 KB.
fn answer_capacity(rows: usize) -> usize {
    2048 + rows * 224
}

impl PositionDto {
    /// The position's JSON (`GET /loans/{loan_id}/position`): the bytes of
    /// `serde_json::to_vec(self)`, written without serde_json.
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(answer_capacity(self.projected.len()));
        put_position(&mut out, self)?;
        Ok(out)
    }
}

impl RepaymentOutcomeDto {
    /// The answer's JSON: the bytes `serde_json::to_vec(self)` gives (same keys, same order),
    /// written into one buffer sized from the projection, the position without serde_json.
    ///
    /// Errors only where serde_json's would (it writes the repayment, the loan and the
    /// transition, which carry free text).
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let RepaymentOutcomeDto {
            repayment,
            loan,
            position,
            transition,
        } = self;
        let mut out = Vec::with_capacity(answer_capacity(position.projected.len()));
        key!(out, "{", "repayment");
        serde_json::to_writer(&mut out, repayment)?;
        out.push(b',');
        put_ledger_outcome(&mut out, loan, position, transition)?;
        Ok(out)
    }
}

/// Appends `"loan":…,"position":…,"transition":…}`: the fields both write answers end with.
fn put_ledger_outcome(
    out: &mut Vec<u8>,
    loan: &LoanDto,
    position: &PositionDto,
    transition: &Option<StatusChangeDto>,
) -> serde_json::Result<()> {
    key!(out, "", "loan");
    serde_json::to_writer(&mut *out, loan)?;
    key!(out, ",", "position");
    put_position(out, position)?;
    key!(out, ",", "transition");
    serde_json::to_writer(&mut *out, transition)?;
    out.push(b'}');
    Ok(())
}

impl LedgerOutcomeDto {
    /// The answer's JSON, as [`RepaymentOutcomeDto::to_json`]: the bytes of
    /// `serde_json::to_vec(self)`.
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let LedgerOutcomeDto {
            loan,
            position,
            transition,
        } = self;
        let mut out = Vec::with_capacity(answer_capacity(position.projected.len()));
        out.push(b'{');
        put_ledger_outcome(&mut out, loan, position, transition)?;
        Ok(out)
    }
}

/// A JSON answer from bytes already written (`Content-Type: application/json`, as axum's
/// `Json` sets it), sent without a copy; a serialization error is logged and answers 500 in
/// the API's error shape.
pub fn json_response(status: StatusCode, body: serde_json::Result<Vec<u8>>) -> Response {
    match body {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            *response.status_mut() = status;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "the answer could not be serialized");
            ApiError::internal().into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::dto::{LoanDto, RepaymentDto, StatusChangeDto, TermsDto};
    use chrono::{DateTime, Utc};
    use loansyncro_core::domain::status::{LoanStatus, TransitionReason};
    use loansyncro_core::math::money::Currency;
    use loansyncro_core::LoanTerms;
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
        for r in edge_rows() {
            assert_eq!(serde_json::to_string(&r).unwrap(), derived(&r));
        }
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

    fn dates() -> [NaiveDate; 8] {
        [
            NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(),
            NaiveDate::from_ymd_opt(1, 2, 3).unwrap(),
            NaiveDate::from_ymd_opt(0, 12, 9).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-1, 1, 1).unwrap(),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ]
    }

    /// Rows over every decimal of [`decimals`] and every date of [`dates`], both flags, and
    /// numbers from 0 to `u32::MAX`.
    fn edge_rows() -> Vec<InstallmentDto> {
        let dates = dates();
        let all = decimals();
        let mut rows: Vec<InstallmentDto> = all
            .chunks(6)
            .enumerate()
            .map(|(i, chunk)| {
                let mut values = [Decimal::ZERO; 6];
                values[..chunk.len()].copy_from_slice(chunk);
                row(
                    u32::try_from(i).unwrap().wrapping_mul(7919),
                    dates[i % dates.len()],
                    values,
                    i % 2 == 0,
                )
            })
            .collect();
        rows.push(row(u32::MAX, NaiveDate::MAX, [Decimal::MIN; 6], true));
        rows.push(row(0, NaiveDate::MIN, [Decimal::MAX; 6], false));
        rows
    }

    fn written(r: &InstallmentDto) -> String {
        let mut out = Vec::new();
        put_row(&mut out, r).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_written_straight_are_byte_identical_to_the_derived_serializer() {
        for r in edge_rows() {
            assert_eq!(written(&r), derived(&r));
        }
    }

    #[test]
    fn the_longest_rows_take_the_one_copy_path_and_the_others_the_slow_one() {
        let widest = |scale: u32, negative: bool| {
            let mut d = Decimal::from_i128_with_scale(i128::from(u64::MAX), scale);
            d.set_sign_negative(negative);
            d
        };
        for scale in [0, 1, 2, 19, 20, 27, 28] {
            for negative in [false, true] {
                let r = row(
                    u32::MAX,
                    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
                    [widest(scale, negative); 6],
                    true,
                );
                assert!(row_back(&r, &mut [0; ROW_TEXT]).is_some(), "{scale}");
                assert_eq!(written(&r), derived(&r));
            }
        }
        let zero = [Decimal::ZERO; 6];
        let over_64_bits = [
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::MAX,
            dec!(1),
            dec!(2),
            dec!(3),
        ];
        let ordinary = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        for (date, values) in [
            (ordinary, over_64_bits),
            (NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(), zero),
            (NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(), zero),
        ] {
            let r = row(7, date, values, false);
            assert!(row_back(&r, &mut [0; ROW_TEXT]).is_none());
            assert_eq!(written(&r), derived(&r));
        }
    }

    #[test]
    fn numbers_and_flags_are_written_as_serde_json_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967_295, u64::MAX / 10, u64::MAX] {
            let mut out = Vec::new();
            put_unsigned(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap(), "{n}");
        }
        for b in [true, false] {
            let mut out = Vec::new();
            put_bool(&mut out, b);
            assert_eq!(out, serde_json::to_vec(&b).unwrap());
        }
        for d in dates() {
            let mut out = Vec::new();
            put_date(&mut out, d).unwrap();
            assert_eq!(out, serde_json::to_vec(&d).unwrap(), "{d:?}");
        }
        for d in decimals() {
            let mut out = Vec::new();
            put_decimal(&mut out, d).unwrap();
            assert_eq!(out, serde_json::to_vec(&d).unwrap(), "{d:?}");
        }
    }

    /// Free text that serde_json must escape (quotes, backslash, controls, non-ASCII).
    const TEXT: &str = "a \"quoted\" \\ back\\slash\n\t\u{0}\u{1f}\u{7f} é ü 日本 😀 </script>";

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn loan(title: &str, description: &str) -> LoanDto {
        let terms = LoanTerms::builder()
            .principal(dec!(250000))
            .annual_rate_percent(dec!(6.5))
            .installments(360)
            .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        LoanDto {
            id: "loan-1".to_owned(),
            title: title.to_owned(),
            description: description.to_owned(),
            amount: dec!(250000),
            interest_rate: dec!(6.5),
            term_months: 360,
            start_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            monthly_payment: dec!(1580.17),
            total_amount: dec!(568861.22),
            total_interest: dec!(318861.22),
            status: LoanStatus::Active,
            currency: Currency::USD,
            version: u64::MAX,
            total_repaid: dec!(-0.00),
            repayment_count: u32::MAX,
            last_payment_date: Some(NaiveDate::MAX),
            created_at: at("2025-01-01T00:00:00Z"),
            updated_at: at("2025-06-30T23:59:59.123456789Z"),
            terms: TermsDto::from(terms),
        }
    }

    fn position(next: Option<NaiveDate>, projected: Vec<InstallmentDto>) -> PositionDto {
        PositionDto {
            as_of: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            principal_outstanding: dec!(249836.88),
            interest_accrued: Decimal::MAX,
            paid_interest: Decimal::MIN,
            paid_principal: dec!(0.0000000000000000000000000001),
            paid_total: -Decimal::ZERO,
            amount_due: dec!(0.00),
            days_past_due: u32::MAX,
            next_due_date: next,
            next_due_amount: dec!(1580.17),
            installments_paid: 0,
            remaining_scheduled: Decimal::new(i64::MAX, 28),
            progress: dec!(0.0006524800),
            payoff_amount: dec!(-1),
            closed: next.is_none(),
            projected,
        }
    }

    fn answers() -> Vec<RepaymentOutcomeDto> {
        let mut all = Vec::new();
        let transitions = [
            None,
            Some(StatusChangeDto {
                from: LoanStatus::Active,
                to: LoanStatus::Defaulted,
                reason: TransitionReason::PastDueThreshold { days_past_due: 91 },
            }),
        ];
        let projections = [Vec::new(), edge_rows()];
        for (i, transition) in transitions.iter().enumerate() {
            for (j, projected) in projections.iter().enumerate() {
                let text = if (i + j) % 2 == 0 { TEXT } else { "" };
                all.push(RepaymentOutcomeDto {
                    repayment: RepaymentDto {
                        id: "rep-\"1\"".to_owned(),
                        loan_id: "loan-1".to_owned(),
                        amount: dec!(1580.17),
                        date: NaiveDate::MIN,
                        notes: text.to_owned(),
                        idempotency_key: (i == 0).then(|| text.to_owned()),
                        created_at: at("2025-03-01T12:00:00.5+00:00"),
                    },
                    loan: loan(text, TEXT),
                    position: position(
                        (j == 0).then(|| NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()),
                        projected.clone(),
                    ),
                    transition: transition.clone(),
                });
            }
        }
        all
    }

    #[test]
    fn repayment_answers_are_byte_identical_to_the_derived_serializer() {
        for answer in answers() {
            let fast = answer.to_json().unwrap();
            assert_eq!(
                String::from_utf8(fast.clone()).unwrap(),
                serde_json::to_string(&answer).unwrap()
            );
            // The rows inside are the derived serializer's, not only the `Serialize` above.
            let rows: Vec<String> = answer.position.projected.iter().map(derived).collect();
            let projected = format!("\"projected\":[{}]}}", rows.join(","));
            assert!(String::from_utf8(fast).unwrap().contains(&projected));
        }
    }

    #[test]
    fn ledger_answers_are_byte_identical_to_the_derived_serializer() {
        for answer in answers() {
            let ledger = LedgerOutcomeDto {
                loan: answer.loan,
                position: answer.position,
                transition: answer.transition,
            };
            assert_eq!(
                String::from_utf8(ledger.to_json().unwrap()).unwrap(),
                serde_json::to_string(&ledger).unwrap()
            );
            assert_eq!(
                String::from_utf8(ledger.position.to_json().unwrap()).unwrap(),
                serde_json::to_string(&ledger.position).unwrap()
            );
        }
    }

    #[test]
    fn a_thirty_year_answer_fits_its_buffer() {
        let rows: Vec<InstallmentDto> = (1..=360)
            .map(|n| {
                row(
                    n,
                    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                    [
                        dec!(1580.17),
                        dec!(1354.17),
                        dec!(226.00),
                        dec!(249774.00),
                        dec!(0),
                        dec!(0),
                    ],
                    false,
                )
            })
            .collect();
        let mut answer = answers().remove(0);
        answer.position.projected = rows;
        let capacity = answer_capacity(360);
        let body = answer.to_json().unwrap();
        assert!(body.len() <= capacity, "{} > {capacity}", body.len());
        assert!(
            body.len() * 10 >= capacity * 8,
            "{} << {capacity}",
            body.len()
        );
    }

    #[test]
    fn answers_are_sent_as_json_and_errors_in_the_api_shape() {
        let ok = json_response(StatusCode::CREATED, Ok(b"{}".to_vec()));
        assert_eq!(ok.status(), StatusCode::CREATED);
        assert_eq!(ok.headers()[header::CONTENT_TYPE], "application/json");
        let error = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let failed = json_response(StatusCode::CREATED, Err(error));
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
