//! `postings(terms, repayments, ...)` and `postings_records(...)`: the core's
//! `ledger::postings`, a loan's repayments as balanced double-entry transactions (beancount,
//! hledger/ledger journal, CSV; or the transactions as dicts).

use loansyncro_core::ledger::postings::{
    journal, Accounts, Format, Journal, JournalOptions, Payment, Scope,
};
use loansyncro_core::Error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::convert::{date, money, parse_enum, text, to_py_date, to_py_decimal};
use crate::error::{validation, CoreResultExt};
use crate::terms::PyLoanTerms;

/// An optional item of a mapping or attribute of an object.
fn optional<'py>(item: &Bound<'py, PyAny>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let found = if let Ok(m) = item.cast::<PyDict>() {
        m.get_item(key)?
    } else if item.hasattr(key)? {
        Some(item.getattr(key)?)
    } else {
        None
    };
    Ok(found.filter(|v| !v.is_none()))
}

/// Repayments: `(date, amount)` pairs, mappings or objects with `date` and `amount` and
/// optionally `fees`, `escrow` and `memo` (or `notes`, as `loansyncro.RepaymentRecord` has).
pub(crate) fn payments(ob: &Bound<'_, PyAny>) -> PyResult<Vec<Payment>> {
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        let field = |name: &str| format!("repayments[{i}].{name}");
        if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(validation(
                    &format!("repayments[{i}]"),
                    "must be a (date, amount) pair",
                ));
            }
            out.push(Payment::new(
                date(&t.get_item(0)?, &field("date"))?,
                money(&t.get_item(1)?, &field("amount"))?,
            ));
            continue;
        }
        let required = |name: &str| {
            optional(&item, name)?.ok_or_else(|| validation(&field(name), "is required"))
        };
        let mut p = Payment::new(
            date(&required("date")?, &field("date"))?,
            money(&required("amount")?, &field("amount"))?,
        );
        if let Some(v) = optional(&item, "fees")? {
            p.fees = money(&v, &field("fees"))?;
        }
        if let Some(v) = optional(&item, "escrow")? {
            p.escrow = money(&v, &field("escrow"))?;
        }
        if let Some(v) = optional(&item, "memo")?.or(optional(&item, "notes")?) {
            p.memo = text(&v, &field("memo"))?;
        }
        out.push(p);
    }
    Ok(out)
}

/// The options: accounts from `name` and the `accounts` mapping (keys `liability`,
/// `interest`, `cash`, `disbursement`, `fees`, `escrow`).
pub(crate) fn options(
    scope: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
    name: &str,
    accounts: Option<&Bound<'_, PyDict>>,
    payee: Option<String>,
) -> PyResult<JournalOptions> {
    let mut a = Accounts::for_loan(name);
    if let Some(given) = accounts {
        for (k, v) in given.iter() {
            let key = text(&k, "accounts")?;
            let field = format!("accounts.{key}");
            let slot = match key.as_str() {
                "liability" => &mut a.liability,
                "interest" => &mut a.interest,
                "cash" => &mut a.cash,
                "disbursement" => &mut a.disbursement,
                "fees" => &mut a.fees,
                "escrow" => &mut a.escrow,
                _ => {
                    return Err(validation(
                        &field,
                        "is not an account role (liability, interest, cash, disbursement, fees, escrow)",
                    ))
                }
            };
            *slot = text(&v, &field)?;
        }
    }
    Ok(JournalOptions {
        accounts: a,
        scope: scope
            .map(|s| parse_enum::<Scope>(s, "scope"))
            .transpose()?
            .unwrap_or_default(),
        as_of: as_of.map(|d| date(d, "as_of")).transpose()?,
        payee: Some(payee.unwrap_or_else(|| name.to_owned())),
    })
}

fn build(
    py: Python<'_>,
    terms: &Bound<'_, PyLoanTerms>,
    repayments: &Bound<'_, PyAny>,
    options: &JournalOptions,
) -> PyResult<Journal> {
    let paid = payments(repayments)?;
    let t = &terms.get().inner;
    py.detach(|| journal(t, &paid, options))
        .map_err(|e| match e {
            // The core names the list `payments`; here it is the argument `repayments`.
            Error::Validation { field, reason } => match field.strip_prefix("payments[") {
                Some(rest) => Error::validation(format!("repayments[{rest}"), reason),
                None => Error::Validation { field, reason },
            },
            other => other,
        })
        .py()
}

/// The loan's transactions as text: `format` is `"beancount"` (default), `"ledger"`
/// (hledger/ledger journal; alias `"hledger"`) or `"csv"`.
///
/// `repayments`: `(date, amount)` pairs, or mappings/objects with `date`, `amount` and
/// optionally `fees`, `escrow` (own legs) and `memo`/`notes`. `scope`: `"actual"` (default),
/// `"planned"` (the schedule) or `"projected"`. Accounts default from `name`
/// (`Liabilities:Loans:<name>`, `Expenses:Interest:<name>`, `Assets:Checking`, ...); override
/// any of them with `accounts={"cash": "Assets:Bank", ...}`.
#[pyfunction]
#[pyo3(signature = (terms, repayments, *, format=None, scope=None, as_of=None, name="Loan", accounts=None, payee=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn postings(
    py: Python<'_>,
    terms: &Bound<'_, PyLoanTerms>,
    repayments: &Bound<'_, PyAny>,
    format: Option<&Bound<'_, PyAny>>,
    scope: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
    name: &str,
    accounts: Option<&Bound<'_, PyDict>>,
    payee: Option<String>,
) -> PyResult<String> {
    let format = format
        .map(|f| parse_enum::<Format>(f, "format"))
        .transpose()?
        .unwrap_or(Format::Beancount);
    let options = options(scope, as_of, name, accounts, payee)?;
    Ok(build(py, terms, repayments, &options)?.render(format))
}

/// The loan's transactions as dicts (`date`, `kind`, `pending`, `payee`, `narration`,
/// `postings`: a list of `{"account", "amount"}` with `Decimal` amounts), in date order.
/// Arguments as [`postings`].
#[pyfunction]
#[pyo3(signature = (terms, repayments, *, scope=None, as_of=None, name="Loan", accounts=None, payee=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn postings_records<'py>(
    py: Python<'py>,
    terms: &Bound<'py, PyLoanTerms>,
    repayments: &Bound<'py, PyAny>,
    scope: Option<&Bound<'py, PyAny>>,
    as_of: Option<&Bound<'py, PyAny>>,
    name: &str,
    accounts: Option<&Bound<'py, PyDict>>,
    payee: Option<String>,
) -> PyResult<Bound<'py, PyList>> {
    let options = options(scope, as_of, name, accounts, payee)?;
    let j = build(py, terms, repayments, &options)?;
    let out = PyList::empty(py);
    for t in &j.transactions {
        let d = PyDict::new(py);
        d.set_item("date", to_py_date(py, t.date)?)?;
        d.set_item("kind", t.kind.as_str())?;
        d.set_item("pending", t.pending)?;
        d.set_item("payee", &t.payee)?;
        d.set_item("narration", &t.narration)?;
        let legs = PyList::empty(py);
        for p in &t.postings {
            let leg = PyDict::new(py);
            leg.set_item("account", &p.account)?;
            leg.set_item("amount", to_py_decimal(py, p.amount)?)?;
            legs.append(leg)?;
        }
        d.set_item("postings", legs)?;
        out.append(d)?;
    }
    Ok(out)
}
