//! Reading the input: Arrow columns (borrowed NumPy views of their buffers), the column
//! contract of the terms (names, roles, accepted Arrow types) and one row's validated terms.

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::{
    Accrual, AmortizationMethod, BalancePrecision, Compounding, Currency, DayCount, Error,
    Frequency, Grace, LoanTerms, PrepaymentPolicy, RoundingMode,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use rust_decimal::Decimal;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
pub(super) const EPOCH_FROM_CE: i32 = 719_163;

/// Days since 1970-01-01 of a date (Arrow's date32).
pub(super) fn epoch_days(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.num_days_from_ce() - EPOCH_FROM_CE
}

/// The physical type of an input column (after `batch.py` normalized it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// decimal128: 16-byte little-endian integers at `scale`.
    Decimal(u32),
    /// int64.
    Int,
    /// float64.
    Float,
    /// date32: days since 1970-01-01 (i32).
    Date,
    /// utf8: i32 offsets and bytes.
    Str,
    /// Every value missing (Arrow's null type).
    Null,
    /// Any other Arrow type (accepted only in columns the contract does not read).
    Other,
}

impl Kind {
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Decimal(_) => "decimal128",
            Kind::Int => "integer",
            Kind::Float => "float64",
            Kind::Date => "date32",
            Kind::Str => "string",
            Kind::Null => "null",
            Kind::Other => "list, struct or other unsupported",
        }
    }
}

/// One input column: borrowed Arrow buffers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column<'a> {
    pub(super) kind: Kind,
    pub(super) offset: usize,
    pub(super) len: usize,
    pub(super) validity: Option<&'a [u8]>,
    pub(super) data: &'a [u8],
    pub(super) offsets: &'a [u8],
}

/// One value of a column.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'a> {
    Decimal(i128, u32),
    Int(i64),
    Float(f64),
    Date(i32),
    Str(&'a str),
}

pub(super) fn bytes<const N: usize>(data: &[u8], at: usize) -> Option<[u8; N]> {
    data.get(at * N..at * N + N)?.try_into().ok()
}

impl<'a> Column<'a> {
    /// The value of row `row` (`None` when null); `Err` when the buffers are shorter than the
    /// length says (never from `batch.py`) or a string is not UTF-8.
    pub(super) fn get(&self, row: usize, field: &str) -> Result<Option<Value<'a>>, Error> {
        let broken = || Error::validation(field, "the column's Arrow buffers are inconsistent");
        if row >= self.len {
            return Err(broken());
        }
        let at = self.offset + row;
        if let Some(bits) = self.validity {
            let byte = bits.get(at / 8).ok_or_else(broken)?;
            if byte & (1 << (at % 8)) == 0 {
                return Ok(None);
            }
        }
        Ok(Some(match self.kind {
            Kind::Null | Kind::Other => return Ok(None),
            Kind::Decimal(scale) => Value::Decimal(
                i128::from_le_bytes(bytes(self.data, at).ok_or_else(broken)?),
                scale,
            ),
            Kind::Int => Value::Int(i64::from_le_bytes(bytes(self.data, at).ok_or_else(broken)?)),
            Kind::Float => {
                Value::Float(f64::from_le_bytes(bytes(self.data, at).ok_or_else(broken)?))
            }
            Kind::Date => Value::Date(i32::from_le_bytes(bytes(self.data, at).ok_or_else(broken)?)),
            Kind::Str => {
                let start = i32::from_le_bytes(bytes(self.offsets, at).ok_or_else(broken)?);
                let end = i32::from_le_bytes(bytes(self.offsets, at + 1).ok_or_else(broken)?);
                let (start, end) = (usize::try_from(start), usize::try_from(end));
                let (Ok(start), Ok(end)) = (start, end) else {
                    return Err(broken());
                };
                let raw = self.data.get(start..end).ok_or_else(broken)?;
                Value::Str(
                    std::str::from_utf8(raw)
                        .map_err(|_| Error::validation(field, "is not valid UTF-8"))?,
                )
            }
        }))
    }
}

/// What a column holds, which decides the Arrow types it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Money: decimal128, integers or decimal strings (floats are refused: not exact).
    Money,
    /// Rates and factors: like money, and float64 through its shortest repr.
    Number,
    /// Whole numbers: integers, integral decimals or strings.
    Count,
    /// Dates: date32 (batch.py casts date64 and timestamps) or ISO `YYYY-MM-DD` strings.
    Date,
    /// Names of the core's vocabulary: strings.
    Text,
}

