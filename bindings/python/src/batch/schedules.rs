//! `batch_schedules`: one row per installment, written straight into the output columns.

use loansyncro_core::{Error, LoanTerms};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::errors::{error_outputs, first_error, RowError};
use super::input::{borrow_all, terms_table};
use super::money::{output_scale, pow10, put_i128, MoneyType};
use super::run::{all_terms, parallel, threads_or_default};

/// Money columns of a schedule row, in output order.
pub(super) const SCHEDULE_MONEY: usize = 6;

pub(super) const SCHEDULE_MONEY_NAMES: [&str; SCHEDULE_MONEY] = [
    "payment",
    "interest",
    "principal",
    "balance",
    "deferred_interest",
    "extra_principal",
];

/// Where a run of loans writes its rows (slots from row 0 of each slice).
pub(super) struct RowSlots<'a> {
    pub(super) loan: &'a mut [i64],
    pub(super) number: &'a mut [i32],
    pub(super) due: &'a mut [i32],
    /// Two i64 per row: a little-endian i128.
    pub(super) money: [&'a mut [i64]; SCHEDULE_MONEY],
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

/// Writes the schedule of loan `index` at slot offset `at`; returns its row count.
pub(super) fn write_schedule(
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
