//! `plan(debts, monthly_budget, ...)`: the core's debt payoff planner (avalanche, snowball or a
//! custom order), computed without the GIL.

use loansyncro_core::ledger::planner::{self, Baseline, Debt, PlanInput, PlanResult, Strategy};
use loansyncro_core::{Currency, Rate};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::{date, money, number, parse_enum, text, to_py_date, to_py_decimal};
use crate::error::{validation, CoreResultExt};

fn field<'py>(item: &Bound<'py, PyAny>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Ok(d) = item.cast::<PyDict>() {
        return d.get_item(name);
    }
    match item.getattr(name) {
        Ok(v) if !v.is_none() => Ok(Some(v)),
        Ok(_) => Ok(None),
        Err(_) => Ok(None),
    }
}

fn debt(item: &Bound<'_, PyAny>, i: usize) -> PyResult<Debt> {
    let f = |n: &str| format!("debts[{i}].{n}");
    let id = field(item, "id")?.ok_or_else(|| validation(&f("id"), "is required"))?;
    let id = text(&id, &f("id"))?;
    let name = match field(item, "name")? {
        Some(n) => text(&n, &f("name"))?,
        None => id.clone(),
    };
    let balance = money(
        &field(item, "balance")?.ok_or_else(|| validation(&f("balance"), "is required"))?,
        &f("balance"),
    )?;
    let minimum_payment = money(
        &field(item, "minimum_payment")?
            .ok_or_else(|| validation(&f("minimum_payment"), "is required"))?,
        &f("minimum_payment"),
    )?;
    let rename = |e: loansyncro_core::MathError| match e {
        loansyncro_core::MathError::InvalidArgument { reason, .. } => {
            loansyncro_core::Error::validation(f("annual_rate"), reason)
        }
        other => other.into(),
    };
    let annual_rate = if let Some(p) = field(item, "annual_rate_percent")? {
        Rate::from_percent(number(&p, &f("annual_rate_percent"))?)
            .map_err(rename)
            .py()?
    } else if let Some(r) = field(item, "annual_rate")? {
        Rate::from_fraction(number(&r, &f("annual_rate"))?)
            .map_err(rename)
            .py()?
    } else {
        return Err(validation(&f("annual_rate_percent"), "is required"));
    };
    Ok(Debt {
        id,
        name,
        balance,
        annual_rate,
        minimum_payment,
    })
}

/// The outcome of a payoff plan.
#[pyclass(frozen, module = "loansyncro", name = "PayoffPlan")]
#[derive(Debug, Clone)]
pub(crate) struct PyPayoffPlan {
    pub(crate) inner: PlanResult,
}

