//! # loansyncro-sqlite
//!
//! The embedded SQLite storage adapter of LoanSyncro: every storage port of
//! [`loansyncro_core::app::ports`] ([`UserRepository`](loansyncro_core::app::ports::UserRepository),
//! [`LoanRepository`](loansyncro_core::app::ports::LoanRepository),
//! [`RepaymentRepository`](loansyncro_core::app::ports::RepaymentRepository) and the atomic
//! [`LedgerStore`](loansyncro_core::app::ports::LedgerStore) writes) on one SQLite file, for apps
//! that keep their portfolio across restarts (desktop, phone, a local server). SQLite is
//! compiled in (rusqlite's `bundled` feature): nothing to install.
//!
//! * **Transactions.** Every write is one `BEGIN IMMEDIATE` transaction: its checks and its
//!   writes see the same state, also against another process on the same file (which waits
//!   up to [`store::BUSY_TIMEOUT`]). A killed process leaves the file at its last commit (WAL
//!   journal, `synchronous = FULL`).
//! * **Optimistic concurrency.** Loans carry a `version` column; every write is `UPDATE ...
//!   WHERE version = expected`, a stale one is the core's stale-version conflict.
//! * **Idempotency.** A unique index on `(loan_id, idempotency_key)`.
//! * **Exact values.** Money is decimal TEXT (`1000.50`: the scale survives), dates ISO TEXT;
//!   see [`codec`].
//! * **Migrations.** The schema version is `PRAGMA user_version`; [`SqliteStore::open`]
//!   applies the missing steps of [`schema::MIGRATIONS`] (SQL files in the crate).
//!
//! ```
//! use loansyncro_core::app::ports::{LoanQuery, LoanRepository};
//! use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::user::UserId, LoanTerms, Rate};
//! use loansyncro_sqlite::SqliteStore;
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use rust_decimal_macros::dec;
//! # fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
//! #     match std::pin::pin!(f).poll(&mut cx) { std::task::Poll::Ready(v) => v, _ => unreachable!() }
//! # }
//! let dir = std::env::temp_dir().join(format!("ls-doc-lib-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("loans.db");
//! let terms = LoanTerms::builder()
//!     .principal(dec!(1000.50))
//!     .annual_rate(Rate::from_percent(dec!(6))?)
//!     .installments(12)
//!     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
//!     .build()?;
//! let owner = UserId::new("user-1")?;
//! let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
//! let loan = Loan::new(LoanId::new("loan-1")?, owner.clone(), NewLoan::new("Car", terms), now)?;
//!
//! let store = SqliteStore::open(&path)?;
//! block_on(store.insert(loan.clone()))?;
//! drop(store);
//!
//! // Reopened: the same loan, to the last digit.
//! let store = SqliteStore::open(&path)?;
//! let page = block_on(store.list(&owner, &LoanQuery::default().with_search("CAR")))?;
//! assert_eq!(page.items, vec![loan]);
//! assert_eq!(page.items[0].terms().principal().to_string(), "1000.50");
//! # drop(store);
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
#![warn(missing_docs)]

pub mod codec;
pub mod error;
mod ids;
pub mod schema;
pub mod store;

pub use ids::SqliteIds;
pub use store::{SqliteStats, SqliteStore};