impl Role {
    pub(super) fn accepts(self, kind: Kind) -> bool {
        match (self, kind) {
            (_, Kind::Null) => true,
            (_, Kind::Other) => false,
            (Role::Money, k) => matches!(k, Kind::Decimal(_) | Kind::Int | Kind::Str),
            (Role::Number | Role::Count, k) => {
                matches!(k, Kind::Decimal(_) | Kind::Int | Kind::Str | Kind::Float)
            }
            (Role::Date, k) => matches!(k, Kind::Date | Kind::Str),
            (Role::Text, k) => k == Kind::Str,
        }
    }
    pub(super) fn expected(self) -> &'static str {
        match self {
            Role::Money => "decimal128, an integer type or decimal strings (floats are not exact)",
            Role::Number => "decimal128, an integer type, float64 or decimal strings",
            Role::Count => "an integer type, integral decimals or strings",
            Role::Date => "date32 (or date64/timestamp) or 'YYYY-MM-DD' strings",
            Role::Text => "strings",
        }
    }
}

/// The terms columns read by the batch API: the terms' JSON field names (`grace` as its two
/// periods, `method`'s amount as `installment_amount`, as in `loansyncro.LoanTerms`).
pub(super) const TERMS_COLUMNS: [(&str, Role); 23] = [
    ("principal", Role::Money),
    ("annual_rate_percent", Role::Number),
    ("installments", Role::Count),
    ("start", Role::Date),
    ("currency", Role::Text),
    ("frequency", Role::Text),
    ("first_due", Role::Date),
    ("method", Role::Text),
    ("installment_amount", Role::Money),
    ("day_count", Role::Text),
    ("compounding", Role::Text),
    ("payment_rounding", Role::Text),
    ("interest_rounding", Role::Text),
    ("installment_multiple", Role::Money),
    ("balance_precision", Role::Text),
    ("balloon", Role::Money),
    ("amortization_installments", Role::Count),
    ("grace_principal_periods", Role::Count),
    ("grace_interest_periods", Role::Count),
    ("payment_cap", Role::Number),
    ("prepayment_policy", Role::Text),
    ("accrual", Role::Text),
    ("payment_day_count", Role::Text),
];

/// Also read when present: `default_after_days_past_due` (positions only change with it via
/// the status machine, which the batch API does not run, so it is accepted and validated).
pub(super) const EXTRA_COLUMNS: [(&str, Role); 1] = [("default_after_days_past_due", Role::Count)];

/// Columns of the terms' JSON that the batch API does not read yet (list columns).
pub(super) const UNSUPPORTED_COLUMNS: [&str; 2] = ["rate_changes", "adjustment_payment_numbers"];

/// A decimal string (plain or scientific notation).
pub(super) fn parse_decimal(s: &str, field: &str) -> Result<Decimal, Error> {
    let t = s.trim();
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        Decimal::from_str(t)
    };
    parsed.map_err(|_| Error::validation(field, format!("{t:?} is not a finite decimal number")))
}

pub(super) fn decimal_of(v: Value<'_>, role: Role, field: &str) -> Result<Decimal, Error> {
    match v {
        Value::Decimal(m, scale) => Decimal::try_from_i128_with_scale(m, scale)
            .map_err(|_| Error::validation(field, "is outside the decimal range (28 digits)")),
        Value::Int(i) => Ok(Decimal::from(i)),
        Value::Str(s) => parse_decimal(s, field),
        Value::Float(x) if role != Role::Money => {
            if !x.is_finite() {
                return Err(Error::validation(field, "must be a finite number"));
            }
            // Display prints the shortest digits that round-trip (Python's repr).
            Decimal::from_str(&format!("{x}"))
                .map_err(|_| Error::validation(field, format!("{x} is outside the decimal range")))
        }
        Value::Float(_) | Value::Date(_) => Err(Error::validation(field, "is not a number")),
    }
}

pub(super) fn count_of(v: Value<'_>, field: &str) -> Result<u32, Error> {
    let whole = |d: Decimal| -> Result<u32, Error> {
        if d.fract() != Decimal::ZERO {
            return Err(Error::validation(field, "must be a whole number"));
        }
        u32::try_from(d.trunc().mantissa() / 10i128.pow(d.trunc().scale()))
            .map_err(|_| Error::validation(field, "must be a whole number from 0 to 4294967295"))
    };
    match v {
        Value::Int(i) => u32::try_from(i)
            .map_err(|_| Error::validation(field, "must be a whole number from 0 to 4294967295")),
        other => whole(decimal_of(other, Role::Count, field)?),
    }
}

