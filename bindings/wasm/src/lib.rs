//! WebAssembly bindings of the LoanSyncro core: the npm package `loansyncro`.
//!
//! A thin shell: every export parses its input (decimal strings, ISO dates, JSON in the core's
//! serde wire forms), calls the core and hands back strings, JSON or one `Float64Array` of
//! columns. Errors cross as JSON of the core's `Error` (see [`error`]); the package's JS wrapper
//! (`js/`) turns them into `LoanSyncroError` subclasses and builds the row views. One binding
//! file per core module: `finance`, `apr`, `terms` (schedule, what-if, ledger), `schedule`
//! (columnar layout), `planner`, `portfolio` (the in-memory service).

pub mod apr;
pub mod error;
pub mod finance;
pub mod path;
pub mod planner;
pub mod portfolio;
pub mod schedule;
pub mod terms;
pub mod wire;

use wasm_bindgen::prelude::*;

/// The version of the core compiled into this package.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The module's memory: the JS wrapper reads the columns `scheduleColumnsNumeric` leaves in it.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}
