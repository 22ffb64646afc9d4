//! `corrected_position(terms, repayments, statements, as_of)` and
//! `compare_biweekly(terms, day_count=None)`: balance corrections replayed with the repayments
//! (`loansyncro_core::ledger::{booked_adjustment, adjusted_position}`) and the biweekly
//! comparison (`loansyncro_core::schedule::biweekly`).

use chrono::NaiveDate;
use loansyncro_core::ledger::{adjusted_position, booked_adjustment, LedgerAdjustment};
use loansyncro_core::math::calendar::DayCount;
use loansyncro_core::schedule::biweekly::{
    compare_biweekly as compare, BiweeklyOption, PlanSummary,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use rust_decimal::Decimal;

use crate::convert::{date, money, parse_enum, to_py_date, to_py_decimal};
use crate::error::{validation, CoreResultExt};
use crate::ledger::{payments, PyPosition};
use crate::terms::PyLoanTerms;

/// Stated balances from `(date, stated_balance)` pairs or mappings with `date` and
/// `stated_balance` (not before `start`, not negative), sorted by date (stable).
fn statements(ob: &Bound<'_, PyAny>, start: NaiveDate) -> PyResult<Vec<(NaiveDate, Decimal)>> {
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        let field = |name: &str| format!("statements[{i}].{name}");
        let (d, b) = if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(validation(
                    &format!("statements[{i}]"),
                    "must be a (date, stated_balance) pair",
                ));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(m) = item.cast::<PyDict>() {
            (
                m.get_item("date")?
                    .ok_or_else(|| validation(&field("date"), "is required"))?,
                m.get_item("stated_balance")?
                    .ok_or_else(|| validation(&field("stated_balance"), "is required"))?,
            )
        } else {
            (item.getattr("date")?, item.getattr("stated_balance")?)
        };
        let balance = money(&b, &field("stated_balance"))?;
        if balance < Decimal::ZERO {
            return Err(validation(&field("stated_balance"), "must not be negative"));
        }
        let on = date(&d, &field("date"))?;
        if on < start {
            return Err(validation(
                &field("date"),
                format!("{on} is before the loan start {start}"),
            ));
        }
        out.push((on, balance));
    }
    out.sort_by_key(|(d, _)| *d);
    Ok(out)
}

/// The position on `as_of` after the repayments and the lender's stated balances: each
/// statement, in date order, is booked as the adjustment `stated - engine balance on its date`
/// (the earlier ones applied). A dict with `position` (a `Position`: its paid totals are the
/// repayments only), `adjustments` (a list of dicts `date`, `stated_balance`, `adjustment`) and
/// `adjustments_total` (the net applied up to `as_of`).
#[pyfunction]
pub(crate) fn corrected_position<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyLoanTerms>,
    repayments: &Bound<'py, PyAny>,
    statements: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let paid = payments(repayments, "repayments")?;
    let on = date(as_of, "as_of")?;
    let t = &terms.get().inner;
    let stated = self::statements(statements, t.start())?;
    let (booked, position) = py
        .detach(|| -> loansyncro_core::Result<_> {
            let mut booked: Vec<LedgerAdjustment> = Vec::with_capacity(stated.len());
            for &(d, balance) in &stated {
                let a = booked_adjustment(t, &paid, &booked, d, balance)?;
                booked.push(a);
            }
            let position = adjusted_position(t, &paid, &booked, on)?;
            Ok((booked, position))
        })
        .py()?;
    let list = PyList::empty(py);
    for (a, (_, balance)) in booked.iter().zip(&stated) {
        let d = PyDict::new(py);
        d.set_item("date", to_py_date(py, a.date)?)?;
        d.set_item("stated_balance", to_py_decimal(py, *balance)?)?;
        d.set_item("adjustment", to_py_decimal(py, a.amount)?)?;
        list.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item(
        "position",
        Bound::new(
            py,
            PyPosition {
                inner: position.position,
            },
        )?,
    )?;
    out.set_item("adjustments", list)?;
    out.set_item(
        "adjustments_total",
        to_py_decimal(py, position.adjustments)?,
    )?;
    Ok(out)
}

fn plan_dict<'py>(py: Python<'py>, p: &PlanSummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("frequency", p.frequency.to_string())?;
    d.set_item("payment", to_py_decimal(py, p.payment)?)?;
    d.set_item("installments", p.installments)?;
    d.set_item("total_paid", to_py_decimal(py, p.total_paid)?)?;
    d.set_item("total_interest", to_py_decimal(py, p.total_interest)?)?;
    d.set_item("payoff_date", to_py_date(py, p.payoff_date)?)?;
    Ok(d)
}

fn option_dict<'py>(py: Python<'py>, o: &BiweeklyOption) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("plan", plan_dict(py, &o.plan)?)?;
    d.set_item("interest_saved", to_py_decimal(py, o.interest_saved)?)?;
    d.set_item("days_saved", o.days_saved)?;
    Ok(d)
}

/// Monthly vs biweekly (`monthly × 12 / 26` every 14 days) vs accelerated biweekly
/// (`monthly / 2` every 14 days) for monthly level-installment `terms`: a dict with
/// `day_count`, `monthly`, `biweekly`, `accelerated` (each plan: `frequency`, `payment`,
/// `installments`, `total_paid`, `total_interest`, `payoff_date`; the biweekly ones under
/// `plan` with `interest_saved` and `days_saved`). Biweekly periods bear the annual rate ×
/// 14 / 365 by default (`day_count="actual/365F"`).
#[pyfunction]
#[pyo3(signature = (terms, day_count=None))]
pub(crate) fn compare_biweekly<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyLoanTerms>,
    day_count: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let day_count = day_count
        .map(|d| parse_enum::<DayCount>(d, "day_count"))
        .transpose()?;
    let t = &terms.get().inner;
    let c = py.detach(|| compare(t, day_count)).py()?;
    let d = PyDict::new(py);
    d.set_item("day_count", c.day_count.to_string())?;
    d.set_item("monthly", plan_dict(py, &c.monthly)?)?;
    d.set_item("biweekly", option_dict(py, &c.biweekly)?)?;
    d.set_item("accelerated", option_dict(py, &c.accelerated)?)?;
    Ok(d)
}

