//! `Portfolio`: the whole LoanSyncro service for one implicit owner, in memory or in a SQLite
//! file (`Portfolio.open(path)`): loans, repayments, positions, the per-currency summary,
//! repayments grouped by loan and the payoff planner.
//!
//! It wraps the synchronous facade `loansyncro_memory::embedded::Tracker` (the core's
//! `LoanService` over the in-memory or the SQLite adapter): every rule (ledger replay, overpayment, status
//! machine, idempotency, summaries, planner) lives there; this file only converts arguments and
//! results and releases the GIL around every call. The tracker is `Sync` (its store is behind a
//! lock), so the class is shareable between Python threads.

use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::ports::LoanQuery;
use loansyncro_core::app::service::{
    LedgerOutcome, LoanView, PlanRequest, RepaymentFilter, RepaymentOutcome, StatusChange,
    StatusUpdate,
};
use loansyncro_core::domain::loan::{Loan, LoanId, NewLoan};
use loansyncro_core::domain::portfolio::{CurrencySummary, LoanRepayments};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::domain::status::{LoanStatus, TransitionReason};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::Currency;
use loansyncro_memory::embedded::Tracker;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rust_decimal::Decimal;

use crate::convert::{date, money, parse_enum, to_py_date, to_py_decimal, to_py_opt_date};
use crate::error::CoreResultExt;
use crate::ledger::{frames, PyPosition};
use crate::planner::{parse_strategy, PyPayoffPlan};
use crate::terms::PyLoanTerms;

fn dec(py: Python<'_>, d: Decimal) -> PyResult<Bound<'_, PyAny>> {
    to_py_decimal(py, d)
}

fn datetime(py: Python<'_>, t: DateTime<Utc>) -> PyResult<Bound<'_, PyAny>> {
    Ok(t.into_pyobject(py)?.into_any())
}

fn loan_id(id: &str) -> PyResult<LoanId> {
    LoanId::new(id).py()
}

fn repayment_id(id: &str) -> PyResult<RepaymentId> {
    RepaymentId::new(id).py()
}

fn opt_date(ob: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<NaiveDate>> {
    match ob {
        Some(o) if !o.is_none() => Ok(Some(date(o, field)?)),
        _ => Ok(None),
    }
}

fn repayment_command(
    amount: &Bound<'_, PyAny>,
    on: &Bound<'_, PyAny>,
    notes: &str,
    idempotency_key: Option<String>,
) -> PyResult<NewRepayment> {
    let mut command =
        NewRepayment::new(money(amount, "amount")?, date(on, "date")?).with_notes(notes);
    if let Some(key) = idempotency_key {
        command = command.with_idempotency_key(key);
    }
    Ok(command)
}

// ---------------------------------------------------------------------------------- results

/// A stored loan with its repayment aggregates (as of `position_as_of`, the date of its last
/// ledger write) and the figures derived from its terms.
#[pyclass(frozen, module = "loansyncro", name = "Loan")]
#[derive(Debug, Clone)]
pub(crate) struct PyLoan {
    inner: Loan,
}

#[pymethods]
impl PyLoan {
    #[getter]
    fn id(&self) -> &str {
        self.inner.id().as_str()
    }
    #[getter]
    fn owner(&self) -> &str {
        self.inner.owner().as_str()
    }
    #[getter]
    fn title(&self) -> &str {
        self.inner.title()
    }
    #[getter]
    fn description(&self) -> &str {
        self.inner.description()
    }
    #[getter]
    fn terms(&self) -> PyLoanTerms {
        PyLoanTerms {
            inner: self.inner.terms().clone(),
        }
    }
    /// `'active'`, `'paid'` or `'defaulted'`.
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status().as_str()
    }
    #[getter]
    fn version(&self) -> u64 {
        self.inner.version()
    }
    #[getter]
    fn created_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.created_at())
    }
    #[getter]
    fn updated_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.updated_at())
    }
    #[getter]
    fn currency(&self) -> String {
        self.inner.terms().currency().code().to_owned()
    }
    #[getter]
    fn principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.terms().principal())
    }
    /// The regular installment of the schedule (derived from the terms on read).
    #[getter]
    fn installment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.view(py)?.installment)
    }
    /// Σ of the scheduled installments (derived from the terms on read).
    #[getter]
    fn total_scheduled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.view(py)?.total_scheduled)
    }
    /// Σ of the scheduled interest (derived from the terms on read).
    #[getter]
    fn total_interest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.view(py)?.total_interest)
    }
    #[getter]
    fn total_repaid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().total_repaid)
    }
    #[getter]
    fn repayment_count(&self) -> u32 {
        self.inner.aggregates().repayment_count
    }
    #[getter]
    fn last_payment_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_opt_date(py, self.inner.aggregates().last_payment_date)
    }
    /// The date the stored figures below were replayed on.
    #[getter]
    fn position_as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_opt_date(py, self.inner.aggregates().position_as_of)
    }
    #[getter]
    fn principal_paid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().principal_paid)
    }
    #[getter]
    fn interest_paid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().interest_paid)
    }
    #[getter]
    fn principal_outstanding<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().principal_outstanding)
    }
    #[getter]
    fn amount_due<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().amount_due)
    }
    #[getter]
    fn payoff_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().payoff_amount)
    }
    #[getter]
    fn remaining_scheduled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.aggregates().remaining_scheduled)
    }
    fn __repr__(&self) -> String {
        let l = &self.inner;
        format!(
            "Loan(id={:?}, title={:?}, status='{}', principal={} {}, principal_outstanding={}, repayment_count={})",
            l.id().as_str(),
            l.title(),
            l.status(),
            l.terms().principal(),
            l.terms().currency().code(),
            l.aggregates().principal_outstanding,
            l.aggregates().repayment_count
        )
    }
}