pub(super) fn date_of(v: Value<'_>, field: &str) -> Result<NaiveDate, Error> {
    match v {
        Value::Date(days) => days
            .checked_add(EPOCH_FROM_CE)
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| Error::validation(field, "is outside the calendar")),
        Value::Str(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| Error::validation(field, format!("expected YYYY-MM-DD, got {s:?}"))),
        _ => Err(Error::validation(field, "is not a date")),
    }
}

pub(super) fn text_of<'a>(v: Value<'a>, field: &str) -> Result<&'a str, Error> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(Error::validation(field, "is not a string")),
    }
}

/// A name of the core's vocabulary; a bad name is a validation error on the column.
pub(super) fn parse_name<T>(s: &str, field: &str) -> Result<T, Error>
where
    T: FromStr,
    T::Err: Into<Error>,
{
    T::from_str(s).map_err(|e| match e.into() {
        Error::Validation { reason, .. } => Error::validation(field, reason),
        other => other,
    })
}

/// The terms table: the columns of the contract that are present.
#[derive(Debug)]
pub(super) struct TermsTable<'a> {
    pub(super) rows: usize,
    pub(super) columns: Vec<(&'static str, Role, Column<'a>)>,
}

impl<'a> TermsTable<'a> {
    pub(super) fn column(&self, name: &str) -> Option<&Column<'a>> {
        self.columns
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, c)| c)
    }

    pub(super) fn value(&self, name: &str, row: usize) -> Result<Option<Value<'a>>, Error> {
        match self.column(name) {
            Some(c) => c.get(row, name),
            None => Ok(None),
        }
    }

    pub(super) fn required(&self, name: &str, row: usize) -> Result<Value<'a>, Error> {
        self.value(name, row)?
            .ok_or_else(|| Error::validation(name, "is required (null)"))
    }

    /// The validated terms of row `row`; a validation error names the column.
    pub(super) fn terms(&self, row: usize) -> Result<LoanTerms, Error> {
        let mut b = LoanTerms::builder()
            .principal(decimal_of(
                self.required("principal", row)?,
                Role::Money,
                "principal",
            )?)
            .annual_rate_percent(decimal_of(
                self.required("annual_rate_percent", row)?,
                Role::Number,
                "annual_rate_percent",
            )?)
            .start(date_of(self.required("start", row)?, "start")?);
        if let Some(v) = self.value("installments", row)? {
            b = b.installments(count_of(v, "installments")?);
        }
        let mut grace = Grace::default();
        let mut method = None;
        let mut amount = None;
        for (name, role, column) in &self.columns {
            let Some(v) = column.get(row, name)? else {
                continue;
            };
            let name = *name;
            let money = || decimal_of(v, *role, name);
            let text = || text_of(v, name);
            match name {
                "currency" => b = b.currency(parse_name::<Currency>(text()?, name)?),
                "frequency" => b = b.frequency(parse_name::<Frequency>(text()?, name)?),
                "first_due" => b = b.first_due(date_of(v, name)?),
                "method" => method = Some(text()?),
                "installment_amount" => amount = Some(money()?),
                "day_count" => b = b.day_count(parse_name::<DayCount>(text()?, name)?),
                "compounding" => b = b.compounding(parse_name::<Compounding>(text()?, name)?),
                "payment_rounding" => {
                    b = b.payment_rounding(parse_name::<RoundingMode>(text()?, name)?)
                }
                "interest_rounding" => {
                    b = b.interest_rounding(parse_name::<RoundingMode>(text()?, name)?)
                }
                "installment_multiple" => b = b.installment_multiple(money()?),
                "balance_precision" => {
                    b = b.balance_precision(parse_name::<BalancePrecision>(text()?, name)?)
                }
                "balloon" => b = b.balloon(money()?),
                "amortization_installments" => b = b.amortization_installments(count_of(v, name)?),
                "grace_principal_periods" => grace.principal_periods = count_of(v, name)?,
                "grace_interest_periods" => grace.interest_periods = count_of(v, name)?,
                "payment_cap" => b = b.payment_cap(money()?),
                "prepayment_policy" => {
                    b = b.prepayment_policy(parse_name::<PrepaymentPolicy>(text()?, name)?)
                }
                "accrual" => b = b.accrual(parse_name::<Accrual>(text()?, name)?),
                "payment_day_count" => {
                    b = b.payment_day_count(parse_name::<DayCount>(text()?, name)?)
                }
                "default_after_days_past_due" => {
                    b = b.default_after_days_past_due(count_of(v, name)?)
                }
                _ => {}
            }
        }
        if grace != Grace::default() {
            b = b.grace(grace);
        }
        match (method, amount) {
            (Some(m), amount) => b = b.method(AmortizationMethod::parse_with_amount(m, amount)?),
            (None, Some(amount)) => b = b.method(AmortizationMethod::FixedInstallment { amount }),
            (None, None) => {}
        }
        b.build()
    }
}

