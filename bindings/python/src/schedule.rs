//! `Schedule` (a sequence of thin `Installment` rows), `Totals` and `WhatIf`.
//!
//! Rows keep the core's integer minor units; a `decimal.Decimal` is built only when an amount
//! attribute is read. `Schedule.columns()` returns the amounts as `array.array('q')` columns of
//! integer minor units (scale in `Schedule.scale`), which numpy and pandas wrap without copying
//! element by element.

use loansyncro_core::{Installment, Schedule, Totals, WhatIf};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PySlice, PyType};

use crate::convert::{minor_to_py, to_py_date, to_py_decimal};

static ARRAY: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn int_array<'py>(py: Python<'py>, values: &[i64]) -> PyResult<Bound<'py, PyAny>> {
    let array = ARRAY.import(py, "array", "array")?;
    let bytes = PyBytes::new_with(py, values.len() * 8, |buf| {
        for (chunk, v) in buf.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&v.to_ne_bytes());
        }
        Ok(())
    })?;
    array.call1(("q", bytes))
}

/// Days from 1970-01-01 (numpy's `datetime64[D]` epoch).
fn epoch_days(d: chrono::NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

use chrono::Datelike;

/// One installment. Amount attributes are `decimal.Decimal`, built when read; the `*_minor`
/// attributes are the same amounts as integers of minor units (cents).
#[pyclass(frozen, module = "loansyncro", name = "Installment")]
#[derive(Debug, Clone)]
pub(crate) struct PyInstallment {
    inner: Installment,
    scale: u32,
}

impl PyInstallment {
    fn deferred_minor(&self) -> i64 {
        self.inner.deferred_interest().mantissa() as i64
    }
    fn extra_minor(&self) -> i64 {
        self.inner.extra_principal().mantissa() as i64
    }
}

#[pymethods]
impl PyInstallment {
    #[getter]
    fn number(&self) -> u32 {
        self.inner.number()
    }
    #[getter]
    fn due_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_date(py, self.inner.due_date())
    }
    #[getter]
    fn payment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        minor_to_py(py, self.inner.payment_minor(), self.scale)
    }
    #[getter]
    fn interest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        minor_to_py(py, self.inner.interest_minor(), self.scale)
    }
    #[getter]
    fn principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        minor_to_py(py, self.inner.principal_minor(), self.scale)
    }
    #[getter]
    fn balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        minor_to_py(py, self.inner.balance_minor(), self.scale)
    }
    #[getter]
    fn deferred_interest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.deferred_interest())
    }
    #[getter]
    fn extra_principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.extra_principal())
    }
    #[getter]
    fn negative_amortization(&self) -> bool {
        self.inner.negative_amortization()
    }
    #[getter]
    fn payment_minor(&self) -> i64 {
        self.inner.payment_minor()
    }
    #[getter]
    fn interest_minor(&self) -> i64 {
        self.inner.interest_minor()
    }
    #[getter]
    fn principal_minor(&self) -> i64 {
        self.inner.principal_minor()
    }
    #[getter]
    fn balance_minor(&self) -> i64 {
        self.inner.balance_minor()
    }
    #[getter]
    fn scale(&self) -> u32 {
        self.scale
    }
    /// The row as a dict of `Decimal`s and a `date`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        row_dict(py, &self.inner, self.scale)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyInstallment>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }
    fn __repr__(&self) -> String {
        let i = &self.inner;
        format!(
            "Installment(number={}, due_date={}, payment={}, interest={}, principal={}, balance={})",
            i.number(),
            i.due_date(),
            i.payment(),
            i.interest(),
            i.principal(),
            i.balance()
        )
    }
}

fn row_dict<'py>(py: Python<'py>, i: &Installment, scale: u32) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("number", i.number())?;
    d.set_item("due_date", to_py_date(py, i.due_date())?)?;
    d.set_item("payment", minor_to_py(py, i.payment_minor(), scale)?)?;
    d.set_item("interest", minor_to_py(py, i.interest_minor(), scale)?)?;
    d.set_item("principal", minor_to_py(py, i.principal_minor(), scale)?)?;
    d.set_item("balance", minor_to_py(py, i.balance_minor(), scale)?)?;
    d.set_item(
        "deferred_interest",
        to_py_decimal(py, i.deferred_interest())?,
    )?;
    d.set_item("extra_principal", to_py_decimal(py, i.extra_principal())?)?;
    d.set_item("negative_amortization", i.negative_amortization())?;
    Ok(d)
}

