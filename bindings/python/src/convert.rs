//! Conversions at the edge: `decimal.Decimal`/`int`/`str`/`float` to the core's `Decimal`,
//! `datetime.date` to `NaiveDate`, strings to the core's enums (through their `FromStr`), and
//! back. Floats become decimals through their shortest repr (`Decimal(repr(x))`), never through
//! their binary expansion.

use std::str::FromStr;

use chrono::NaiveDate;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDateTime, PyFloat, PyInt, PyString, PyType};
use rust_decimal::Decimal;

use crate::error::{type_error, validation};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `decimal.Decimal`.
pub(crate) fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// A core `Decimal` as a Python `decimal.Decimal` (same digits, same scale).
pub(crate) fn to_py_decimal(py: Python<'_>, d: Decimal) -> PyResult<Bound<'_, PyAny>> {
    decimal_type(py)?.call1((d.to_string(),))
}

/// `minor / 10^scale` as a Python `decimal.Decimal`.
pub(crate) fn minor_to_py(py: Python<'_>, minor: i64, scale: u32) -> PyResult<Bound<'_, PyAny>> {
    to_py_decimal(py, Decimal::new(minor, scale))
}

/// A core `Decimal` as the closest `float` (correctly rounded from the decimal string).
pub(crate) fn to_f64(d: Decimal) -> f64 {
    f64::from_str(&d.to_string()).unwrap_or(f64::NAN)
}

/// What kind of Python number an argument was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// `int` (or a numpy integer).
    Int,
    /// `float` (or a numpy float): converted through its shortest repr.
    Float,
    /// `decimal.Decimal` or a decimal string.
    Decimal,
}

/// Parses a decimal string (plain or scientific notation).
pub(crate) fn parse_decimal(s: &str, field: &str) -> PyResult<Decimal> {
    let t = s.trim();
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        Decimal::from_str(t)
    };
    parsed.map_err(|_| validation(field, format!("{t:?} is not a finite decimal number")))
}

fn from_float(x: f64, field: &str) -> PyResult<Decimal> {
    if !x.is_finite() {
        return Err(validation(field, "must be a finite number"));
    }
    // Rust's `Display` for f64 prints the shortest digits that round-trip (Python's repr).
    let text = format!("{x}");
    Decimal::from_str(&text)
        .map_err(|_| validation(field, format!("{x} is outside the decimal range")))
}

/// A scalar argument, or `None` when the object is not a number (a sequence or array: the
/// caller may broadcast it).
pub(crate) fn scalar(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Option<(Decimal, Kind)>> {
    let py = ob.py();
    if let Ok(f) = ob.cast::<PyFloat>() {
        return Ok(Some((from_float(f.value(), field)?, Kind::Float)));
    }
    if ob.is_instance_of::<PyInt>() {
        if ob.is_instance_of::<pyo3::types::PyBool>() {
            return Err(type_error(field, "a number", ob));
        }
        if let Ok(i) = ob.extract::<i64>() {
            return Ok(Some((Decimal::from(i), Kind::Int)));
        }
        let text = ob.str()?;
        return Ok(Some((parse_decimal(&text.to_cow()?, field)?, Kind::Int)));
    }
    if ob.is_instance(decimal_type(py)?.as_any())? {
        let text = ob.str()?;
        return Ok(Some((
            parse_decimal(&text.to_cow()?, field)?,
            Kind::Decimal,
        )));
    }
    if let Ok(s) = ob.cast::<PyString>() {
        return Ok(Some((parse_decimal(&s.to_cow()?, field)?, Kind::Decimal)));
    }
    // Sequences and arrays (numpy arrays define `__index__` too): the caller may broadcast.
    if ob.hasattr("__len__")? {
        return Ok(None);
    }
    // numpy scalars and other number-likes.
    if ob.hasattr("__index__")? {
        let i = ob.call_method0("__index__")?;
        return scalar(&i, field);
    }
    if ob.hasattr("__float__")? {
        let f: f64 = ob.call_method0("__float__")?.extract()?;
        return Ok(Some((from_float(f, field)?, Kind::Float)));
    }
    Ok(None)
}

/// A money amount: `Decimal`, `int` or decimal `str` (floats are refused: they are not exact).
pub(crate) fn money(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Decimal> {
    match scalar(ob, field)? {
        Some((d, Kind::Int | Kind::Decimal)) => Ok(d),
        Some((_, Kind::Float)) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{field}: floats are not accepted for money; pass a Decimal, an int or a str"
        ))),
        None => Err(type_error(field, "Decimal, int or str", ob)),
    }
}