// ---------------------------------------------------------------------------------------------
// Stored corrections (the Portfolio's methods build their answers here)
// ---------------------------------------------------------------------------------------------

/// A stored correction as a dict: `id`, `loan_id`, `date`, `stated_balance`, `adjustment`,
/// `reason`, `idempotency_key`.
fn correction_dict<'py>(
    py: Python<'py>,
    c: &loansyncro_core::domain::correction::BalanceCorrection,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", c.id.as_str())?;
    d.set_item("loan_id", c.loan_id.as_str())?;
    d.set_item("date", to_py_date(py, c.date)?)?;
    d.set_item("stated_balance", to_py_decimal(py, c.stated_balance)?)?;
    d.set_item("adjustment", to_py_decimal(py, c.amount)?)?;
    d.set_item("reason", c.reason.as_str())?;
    d.set_item("idempotency_key", c.idempotency_key.as_deref())?;
    Ok(d)
}

/// The answer of `Portfolio.book_correction`: `correction`, `position` (on its date),
/// `adjustments_total`, `replayed`.
pub(crate) fn outcome_dict<'py>(
    py: Python<'py>,
    o: loansyncro_core::app::corrections::CorrectionOutcome,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("correction", correction_dict(py, &o.correction)?)?;
    d.set_item(
        "position",
        Bound::new(
            py,
            PyPosition {
                inner: o.position.position,
            },
        )?,
    )?;
    d.set_item(
        "adjustments_total",
        to_py_decimal(py, o.position.adjustments)?,
    )?;
    d.set_item("replayed", o.replayed)?;
    Ok(d)
}

/// The answer of `Portfolio.corrections` and `Portfolio.delete_correction`: `corrections`,
/// `position`, `adjustments_total`.
pub(crate) fn ledger_dict<'py>(
    py: Python<'py>,
    l: loansyncro_core::app::corrections::CorrectedLedger,
) -> PyResult<Bound<'py, PyDict>> {
    let list = PyList::empty(py);
    for c in &l.corrections {
        list.append(correction_dict(py, c)?)?;
    }
    let d = PyDict::new(py);
    d.set_item("corrections", list)?;
    d.set_item(
        "position",
        Bound::new(
            py,
            PyPosition {
                inner: l.position.position,
            },
        )?,
    )?;
    d.set_item(
        "adjustments_total",
        to_py_decimal(py, l.position.adjustments)?,
    )?;
    Ok(d)
}

/// The command of `Portfolio.book_correction`.
pub(crate) fn correction_command(
    on: &Bound<'_, PyAny>,
    stated_balance: &Bound<'_, PyAny>,
    reason: &str,
    idempotency_key: Option<String>,
) -> PyResult<loansyncro_core::domain::correction::NewCorrection> {
    let mut command = loansyncro_core::domain::correction::NewCorrection::new(
        date(on, "on")?,
        money(stated_balance, "stated_balance")?,
        reason,
    );
    command.idempotency_key = idempotency_key;
    Ok(command)
}

/// The loan's actual postings with the lender's stated balances booked (as
/// [`corrected_position`]) and each adjustment posted as its own transaction between the
/// liability and `adjustments_account` (default `Equity:Adjustments:<name>`): text in
/// `format` like `postings`. Repayments, `as_of`, `name`, `accounts` and `payee` as
/// `postings` (actual scope).
#[pyfunction]
#[pyo3(signature = (terms, repayments, statements, *, format=None, as_of=None, name="Loan", accounts=None, payee=None, adjustments_account=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn corrected_postings(
    py: Python<'_>,
    terms: &Bound<'_, PyLoanTerms>,
    repayments: &Bound<'_, PyAny>,
    statements: &Bound<'_, PyAny>,
    format: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
    name: &str,
    accounts: Option<&Bound<'_, PyDict>>,
    payee: Option<String>,
    adjustments_account: Option<String>,
) -> PyResult<String> {
    use loansyncro_core::ledger::postings::{
        adjusted_journal, default_adjustments_account, Format,
    };
    let format = format
        .map(|f| parse_enum::<Format>(f, "format"))
        .transpose()?
        .unwrap_or(Format::Beancount);
    let options = crate::postings::options(None, as_of, name, accounts, payee)?;
    let paid = crate::postings::payments(repayments)?;
    let t = &terms.get().inner;
    let stated = self::statements(statements, t.start())?;
    let account = adjustments_account.unwrap_or_else(|| default_adjustments_account(name));
    let ledger: Vec<_> = paid
        .iter()
        .map(|p| loansyncro_core::ledger::LedgerPayment {
            date: p.date,
            amount: p.amount,
        })
        .collect();
    let journal = py
        .detach(|| -> loansyncro_core::Result<_> {
            let mut booked: Vec<LedgerAdjustment> = Vec::with_capacity(stated.len());
            for &(d, balance) in &stated {
                booked.push(booked_adjustment(t, &ledger, &booked, d, balance)?);
            }
            adjusted_journal(t, &paid, &booked, &options, &account)
        })
        .py()?;
    Ok(journal.render(format))
}