/// Sums of a schedule's rounded rows.
#[pyclass(frozen, module = "loansyncro", name = "Totals")]
#[derive(Debug, Clone)]
pub(crate) struct PyTotals {
    inner: Totals,
}

#[pymethods]
impl PyTotals {
    #[getter]
    fn interest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.interest)
    }
    #[getter]
    fn principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.principal)
    }
    #[getter]
    fn paid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.paid)
    }
    #[getter]
    fn extra_principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.extra_principal)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("interest", to_py_decimal(py, self.inner.interest)?)?;
        d.set_item("principal", to_py_decimal(py, self.inner.principal)?)?;
        d.set_item("paid", to_py_decimal(py, self.inner.paid)?)?;
        d.set_item(
            "extra_principal",
            to_py_decimal(py, self.inner.extra_principal)?,
        )?;
        Ok(d)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyTotals>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }
    fn __repr__(&self) -> String {
        format!(
            "Totals(interest={}, principal={}, paid={}, extra_principal={})",
            self.inner.interest, self.inner.principal, self.inner.paid, self.inner.extra_principal
        )
    }
}

/// A schedule: a sequence of `Installment`s.
#[pyclass(frozen, sequence, module = "loansyncro", name = "Schedule")]
#[derive(Debug, Clone)]
pub(crate) struct PySchedule {
    inner: Schedule,
    scale: u32,
}

impl PySchedule {
    pub(crate) fn new(inner: Schedule) -> Self {
        let scale = schedule_scale(&inner);
        PySchedule { inner, scale }
    }

    fn row(&self, i: usize) -> PyInstallment {
        PyInstallment {
            inner: self.inner.installments()[i],
            scale: self.scale,
        }
    }

    fn rows<'py>(
        &self,
        py: Python<'py>,
        range: impl Iterator<Item = usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyInstallment>> = range
            .map(|i| Bound::new(py, self.row(i)))
            .collect::<PyResult<_>>()?;
        PyList::new(py, items)
    }
}