impl PyLoan {
    fn view(&self, py: Python<'_>) -> PyResult<LoanView> {
        let loan = self.inner.clone();
        py.detach(|| LoanView::new(loan)).py()
    }
}

/// A recorded repayment. It has `date` and `amount`, so a list of them can be passed to
/// `loansyncro.position`.
#[pyclass(frozen, module = "loansyncro", name = "RepaymentRecord")]
#[derive(Debug, Clone)]
pub(crate) struct PyRepaymentRecord {
    inner: Repayment,
}

#[pymethods]
impl PyRepaymentRecord {
    #[getter]
    fn id(&self) -> &str {
        self.inner.id.as_str()
    }
    #[getter]
    fn loan_id(&self) -> &str {
        self.inner.loan_id.as_str()
    }
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.amount)
    }
    #[getter]
    fn date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_date(py, self.inner.date)
    }
    #[getter]
    fn notes(&self) -> &str {
        &self.inner.notes
    }
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.inner.idempotency_key.as_deref()
    }
    #[getter]
    fn created_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.created_at)
    }
    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "RepaymentRecord(id={:?}, loan_id={:?}, amount={}, date={})",
            r.id.as_str(),
            r.loan_id.as_str(),
            r.amount,
            r.date
        )
    }
}

fn records<'py>(py: Python<'py>, list: Vec<Repayment>) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for r in list {
        out.append(PyRepaymentRecord { inner: r })?;
    }
    Ok(out)
}

/// A status change and why it happened.
#[pyclass(frozen, module = "loansyncro", name = "StatusChange")]
#[derive(Debug, Clone)]
pub(crate) struct PyStatusChange {
    inner: StatusChange,
}

#[pymethods]
impl PyStatusChange {
    /// The status before (named like `InvalidTransition.from_status`).
    #[getter]
    #[allow(clippy::wrong_self_convention)]
    fn from_status(&self) -> &'static str {
        self.inner.from.as_str()
    }
    #[getter]
    fn to_status(&self) -> &'static str {
        self.inner.to.as_str()
    }
    /// `'closed'`, `'balance_reappeared'`, `'defaulted_by_owner'`, `'past_due_threshold'` or
    /// `'cured'`.
    #[getter]
    fn reason(&self) -> &'static str {
        self.inner.reason.name()
    }
    /// Days past due for `'past_due_threshold'`, else `None`.
    #[getter]
    fn days_past_due(&self) -> Option<u32> {
        match self.inner.reason {
            TransitionReason::PastDueThreshold { days_past_due } => Some(days_past_due),
            _ => None,
        }
    }
    fn __repr__(&self) -> String {
        format!(
            "StatusChange(from_status='{}', to_status='{}', reason='{}')",
            self.from_status(),
            self.to_status(),
            self.reason()
        )
    }
}

