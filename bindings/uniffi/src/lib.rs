//! # loansyncro-ffi: LoanSyncro for Kotlin and Swift (uniffi)
//!
//! A thin shell over `loansyncro-core` (and the synchronous in-memory portfolio of
//! `loansyncro-memory`): every function parses its input into core types, calls the core and
//! maps the result or the error. No domain rule lives here.
//!
//! Conventions on the foreign side:
//! - amounts and rates cross as decimal strings and surface as `java.math.BigDecimal` (Kotlin)
//!   and `Foundation.Decimal` (Swift), dates as ISO strings surfacing as `java.time.LocalDate`
//!   and `Foundation.Date` (UTC midnight): see `uniffi.toml`;
//! - every core error arrives as one `LoanSyncroError` case (`LoanSyncroException.Validation`
//!   with `.field` and `.reason` in Kotlin).
//!
//! One source file per core module: `finance.rs`, `terms.rs` (+ schedule, what-if, APR of
//! terms, ledger of terms, CSV), `apr.rs`, `planner.rs`, `portfolio.rs`; `types.rs` holds the
//! custom types and the shared enums, `error.rs` the error mapping.

uniffi::setup_scaffolding!("loansyncro");

pub mod apr;
pub mod error;
pub mod finance;
pub mod planner;
pub mod portfolio;
pub mod terms;
pub mod types;

pub use error::LoanSyncroError;

/// Result of every exported function.
pub type FfiResult<T> = std::result::Result<T, LoanSyncroError>;