#[pymethods]
impl PySchedule {
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let n = self.inner.len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let ix = slice.indices(n as isize)?;
            let range =
                (0..ix.slicelength).map(move |k| (ix.start + k as isize * ix.step) as usize);
            return Ok(self.rows(py, range)?.into_any());
        }
        let i: isize = index.extract()?;
        let j = if i < 0 { i + n as isize } else { i };
        if j < 0 || j >= n as isize {
            return Err(pyo3::exceptions::PyIndexError::new_err(
                "installment index out of range",
            ));
        }
        Ok(Bound::new(py, self.row(j as usize))?.into_any())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.rows(py, 0..self.inner.len())?
            .into_any()
            .try_iter()
            .map(|i| i.into_any())
    }

    /// All rows as a list of `Installment`s.
    fn rows_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.rows(py, 0..self.inner.len())
    }

    /// The regular installment (the first amortizing installment before any recast).
    #[getter]
    fn regular_payment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.regular_payment())
    }
    /// Σ of all installments.
    #[getter]
    fn total_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.total_amount())
    }
    #[getter]
    fn totals(&self) -> PyTotals {
        PyTotals {
            inner: self.inner.totals(),
        }
    }
    #[getter]
    fn currency(&self) -> String {
        self.inner.currency().code().to_owned()
    }
    /// Decimal places of the amounts (2 for USD, 0 for JPY): `amount = minor / 10**scale`.
    #[getter]
    fn scale(&self) -> u32 {
        self.scale
    }
    #[getter]
    fn negative_amortization(&self) -> bool {
        self.inner.negative_amortization()
    }

    /// The schedule as CSV (RFC 4180, CRLF): with `path`, writes the file and returns `None`;
    /// without, returns the text.
    #[pyo3(signature = (path=None))]
    fn to_csv(&self, path: Option<std::path::PathBuf>) -> PyResult<Option<String>> {
        let csv = self.inner.to_csv();
        match path {
            Some(p) => {
                std::fs::write(p, &csv)?;
                Ok(None)
            }
            None => Ok(Some(csv)),
        }
    }

    /// A `pandas.DataFrame`: `number`, `due_date` (`datetime64`) and the money columns as
    /// `Decimal` (`dtype="decimal"`, the default, exact) or `float64` (`dtype="float"`).
    #[pyo3(signature = (dtype="decimal"))]
    fn to_pandas<'py>(&self, py: Python<'py>, dtype: &str) -> PyResult<Bound<'py, PyAny>> {
        let columns = self.columns(py, false)?;
        frames(py)?.call_method1("to_pandas", (columns, self.scale, dtype))
    }

    /// A `pyarrow.Table`: `number` (int32), `due_date` (date32) and the money columns as
    /// `decimal128(38, scale)`.
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let columns = self.columns(py, false)?;
        frames(py)?.call_method1("to_arrow", (columns, self.scale))
    }

    /// A `polars.DataFrame` (through Arrow: decimal money columns); needs polars and pyarrow.
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let columns = self.columns(py, false)?;
        frames(py)?.call_method1("to_polars", (columns, self.scale))
    }

    /// Rows as dicts of `Decimal`s and dates.
    fn to_dicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for i in self.inner.installments() {
            list.append(row_dict(py, i, self.scale)?)?;
        }
        Ok(list)
    }

    /// The fast path: integer columns with no per-row Python objects. `number`, `due_date`
    /// (days since 1970-01-01), `payment`, `interest`, `principal`, `balance`,
    /// `deferred_interest`, `extra_principal` as `array.array('q')` of integer minor units
    /// (cents for USD: divide by `10**scale`), ready for `numpy.frombuffer`. With
    /// `decimals=True`, lists of `Decimal` and `datetime.date` instead (slower). For frames use
    /// `to_pandas()`, `to_arrow()` or `to_polars()`.
    #[pyo3(signature = (*, decimals=false))]
    fn columns<'py>(&self, py: Python<'py>, decimals: bool) -> PyResult<Bound<'py, PyDict>> {
        let rows = self.inner.installments();
        let d = PyDict::new(py);
        if decimals {
            let number = PyList::empty(py);
            let due = PyList::empty(py);
            let cols: [Bound<'py, PyList>; 6] = std::array::from_fn(|_| PyList::empty(py));
            for i in rows {
                number.append(i.number())?;
                due.append(to_py_date(py, i.due_date())?)?;
                cols[0].append(minor_to_py(py, i.payment_minor(), self.scale)?)?;
                cols[1].append(minor_to_py(py, i.interest_minor(), self.scale)?)?;
                cols[2].append(minor_to_py(py, i.principal_minor(), self.scale)?)?;
                cols[3].append(minor_to_py(py, i.balance_minor(), self.scale)?)?;
                cols[4].append(to_py_decimal(py, i.deferred_interest())?)?;
                cols[5].append(to_py_decimal(py, i.extra_principal())?)?;
            }
            d.set_item("number", number)?;
            d.set_item("due_date", due)?;
            for (name, col) in NAMES.iter().zip(cols) {
                d.set_item(*name, col)?;
            }
            return Ok(d);
        }
        let n = rows.len();
        let mut buf = vec![0i64; n * 8];
        for (k, i) in rows.iter().enumerate() {
            for (c, v) in row_columns(i, self.scale).into_iter().enumerate() {
                buf[c * n + k] = v;
            }
        }
        d.set_item("number", int_array(py, &buf[..n])?)?;
        d.set_item("due_date", int_array(py, &buf[n..2 * n])?)?;
        for (c, name) in NAMES.iter().enumerate() {
            d.set_item(*name, int_array(py, &buf[(c + 2) * n..(c + 3) * n])?)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Schedule {} installments of {} {}, total interest {}>",
            self.inner.len(),
            self.inner.regular_payment(),
            self.inner.currency().code(),
            self.inner.totals().interest
        )
    }
}

/// The decimal places of a schedule's amounts (its rows' scale, else the currency's).
fn schedule_scale(schedule: &Schedule) -> u32 {
    schedule
        .installments()
        .first()
        .map(|i| i.balance().scale())
        .unwrap_or_else(|| schedule.currency().minor_units())
}

/// One row as the eight integer columns of [`PySchedule::columns`]: number, due date (epoch
/// days), payment, interest, principal, balance, deferred interest, extra principal (minor units).
fn row_columns(i: &Installment, scale: u32) -> [i64; 8] {
    let row = PyInstallment { inner: *i, scale };
    [
        i64::from(i.number()),
        epoch_days(i.due_date()),
        i.payment_minor(),
        i.interest_minor(),
        i.principal_minor(),
        i.balance_minor(),
        row.deferred_minor(),
        row.extra_minor(),
    ]
}