fn change(c: Option<StatusChange>) -> Option<PyStatusChange> {
    c.map(|inner| PyStatusChange { inner })
}

/// The result of recording or editing a repayment.
#[pyclass(frozen, module = "loansyncro", name = "RepaymentOutcome")]
#[derive(Debug, Clone)]
pub(crate) struct PyRepaymentOutcome {
    inner: RepaymentOutcome,
}

#[pymethods]
impl PyRepaymentOutcome {
    /// The repayment as stored (for a replayed idempotent retry: the first one).
    #[getter]
    fn repayment(&self) -> PyRepaymentRecord {
        PyRepaymentRecord {
            inner: self.inner.repayment.clone(),
        }
    }
    #[getter]
    fn loan(&self) -> PyLoan {
        PyLoan {
            inner: self.inner.loan.clone(),
        }
    }
    /// The loan's replayed position on the ledger date.
    #[getter]
    fn position(&self) -> PyPosition {
        PyPosition {
            inner: self.inner.position.clone(),
        }
    }
    #[getter]
    fn transition(&self) -> Option<PyStatusChange> {
        change(self.inner.transition)
    }
    /// Whether this is the first result returned again for a reused idempotency key.
    #[getter]
    fn replayed(&self) -> bool {
        self.inner.replayed
    }
    fn __repr__(&self) -> String {
        format!(
            "RepaymentOutcome(repayment_id={:?}, loan_status='{}', replayed={})",
            self.inner.repayment.id.as_str(),
            self.inner.loan.status(),
            if self.inner.replayed { "True" } else { "False" }
        )
    }
}

/// The result of deleting a repayment: the loan, its replayed position and the status change.
#[pyclass(frozen, module = "loansyncro", name = "LedgerOutcome")]
#[derive(Debug, Clone)]
pub(crate) struct PyLedgerOutcome {
    inner: LedgerOutcome,
}

#[pymethods]
impl PyLedgerOutcome {
    #[getter]
    fn loan(&self) -> PyLoan {
        PyLoan {
            inner: self.inner.loan.clone(),
        }
    }
    #[getter]
    fn position(&self) -> PyPosition {
        PyPosition {
            inner: self.inner.position.clone(),
        }
    }
    #[getter]
    fn transition(&self) -> Option<PyStatusChange> {
        change(self.inner.transition)
    }
    fn __repr__(&self) -> String {
        format!(
            "LedgerOutcome(loan_id={:?}, loan_status='{}')",
            self.inner.loan.id().as_str(),
            self.inner.loan.status()
        )
    }
}

/// The result of `set_defaulted` or `cure`.
#[pyclass(frozen, module = "loansyncro", name = "StatusUpdate")]
#[derive(Debug, Clone)]
pub(crate) struct PyStatusUpdate {
    inner: StatusUpdate,
}

#[pymethods]
impl PyStatusUpdate {
    #[getter]
    fn loan(&self) -> PyLoan {
        PyLoan {
            inner: self.inner.loan.clone(),
        }
    }
    #[getter]
    fn change(&self) -> PyStatusChange {
        PyStatusChange {
            inner: self.inner.change,
        }
    }
    fn __repr__(&self) -> String {
        format!(
            "StatusUpdate(loan_id={:?}, change={})",
            self.inner.loan.id().as_str(),
            self.change().__repr__()
        )
    }
}

/// The portfolio figures of one currency (amounts are never added across currencies).
#[pyclass(frozen, module = "loansyncro", name = "CurrencySummary")]
#[derive(Debug, Clone)]
pub(crate) struct PyCurrencySummary {
    inner: CurrencySummary,
}

