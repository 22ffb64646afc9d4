//! The native half of the Arrow batch API (`loansyncro.batch`): schedules and positions of
//! many loans read from Arrow columns and written into Arrow-layout buffers, computed in Rust
//! on several threads without the GIL and without a Python object per loan or per row.
//!
//! `loansyncro/batch.py` hands over each input column as its Arrow buffers wrapped in NumPy
//! `uint8` arrays without copying (a kind, the array's offset and length, the validity bitmap,
//! the data buffer and, for strings, the offsets buffer) and wraps the buffers returned here
//! with `pyarrow.Array.from_buffers` (decimal128 from 16-byte little-endian integers, date32
//! from days since 1970-01-01, bit-packed validity). The column contract is documented in
//! `bindings/python/README.md` ("Arrow batch API").

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::ledger::{self, LedgerPayment, Position};
use loansyncro_core::{
    Accrual, AmortizationMethod, BalancePrecision, Compounding, Currency, DayCount, Error,
    Frequency, Grace, LoanTerms, PrepaymentPolicy, RoundingMode,
};
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use rust_decimal::Decimal;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// The physical type of an input column (after `batch.py` normalized it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
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
    fn name(self) -> &'static str {
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
struct Column<'a> {
    kind: Kind,
    offset: usize,
    len: usize,
    validity: Option<&'a [u8]>,
    data: &'a [u8],
    offsets: &'a [u8],
}

/// One value of a column.
#[derive(Debug, Clone, Copy)]
enum Value<'a> {
    Decimal(i128, u32),
    Int(i64),
    Float(f64),
    Date(i32),
    Str(&'a str),
}

fn bytes<const N: usize>(data: &[u8], at: usize) -> Option<[u8; N]> {
    data.get(at * N..at * N + N)?.try_into().ok()
}

impl<'a> Column<'a> {
    /// The value of row `row` (`None` when null); `Err` when the buffers are shorter than the
    /// length says (never from `batch.py`) or a string is not UTF-8.
    fn get(&self, row: usize, field: &str) -> Result<Option<Value<'a>>, Error> {
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
enum Role {
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
    fn accepts(self, kind: Kind) -> bool {
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
    fn expected(self) -> &'static str {
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
const TERMS_COLUMNS: [(&str, Role); 23] = [
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
const EXTRA_COLUMNS: [(&str, Role); 1] = [("default_after_days_past_due", Role::Count)];

/// Columns of the terms' JSON that the batch API does not read yet (list columns).
const UNSUPPORTED_COLUMNS: [&str; 2] = ["rate_changes", "adjustment_payment_numbers"];

/// A decimal string (plain or scientific notation).
fn parse_decimal(s: &str, field: &str) -> Result<Decimal, Error> {
    let t = s.trim();
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        Decimal::from_str(t)
    };
    parsed.map_err(|_| Error::validation(field, format!("{t:?} is not a finite decimal number")))
}

fn decimal_of(v: Value<'_>, role: Role, field: &str) -> Result<Decimal, Error> {
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

fn count_of(v: Value<'_>, field: &str) -> Result<u32, Error> {
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

fn date_of(v: Value<'_>, field: &str) -> Result<NaiveDate, Error> {
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

fn text_of<'a>(v: Value<'a>, field: &str) -> Result<&'a str, Error> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(Error::validation(field, "is not a string")),
    }
}

/// A name of the core's vocabulary; a bad name is a validation error on the column.
fn parse_name<T>(s: &str, field: &str) -> Result<T, Error>
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
struct TermsTable<'a> {
    rows: usize,
    columns: Vec<(&'static str, Role, Column<'a>)>,
}

impl<'a> TermsTable<'a> {
    fn column(&self, name: &str) -> Option<&Column<'a>> {
        self.columns
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, c)| c)
    }

    fn value(&self, name: &str, row: usize) -> Result<Option<Value<'a>>, Error> {
        match self.column(name) {
            Some(c) => c.get(row, name),
            None => Ok(None),
        }
    }

    fn required(&self, name: &str, row: usize) -> Result<Value<'a>, Error> {
        self.value(name, row)?
            .ok_or_else(|| Error::validation(name, "is required (null)"))
    }

    /// The validated terms of row `row`; a validation error names the column.
    fn terms(&self, row: usize) -> Result<LoanTerms, Error> {
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
struct Borrowed<'py> {
    name: String,
    kind: Kind,
    offset: usize,
    len: usize,
    validity: Option<PyReadonlyArray1<'py, u8>>,
    data: PyReadonlyArray1<'py, u8>,
    offsets: Option<PyReadonlyArray1<'py, u8>>,
}

