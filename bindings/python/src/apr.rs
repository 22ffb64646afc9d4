//! `apr(advances, payments, unit_period)` (Regulation Z Appendix J) and
//! `effective_annual_rate(nominal, m)`.

use loansyncro_core::finance::apr::{self as core_apr, CashFlow, UnitPeriod};
use pyo3::prelude::*;

use crate::convert::{count, money, number, parse_enum, to_py_decimal};
use crate::error::CoreResultExt;
use crate::ledger::payments;

fn flows(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<CashFlow>> {
    Ok(payments(ob, field)?
        .into_iter()
        .map(|p| CashFlow {
            date: p.date,
            amount: p.amount,
        })
        .collect())
}

/// The APR as a fraction (`0.0969` is 9.69%) of advances and payments, each a sequence of
/// `(date, amount)` pairs. `unit_period`: `'month'`, `'quarter'`, `'year'`, `'week'`,
/// `'semi-month'`, `'N days'`, ... or `'term'` (a single advance repaid by a single payment:
/// the term is the unit period, Appendix J (b)(5)(iv)).
#[pyfunction]
#[pyo3(signature = (advances, payments, unit_period="month", prepaid_finance_charge=None))]
pub(crate) fn apr<'py>(
    py: Python<'py>,
    advances: &Bound<'py, PyAny>,
    payments: &Bound<'py, PyAny>,
    unit_period: &str,
    prepaid_finance_charge: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let advances = flows(advances, "advances")?;
    let payments = flows(payments, "payments")?;
    let unit = if unit_period.trim() == "term" {
        match (advances.first(), payments.first()) {
            (Some(a), Some(p)) => UnitPeriod::term(a.date, p.date).py()?,
            _ => UnitPeriod::Months(1),
        }
    } else {
        let ob = pyo3::types::PyString::new(py, unit_period);
        parse_enum::<UnitPeriod>(ob.as_any(), "unit_period")?
    };
    let fee = prepaid_finance_charge
        .map(|f| money(f, "prepaid_finance_charge"))
        .transpose()?
        .unwrap_or_default();
    let r = py
        .detach(|| core_apr::apr_with_prepaid_finance_charge(&advances, &payments, unit, fee))
        .py()?;
    to_py_decimal(py, r)
}

/// `(1 + nominal/m)^m - 1` (fractions: 0.12 is 12%).
#[pyfunction]
pub(crate) fn effective_annual_rate<'py>(
    py: Python<'py>,
    nominal: &Bound<'py, PyAny>,
    m: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let r = core_apr::effective_annual_rate(number(nominal, "nominal")?, count(m, "m")?).py()?;
    to_py_decimal(py, r)
}
