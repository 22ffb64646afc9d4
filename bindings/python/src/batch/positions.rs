//! `batch_positions`: one row per loan, from its terms and its repayments.

use chrono::NaiveDate;
use loansyncro_core::ledger::{self, LedgerPayment, Position};
use loansyncro_core::Error;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use super::errors::{bitmap, error_outputs, u8_array, RowError};
use super::input::{
    borrow_all, bytes, date_of, decimal_of, epoch_days, slice, terms_table, Borrowed, Column, Role,
    EPOCH_FROM_CE,
};
use super::money::{at_scale, output_scale, put_i128, MoneyType};
use super::run::{all_terms, parallel, threads_or_default};

/// The money fields of a position, in output order.
pub(super) const POSITION_MONEY: [&str; 9] = [
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
pub(super) const PROGRESS_SCALE: u32 = 4;

/// One position as fixed-width values.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PositionRow {
    pub(super) money: [i128; 9],
    pub(super) progress: i128,
    pub(super) days_past_due: i32,
    pub(super) next_due: Option<i32>,
    pub(super) installments_paid: i32,
    pub(super) closed: bool,
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
pub(super) struct Repayments<'a> {
    pub(super) loan: &'a [u8],
    pub(super) date: Column<'a>,
    pub(super) amount: Column<'a>,
    /// From a `repayments` list column of the terms (errors name `terms[i].repayments[k]`)
    /// rather than a table of its own (`repayments[j]`).
    pub(super) nested: bool,
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
