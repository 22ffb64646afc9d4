//! # loansyncro-dynamodb
//!
//! The storage ports of [`loansyncro_core::app::ports`] on Amazon DynamoDB, compatible with the
//! tables of the original deployment (`users`, `loans`, `repayments`, hash key `id`, GSIs
//! `email-index`, `user-id-index`, `loan-id-index`, on-demand billing).
//!
//! * Numbers are DynamoDB `N` values written from the decimal's own string and read back
//!   exactly (rescaled to the currency's minor units, since DynamoDB drops trailing zeros).
//! * Listings are `Query`s on the GSIs, paginated with `LastEvaluatedKey`; read-modify-write
//!   paths read the base item with a consistent `GetItem`; nothing ever issues a `Scan`
//!   ([`RequestCounter`] counts every request by operation).
//! * A repayment change and its loan are one `TransactWriteItems` with conditions on the loan's
//!   owner and version; an idempotency key is made unique per (owner, loan) by a guard item
//!   written in the same transaction.
//! * A cascade delete marks the loan `deleting` (readers stop seeing it and its repayments),
//!   deletes the repayments in transactions of at most 100 operations, then the loan; an
//!   interrupted delete is finished by deleting again or by [`DynamoStore::resume_deletes`].
//!
//! ```no_run
//! use loansyncro_dynamodb::{DynamoConfig, DynamoStore, TableNames};
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // DynamoDB Local (or `DynamoConfig::from_env()` / `DynamoConfig::aws(..)`).
//! let config = DynamoConfig::local("http://127.0.0.1:8000", TableNames::with_prefix("dev-"));
//! let store = DynamoStore::connect(config).await;
//! store.create_tables().await?;
//! store.check().await?;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod codec;
pub mod config;
pub mod counter;
pub mod error;
pub mod schema;
mod store;

pub use config::{DynamoConfig, TableNames, ENDPOINT_ENV, PREFIX_ENV};
pub use counter::RequestCounter;
pub use error::DynamoError;
pub use store::{DynamoStore, MAX_TRANSACTION_ITEMS};