#[pymethods]
impl PyCurrencySummary {
    #[getter]
    fn currency(&self) -> String {
        self.inner.currency.code().to_owned()
    }
    /// Loans by status: `{'active': n, 'paid': n, 'defaulted': n}`.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for status in LoanStatus::ALL {
            d.set_item(status.as_str(), self.inner.counts.of(status))?;
        }
        Ok(d)
    }
    #[getter]
    fn loan_count(&self) -> u32 {
        self.inner.counts.total()
    }
    #[getter]
    fn total_borrowed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.total_borrowed)
    }
    #[getter]
    fn total_repaid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.total_repaid)
    }
    #[getter]
    fn principal_repaid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.principal_repaid)
    }
    #[getter]
    fn interest_paid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.interest_paid)
    }
    #[getter]
    fn principal_outstanding<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.principal_outstanding)
    }
    #[getter]
    fn outstanding_payoff<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.outstanding_payoff)
    }
    #[getter]
    fn remaining_scheduled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.remaining_scheduled)
    }
    #[getter]
    fn amount_due<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.amount_due)
    }
    #[getter]
    fn repayment_count(&self) -> u64 {
        self.inner.repayment_count
    }
    fn __repr__(&self) -> String {
        let s = &self.inner;
        format!(
            "CurrencySummary(currency='{}', loans={}, total_borrowed={}, total_repaid={}, principal_outstanding={}, outstanding_payoff={})",
            s.currency.code(),
            s.counts.total(),
            s.total_borrowed,
            s.total_repaid,
            s.principal_outstanding,
            s.outstanding_payoff
        )
    }
}

/// One loan's repayments (ledger order) with its totals.
#[pyclass(frozen, module = "loansyncro", name = "LoanRepayments")]
#[derive(Debug, Clone)]
pub(crate) struct PyLoanRepayments {
    inner: LoanRepayments,
}

#[pymethods]
impl PyLoanRepayments {
    #[getter]
    fn loan_id(&self) -> &str {
        self.inner.loan_id.as_str()
    }
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }
    #[getter]
    fn currency(&self) -> String {
        self.inner.currency.code().to_owned()
    }
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }
    #[getter]
    fn principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.principal)
    }
    #[getter]
    fn repayments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        records(py, self.inner.repayments.clone())
    }
    #[getter]
    fn total_repaid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.total_repaid)
    }
    #[getter]
    fn repayment_count(&self) -> u32 {
        self.inner.repayment_count
    }
    #[getter]
    fn last_payment_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_opt_date(py, self.inner.last_payment_date)
    }
    #[getter]
    fn remaining_balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.remaining_balance)
    }
    /// Principal repaid / principal, 0..1, truncated to 4 decimal places.
    #[getter]
    fn progress<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dec(py, self.inner.progress)
    }
    fn __repr__(&self) -> String {
        let g = &self.inner;
        format!(
            "LoanRepayments(loan_id={:?}, title={:?}, repayment_count={}, total_repaid={})",
            g.loan_id.as_str(),
            g.title,
            g.repayment_count,
            g.total_repaid
        )
    }
}

// -------------------------------------------------------------------------------- Portfolio

/// A portfolio of loans and repayments for one owner (the core's service, driven
/// synchronously), in memory (`Portfolio()`) or in a SQLite file (`Portfolio.open(path)`).
/// Its clock stands still at `today` until moved.
#[pyclass(frozen, module = "loansyncro", name = "Portfolio")]
#[derive(Debug)]
pub(crate) struct PyPortfolio {
    tracker: Tracker,
    owner: UserId,
    /// The SQLite file, `None` in memory.
    path: Option<String>,
}

/// The owner id, its errors naming the `owner` argument.
fn owner_id(owner: &str) -> PyResult<UserId> {
    UserId::new(owner)
        .map_err(|e| match e {
            loansyncro_core::Error::Validation { reason, .. } => {
                loansyncro_core::Error::validation("owner", reason)
            }
            other => other,
        })
        .py()
}

impl PyPortfolio {
    /// Runs `f` on the tracker without the GIL and drops the notifications it recorded (the
    /// embedded notifier keeps them in memory; nobody listens in Python).
    fn call<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Tracker, &UserId) -> loansyncro_core::Result<T> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let result = f(&self.tracker, &self.owner);
            drop(self.tracker.take_notifications());
            result
        })
        .py()
    }
}