fn slice<'a>(a: &'a PyReadonlyArray1<'_, u8>) -> PyResult<&'a [u8]> {
    a.as_slice()
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

impl<'py> Borrowed<'py> {
    /// `(kind, scale, offset, length, validity, data, offsets)` from `batch.py`.
    fn extract(name: String, ob: &Bound<'py, PyAny>) -> PyResult<Self> {
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

    fn column(&self) -> PyResult<Column<'_>> {
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

fn borrow_all<'py>(columns: &Bound<'py, PyDict>) -> PyResult<Vec<Borrowed<'py>>> {
    let mut out = Vec::new();
    for (name, desc) in columns.iter() {
        out.push(Borrowed::extract(name.extract()?, &desc)?);
    }
    Ok(out)
}

/// The terms table over the borrowed columns: the contract's columns, type-checked (a column
/// of the wrong type, a missing required column or an unsupported one is an error for the
/// whole table, raised whatever `errors` says).
fn terms_table<'a>(borrowed: &'a [Borrowed<'_>], rows: usize) -> PyResult<TermsTable<'a>> {
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

/// `10^n` as i128 (n <= 38).
fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// `mantissa / 10^from` as a mantissa at scale `to`, exactly (`None` when it needs more digits
/// than `to` gives, or overflows).
fn rescale(mantissa: i128, from: u32, to: u32) -> Option<i128> {
    if from <= to {
        mantissa.checked_mul(pow10(to - from)?)
    } else {
        let d = pow10(from - to)?;
        (mantissa % d == 0).then(|| mantissa / d)
    }
}

fn at_scale(d: Decimal, to: u32, field: &str) -> Result<i128, Error> {
    rescale(d.mantissa(), d.scale(), to).ok_or_else(|| {
        Error::validation(
            field,
            format!("{d} has more decimal places than the output scale {to}: pass a larger scale"),
        )
    })
}

/// The output scale: `scale` when given, else the largest currency precision of the loans
/// whose terms are valid (2 when there is none).
fn output_scale(terms: &[Result<LoanTerms, Error>], scale: Option<u32>) -> PyResult<u32> {
    if let Some(s) = scale {
        if s > 38 {
            return Err(crate::error::validation("scale", "must be from 0 to 38"));
        }
        return Ok(s);
    }
    Ok(terms
        .iter()
        .filter_map(|t| t.as_ref().ok().map(|t| t.currency().minor_units()))
        .max()
        .unwrap_or(2))
}

/// The output's money type: `decimal128(precision, scale)`; every value is checked to fit.
#[derive(Debug, Clone, Copy)]
struct MoneyType {
    precision: u32,
    scale: u32,
    /// `10^precision`: the first magnitude that does not fit.
    limit: i128,
}

impl MoneyType {
    fn new(precision: u32, scale: u32) -> PyResult<Self> {
        if !(1..=38).contains(&precision) {
            return Err(crate::error::validation(
                "precision",
                "must be from 1 to 38",
            ));
        }
        if scale > precision {
            return Err(crate::error::validation(
                "scale",
                format!("must not exceed the precision {precision}"),
            ));
        }
        let limit = pow10(precision)
            .ok_or_else(|| crate::error::validation("precision", "must be from 1 to 38"))?;
        Ok(MoneyType {
            precision,
            scale,
            limit,
        })
    }

    /// `v` (a mantissa at `self.scale`) when it fits the precision.
    fn fit(&self, v: i128, field: &str) -> Result<i128, Error> {
        if v.unsigned_abs() < self.limit.unsigned_abs() {
            Ok(v)
        } else {
            Err(Error::validation(
                field,
                format!(
                    "{} does not fit decimal({}, {}): pass a larger precision",
                    Decimal::try_from_i128_with_scale(v, self.scale)
                        .map_or_else(|_| v.to_string(), |d| d.to_string()),
                    self.precision,
                    self.scale
                ),
            ))
        }
    }
}

fn threads_or_default(threads: Option<usize>) -> usize {
    threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// Runs `f` over `0..n` split into `threads` contiguous runs (each run gets `(first, part)`
/// where `part` is what `split` cut off `state` for it) and returns the runs' results in order.
fn parallel<S, R, F>(
    n: usize,
    threads: usize,
    state: S,
    split: impl Fn(S, usize) -> (S, S),
    f: F,
) -> Vec<R>
where
    S: Send,
    R: Send,
    F: Fn(usize, usize, S) -> R + Sync,
{
    if threads <= 1 || n < 64 {
        return vec![f(0, n, state)];
    }
    let share = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        let (mut rest, mut first) = (state, 0);
        let f = &f;
        while first < n {
            let count = share.min(n - first);
            let (run, tail) = split(rest, count);
            rest = tail;
            let start = first;
            handles.push(scope.spawn(move || f(start, count, run)));
            first += count;
        }
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

/// Validated terms of every row, on `threads` threads.
fn all_terms(table: &TermsTable<'_>, threads: usize) -> Vec<Result<LoanTerms, Error>> {
    parallel(
        table.rows,
        threads,
        (),
        |(), _| ((), ()),
        |first, count, ()| {
            (first..first + count)
                .map(|r| table.terms(r))
                .collect::<Vec<_>>()
        },
    )
    .into_iter()
    .flatten()
    .collect()
}

/// A row's error with the row named: validation fields become `terms[row].field` (or
/// `repayments[j]...` as given), other errors keep their type.
#[derive(Debug, Clone)]
struct RowError {
    row: usize,
    error: Error,
}

impl RowError {
    fn new(row: usize, error: Error) -> Self {
        let error = match error {
            Error::Validation { field, reason }
                if !field.starts_with("repayments[")
                    && !field.starts_with("terms[")
                    && field != "as_of" =>
            {
                Error::validation(format!("terms[{row}].{field}"), reason)
            }
            other => other,
        };
        RowError { row, error }
    }

    fn message(&self) -> String {
        match &self.error {
            Error::Validation { .. } => self.error.to_string(),
            other => format!("terms[{}]: {other}", self.row),
        }
    }

    /// The typed Python exception, with `row` and `column` attributes (`column` is the
    /// column's name for a validation error, else `None`).
    fn to_py(&self, py: Python<'_>) -> PyErr {
        let err = crate::error::to_py_err(self.error.clone());
        let value = err.value(py);
        let column = match &self.error {
            Error::Validation { field, .. } => Some(
                field
                    .rsplit_once('.')
                    .map_or(field.as_str(), |(_, c)| c)
                    .to_owned(),
            ),
            _ => None,
        };
        let _ = value.setattr("row", self.row);
        let _ = value.setattr("column", column);
        if !matches!(self.error, Error::Validation { .. }) {
            let _ = value.setattr("args", (self.message(),));
        }
        err
    }
}

/// The first error (lowest row) of per-loan outcomes.
fn first_error(errors: &[Option<RowError>]) -> Option<&RowError> {
    errors.iter().flatten().next()
}

/// Arrow's bit-packed validity of `ok`.
fn bitmap(ok: impl Iterator<Item = bool>, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len.div_ceil(8)];
    for (i, v) in ok.enumerate() {
        if v {
            if let Some(b) = out.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
        }
    }
    out
}

/// An Arrow utf8 column (validity, i32 offsets, data) of one optional message per row.
fn string_column(values: &[Option<String>]) -> PyResult<(Vec<u8>, Vec<i32>, Vec<u8>)> {
    let mut offsets = Vec::with_capacity(values.len() + 1);
    let mut data = Vec::new();
    offsets.push(0i32);
    for v in values {
        if let Some(s) = v {
            data.extend_from_slice(s.as_bytes());
        }
        offsets.push(i32::try_from(data.len()).map_err(|_| {
            pyo3::exceptions::PyOverflowError::new_err("error messages exceed 2 GiB")
        })?);
    }
    let validity = bitmap(values.iter().map(Option::is_some), values.len());
    Ok((validity, offsets, data))
}

fn u8_array<'py>(py: Python<'py>, v: Vec<u8>) -> Bound<'py, PyArray1<u8>> {
    PyArray1::from_vec(py, v)
}

/// Adds `valid` (validity of the computed columns) and `error_*` (the error column's
/// buffers) to `out` when `collect` and some row failed.
fn error_outputs<'py>(
    py: Python<'py>,
    out: &Bound<'py, PyDict>,
    messages: Vec<Option<String>>,
) -> PyResult<()> {
    if messages.iter().all(Option::is_none) {
        out.set_item("valid", py.None())?;
    } else {
        let valid = bitmap(messages.iter().map(Option::is_none), messages.len());
        out.set_item("valid", u8_array(py, valid))?;
    }
    let (validity, offsets, data) = string_column(&messages)?;
    out.set_item("error_valid", u8_array(py, validity))?;
    out.set_item("error_offsets", PyArray1::from_vec(py, offsets))?;
    out.set_item("error_data", u8_array(py, data))?;
    Ok(())
}

// ------------------------------------------------------------------------------- schedules

/// Money columns of a schedule row, in output order.
const SCHEDULE_MONEY: usize = 6;

const SCHEDULE_MONEY_NAMES: [&str; SCHEDULE_MONEY] = [
    "payment",
    "interest",
    "principal",
    "balance",
    "deferred_interest",
    "extra_principal",
];

/// Where a run of loans writes its rows (slots from row 0 of each slice).
struct RowSlots<'a> {
    loan: &'a mut [i64],
    number: &'a mut [i32],
    due: &'a mut [i32],
    /// Two i64 per row: a little-endian i128.
    money: [&'a mut [i64]; SCHEDULE_MONEY],
}

impl<'a> RowSlots<'a> {
    fn split(self, rows: usize) -> (RowSlots<'a>, RowSlots<'a>) {
        let (l0, l1) = self.loan.split_at_mut(rows.min(self.loan.len()));
        let (n0, n1) = self.number.split_at_mut(rows.min(self.number.len()));
        let (d0, d1) = self.due.split_at_mut(rows.min(self.due.len()));
        let mut m0: [&'a mut [i64]; SCHEDULE_MONEY] = Default::default();
        let mut m1: [&'a mut [i64]; SCHEDULE_MONEY] = Default::default();
        for ((c, h), t) in self.money.into_iter().zip(&mut m0).zip(&mut m1) {
            let at = (2 * rows).min(c.len());
            (*h, *t) = c.split_at_mut(at);
        }
        (
            RowSlots {
                loan: l0,
                number: n0,
                due: d0,
                money: m0,
            },
            RowSlots {
                loan: l1,
                number: n1,
                due: d1,
                money: m1,
            },
        )
    }
}

fn put_i128(out: &mut [i64], at: usize, v: i128) {
    if let Some(pair) = out.get_mut(2 * at..2 * at + 2) {
        let le = v.to_le_bytes();
        let (lo, hi) = le.split_at(8);
        pair[0] = i64::from_le_bytes(lo.try_into().unwrap_or_default());
        pair[1] = i64::from_le_bytes(hi.try_into().unwrap_or_default());
    }
}

/// Writes the schedule of loan `index` at slot offset `at`; returns its row count.
fn write_schedule(
    out: &mut RowSlots<'_>,
    at: usize,
    slot: usize,
    index: usize,
    terms: &LoanTerms,
    money: MoneyType,
) -> Result<usize, Error> {
    let scale = money.scale;
    let schedule = terms.schedule()?;
    let rows = schedule.installments();
    if rows.len() > slot {
        return Err(Error::overflow("more schedule rows than installments"));
    }
    let from = rows
        .first()
        .map_or(terms.currency().minor_units(), |i| i.balance().scale());
    let factor = if from <= scale { pow10(scale - from) } else { None }.ok_or_else(|| {
        Error::validation(
            "scale",
            format!(
                "the schedule has {from} decimal places, more than the output scale {scale}: pass scale={from}"
            ),
        )
    })?;
    for (k, i) in rows.iter().enumerate() {
        let r = at + k;
        if let (Some(l), Some(n), Some(d)) = (
            out.loan.get_mut(r),
            out.number.get_mut(r),
            out.due.get_mut(r),
        ) {
            *l = index as i64;
            *n = i32::try_from(i.number()).unwrap_or(i32::MAX);
            *d = i.due_epoch_days();
        }
        let values = [
            i.payment_minor(),
            i.interest_minor(),
            i.principal_minor(),
            i.balance_minor(),
            i.deferred_interest().mantissa() as i64,
            i.extra_principal().mantissa() as i64,
        ];
        for ((c, v), name) in out.money.iter_mut().zip(values).zip(SCHEDULE_MONEY_NAMES) {
            if v != 0 {
                put_i128(c, r, money.fit(i128::from(v) * factor, name)?);
            }
        }
    }
    Ok(rows.len())
}

/// The schedules of a terms batch: see `loansyncro.batch.schedules`. Returns the Arrow buffers
/// as NumPy arrays: `loan` (int64, the terms row of each output row), `number`, `due_date`
/// (int32), the money columns (int64 pairs = little-endian int128), `scale`, and with
/// `collect` the validity and error buffers.
#[pyfunction]
#[pyo3(signature = (columns, rows, *, scale=None, precision=38, collect=false, threads=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn batch_schedules<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyDict>,
    rows: usize,
    scale: Option<u32>,
    precision: u32,
    collect: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let borrowed = borrow_all(columns)?;
    let table = terms_table(&borrowed, rows)?;
    let threads = threads_or_default(threads);
    let terms = py.detach(|| all_terms(&table, threads));
    if !collect {
        if let Some((row, e)) = terms
            .iter()
            .enumerate()
            .find_map(|(r, t)| t.as_ref().err().map(|e| (r, e)))
        {
            return Err(RowError::new(row, e.clone()).to_py(py));
        }
    }
    let scale = output_scale(&terms, scale)?;
    let money = MoneyType::new(precision, scale)?;
    // Slots: one per installment (a schedule never has more rows); a failed loan gets one.
    let mut starts = Vec::with_capacity(rows + 1);
    let mut total = 0usize;
    for t in &terms {
        starts.push(total);
        total += t.as_ref().map_or(1, |t| t.installments().max(1) as usize);
    }
    starts.push(total);
    let loan = PyArray1::<i64>::zeros(py, total, false);
    let number = PyArray1::<i32>::zeros(py, total, false);
    let due = PyArray1::<i32>::zeros(py, total, false);
    let money_columns: [Bound<'py, PyArray1<i64>>; SCHEDULE_MONEY] =
        std::array::from_fn(|_| PyArray1::<i64>::zeros(py, 2 * total, false));
    let mut counts = vec![0usize; rows];
    let mut errors: Vec<Option<RowError>> = vec![None; rows];
    {
        let mut g_loan = loan.try_readwrite()?;
        let mut g_number = number.try_readwrite()?;
        let mut g_due = due.try_readwrite()?;
        let mut g_money = Vec::with_capacity(SCHEDULE_MONEY);
        for m in &money_columns {
            g_money.push(m.try_readwrite()?);
        }
        let err = |e: numpy::AsSliceError| pyo3::exceptions::PyRuntimeError::new_err(e.to_string());
        let mut money_slices = Vec::with_capacity(SCHEDULE_MONEY);
        for g in &mut g_money {
            money_slices.push(g.as_slice_mut().map_err(err)?);
        }
        let money_slices: [&mut [i64]; SCHEDULE_MONEY] = money_slices
            .try_into()
            .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("six money columns"))?;
        let slots = RowSlots {
            loan: g_loan.as_slice_mut().map_err(err)?,
            number: g_number.as_slice_mut().map_err(err)?,
            due: g_due.as_slice_mut().map_err(err)?,
            money: money_slices,
        };
        let (terms, starts) = (&terms, &starts);
        let parts = py.detach(|| {
            parallel(
                rows,
                threads,
                (slots, 0usize),
                |(s, first), count| {
                    let end = first + count;
                    let cut = starts.get(end).copied().unwrap_or(total)
                        - starts.get(first).copied().unwrap_or(0);
                    let (head, tail) = s.split(cut);
                    ((head, first), (tail, end))
                },
                |first, count, (mut s, _)| {
                    let base = starts.get(first).copied().unwrap_or(0);
                    let mut out = Vec::with_capacity(count);
                    for index in first..first + count {
                        let at = starts.get(index).copied().unwrap_or(0) - base;
                        let slot = starts.get(index + 1).copied().unwrap_or(0) - base - at;
                        let result = match terms.get(index) {
                            Some(Ok(t)) => write_schedule(&mut s, at, slot, index, t, money),
                            Some(Err(e)) => Err(e.clone()),
                            None => Err(Error::overflow("loan index")),
                        };
                        match result {
                            Ok(n) => out.push((n, None)),
                            Err(e) => {
                                // One row naming the loan; its computed columns are null.
                                if let Some(l) = s.loan.get_mut(at) {
                                    *l = index as i64;
                                }
                                out.push((1, Some(RowError::new(index, e))));
                                if !collect {
                                    break;
                                }
                            }
                        }
                    }
                    (first, out)
                },
            )
        });
        for (first, part) in parts {
            for (k, (n, e)) in (first..).zip(part) {
                if let (Some(c), Some(slot)) = (counts.get_mut(k), errors.get_mut(k)) {
                    *c = n;
                    *slot = e;
                }
            }
        }
        if !collect {
            if let Some(e) = first_error(&errors) {
                return Err(e.to_py(py));
            }
        }
        // Compact: every loan's rows follow the previous loan's.
        let mut at = 0usize;
        let mut cols_i64: Vec<&mut [i64]> = Vec::new();
        let loan_s = g_loan.as_slice_mut().map_err(err)?;
        let number_s = g_number.as_slice_mut().map_err(err)?;
        let due_s = g_due.as_slice_mut().map_err(err)?;
        for g in &mut g_money {
            cols_i64.push(g.as_slice_mut().map_err(err)?);
        }
        let counts = &counts;
        at = py.detach(move || {
            for (index, n) in counts.iter().enumerate() {
                let start = starts.get(index).copied().unwrap_or(0);
                if start != at && *n > 0 {
                    loan_s.copy_within(start..start + n, at);
                    number_s.copy_within(start..start + n, at);
                    due_s.copy_within(start..start + n, at);
                    for c in cols_i64.iter_mut() {
                        c.copy_within(2 * start..2 * (start + n), 2 * at);
                    }
                }
                at += n;
            }
            at
        });
        total = at;
    }
    let used = total;
    let out = PyDict::new(py);
    let cut = |a: Bound<'py, PyAny>, n: usize| -> PyResult<Bound<'py, PyAny>> {
        a.get_item(pyo3::types::PySlice::new(py, 0, n as isize, 1))
    };
    out.set_item("loan", cut(loan.into_any(), used)?)?;
    out.set_item("number", cut(number.into_any(), used)?)?;
    out.set_item("due_date", cut(due.into_any(), used)?)?;
    for (name, m) in SCHEDULE_MONEY_NAMES.iter().zip(money_columns) {
        out.set_item(*name, cut(m.into_any(), 2 * used)?)?;
    }
    out.set_item("rows", used)?;
    out.set_item("scale", scale)?;
    if collect {
        // One message per output row: the failed loans' single rows.
        let mut messages = Vec::with_capacity(used);
        for (n, e) in counts.iter().zip(&errors) {
            for _ in 0..*n {
                messages.push(e.as_ref().map(RowError::message));
            }
        }
        error_outputs(py, &out, messages)?;
    }
    Ok(out)
}

// ------------------------------------------------------------------------------- positions

/// The money fields of a position, in output order.
const POSITION_MONEY: [&str; 9] = [
    "principal_outstanding",
    "interest_accrued",
    "paid_interest",
    "paid_principal",
    "paid_total",
    "amount_due",
    "next_due_amount",
    "remaining_scheduled",
    "payoff_amount",
];

/// Scale of the `progress` column (the core truncates it to 4 places).
const PROGRESS_SCALE: u32 = 4;

/// One position as fixed-width values.
#[derive(Debug, Clone, Copy, Default)]
struct PositionRow {
    money: [i128; 9],
    progress: i128,
    days_past_due: i32,
    next_due: Option<i32>,
    installments_paid: i32,
    closed: bool,
}

fn epoch_days(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.num_days_from_ce() - EPOCH_FROM_CE
}

impl PositionRow {
    fn new(p: &Position, money_type: MoneyType) -> Result<Self, Error> {
        let values = [
            p.principal_outstanding,
            p.interest_accrued,
            p.paid_interest,
            p.paid_principal,
            p.paid_total,
            p.amount_due,
            p.next_due_amount,
            p.remaining_scheduled,
            p.payoff_amount,
        ];
        let mut money = [0i128; 9];
        for ((m, v), name) in money.iter_mut().zip(values).zip(POSITION_MONEY) {
            *m = money_type.fit(at_scale(v, money_type.scale, name)?, name)?;
        }
        Ok(PositionRow {
            money,
            progress: at_scale(p.progress, PROGRESS_SCALE, "progress")?,
            days_past_due: i32::try_from(p.days_past_due).unwrap_or(i32::MAX),
            next_due: p.next_due_date.map(epoch_days),
            installments_paid: i32::try_from(p.installments_paid).unwrap_or(i32::MAX),
            closed: p.closed,
        })
    }
}

/// The repayments: for each one, the terms row it belongs to, its date and its amount.
struct Repayments<'a> {
    loan: &'a [u8],
    date: Column<'a>,
    amount: Column<'a>,
    /// From a `repayments` list column of the terms (errors name `terms[i].repayments[k]`)
    /// rather than a table of its own (`repayments[j]`).
    nested: bool,
}

impl Repayments<'_> {
    fn loan_of(&self, j: usize) -> Option<usize> {
        bytes::<8>(self.loan, j).and_then(|b| usize::try_from(i64::from_le_bytes(b)).ok())
    }

    /// Repayment indices grouped by loan (input order kept): `(starts, order)`.
    fn grouped(&self, loans: usize) -> Result<(Vec<usize>, Vec<usize>), Error> {
        let n = self.loan.len() / 8;
        let mut counts = vec![0usize; loans + 1];
        for j in 0..n {
            match self.loan_of(j).filter(|l| *l < loans) {
                Some(l) => {
                    if let Some(c) = counts.get_mut(l + 1) {
                        *c += 1;
                    }
                }
                None => {
                    return Err(Error::validation(
                        format!("repayments[{j}]"),
                        "belongs to no loan",
                    ))
                }
            }
        }
        for i in 1..counts.len() {
            let prev = counts.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = counts.get_mut(i) {
                *c += prev;
            }
        }
        let starts = counts.clone();
        let mut next = counts;
        let mut order = vec![0usize; n];
        for j in 0..n {
            let l = self.loan_of(j).unwrap_or(0);
            if let Some(at) = next.get_mut(l) {
                if let Some(o) = order.get_mut(*at) {
                    *o = j;
                }
                *at += 1;
            }
        }
        Ok((starts, order))
    }

    fn payments(&self, loan: usize, rows: &[usize]) -> Result<Vec<LedgerPayment>, Error> {
        let mut out = Vec::with_capacity(rows.len());
        for (k, j) in rows.iter().enumerate() {
            let field = |what: &str| {
                if self.nested {
                    format!("terms[{loan}].repayments[{k}].{what}")
                } else {
                    format!("repayments[{j}].{what}")
                }
            };
            let date_field = field("date");
            let amount_field = field("amount");
            let date = date_of(
                self.date
                    .get(*j, &date_field)?
                    .ok_or_else(|| Error::validation(date_field.clone(), "is required (null)"))?,
                &date_field,
            )?;
            let amount = decimal_of(
                self.amount
                    .get(*j, &amount_field)?
                    .ok_or_else(|| Error::validation(amount_field.clone(), "is required (null)"))?,
                Role::Money,
                &amount_field,
            )?;
            out.push(LedgerPayment { date, amount });
        }
        Ok(out)
    }
}