#[pymethods]
impl PyPayoffPlan {
    /// `'avalanche'`, `'snowball'` or `'custom'`.
    #[getter]
    fn strategy(&self) -> &'static str {
        self.inner.strategy.name()
    }
    #[getter]
    fn currency(&self) -> String {
        self.inner.currency.code().to_owned()
    }
    #[getter]
    fn months_to_debt_free(&self) -> u32 {
        self.inner.months_to_debt_free
    }
    #[getter]
    fn debt_free_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_date(py, self.inner.debt_free_date)
    }
    #[getter]
    fn total_interest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.total_interest)
    }
    #[getter]
    fn total_paid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.total_paid)
    }
    /// `None` when paying the minimums only never clears the debts.
    #[getter]
    fn interest_saved<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .interest_saved
            .map(|d| to_py_decimal(py, d))
            .transpose()
    }
    #[getter]
    fn months_saved(&self) -> Option<i64> {
        self.inner.months_saved
    }
    /// Per debt, in input order: dicts with `id`, `name`, `payoff_month`, `payoff_date`,
    /// `total_interest`, `total_paid`.
    #[getter]
    fn debts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for d in &self.inner.debts {
            let x = PyDict::new(py);
            x.set_item("id", &d.id)?;
            x.set_item("name", &d.name)?;
            x.set_item("payoff_month", d.payoff_month)?;
            x.set_item("payoff_date", to_py_date(py, d.payoff_date)?)?;
            x.set_item("total_interest", to_py_decimal(py, d.total_interest)?)?;
            x.set_item("total_paid", to_py_decimal(py, d.total_paid)?)?;
            list.append(x)?;
        }
        Ok(list)
    }
    /// Paying the minimums only: `{'kind': 'paid_off', 'months', 'debt_free_date',
    /// 'total_interest', 'total_paid'}` or `{'kind': 'unbounded', 'debt_ids': [...]}`.
    #[getter]
    fn baseline<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let x = PyDict::new(py);
        match &self.inner.baseline {
            Baseline::PaidOff {
                months,
                debt_free_date,
                total_interest,
                total_paid,
            } => {
                x.set_item("kind", "paid_off")?;
                x.set_item("months", months)?;
                x.set_item("debt_free_date", to_py_date(py, *debt_free_date)?)?;
                x.set_item("total_interest", to_py_decimal(py, *total_interest)?)?;
                x.set_item("total_paid", to_py_decimal(py, *total_paid)?)?;
            }
            Baseline::Unbounded { debt_ids } => {
                x.set_item("kind", "unbounded")?;
                x.set_item("debt_ids", debt_ids.clone())?;
            }
        }
        Ok(x)
    }
    /// One dict per month: `month`, `date`, `balance`, `interest`, `paid`,
    /// `cumulative_interest`, `balances` (per debt, input order).
    #[getter]
    fn months<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for m in &self.inner.months {
            let x = PyDict::new(py);
            x.set_item("month", m.month)?;
            x.set_item("date", to_py_date(py, m.date)?)?;
            x.set_item("balance", to_py_decimal(py, m.balance)?)?;
            x.set_item("interest", to_py_decimal(py, m.interest)?)?;
            x.set_item("paid", to_py_decimal(py, m.paid)?)?;
            x.set_item(
                "cumulative_interest",
                to_py_decimal(py, m.cumulative_interest)?,
            )?;
            let balances = PyList::empty(py);
            for b in &m.balances {
                balances.append(to_py_decimal(py, *b)?)?;
            }
            x.set_item("balances", balances)?;
            list.append(x)?;
        }
        Ok(list)
    }
    fn __repr__(&self) -> String {
        format!(
            "PayoffPlan(strategy='{}', months_to_debt_free={}, total_interest={})",
            self.strategy(),
            self.inner.months_to_debt_free,
            self.inner.total_interest
        )
    }
}

/// `'avalanche'` (also the default), `'snowball'`, or an iterable of debt ids (a custom order).
pub(crate) fn parse_strategy(strategy: Option<&Bound<'_, PyAny>>) -> PyResult<Strategy> {
    Ok(match strategy {
        None => Strategy::Avalanche,
        Some(s) if s.is_instance_of::<PyString>() => parse_enum::<Strategy>(s, "strategy")?,
        Some(order) => Strategy::Custom(
            order
                .try_iter()?
                .map(|x| text(&x?, "strategy"))
                .collect::<PyResult<Vec<_>>>()?,
        ),
    })
}

/// Pays several debts from one monthly budget (avalanche, snowball or a custom order of ids) and
/// compares with paying the minimums only.
#[pyfunction]
#[pyo3(signature = (debts, monthly_budget, *, start, strategy=None, currency=None))]
pub(crate) fn plan(
    py: Python<'_>,
    debts: &Bound<'_, PyAny>,
    monthly_budget: &Bound<'_, PyAny>,
    start: &Bound<'_, PyAny>,
    strategy: Option<&Bound<'_, PyAny>>,
    currency: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPayoffPlan> {
    let debts = debts
        .try_iter()?
        .enumerate()
        .map(|(i, d)| debt(&d?, i))
        .collect::<PyResult<Vec<_>>>()?;
    let strategy = parse_strategy(strategy)?;
    let currency = match currency {
        Some(c) => parse_enum::<Currency>(c, "currency")?,
        None => Currency::default(),
    };
    let input = PlanInput {
        currency,
        debts,
        monthly_budget: money(monthly_budget, "monthly_budget")?,
        strategy,
        start: date(start, "start")?,
    };
    let result = py.detach(|| planner::plan(&input)).py()?;
    Ok(PyPayoffPlan { inner: result })
}
