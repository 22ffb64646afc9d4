//! Per-row errors: the typed exception (`errors="raise"`) and the `error` column and validity
//! bitmaps (`errors="collect"`).

use loansyncro_core::Error;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A row's error with the row named: validation fields become `terms[row].field` (or
/// `repayments[j]...` as given), other errors keep their type.
#[derive(Debug, Clone)]
pub(super) struct RowError {
    pub(super) row: usize,
    pub(super) error: Error,
}

impl RowError {
    pub(super) fn new(row: usize, error: Error) -> Self {
        let error = match error {
            Error::Validation { field, reason }
                if !field.starts_with("repayments[")
                    && !field.starts_with("terms[")
                    && field != "as_of" =>
            {
                Error::validation(format!("terms[{row}].{field}"), reason)
            }
            other => other,
        };
        RowError { row, error }
    }

    pub(super) fn message(&self) -> String {
        match &self.error {
            Error::Validation { .. } => self.error.to_string(),
            other => format!("terms[{}]: {other}", self.row),
        }
    }

    /// The typed Python exception, with `row` and `column` attributes (`column` is the
    /// column's name for a validation error, else `None`).
    pub(super) fn to_py(&self, py: Python<'_>) -> PyErr {
        let err = crate::error::to_py_err(self.error.clone());
        let value = err.value(py);
        let column = match &self.error {
            Error::Validation { field, .. } => Some(
                field
                    .rsplit_once('.')
                    .map_or(field.as_str(), |(_, c)| c)
                    .to_owned(),
            ),
            _ => None,
        };
        let _ = value.setattr("row", self.row);
        let _ = value.setattr("column", column);
        if !matches!(self.error, Error::Validation { .. }) {
            let _ = value.setattr("args", (self.message(),));
        }
        err
    }
}

/// The first error (lowest row) of per-loan outcomes.
pub(super) fn first_error(errors: &[Option<RowError>]) -> Option<&RowError> {
    errors.iter().flatten().next()
}

/// Arrow's bit-packed validity of `ok`.
pub(super) fn bitmap(ok: impl Iterator<Item = bool>, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len.div_ceil(8)];
    for (i, v) in ok.enumerate() {
        if v {
            if let Some(b) = out.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
        }
    }
    out
}

/// An Arrow utf8 column (validity, i32 offsets, data) of one optional message per row.
pub(super) fn string_column(values: &[Option<String>]) -> PyResult<(Vec<u8>, Vec<i32>, Vec<u8>)> {
    let mut offsets = Vec::with_capacity(values.len() + 1);
    let mut data = Vec::new();
    offsets.push(0i32);
    for v in values {
        if let Some(s) = v {
            data.extend_from_slice(s.as_bytes());
        }
        offsets.push(i32::try_from(data.len()).map_err(|_| {
            pyo3::exceptions::PyOverflowError::new_err("error messages exceed 2 GiB")
        })?);
    }
    let validity = bitmap(values.iter().map(Option::is_some), values.len());
    Ok((validity, offsets, data))
}

pub(super) fn u8_array<'py>(py: Python<'py>, v: Vec<u8>) -> Bound<'py, PyArray1<u8>> {
    PyArray1::from_vec(py, v)
}

/// Adds `valid` (validity of the computed columns) and `error_*` (the error column's
/// buffers) to `out` when `collect` and some row failed.
pub(super) fn error_outputs<'py>(
    py: Python<'py>,
    out: &Bound<'py, PyDict>,
    messages: Vec<Option<String>>,
) -> PyResult<()> {
    if messages.iter().all(Option::is_none) {
        out.set_item("valid", py.None())?;
    } else {
        let valid = bitmap(messages.iter().map(Option::is_none), messages.len());
        out.set_item("valid", u8_array(py, valid))?;
    }
    let (validity, offsets, data) = string_column(&messages)?;
    out.set_item("error_valid", u8_array(py, validity))?;
    out.set_item("error_offsets", PyArray1::from_vec(py, offsets))?;
    out.set_item("error_data", u8_array(py, data))?;
    Ok(())
}
