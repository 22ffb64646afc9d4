//! Typed storage errors: every failure names the DynamoDB operation and the table.

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use loansyncro_core::error::Error;

/// A failure of the DynamoDB adapter that is not a domain outcome (not found, conflict).
///
/// Converted into [`loansyncro_core::Error::Storage`] at the port boundary, with the
/// operation and table in its `operation` field (e.g. `TransactWriteItems on loans`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DynamoError {
    /// A request failed after the SDK's retries (network, throttling, validation, ...).
    #[error("{operation} on {table} failed ({code}): {message}")]
    Request {
        /// The DynamoDB operation, e.g. `TransactWriteItems`.
        operation: &'static str,
        /// The table (its full name, prefix included).
        table: String,
        /// The service's error code (`ThrottlingException`, ...) or the client-side kind
        /// (`dispatch`, `timeout`, ...).
        code: String,
        /// The message, with the SDK's context.
        message: String,
    },
    /// An item could not be turned into an entity.
    #[error("{table} item {id:?}: attribute {attribute}: {reason}")]
    Decode {
        /// The table the item came from.
        table: String,
        /// The item's `id`.
        id: String,
        /// The attribute that is missing or malformed.
        attribute: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A request could not be built (a bug: a required field is missing).
    #[error("cannot build {operation} on {table}: {message}")]
    Build {
        /// The operation.
        operation: &'static str,
        /// The table.
        table: String,
        /// The builder's message.
        message: String,
    },
    /// The adapter cannot start: no endpoint, no credentials, a missing table, ...
    #[error("DynamoDB is not usable: {message}")]
    Startup {
        /// One clear message saying what to fix.
        message: String,
    },
}

impl DynamoError {
    /// The error of a failed SDK call.
    pub(crate) fn request<E, R>(operation: &'static str, table: &str, err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let code = match err {
            SdkError::ServiceError(_) => err.code().unwrap_or("service error").to_owned(),
            SdkError::TimeoutError(_) => "timeout".to_owned(),
            SdkError::DispatchFailure(_) => "dispatch".to_owned(),
            SdkError::ResponseError(_) => "response".to_owned(),
            SdkError::ConstructionFailure(_) => "construction".to_owned(),
            _ => "unknown".to_owned(),
        };
        DynamoError::Request {
            operation,
            table: table.to_owned(),
            code,
            message: DisplayErrorContext(err).to_string(),
        }
    }

    /// The error of a request builder.
    pub(crate) fn build(operation: &'static str, table: &str, err: impl std::fmt::Display) -> Self {
        DynamoError::Build {
            operation,
            table: table.to_owned(),
            message: err.to_string(),
        }
    }

    /// A decoding error.
    pub(crate) fn decode(
        table: &str,
        id: &str,
        attribute: &str,
        reason: impl Into<String>,
    ) -> Self {
        DynamoError::Decode {
            table: table.to_owned(),
            id: id.to_owned(),
            attribute: attribute.to_owned(),
            reason: reason.into(),
        }
    }

    /// The service error code, when the server answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            DynamoError::Request { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl From<DynamoError> for Error {
    fn from(err: DynamoError) -> Error {
        let operation = match &err {
            DynamoError::Request {
                operation, table, ..
            }
            | DynamoError::Build {
                operation, table, ..
            } => format!("{operation} on {table}"),
            DynamoError::Decode { table, .. } => format!("decoding an item of {table}"),
            DynamoError::Startup { .. } => "start-up".to_owned(),
        };
        Error::Storage {
            operation,
            message: err.to_string(),
        }
    }
}
