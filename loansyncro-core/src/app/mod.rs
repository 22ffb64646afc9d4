//! The application layer, on top: the ports the adapters implement (storage, notifications,
//! clock, ids), the use cases over them ([`service::LoanService`]) and the contract test suite
//! every storage adapter runs (feature `testing`).
pub mod biweekly;
pub mod corrections;
pub mod edits;
pub mod planning;
pub mod ports;
pub mod quotes;
pub mod recurring;
pub mod service;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(any(test, feature = "testing"))]
pub mod testing_corrections;
#[cfg(any(test, feature = "testing"))]
pub mod testing_recurring;
pub mod timeline;
