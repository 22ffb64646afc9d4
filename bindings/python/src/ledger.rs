//! `position(terms, repayments, as_of)` and `payoff_quote(...)`: the core's ledger replay.

use loansyncro_core::ledger::{self, LedgerPayment, PayoffRule, Position};
use loansyncro_core::InstallmentRecord;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::convert::{date, money, parse_enum, to_py_date, to_py_decimal, to_py_opt_date};
use crate::error::{validation, CoreResultExt};
use crate::terms::PyLoanTerms;

/// Repayments from `(date, amount)` pairs, mappings with `date`/`amount`, or objects with
/// those attributes (such as `loansyncro.Repayment`).
pub(crate) fn payments(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<LedgerPayment>> {
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        let (d, a) = if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(validation(
                    &format!("{field}[{i}]"),
                    "must be a (date, amount) pair",
                ));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(m) = item.cast::<PyDict>() {
            (
                m.get_item("date")?
                    .ok_or_else(|| validation(&format!("{field}[{i}].date"), "is required"))?,
                m.get_item("amount")?
                    .ok_or_else(|| validation(&format!("{field}[{i}].amount"), "is required"))?,
            )
        } else {
            (item.getattr("date")?, item.getattr("amount")?)
        };
        out.push(LedgerPayment {
            date: date(&d, &format!("{field}[{i}].date"))?,
            amount: money(&a, &format!("{field}[{i}].amount"))?,
        });
    }
    Ok(out)
}

pub(crate) fn record_dict<'py>(
    py: Python<'py>,
    r: &InstallmentRecord,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("number", r.number)?;
    d.set_item("due_date", to_py_date(py, r.due_date)?)?;
    d.set_item("payment", to_py_decimal(py, r.payment)?)?;
    d.set_item("interest", to_py_decimal(py, r.interest)?)?;
    d.set_item("principal", to_py_decimal(py, r.principal)?)?;
    d.set_item("balance", to_py_decimal(py, r.balance)?)?;
    d.set_item("deferred_interest", to_py_decimal(py, r.deferred_interest)?)?;
    d.set_item("extra_principal", to_py_decimal(py, r.extra_principal)?)?;
    d.set_item("negative_amortization", r.negative_amortization)?;
    Ok(d)
}

/// Where a loan stands on a date.
#[pyclass(frozen, module = "loansyncro", name = "Position")]
#[derive(Debug, Clone)]
pub(crate) struct PyPosition {
    pub(crate) inner: Position,
}

#[pymethods]
impl PyPosition {
    #[getter]
    fn principal_outstanding<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.principal_outstanding)
    }
    #[getter]
    fn interest_accrued<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.interest_accrued)
    }
    #[getter]
    fn paid_interest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.paid_interest)
    }
    #[getter]
    fn paid_principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.paid_principal)
    }
    #[getter]
    fn paid_total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.paid_total)
    }
    #[getter]
    fn amount_due<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.amount_due)
    }
    #[getter]
    fn next_due_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.next_due_amount)
    }
    #[getter]
    fn remaining_scheduled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.remaining_scheduled)
    }
    #[getter]
    fn progress<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.progress)
    }
    #[getter]
    fn payoff_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.payoff_amount)
    }
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_date(py, self.inner.as_of)
    }
    #[getter]
    fn days_past_due(&self) -> u32 {
        self.inner.days_past_due
    }
    #[getter]
    fn next_due_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_opt_date(py, self.inner.next_due_date)
    }
    #[getter]
    fn installments_paid(&self) -> u32 {
        self.inner.installments_paid
    }
    #[getter]
    fn closed(&self) -> bool {
        self.inner.closed
    }
    /// The re-projected remaining schedule as dicts (see `Schedule.to_dicts`).
    #[getter]
    fn projected<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for r in &self.inner.projected {
            list.append(record_dict(py, r)?)?;
        }
        Ok(list)
    }
    /// A one-row `pandas.DataFrame` of the position's fields: dates as `datetime64`, money
    /// and `progress` as `Decimal` (`dtype="decimal"`, exact) or `float64` (`dtype="float"`).
    #[pyo3(signature = (dtype="decimal"))]
    fn to_pandas<'py>(slf: &Bound<'py, Self>, dtype: &str) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("position_to_pandas", (slf, dtype))
    }
    /// A one-row `pyarrow.Table`: money as `decimal128(38, scale)`, dates as `date32`.
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("position_to_arrow", (slf,))
    }
    /// A one-row `polars.DataFrame` (through Arrow); needs polars and pyarrow.
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("position_to_polars", (slf,))
    }
    fn __repr__(&self) -> String {
        let p = &self.inner;
        format!(
            "Position(as_of={}, principal_outstanding={}, amount_due={}, days_past_due={}, payoff_amount={}, closed={})",
            p.as_of,
            p.principal_outstanding,
            p.amount_due,
            p.days_past_due,
            p.payoff_amount,
            if p.closed { "True" } else { "False" }
        )
    }
}

/// The position of a loan on `as_of` given its repayments.
#[pyfunction]
pub(crate) fn position(
    py: Python<'_>,
    terms: &Bound<'_, PyLoanTerms>,
    repayments: &Bound<'_, PyAny>,
    as_of: &Bound<'_, PyAny>,
) -> PyResult<PyPosition> {
    let paid = payments(repayments, "repayments")?;
    let on = date(as_of, "as_of")?;
    let t = &terms.get().inner;
    let p = py.detach(|| ledger::position(t, &paid, on)).py()?;
    Ok(PyPosition { inner: p })
}

/// What closes the loan on `on`: a dict with `date`, `principal`, `interest`, `total`.
#[pyfunction]
#[pyo3(signature = (terms, repayments, on, rule=None))]
pub(crate) fn payoff_quote<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyLoanTerms>,
    repayments: &Bound<'py, PyAny>,
    on: &Bound<'py, PyAny>,
    rule: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let paid = payments(repayments, "repayments")?;
    let on = date(on, "on")?;
    let rule = match rule {
        None => PayoffRule::default(),
        Some(r) => parse_enum::<PayoffRule>(r, "rule")?,
    };
    let t = &terms.get().inner;
    let q = py
        .detach(|| ledger::payoff_quote(t, &paid, on, rule))
        .py()?;
    let d = PyDict::new(py);
    d.set_item("date", to_py_date(py, q.date)?)?;
    d.set_item("principal", to_py_decimal(py, q.principal)?)?;
    d.set_item("interest", to_py_decimal(py, q.interest)?)?;
    d.set_item("total", to_py_decimal(py, q.total)?)?;
    Ok(d)
}

/// What is payable on `on` for the installment due on `for_due`: a dict with `outstanding`,
/// `principal_due`, `interest_due`.
#[pyfunction]
pub(crate) fn payable<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyLoanTerms>,
    repayments: &Bound<'py, PyAny>,
    on: &Bound<'py, PyAny>,
    for_due: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let paid = payments(repayments, "repayments")?;
    let on = date(on, "on")?;
    let for_due = date(for_due, "for_due")?;
    let t = &terms.get().inner;
    let p = py.detach(|| ledger::payable(t, &paid, on, for_due)).py()?;
    let d = PyDict::new(py);
    d.set_item("outstanding", to_py_decimal(py, p.outstanding)?)?;
    d.set_item("principal_due", to_py_decimal(py, p.principal_due)?)?;
    d.set_item("interest_due", to_py_decimal(py, p.interest_due)?)?;
    Ok(d)
}

/// `loansyncro._frames`: pandas, Arrow and polars frames of positions and portfolios.
pub(crate) fn frames(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("loansyncro._frames")
}
