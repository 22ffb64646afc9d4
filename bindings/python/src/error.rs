//! Maps the core's `Error` to the Python exceptions of `loansyncro.errors` (one class per
//! variant, rooted at `LoanSyncroError`). Nothing else in the binding builds exceptions by hand
//! except argument type errors (`TypeError`).

use loansyncro_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::convert::to_py_decimal;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let module = ERRORS.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("loansyncro.errors")?.unbind())
    })?;
    module.bind(py).getattr(name)
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let message = e.to_string();
    let value = match e {
        Error::Validation { field, reason } => {
            class(py, "ValidationError")?.call1((message, field, reason))?
        }
        Error::NoSolution { reason } => class(py, "NoSolution")?.call1((message, reason))?,
        Error::Overflow { operation } => {
            class(py, "ArithmeticOverflow")?.call1((message, operation))?
        }
        Error::NotFound { entity, id } => class(py, "NotFound")?.call1((message, entity, id))?,
        Error::Conflict { kind } => {
            class(py, "Conflict")?.call1((message, kind.to_string(), kind.name()))?
        }
        Error::InvalidTransition { from, to, reason } => {
            class(py, "InvalidTransition")?.call1((
                message,
                from.as_str(),
                to.as_str(),
                reason.describe(*from, *to),
            ))?
        }
        Error::Overpayment {
            payoff,
            attempted,
            date,
        } => class(py, "Overpayment")?.call1((
            message,
            to_py_decimal(py, *payoff)?,
            to_py_decimal(py, *attempted)?,
            date.to_string(),
        ))?,
        Error::Storage {
            operation,
            message: detail,
        } => class(py, "StorageError")?.call1((message, operation, detail))?,
    };
    Ok(PyErr::from_value(value))
}

/// The Python exception for a core error (or an arithmetic error, which becomes one).
pub(crate) fn to_py_err(e: impl Into<Error>) -> PyErr {
    let e = e.into();
    Python::attach(|py| build(py, &e).unwrap_or_else(|err| err))
}

/// `ValidationError(field, reason)` raised by the binding's own argument parsing (for values the
/// core never sees, e.g. an unparsable decimal string).
pub(crate) fn validation(field: &str, reason: impl Into<String>) -> PyErr {
    to_py_err(Error::validation(field, reason))
}

/// `TypeError` naming the argument.
pub(crate) fn type_error(field: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let got = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    pyo3::exceptions::PyTypeError::new_err(format!("{field}: expected {expected}, got {got}"))
}

/// Extension: `core_result.py()?`.
pub(crate) trait CoreResultExt<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> CoreResultExt<T> for loansyncro_core::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}

impl<T> CoreResultExt<T> for Result<T, loansyncro_core::MathError> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}