/// Keeps the NumPy buffers of the input columns borrowed while Rust reads them.
pub(super) struct Borrowed<'py> {
    pub(super) name: String,
    pub(super) kind: Kind,
    pub(super) offset: usize,
    pub(super) len: usize,
    pub(super) validity: Option<PyReadonlyArray1<'py, u8>>,
    pub(super) data: PyReadonlyArray1<'py, u8>,
    pub(super) offsets: Option<PyReadonlyArray1<'py, u8>>,
}

pub(super) fn slice<'a>(a: &'a PyReadonlyArray1<'_, u8>) -> PyResult<&'a [u8]> {
    a.as_slice()
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

impl<'py> Borrowed<'py> {
    /// `(kind, scale, offset, length, validity, data, offsets)` from `batch.py`.
    pub(super) fn extract(name: String, ob: &Bound<'py, PyAny>) -> PyResult<Self> {
        let t = ob.cast::<PyTuple>()?;
        let kind: String = t.get_item(0)?.extract()?;
        let scale: u32 = t.get_item(1)?.extract()?;
        let kind = match kind.as_str() {
            "decimal" => Kind::Decimal(scale),
            "int" => Kind::Int,
            "float" => Kind::Float,
            "date" => Kind::Date,
            "str" => Kind::Str,
            "null" => Kind::Null,
            "other" => Kind::Other,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "{name}: unknown column kind {other:?}"
                )))
            }
        };
        let opt = |i: usize| -> PyResult<Option<PyReadonlyArray1<'py, u8>>> {
            let item = t.get_item(i)?;
            if item.is_none() {
                Ok(None)
            } else {
                Ok(Some(item.extract()?))
            }
        };
        Ok(Borrowed {
            name,
            kind,
            offset: t.get_item(2)?.extract()?,
            len: t.get_item(3)?.extract()?,
            validity: opt(4)?,
            data: t.get_item(5)?.extract()?,
            offsets: opt(6)?,
        })
    }

    pub(super) fn column(&self) -> PyResult<Column<'_>> {
        Ok(Column {
            kind: self.kind,
            offset: self.offset,
            len: self.len,
            validity: self.validity.as_ref().map(slice).transpose()?,
            data: slice(&self.data)?,
            offsets: match &self.offsets {
                Some(o) => slice(o)?,
                None => &[],
            },
        })
    }
}

pub(super) fn borrow_all<'py>(columns: &Bound<'py, PyDict>) -> PyResult<Vec<Borrowed<'py>>> {
    let mut out = Vec::new();
    for (name, desc) in columns.iter() {
        out.push(Borrowed::extract(name.extract()?, &desc)?);
    }
    Ok(out)
}

/// The terms table over the borrowed columns: the contract's columns, type-checked (a column
/// of the wrong type, a missing required column or an unsupported one is an error for the
/// whole table, raised whatever `errors` says).
pub(super) fn terms_table<'a>(
    borrowed: &'a [Borrowed<'_>],
    rows: usize,
) -> PyResult<TermsTable<'a>> {
    let mut columns = Vec::new();
    for b in borrowed {
        if UNSUPPORTED_COLUMNS.contains(&b.name.as_str()) {
            return Err(crate::error::validation(
                &b.name,
                "list columns are not supported by the batch API yet (use LoanTerms)",
            ));
        }
        let Some((name, role)) = TERMS_COLUMNS
            .iter()
            .chain(EXTRA_COLUMNS.iter())
            .find(|(n, _)| *n == b.name)
        else {
            continue;
        };
        if !role.accepts(b.kind) {
            return Err(crate::error::validation(
                name,
                format!(
                    "a {} column is not accepted: expected {}",
                    b.kind.name(),
                    role.expected()
                ),
            ));
        }
        let column = b.column()?;
        if column.len != rows {
            return Err(crate::error::validation(
                name,
                "has another length than the table",
            ));
        }
        columns.push((*name, *role, column));
    }
    for required in ["principal", "annual_rate_percent", "start"] {
        if !columns.iter().any(|(n, _, _)| *n == required) {
            return Err(crate::error::validation(required, "column is required"));
        }
    }
    Ok(TermsTable { rows, columns })
}