#[pymethods]
impl PyPortfolio {
    /// An empty portfolio whose clock stands at `today` (default: the system date, UTC).
    /// `owner` is the user id every loan belongs to.
    #[new]
    #[pyo3(signature = (*, today=None, owner="me"))]
    fn new(today: Option<&Bound<'_, PyAny>>, owner: &str) -> PyResult<Self> {
        let owner = owner_id(owner)?;
        let tracker = match opt_date(today, "today")? {
            Some(d) => Tracker::at_date(d),
            None => Tracker::new(),
        };
        Ok(PyPortfolio {
            tracker,
            owner,
            path: None,
        })
    }

    /// The portfolio kept in the SQLite file at `path` (created if absent, its schema
    /// migrated if older). Every write is in the file when the call returns; opening the same
    /// file again later (in this process or another) finds everything. The clock stands at
    /// `today` (default: the system date, UTC). A file that cannot be opened, or is not a
    /// LoanSyncro file, raises `StorageError`.
    #[staticmethod]
    #[pyo3(signature = (path, *, today=None, owner="me"))]
    fn open(
        py: Python<'_>,
        path: std::path::PathBuf,
        today: Option<&Bound<'_, PyAny>>,
        owner: &str,
    ) -> PyResult<Self> {
        let owner = owner_id(owner)?;
        let today = opt_date(today, "today")?;
        let tracker = py
            .detach(|| match today {
                Some(d) => Tracker::open_at(&path, d.and_time(chrono::NaiveTime::MIN).and_utc()),
                None => Tracker::open(&path),
            })
            .py()?;
        Ok(PyPortfolio {
            tracker,
            owner,
            path: Some(path.display().to_string()),
        })
    }

    #[getter]
    fn owner(&self) -> &str {
        self.owner.as_str()
    }

