//! The native module of the `loansyncro` Python package (`loansyncro._native`).
//!
//! A thin shell over `loansyncro-core`: every file mirrors one core module and only translates
//! (Python objects in, core calls, Python objects out); `error.rs` maps the core's errors to the
//! exceptions of `loansyncro.errors`; `portfolio.rs` wraps the in-memory service
//! (`loansyncro_memory::embedded::Tracker`). The Python package (`python/loansyncro`) re-exports these
//! names with type stubs.

use pyo3::prelude::*;

mod adjust;
mod apr;
mod arrays;
mod batch;
mod cashflow;
mod convert;
mod error;
mod finance;
mod float;
mod ledger;
mod planner;
mod portfolio;
mod postings;
mod reconcile;
mod schedule;
mod terms;
mod timeline;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    finance::register(m)?;
    m.add_class::<terms::PyLoanTerms>()?;
    m.add_class::<schedule::PySchedule>()?;
    m.add_class::<schedule::PyInstallment>()?;
    m.add_class::<schedule::PyTotals>()?;
    m.add_class::<schedule::PyWhatIf>()?;
    m.add_class::<ledger::PyPosition>()?;
    m.add_class::<planner::PyPayoffPlan>()?;
    m.add_class::<portfolio::PyPortfolio>()?;
    m.add_class::<portfolio::PyLoan>()?;
    m.add_class::<portfolio::PyRepaymentRecord>()?;
    m.add_class::<portfolio::PyRepaymentOutcome>()?;
    m.add_class::<portfolio::PyLedgerOutcome>()?;
    m.add_class::<portfolio::PyStatusChange>()?;
    m.add_class::<portfolio::PyStatusUpdate>()?;
    m.add_class::<portfolio::PyCurrencySummary>()?;
    m.add_class::<portfolio::PyLoanRepayments>()?;
    m.add_function(wrap_pyfunction!(terms::schedules, m)?)?;
    m.add_function(wrap_pyfunction!(schedule::schedule_columns, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::position, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::payoff_quote, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::payable, m)?)?;
    m.add_function(wrap_pyfunction!(apr::apr, m)?)?;
    m.add_function(wrap_pyfunction!(apr::effective_annual_rate, m)?)?;
    m.add_function(wrap_pyfunction!(planner::plan, m)?)?;
    m.add_function(wrap_pyfunction!(postings::postings, m)?)?;
    m.add_function(wrap_pyfunction!(postings::postings_records, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::statement_from_csv, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::statement_from_ofx, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::statement_from_plaid, m)?)?;
    m.add_function(wrap_pyfunction!(batch::batch_schedules, m)?)?;
    m.add_function(wrap_pyfunction!(batch::batch_positions, m)?)?;
    m.add_function(wrap_pyfunction!(timeline::enter_from_current, m)?)?;
    m.add_function(wrap_pyfunction!(timeline::enter_mid_term, m)?)?;
    m.add_function(wrap_pyfunction!(timeline::renew, m)?)?;
    m.add_function(wrap_pyfunction!(timeline::timeline, m)?)?;
    m.add_function(wrap_pyfunction!(adjust::corrected_position, m)?)?;
    m.add_function(wrap_pyfunction!(adjust::compare_biweekly, m)?)?;
    m.add_function(wrap_pyfunction!(adjust::corrected_postings, m)?)?;
    Ok(())
}