/// The nine integer columns of [`schedule_columns`] (the loan's index first), in output order.
const BATCH_COLUMNS: [&str; 9] = [
    "loan",
    "number",
    "due_date",
    "payment",
    "interest",
    "principal",
    "balance",
    "deferred_interest",
    "extra_principal",
];

/// The columns `schedule_columns(columns=...)` asks for (all nine without the argument), in
/// [`BATCH_COLUMNS`] order.
fn selected_columns(columns: Option<&Bound<'_, PyAny>>) -> PyResult<[bool; 9]> {
    let Some(names) = columns else {
        return Ok([true; 9]);
    };
    if names.is_instance_of::<pyo3::types::PyString>() {
        return Err(crate::error::type_error(
            "columns",
            "a list of column names",
            names,
        ));
    }
    let mut selected = [false; 9];
    for name in names.try_iter()? {
        let name = name?;
        let text: String = name
            .extract()
            .map_err(|_| crate::error::type_error("columns", "column names (str)", &name))?;
        let k = BATCH_COLUMNS
            .iter()
            .position(|c| *c == text)
            .ok_or_else(|| {
                crate::error::validation(
                    "columns",
                    format!(
                        "unknown column {text:?} (expected some of {})",
                        BATCH_COLUMNS.join(", ")
                    ),
                )
            })?;
        if let Some(slot) = selected.get_mut(k) {
            *slot = true;
        }
    }
    Ok(selected)
}

/// Where [`schedule_columns`] writes: the column slices of a run of loans (their rows' slots
/// start at row 0 of the slices; `None` for a column not asked for), one scale and one row count
/// per loan. The slices start zeroed (fresh NumPy arrays, whose untouched pages cost nothing).
struct Slots<'a> {
    columns: [Option<&'a mut [i64]>; 9],
    scale: &'a mut [i64],
    rows: &'a mut [usize],
}