    /// The SQLite file the portfolio lives in, or `None` in memory.
    #[getter]
    fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The portfolio's date (positions, ledger writes and plans default to it). Assign a
    /// `datetime.date` to move the clock.
    #[getter]
    fn today<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_date(py, self.tracker.today())
    }

    #[setter]
    fn set_today(&self, today: &Bound<'_, PyAny>) -> PyResult<()> {
        self.tracker.set_today(date(today, "today")?);
        Ok(())
    }

    // ------------------------------------------------------------------------------ loans

    /// Adds a loan (active, no repayments).
    #[pyo3(signature = (title, terms, description=""))]
    fn add_loan(
        &self,
        py: Python<'_>,
        title: &str,
        terms: &Bound<'_, PyLoanTerms>,
        description: &str,
    ) -> PyResult<PyLoan> {
        let command = NewLoan::new(title, terms.get().inner.clone()).with_description(description);
        let view = self.call(py, |t, u| t.create_loan(u, command))?;
        Ok(PyLoan { inner: view.loan })
    }

    /// One loan (`NotFound` if there is none with this id).
    fn loan(&self, py: Python<'_>, loan_id: &str) -> PyResult<PyLoan> {
        let id = self::loan_id(loan_id)?;
        let view = self.call(py, |t, u| t.get_loan(u, &id))?;
        Ok(PyLoan { inner: view.loan })
    }

    /// Every loan in creation order, or those whose title contains `search` (case-insensitive).
    #[pyo3(signature = (search=None))]
    fn loans<'py>(&self, py: Python<'py>, search: Option<String>) -> PyResult<Vec<PyLoan>> {
        let loans = self.call(py, |t, u| {
            let mut query =
                LoanQuery::default().with_limit(loansyncro_core::app::ports::MAX_PAGE_LIMIT);
            if let Some(s) = search {
                query = query.with_search(s);
            }
            let mut out = Vec::new();
            loop {
                let page = t.list_loans(u, &query)?;
                out.extend(page.items.into_iter().map(|v| v.loan));
                match page.next_cursor {
                    Some(cursor) => query = query.with_cursor(Some(cursor)),
                    None => return Ok(out),
                }
            }
        })?;
        Ok(loans.into_iter().map(|inner| PyLoan { inner }).collect())
    }

    /// Replaces title, description and terms of a loan; the ledger is replayed under the new
    /// terms. `expected_version` (default: the current one) guards against lost updates
    /// (`Conflict`).
    #[pyo3(signature = (loan_id, title, terms, description="", *, expected_version=None))]
    fn update_loan(
        &self,
        py: Python<'_>,
        loan_id: &str,
        title: &str,
        terms: &Bound<'_, PyLoanTerms>,
        description: &str,
        expected_version: Option<u64>,
    ) -> PyResult<PyLedgerOutcome> {
        let id = self::loan_id(loan_id)?;
        let command = NewLoan::new(title, terms.get().inner.clone()).with_description(description);
        let outcome = self.call(py, |t, u| {
            let version = match expected_version {
                Some(v) => v,
                None => t.get_loan(u, &id)?.loan.version(),
            };
            t.update_loan(u, &id, command, version)
        })?;
        Ok(PyLedgerOutcome { inner: outcome })
    }

    /// Deletes a loan with all its repayments.
    fn delete_loan(&self, py: Python<'_>, loan_id: &str) -> PyResult<()> {
        let id = self::loan_id(loan_id)?;
        self.call(py, |t, u| t.delete_loan(u, &id))
    }

    /// Declares an active loan defaulted (`InvalidTransition` otherwise).
    fn set_defaulted(&self, py: Python<'_>, loan_id: &str) -> PyResult<PyStatusUpdate> {
        let id = self::loan_id(loan_id)?;
        let inner = self.call(py, |t, u| t.set_defaulted(u, &id))?;
        Ok(PyStatusUpdate { inner })
    }

    /// Cures a defaulted loan (back to active; `InvalidTransition` otherwise).
    fn cure(&self, py: Python<'_>, loan_id: &str) -> PyResult<PyStatusUpdate> {
        let id = self::loan_id(loan_id)?;
        let inner = self.call(py, |t, u| t.cure(u, &id))?;
        Ok(PyStatusUpdate { inner })
    }

    // ------------------------------------------------------------------------- repayments

    /// Records a repayment of `amount` on date `on`. Paying more than the payoff on that date
    /// raises `Overpayment` (with `.payoff`); reusing an `idempotency_key` returns the first
    /// result (`replayed=True`) and records nothing, or raises `Conflict` if amount or date
    /// differ.
    #[pyo3(signature = (loan_id, amount, on, notes="", idempotency_key=None))]
    fn record_repayment(
        &self,
        py: Python<'_>,
        loan_id: &str,
        amount: &Bound<'_, PyAny>,
        on: &Bound<'_, PyAny>,
        notes: &str,
        idempotency_key: Option<String>,
    ) -> PyResult<PyRepaymentOutcome> {
        let id = self::loan_id(loan_id)?;
        let command = repayment_command(amount, on, notes, idempotency_key)?;
        let inner = self.call(py, |t, u| t.record_repayment(u, &id, command))?;
        Ok(PyRepaymentOutcome { inner })
    }

    /// Books the lender's stated principal balance on `on` as an adjustment with a `reason`
    /// (the difference from the engine's balance; never a repayment). A reused
    /// `idempotency_key` answers the first correction (`replayed=True`). A dict with
    /// `correction`, `position` (on `on`), `adjustments_total`, `replayed`.
    #[pyo3(signature = (loan_id, on, stated_balance, reason, idempotency_key=None))]
    fn book_correction<'py>(
        &self,
        py: Python<'py>,
        loan_id: &str,
        on: &Bound<'py, PyAny>,
        stated_balance: &Bound<'py, PyAny>,
        reason: &str,
        idempotency_key: Option<String>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let id = self::loan_id(loan_id)?;
        let command =
            crate::adjust::correction_command(on, stated_balance, reason, idempotency_key)?;
        let outcome = self.call(py, |t, u| t.record_correction(u, &id, command))?;
        crate::adjust::outcome_dict(py, outcome)
    }

    /// The loan's corrections and its corrected position on `as_of` (default today): a dict
    /// with `corrections`, `position`, `adjustments_total`.
    #[pyo3(signature = (loan_id, as_of=None))]
    fn corrections<'py>(
        &self,
        py: Python<'py>,
        loan_id: &str,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let id = self::loan_id(loan_id)?;
        let as_of = as_of.map(|d| date(d, "as_of")).transpose()?;
        let ledger = self.call(py, |t, u| t.corrected_ledger(u, &id, as_of))?;
        crate::adjust::ledger_dict(py, ledger)
    }

    /// Undoes a correction; answers like `corrections` (today).
    fn delete_correction<'py>(
        &self,
        py: Python<'py>,
        loan_id: &str,
        correction_id: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let id = self::loan_id(loan_id)?;
        let cid = loansyncro_core::domain::correction::CorrectionId::new(correction_id).py()?;
        let ledger = self.call(py, |t, u| t.delete_correction(u, &id, &cid))?;
        crate::adjust::ledger_dict(py, ledger)
    }

    /// One repayment (`NotFound` if there is none with this id).
    fn repayment(&self, py: Python<'_>, repayment_id: &str) -> PyResult<PyRepaymentRecord> {
        let id = self::repayment_id(repayment_id)?;
        let inner = self.call(py, |t, u| t.get_repayment(u, &id))?;
        Ok(PyRepaymentRecord { inner })
    }

    /// Replaces amount, date and notes of a repayment (the idempotency key is kept unless one
    /// is given); the ledger is replayed and the loan's status follows.
    #[pyo3(signature = (repayment_id, amount, on, notes="", idempotency_key=None))]
    fn update_repayment(
        &self,
        py: Python<'_>,
        repayment_id: &str,
        amount: &Bound<'_, PyAny>,
        on: &Bound<'_, PyAny>,
        notes: &str,
        idempotency_key: Option<String>,
    ) -> PyResult<PyRepaymentOutcome> {
        let id = self::repayment_id(repayment_id)?;
        let command = repayment_command(amount, on, notes, idempotency_key)?;
        let inner = self.call(py, |t, u| t.update_repayment(u, &id, command))?;
        Ok(PyRepaymentOutcome { inner })
    }

    /// Deletes a repayment; a paid loan whose balance reappears becomes active again.
    fn delete_repayment(&self, py: Python<'_>, repayment_id: &str) -> PyResult<PyLedgerOutcome> {
        let id = self::repayment_id(repayment_id)?;
        let inner = self.call(py, |t, u| t.delete_repayment(u, &id))?;
        Ok(PyLedgerOutcome { inner })
    }

    /// Every repayment in ledger order, or one loan's.
    #[pyo3(signature = (loan_id=None))]
    fn repayments<'py>(
        &self,
        py: Python<'py>,
        loan_id: Option<&str>,
    ) -> PyResult<Bound<'py, PyList>> {
        let filter = match loan_id {
            Some(id) => RepaymentFilter::Loan(self::loan_id(id)?),
            None => RepaymentFilter::All,
        };
        let list = self.call(py, |t, u| t.list_repayments(u, &filter))?;
        records(py, list)
    }

    /// Repayments grouped by loan (creation order), keeping the loans whose title contains
    /// `search` (case-insensitive); loans without repayments have an empty group.
    #[pyo3(signature = (search=None))]
    fn grouped_repayments(
        &self,
        py: Python<'_>,
        search: Option<String>,
    ) -> PyResult<Vec<PyLoanRepayments>> {
        let groups = self.call(py, |t, u| t.grouped_repayments(u, search.as_deref()))?;
        Ok(groups
            .into_iter()
            .map(|inner| PyLoanRepayments { inner })
            .collect())
    }

    // -------------------------------------------------------------- positions and summary

    /// Where a loan stands on `as_of` (default: today), replaying its repayments.
    #[pyo3(signature = (loan_id, as_of=None))]
    fn position(
        &self,
        py: Python<'_>,
        loan_id: &str,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPosition> {
        let id = self::loan_id(loan_id)?;
        let as_of = opt_date(as_of, "as_of")?;
        let inner = self.call(py, |t, u| t.position(u, &id, as_of))?;
        Ok(PyPosition { inner })
    }

    /// The figures per currency code (sorted), never mixing currencies. Without `as_of` they
    /// come from each loan's stored aggregates (its last ledger write); with `as_of` every
    /// loan is replayed on that date.
    #[pyo3(signature = (as_of=None))]
    fn summary<'py>(
        &self,
        py: Python<'py>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let as_of = opt_date(as_of, "as_of")?;
        let summary = self.call(py, |t, u| match as_of {
            Some(d) => t.summary_as_of(u, d),
            None => t.summary(u),
        })?;
        let out = PyDict::new(py);
        for c in summary.currencies {
            out.set_item(c.currency.code().to_owned(), PyCurrencySummary { inner: c })?;
        }
        Ok(out)
    }

    /// A payoff plan over the unpaid loans in `currency` (default USD) with `monthly_budget` a
    /// month: `'avalanche'`, `'snowball'` or a list of loan ids (custom order). Each loan is a
    /// debt with its principal outstanding, current rate and regular installment as minimum.
    #[pyo3(signature = (monthly_budget, strategy=None, *, currency=None, start=None))]
    fn plan(
        &self,
        py: Python<'_>,
        monthly_budget: &Bound<'_, PyAny>,
        strategy: Option<&Bound<'_, PyAny>>,
        currency: Option<&Bound<'_, PyAny>>,
        start: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPayoffPlan> {
        let request = PlanRequest {
            currency: match currency {
                Some(c) if !c.is_none() => parse_enum::<Currency>(c, "currency")?,
                _ => Currency::default(),
            },
            monthly_budget: money(monthly_budget, "monthly_budget")?,
            strategy: parse_strategy(strategy.filter(|s| !s.is_none()))?,
            start: opt_date(start, "start")?,
        };
        let inner = self.call(py, |t, u| t.plan(u, &request))?;
        Ok(PyPayoffPlan { inner })
    }

    /// One row per loan (`loan_id`, `title`, `currency`, `status`, then the fields of its
    /// position on `as_of`, default today) as a `pandas.DataFrame`; money as `Decimal`
    /// (`dtype="decimal"`) or `float64` (`dtype="float"`).
    #[pyo3(signature = (as_of=None, dtype="decimal"))]
    fn to_pandas<'py>(
        slf: &Bound<'py, Self>,
        as_of: Option<&Bound<'py, PyAny>>,
        dtype: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("portfolio_to_pandas", (slf, as_of, dtype))
    }

    /// [`PyPortfolio::to_pandas`] as a `pyarrow.Table` (money as `decimal128`).
    #[pyo3(signature = (as_of=None))]
    fn to_arrow<'py>(
        slf: &Bound<'py, Self>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("portfolio_to_arrow", (slf, as_of))
    }

    /// [`PyPortfolio::to_pandas`] as a `polars.DataFrame`; needs polars and pyarrow.
    #[pyo3(signature = (as_of=None))]
    fn to_polars<'py>(
        slf: &Bound<'py, Self>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("portfolio_to_polars", (slf, as_of))
    }

    /// The per-currency summary ([`PyPortfolio::summary`]) as a `pandas.DataFrame`, one row
    /// per currency.
    #[pyo3(signature = (as_of=None, dtype="decimal"))]
    fn summary_to_pandas<'py>(
        slf: &Bound<'py, Self>,
        as_of: Option<&Bound<'py, PyAny>>,
        dtype: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("summary_to_pandas", (slf, as_of, dtype))
    }

    /// The per-currency summary as a `pyarrow.Table`.
    #[pyo3(signature = (as_of=None))]
    fn summary_to_arrow<'py>(
        slf: &Bound<'py, Self>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        frames(slf.py())?.call_method1("summary_to_arrow", (slf, as_of))
    }

    fn __repr__(&self) -> String {
        let path = match &self.path {
            Some(p) => format!(", path={p:?}"),
            None => String::new(),
        };
        format!(
            "Portfolio(owner={:?}, today={}{path})",
            self.owner.as_str(),
            self.tracker.today()
        )
    }
}
