//! Timeline events (the core's `schedule::entry` and `schedule::events`): loans entered
//! mid-term, renewals and refinances, and a loan's timeline. `Decimal` in and out.

use loansyncro_core::{CurrentState, Error, LoanTerms, Rate, Renewal};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{count, date, money, number, parse_enum, to_py_date, to_py_decimal};
use crate::error::CoreResultExt;
use crate::terms::PyLoanTerms;

/// A rate in percent, its errors on `field`.
fn percent(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Rate> {
    Rate::from_percent(number(ob, field)?)
        .map_err(|e| match Error::from(e) {
            Error::Validation { reason, .. } => Error::validation(field, reason),
            other => other,
        })
        .py()
}

/// A loan entered from what the borrower knows today (the original terms unknown): it starts
/// one period before `next_due` from `balance` and keeps `payment` until the balance is repaid
/// (the last payment adjusted). Errors name `balance`, `payment`, `next_due`, ...
#[pyfunction]
#[pyo3(signature = (*, balance, annual_rate_percent, payment, next_due, currency=None, frequency=None, day_count=None))]
pub(crate) fn enter_from_current(
    balance: &Bound<'_, PyAny>,
    annual_rate_percent: &Bound<'_, PyAny>,
    payment: &Bound<'_, PyAny>,
    next_due: &Bound<'_, PyAny>,
    currency: Option<&Bound<'_, PyAny>>,
    frequency: Option<&Bound<'_, PyAny>>,
    day_count: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyLoanTerms> {
    let mut base = LoanTerms::builder();
    if let Some(c) = currency {
        base = base.currency(parse_enum(c, "currency")?);
    }
    if let Some(f) = frequency {
        base = base.frequency(parse_enum(f, "frequency")?);
    }
    if let Some(d) = day_count {
        base = base.day_count(parse_enum(d, "day_count")?);
    }
    let state = CurrentState {
        balance: money(balance, "balance")?,
        annual_rate: percent(annual_rate_percent, "annual_rate_percent")?,
        payment: money(payment, "payment")?,
        next_due: date(next_due, "next_due")?,
    };
    let inner = LoanTerms::from_current(base, &state)
        .map_err(|e| match e {
            Error::Validation { field, reason } if field == "annual_rate" => {
                Error::validation("annual_rate_percent", reason)
            }
            other => other,
        })
        .py()?;
    Ok(PyLoanTerms { inner })
}

/// `terms` (the original terms) entered mid-term with the lender's `balance` on `date`: the
/// original schedule up to the date is summarized (see `timeline`), the loan keeps the
/// payment and its term moves. Errors name `date`, `balance` or an original field.
#[pyfunction]
#[pyo3(signature = (terms, *, date, balance))]
pub(crate) fn enter_mid_term(
    terms: &PyLoanTerms,
    date: &Bound<'_, PyAny>,
    balance: &Bound<'_, PyAny>,
) -> PyResult<PyLoanTerms> {
    let on = crate::convert::date(date, "date")?;
    let inner = terms
        .inner
        .enter_mid_term(on, money(balance, "balance")?)
        .py()?;
    Ok(PyLoanTerms { inner })
}

/// `terms` renewed (or refinanced) on `effective`: a new rate, amortization and/or term from
/// the first period starting on or after the date, in the same timeline. Errors name
/// `effective`, `annual_rate_percent`, `amortization_installments` or `term_installments`.
#[pyfunction]
#[pyo3(signature = (terms, *, effective, annual_rate_percent=None, amortization_installments=None, term_installments=None))]
pub(crate) fn renew(
    terms: &PyLoanTerms,
    effective: &Bound<'_, PyAny>,
    annual_rate_percent: Option<&Bound<'_, PyAny>>,
    amortization_installments: Option<&Bound<'_, PyAny>>,
    term_installments: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyLoanTerms> {
    let mut r = Renewal::new(date(effective, "effective")?);
    if let Some(p) = annual_rate_percent {
        r = r.rate(percent(p, "annual_rate_percent")?);
    }
    r.amortization_installments = amortization_installments
        .map(|n| count(n, "amortization_installments"))
        .transpose()?;
    r.term_installments = term_installments
        .map(|n| count(n, "term_installments"))
        .transpose()?;
    let inner = loansyncro_core::app::timeline::renewed(&terms.inner, r)
        .map_err(|e| match e {
            Error::Validation { field, reason } if field == "annual_rate" => {
                Error::validation("annual_rate_percent", reason)
            }
            other => other,
        })
        .py()?;
    Ok(PyLoanTerms { inner })
}

/// A loan's timeline as a dict: `history` (`complete`, `summarized`, `unknown`), `opening`
/// (None, or its date, balance and the summarized `history`), `segments` (one per term) and
/// `recasts` (the level payment's recasts). Amounts are `Decimal`, rates in percent.
#[pyfunction]
pub(crate) fn timeline<'py>(py: Python<'py>, terms: &PyLoanTerms) -> PyResult<Bound<'py, PyDict>> {
    let t = &terms.inner;
    let schedule = t.schedule().py()?;
    let out = PyDict::new(py);
    let dec = |d| to_py_decimal(py, d);
    let opening = match t.opening() {
        None => {
            out.set_item("history", "complete")?;
            py.None().into_bound(py)
        }
        Some(o) => {
            let d = PyDict::new(py);
            d.set_item("date", to_py_date(py, o.date)?)?;
            d.set_item("balance", dec(o.balance)?)?;
            match &o.history {
                None => {
                    out.set_item("history", "unknown")?;
                    d.set_item("history", py.None())?;
                }
                Some(h) => {
                    out.set_item("history", "summarized")?;
                    let hd = PyDict::new(py);
                    hd.set_item("original_start", to_py_date(py, h.original_start)?)?;
                    hd.set_item("original_principal", dec(h.original_principal)?)?;
                    hd.set_item("original_installments", h.original_installments)?;
                    hd.set_item("installments", h.installments)?;
                    hd.set_item("interest_paid", dec(h.interest_paid)?)?;
                    hd.set_item("principal_paid", dec(h.principal_paid)?)?;
                    hd.set_item("scheduled_balance", dec(h.scheduled_balance)?)?;
                    hd.set_item("difference", dec(h.difference)?)?;
                    hd.set_item("payment", dec(h.payment)?)?;
                    d.set_item("history", hd)?;
                }
            }
            d.into_any()
        }
    };
    out.set_item("opening", opening)?;
    out.set_item("installments", schedule.len())?;
    let segments = PyList::empty(py);
    for s in t.segments(&schedule) {
        let d = PyDict::new(py);
        d.set_item("index", s.index)?;
        d.set_item("first_installment", s.first_installment)?;
        d.set_item("last_installment", s.last_installment)?;
        d.set_item("first_due", to_py_date(py, s.first_due)?)?;
        d.set_item("last_due", to_py_date(py, s.last_due)?)?;
        d.set_item("annual_rate_percent", dec(s.annual_rate.percent())?)?;
        d.set_item("payment", dec(s.payment)?)?;
        d.set_item("balance_before", dec(s.balance_before)?)?;
        d.set_item("interest", dec(s.interest)?)?;
        d.set_item("principal", dec(s.principal)?)?;
        d.set_item("balance_after", dec(s.balance_after)?)?;
        segments.append(d)?;
    }
    out.set_item("segments", segments)?;
    let recasts = PyList::empty(py);
    for a in schedule.adjustments() {
        let d = PyDict::new(py);
        d.set_item("payment_number", a.payment_number)?;
        d.set_item("annual_rate_percent", dec(a.annual_rate.percent())?)?;
        d.set_item("balance_before", dec(a.balance_before)?)?;
        d.set_item("remaining_installments", a.remaining_installments)?;
        d.set_item("payment", dec(a.payment)?)?;
        recasts.append(d)?;
    }
    out.set_item("recasts", recasts)?;
    Ok(out)
}