impl<'a> Slots<'a> {
    /// The slots of the first `loans` loans (their first `rows` rows) and those of the rest.
    fn split(self, loans: usize, rows: usize) -> (Slots<'a>, Slots<'a>) {
        let mut head: [Option<&'a mut [i64]>; 9] = Default::default();
        let mut tail: [Option<&'a mut [i64]>; 9] = Default::default();
        for ((column, h), t) in self.columns.into_iter().zip(&mut head).zip(&mut tail) {
            if let Some(column) = column {
                let (a, b) = column.split_at_mut(rows);
                (*h, *t) = (Some(a), Some(b));
            }
        }
        let (scale_head, scale_tail) = self.scale.split_at_mut(loans);
        let (rows_head, rows_tail) = self.rows.split_at_mut(loans);
        (
            Slots {
                columns: head,
                scale: scale_head,
                rows: rows_head,
            },
            Slots {
                columns: tail,
                scale: scale_tail,
                rows: rows_tail,
            },
        )
    }

    /// Generates the schedules of `terms` (loan indices from `first`) into the slots, each at
    /// `starts[k] - starts[0]`; `Err((index, error))` names the first loan that fails.
    fn fill(
        mut self,
        first: usize,
        terms: &[loansyncro_core::LoanTerms],
        starts: &[usize],
    ) -> Result<(), (usize, loansyncro_core::Error)> {
        let base = starts.first().copied().unwrap_or(0);
        for (k, t) in terms.iter().enumerate() {
            let index = first + k;
            let schedule = t.schedule().map_err(|e| (index, e))?;
            let rows = schedule.installments();
            let at = starts.get(k).map_or(0, |s| s - base);
            let end = at + rows.len();
            if starts.get(k + 1).is_none_or(|next| end > next - base) {
                return Err((
                    index,
                    loansyncro_core::Error::overflow("more rows than installments"),
                ));
            }
            if let (Some(scale), Some(count)) = (self.scale.get_mut(k), self.rows.get_mut(k)) {
                *scale = i64::from(schedule_scale(&schedule));
                *count = rows.len();
            }
            let [loan, number, due, payment, interest, principal, balance, deferred, extra] = self
                .columns
                .each_mut()
                .map(|c| c.as_deref_mut().and_then(|c| c.get_mut(at..end)));
            if let Some(loan) = loan {
                loan.fill(index as i64);
            }
            write_column(number, rows, |i| i64::from(i.number()));
            write_column(due, rows, |r| i64::from(r.due_epoch_days()));
            write_column(payment, rows, Installment::payment_minor);
            write_column(interest, rows, Installment::interest_minor);
            write_column(principal, rows, Installment::principal_minor);
            write_column(balance, rows, Installment::balance_minor);
            // Mostly zero, and the arrays start zeroed: only the other values are written.
            write_nonzero(deferred, rows, |i| i.deferred_interest().mantissa() as i64);
            write_nonzero(extra, rows, |i| i.extra_principal().mantissa() as i64);
        }
        Ok(())
    }
}

/// One column of `rows`, if asked for (generic, so the accessor is inlined into the loop).
#[inline(always)]
fn write_column(out: Option<&mut [i64]>, rows: &[Installment], f: impl Fn(&Installment) -> i64) {
    for (o, i) in out.into_iter().flatten().zip(rows) {
        *o = f(i);
    }
}

/// [`write_column`] into a zeroed column: only the non-zero values are written.
#[inline(always)]
fn write_nonzero(out: Option<&mut [i64]>, rows: &[Installment], f: impl Fn(&Installment) -> i64) {
    for (o, i) in out.into_iter().flatten().zip(rows) {
        let v = f(i);
        if v != 0 {
            *o = v;
        }
    }
}

/// Fills `slots` with the schedules of `terms` on up to `threads` threads (runs of loans with
/// about the same number of rows each).
fn fill_parallel(
    slots: Slots<'_>,
    terms: &[loansyncro_core::LoanTerms],
    starts: &[usize],
    threads: usize,
) -> Result<(), (usize, loansyncro_core::Error)> {
    let total = starts.last().copied().unwrap_or(0);
    if threads <= 1 || terms.len() < 64 {
        return slots.fill(0, terms, starts);
    }
    let share = total.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        let (mut rest, mut first) = (slots, 0);
        while first < terms.len() {
            // The run ends at the first loan whose rows start a share further.
            let from = starts.get(first).copied().unwrap_or(total);
            let last = starts
                .partition_point(|s| *s < from + share)
                .clamp(first + 1, terms.len());
            let until = starts.get(last).copied().unwrap_or(total);
            let (run, tail) = rest.split(last - first, until - from);
            rest = tail;
            let (part, bounds) = (&terms[first..last], &starts[first..=last]);
            handles.push(scope.spawn(move || run.fill(first, part, bounds)));
            first = last;
        }
        let mut outcome = Ok(());
        for h in handles {
            let done = h.join().unwrap_or_else(|_| {
                Err((
                    0,
                    loansyncro_core::Error::overflow("schedule thread panicked"),
                ))
            });
            if outcome.is_ok() {
                outcome = done;
            }
        }
        outcome
    })
}

/// Moves every loan's rows down to follow the previous loan's (a schedule that closes early
/// leaves its slot's tail unused) and returns the row count.
fn compact(columns: &mut [&mut [i64]], starts: &[usize], rows: &[usize]) -> usize {
    let mut at = 0;
    for (start, n) in starts.iter().zip(rows) {
        if *start != at {
            for c in columns.iter_mut() {
                c.copy_within(*start..*start + n, at);
            }
        }
        at += n;
    }
    at
}

