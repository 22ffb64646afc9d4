//! WebAssembly bindings of the LoanSyncro core: the npm package `loansyncro`.
//!
//! A thin shell: every export parses its input (decimal strings, ISO dates, JSON in the core's
//! serde wire forms), calls the core and hands back strings, JSON or one `Float64Array` of
//! columns. Errors cross as JSON of the core's `Error` (see [`error`]); the package's JS wrapper
//! (`js/`) turns them into `LoanSyncroError` subclasses and builds the row views. One binding
//! file per core module: `finance`, `apr`, `terms` (schedule, what-if, ledger), `schedule`
//! (columnar layout), `planner`, `portfolio` (the in-memory service), `books` (statement
//! reconciliation and postings).
//!
//! Two WebAssembly modules come from this crate. The main one (`loansyncro`, the default
//! build) exports everything but `books`. The cargo feature `books` builds the second, optional
//! one (`loansyncro/books`): only the [`books`] exports, so the statement importers, the
//! convention search, the journal writers (~43 KB gzipped inside the main module) and the
//! real-life events stay out of the main module's
//! 300 KB budget. Without the feature, `books` is compiled (and tested) without exports, so
//! none of it reaches the main module.

#![cfg_attr(feature = "books", allow(dead_code, unused_imports))]

#[cfg(not(feature = "books"))]
pub mod apr;
pub mod books;
pub mod error;
// Real-life events (loansyncro/books only). Unlike `books`, left out of the main module's
// wasm32 build altogether: compiled there without exports, it still changed the main .wasm
// (+44 B gzipped, measured); on the host it is compiled, linted and tested in every build.
#[cfg(any(feature = "books", not(target_arch = "wasm32")))]
pub mod events;
#[cfg(not(feature = "books"))]
pub mod finance;
pub mod path;
#[cfg(not(feature = "books"))]
pub mod planner;
#[cfg(not(feature = "books"))]
pub mod portfolio;
#[cfg(not(feature = "books"))]
pub mod schedule;
#[cfg(not(feature = "books"))]
pub mod terms;
pub mod wire;

use wasm_bindgen::prelude::*;

/// The version of the core compiled into this package.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The module's memory: the JS wrapper reads the columns `scheduleColumnsNumeric` leaves in it.
#[cfg(not(feature = "books"))]
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}
