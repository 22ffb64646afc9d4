//! `reconcile(terms, lines)` and the statement importers (`statement_from_csv`, `_ofx`,
//! `_plaid`): the core's statement reconciliation. Results are dicts of `Decimal`s and dates.

use loansyncro_core::reconcile as core;
use loansyncro_core::reconcile::{
    csv::CsvMapping, Amounts, LineCheck, Reconciliation, StatementLine,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{date, money, to_py_date, to_py_decimal};
use crate::error::CoreResultExt;
use crate::terms::PyLoanTerms;

/// A column of a line from a mapping or an attribute; `None` when absent or `None`.
fn column<'py>(item: &Bound<'py, PyAny>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let value = if let Ok(m) = item.cast::<PyDict>() {
        m.get_item(key)?
    } else {
        item.getattr(key).ok()
    };
    Ok(value.filter(|v| !v.is_none()))
}

/// Statement lines from mappings (or objects) with `date`, `amount` and optional `interest`,
/// `principal`, `balance`.
fn lines(ob: &Bound<'_, PyAny>) -> PyResult<Vec<StatementLine>> {
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        let field = |name: &str| format!("lines[{i}].{name}");
        let required = |name: &str| {
            column(&item, name)?
                .ok_or_else(|| crate::error::validation(&field(name), "is required"))
        };
        let optional = |name: &str| -> PyResult<Option<rust_decimal::Decimal>> {
            column(&item, name)?
                .map(|v| money(&v, &field(name)))
                .transpose()
        };
        out.push(StatementLine {
            date: date(&required("date")?, &field("date"))?,
            amount: money(&required("amount")?, &field("amount"))?,
            interest: optional("interest")?,
            principal: optional("principal")?,
            balance: optional("balance")?,
        });
    }
    Ok(out)
}

fn amounts_dict<'py>(py: Python<'py>, a: &Amounts) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("expected", to_py_decimal(py, a.expected)?)?;
    d.set_item(
        "stated",
        a.stated.map(|s| to_py_decimal(py, s)).transpose()?,
    )?;
    d.set_item(
        "difference",
        a.difference.map(|s| to_py_decimal(py, s)).transpose()?,
    )?;
    Ok(d)
}

fn line_dict<'py>(py: Python<'py>, l: &LineCheck) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("line", l.line)?;
    d.set_item("date", to_py_date(py, l.date)?)?;
    d.set_item("amount", to_py_decimal(py, l.amount)?)?;
    d.set_item("interest", amounts_dict(py, &l.interest)?)?;
    d.set_item("principal", amounts_dict(py, &l.principal)?)?;
    d.set_item("balance", amounts_dict(py, &l.balance)?)?;
    d.set_item("matches", l.matches)?;
    Ok(d)
}

fn statement_line_dict<'py>(py: Python<'py>, l: &StatementLine) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("date", to_py_date(py, l.date)?)?;
    d.set_item("amount", to_py_decimal(py, l.amount)?)?;
    for (key, value) in [
        ("interest", l.interest),
        ("principal", l.principal),
        ("balance", l.balance),
    ] {
        d.set_item(key, value.map(|v| to_py_decimal(py, v)).transpose()?)?;
    }
    Ok(d)
}

fn statement_list<'py>(py: Python<'py>, lines: &[StatementLine]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for l in lines {
        list.append(statement_line_dict(py, l)?)?;
    }
    Ok(list)
}

fn report_dict<'py>(py: Python<'py>, r: &Reconciliation) -> PyResult<Bound<'py, PyDict>> {
    let c = PyDict::new(py);
    c.set_item("day_count", r.convention.day_count.to_string())?;
    c.set_item(
        "payment_day_count",
        r.convention.payment_day_count.map(|d| d.to_string()),
    )?;
    c.set_item("accrual", r.convention.accrual.to_string())?;
    c.set_item("compounding", r.convention.compounding.to_string())?;
    c.set_item("rounding", r.convention.rounding.to_string())?;
    c.set_item(
        "balance_precision",
        r.convention.balance_precision.to_string(),
    )?;
    let d = PyDict::new(py);
    d.set_item("convention", c)?;
    d.set_item("summary", &r.summary)?;
    d.set_item("explained", r.explained)?;
    d.set_item("lines_matched", r.lines_matched)?;
    d.set_item("first_unexplained_line", r.first_unexplained_line)?;
    d.set_item("equally_good", r.equally_good)?;
    d.set_item("conventions_tried", r.conventions_tried)?;
    let list = PyList::empty(py);
    for l in &r.lines {
        list.append(line_dict(py, l)?)?;
    }
    d.set_item("lines", list)?;
    Ok(d)
}

/// Reconciles a lender's statement with the terms: the convention of the grid that reproduces
/// the most lines, each line's expected vs stated amounts, and a sentence.
#[pyfunction]
pub(crate) fn reconcile<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyLoanTerms>,
    lines: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let stated = self::lines(lines)?;
    let t = &terms.get().inner;
    let report = py.detach(|| core::reconcile(t, &stated)).py()?;
    report_dict(py, &report)
}

/// Statement lines from CSV text with the given column names.
#[pyfunction]
#[pyo3(signature = (text, date, amount=None, interest=None, principal=None, balance=None, date_format="%Y-%m-%d", delimiter=","))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn statement_from_csv<'py>(
    py: Python<'py>,
    text: &str,
    date: &str,
    amount: Option<&str>,
    interest: Option<&str>,
    principal: Option<&str>,
    balance: Option<&str>,
    date_format: &str,
    delimiter: &str,
) -> PyResult<Bound<'py, PyList>> {
    let mut chars = delimiter.chars();
    let (Some(sep), None) = (chars.next(), chars.next()) else {
        return Err(crate::error::validation(
            "delimiter",
            "must be one character",
        ));
    };
    let mut mapping = CsvMapping::columns(date, amount, interest, principal, balance);
    mapping.date_format = date_format.to_string();
    mapping.delimiter = sep;
    let lines = core::csv::parse(text, &mapping).py()?;
    statement_list(py, &lines)
}

/// Statement lines from an OFX or QFX loan statement (SGML or XML).
#[pyfunction]
pub(crate) fn statement_from_ofx<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyList>> {
    let lines = core::ofx::parse(text).py()?;
    statement_list(py, &lines)
}

/// Statement lines of a loan account from Plaid's `/transactions/get` response text (and its
/// `/liabilities/get` response text to pick the account).
#[pyfunction]
#[pyo3(signature = (transactions, liabilities=None, account_id=None))]
pub(crate) fn statement_from_plaid<'py>(
    py: Python<'py>,
    transactions: &str,
    liabilities: Option<&str>,
    account_id: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let statement = core::plaid::parse(transactions, liabilities, account_id).py()?;
    statement_list(py, &statement.lines)
}