/// The schedules of many loans as one table of NumPy columns, computed in Rust on
/// `threads` threads (default: every core) without the GIL, written straight into the NumPy
/// arrays (no Python object per row, no intermediate copy).
///
/// Returns a dict: `loan` (the index of the loan in `terms`), `number`, `due_date`
/// (`datetime64[D]`), `payment`, `interest`, `principal`, `balance`, `deferred_interest`,
/// `extra_principal` (`int64` minor units), and `scale` (one entry per loan: divide its amounts
/// by `10**scale`). `pandas.DataFrame(d)` after dropping `scale` gives a long-format table.
///
/// `columns` (names of the nine) returns only those (and `scale`): the output is 72 bytes per
/// row with all nine, and writing it is most of the time; a caller that needs four pays for four.
#[pyfunction]
#[pyo3(signature = (terms, *, threads=None, columns=None))]
pub(crate) fn schedule_columns<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyAny>,
    threads: Option<usize>,
    columns: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    use numpy::{PyArray1, PyArrayMethods};
    let mut all = Vec::new();
    for t in terms.try_iter()? {
        let t = t?;
        let t = t
            .cast::<crate::terms::PyLoanTerms>()
            .map_err(|_| crate::error::type_error("terms", "LoanTerms", &t))?;
        all.push(t.get().inner.clone());
    }
    let selected = selected_columns(columns)?;
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    // A schedule has at most one row per installment: each loan gets that many slots.
    let mut starts = Vec::with_capacity(all.len() + 1);
    let mut total = 0usize;
    starts.push(0);
    for t in &all {
        total += t.installments() as usize;
        starts.push(total);
    }
    let arrays: [Option<Bound<'py, PyArray1<i64>>>; 9] =
        std::array::from_fn(|k| selected[k].then(|| PyArray1::<i64>::zeros(py, total, false)));
    let scale = PyArray1::<i64>::zeros(py, all.len(), false);
    let mut rows = vec![0usize; all.len()];
    let used = {
        let mut guards = Vec::with_capacity(9);
        for a in &arrays {
            guards.push(a.as_ref().map(|a| a.try_readwrite()).transpose()?);
        }
        let mut scale_guard = scale.try_readwrite()?;
        let mut columns: [Option<&mut [i64]>; 9] = Default::default();
        for (g, c) in guards.iter_mut().zip(&mut columns) {
            if let Some(g) = g {
                *c = Some(
                    g.as_slice_mut()
                        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?,
                );
            }
        }
        let scale_slice = scale_guard
            .as_slice_mut()
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        let result = py.detach(|| {
            let slots = Slots {
                columns: columns.each_mut().map(|c| c.as_deref_mut()),
                scale: scale_slice,
                rows: &mut rows,
            };
            fill_parallel(slots, &all, &starts, threads)?;
            let mut present: Vec<&mut [i64]> =
                columns.iter_mut().flatten().map(|c| &mut **c).collect();
            Ok(compact(&mut present, &starts, &rows))
        });
        result.map_err(|(index, e)| {
            let e = match e {
                loansyncro_core::Error::Validation { field, reason } => {
                    loansyncro_core::Error::validation(format!("terms[{index}].{field}"), reason)
                }
                other => other,
            };
            crate::error::to_py_err(e)
        })?
    };
    let d = PyDict::new(py);
    let cut = PySlice::new(py, 0, used as isize, 1);
    for (name, array) in BATCH_COLUMNS.iter().zip(arrays) {
        let Some(array) = array else {
            continue;
        };
        let mut column = array.into_any();
        if used != total {
            column = column.get_item(&cut)?;
        }
        if *name == "due_date" {
            column = column.call_method1("view", ("datetime64[D]",))?;
        }
        d.set_item(*name, column)?;
    }
    d.set_item("scale", scale)?;
    Ok(d)
}

/// `loansyncro._frames`, which builds pandas, Arrow and polars frames from [`PySchedule::columns`].
fn frames(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("loansyncro._frames")
}

const NAMES: [&str; 6] = [
    "payment",
    "interest",
    "principal",
    "balance",
    "deferred_interest",
    "extra_principal",
];

/// The result of `LoanTerms.what_if`.
#[pyclass(frozen, module = "loansyncro", name = "WhatIf")]
#[derive(Debug)]
pub(crate) struct PyWhatIf {
    base_totals: Totals,
    base_installments: u32,
    interest_saved: rust_decimal::Decimal,
    installments_saved: u32,
    schedule: Py<PySchedule>,
}

impl PyWhatIf {
    pub(crate) fn new(py: Python<'_>, w: WhatIf) -> PyResult<Self> {
        Ok(PyWhatIf {
            base_totals: w.base_totals,
            base_installments: w.base_installments,
            interest_saved: w.interest_saved,
            installments_saved: w.installments_saved,
            schedule: Py::new(py, PySchedule::new(w.schedule))?,
        })
    }
}

#[pymethods]
impl PyWhatIf {
    #[getter]
    fn base_totals(&self) -> PyTotals {
        PyTotals {
            inner: self.base_totals,
        }
    }
    #[getter]
    fn base_installments(&self) -> u32 {
        self.base_installments
    }
    #[getter]
    fn installments_saved(&self) -> u32 {
        self.installments_saved
    }
    #[getter]
    fn interest_saved<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.interest_saved)
    }
    #[getter]
    fn schedule(&self, py: Python<'_>) -> Py<PySchedule> {
        self.schedule.clone_ref(py)
    }
    fn __repr__(&self) -> String {
        format!(
            "WhatIf(installments_saved={}, interest_saved={})",
            self.installments_saved, self.interest_saved
        )
    }
}