/// A rate or factor: like [`money`], and floats are accepted through their shortest repr.
pub(crate) fn number(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Decimal> {
    match scalar(ob, field)? {
        Some((d, _)) => Ok(d),
        None => Err(type_error(field, "Decimal, int, float or str", ob)),
    }
}

/// A whole number of periods (`u32`); `int`, integral `Decimal`/`float`/`str`.
pub(crate) fn count(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<u32> {
    if let Ok(i) = ob.extract::<i64>() {
        if !ob.is_instance_of::<pyo3::types::PyBool>() {
            return u32::try_from(i)
                .map_err(|_| validation(field, "must be a whole number from 0 to 4294967295"));
        }
    }
    let d = number(ob, field)?;
    if d.fract() != Decimal::ZERO {
        return Err(validation(field, "must be a whole number of periods"));
    }
    u32::try_from(d.trunc().mantissa() / 10i128.pow(d.trunc().scale()))
        .map_err(|_| validation(field, "must be a whole number from 0 to 4294967295"))
}

/// A date: `datetime.date`, `datetime.datetime` or `pandas.Timestamp` (their calendar date),
/// `numpy.datetime64` (any unit; its day), or an ISO `YYYY-MM-DD` string.
pub(crate) fn date(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<NaiveDate> {
    if let Ok(s) = ob.cast::<PyString>() {
        let s = s.to_cow()?;
        return NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| validation(field, format!("expected YYYY-MM-DD, got {s:?}")));
    }
    if ob.is_instance_of::<PyDateTime>() {
        // `pandas.Timestamp` is a `datetime` too; NaT is not.
        return ob.call_method0("date")?.extract::<NaiveDate>();
    }
    if ob.is_instance_of::<PyDate>() {
        return ob.extract::<NaiveDate>();
    }
    if let Some(np) = crate::arrays::numpy(ob.py()) {
        if ob.is_instance(&np.getattr("datetime64")?)? {
            let day = ob
                .call_method1("astype", ("datetime64[D]",))?
                .call_method0("item")?;
            if day.is_instance_of::<PyDate>() {
                return day.extract::<NaiveDate>();
            }
            return Err(validation(
                field,
                "numpy.datetime64 is NaT or outside the calendar",
            ));
        }
    }
    Err(type_error(
        field,
        "a date (datetime.date, datetime.datetime, numpy.datetime64, pandas.Timestamp or 'YYYY-MM-DD')",
        ob,
    ))
}

/// A `datetime.date`.
pub(crate) fn to_py_date(py: Python<'_>, d: NaiveDate) -> PyResult<Bound<'_, PyAny>> {
    Ok(d.into_pyobject(py)?.into_any())
}

/// An optional date.
pub(crate) fn to_py_opt_date(py: Python<'_>, d: Option<NaiveDate>) -> PyResult<Bound<'_, PyAny>> {
    match d {
        Some(d) => to_py_date(py, d),
        None => Ok(py.None().into_bound(py)),
    }
}

/// A string argument (plain `str` or a `str`-based enum member), parsed with the core's
/// `FromStr` (its vocabulary); a bad name is a `ValidationError` on `field` (the argument's
/// name, e.g. `payment_rounding`, not the core's default field).
pub(crate) fn parse_enum<T>(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<T>
where
    T: FromStr,
    T::Err: Into<loansyncro_core::Error>,
{
    let s = text(ob, field)?;
    T::from_str(&s).map_err(|e| {
        crate::error::to_py_err(match e.into() {
            loansyncro_core::Error::Validation { reason, .. } => {
                loansyncro_core::Error::validation(field, reason)
            }
            other => other,
        })
    })
}

/// A `str` argument (a `str` enum member gives its value).
pub(crate) fn text(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    if let Ok(s) = ob.cast::<PyString>() {
        if s.is_exact_instance_of::<PyString>() {
            return Ok(s.to_cow()?.into_owned());
        }
        // A `str` enum: its value.
        if let Ok(v) = ob.getattr("value") {
            if let Ok(v) = v.cast::<PyString>() {
                return Ok(v.to_cow()?.into_owned());
            }
        }
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(v) = ob.getattr("value") {
        if let Ok(v) = v.cast::<PyString>() {
            return Ok(v.to_cow()?.into_owned());
        }
    }
    Err(type_error(field, "str", ob))
}