/// The positions of a terms batch on `as_of` (epoch days): see `loansyncro.batch.positions`.
/// `repayments` is `(loan, date, amount, nested)`: `loan` the terms row of each repayment
/// (int64 buffer), `date` and `amount` column descriptors as for the terms.
#[pyfunction]
#[pyo3(signature = (columns, rows, repayments, as_of, *, scale=None, precision=38, collect=false, threads=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn batch_positions<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyDict>,
    rows: usize,
    repayments: &Bound<'py, PyTuple>,
    as_of: i32,
    scale: Option<u32>,
    precision: u32,
    collect: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let borrowed = borrow_all(columns)?;
    let table = terms_table(&borrowed, rows)?;
    let threads = threads_or_default(threads);
    let as_of = as_of
        .checked_add(EPOCH_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| crate::error::validation("as_of", "is outside the calendar"))?;
    let loan_buf: PyReadonlyArray1<'py, u8> = repayments.get_item(0)?.extract()?;
    let date_b = Borrowed::extract("repayments.date".into(), &repayments.get_item(1)?)?;
    let amount_b = Borrowed::extract("repayments.amount".into(), &repayments.get_item(2)?)?;
    let nested: bool = repayments.get_item(3)?.extract()?;
    for (b, role, what) in [
        (&date_b, Role::Date, "date"),
        (&amount_b, Role::Money, "amount"),
    ] {
        if !role.accepts(b.kind) {
            return Err(crate::error::validation(
                &format!("repayments.{what}"),
                format!(
                    "a {} column is not accepted: expected {}",
                    b.kind.name(),
                    role.expected()
                ),
            ));
        }
    }
    let reps = Repayments {
        loan: slice(&loan_buf)?,
        date: date_b.column()?,
        amount: amount_b.column()?,
        nested,
    };
    let (starts, order) = reps.grouped(rows).map_err(crate::error::to_py_err)?;
    let terms = py.detach(|| all_terms(&table, threads));
    if !collect {
        if let Some((row, e)) = terms
            .iter()
            .enumerate()
            .find_map(|(r, t)| t.as_ref().err().map(|e| (r, e)))
        {
            return Err(RowError::new(row, e.clone()).to_py(py));
        }
    }
    let scale = output_scale(&terms, scale)?;
    let money_type = MoneyType::new(precision, scale)?;
    let results: Vec<Result<PositionRow, RowError>> = py.detach(|| {
        parallel(
            rows,
            threads,
            (),
            |(), _| ((), ()),
            |first, count, ()| {
                let mut out = Vec::with_capacity(count);
                for i in first..first + count {
                    let mine = order
                        .get(
                            starts.get(i).copied().unwrap_or(0)
                                ..starts.get(i + 1).copied().unwrap_or(0),
                        )
                        .unwrap_or(&[]);
                    let r = match terms.get(i) {
                        Some(Ok(t)) => reps
                            .payments(i, mine)
                            .and_then(|paid| ledger::position(t, &paid, as_of))
                            .and_then(|p| PositionRow::new(&p, money_type)),
                        Some(Err(e)) => Err(e.clone()),
                        None => Err(Error::overflow("loan index")),
                    };
                    let failed = r.is_err();
                    out.push(r.map_err(|e| RowError::new(i, e)));
                    if failed && !collect {
                        break;
                    }
                }
                out
            },
        )
        .into_iter()
        .flatten()
        .collect()
    });
    if !collect {
        if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
            return Err(e.to_py(py));
        }
    }
    let n = results.len();
    let mut money: Vec<Vec<i64>> = vec![vec![0i64; 2 * n]; POSITION_MONEY.len()];
    let mut progress = vec![0i64; 2 * n];
    let mut days = vec![0i32; n];
    let mut next_due = vec![0i32; n];
    let mut paid = vec![0i32; n];
    for (k, r) in results.iter().enumerate() {
        let Ok(p) = r else { continue };
        for (c, v) in money.iter_mut().zip(p.money) {
            put_i128(c, k, v);
        }
        put_i128(&mut progress, k, p.progress);
        if let (Some(d), Some(nd), Some(ip)) =
            (days.get_mut(k), next_due.get_mut(k), paid.get_mut(k))
        {
            *d = p.days_past_due;
            *nd = p.next_due.unwrap_or(0);
            *ip = p.installments_paid;
        }
    }
    let next_valid = bitmap(
        results
            .iter()
            .map(|r| r.as_ref().is_ok_and(|p| p.next_due.is_some())),
        n,
    );
    let closed = bitmap(
        results.iter().map(|r| r.as_ref().is_ok_and(|p| p.closed)),
        n,
    );
    let out = PyDict::new(py);
    out.set_item("rows", n)?;
    out.set_item("scale", scale)?;
    out.set_item("as_of", epoch_days(as_of))?;
    for (name, c) in POSITION_MONEY.iter().zip(money) {
        out.set_item(*name, PyArray1::from_vec(py, c))?;
    }
    out.set_item("progress", PyArray1::from_vec(py, progress))?;
    out.set_item("days_past_due", PyArray1::from_vec(py, days))?;
    out.set_item("next_due_date", PyArray1::from_vec(py, next_due))?;
    out.set_item("next_due_date_valid", u8_array(py, next_valid))?;
    out.set_item("installments_paid", PyArray1::from_vec(py, paid))?;
    out.set_item("closed", u8_array(py, closed))?;
    if collect {
        let messages: Vec<Option<String>> = results
            .iter()
            .map(|r| r.as_ref().err().map(RowError::message))
            .collect();
        error_outputs(py, &out, messages)?;
    }
    Ok(out)
}
