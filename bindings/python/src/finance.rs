//! `loansyncro.finance`: numpy-financial's `pmt ipmt ppmt nper rate pv fv` with the same names,
//! argument order and defaults, plus `cumipmt` and `cumprinc`, computed by the core in exact
//! decimals.
//!
//! Scalars in, scalar out: a `decimal.Decimal` (or decimal `str`) anywhere in the arguments gives
//! a `Decimal` result; otherwise (floats and ints, numpy-financial's inputs) a `float`. Any
//! sequence or numpy array argument is broadcast by `loansyncro._broadcast` (numpy when it is
//! installed, plain lists otherwise), which calls back here element by element.

use loansyncro_core::finance::{self, When};
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyString, PyTuple};
use rust_decimal::Decimal;

use crate::convert::{scalar, to_f64, to_py_decimal, Kind};
use crate::error::{type_error, validation, CoreResultExt};

/// Parses numpy-financial's `when`: `'end'`/`'finish'`/`0` or `'begin'`/`'start'`/`1`.
/// `None` when it is not a scalar (an array to broadcast).
fn parse_when(ob: &Bound<'_, PyAny>) -> PyResult<Option<When>> {
    if let Ok(s) = ob.cast::<PyString>() {
        let s = s.to_cow()?;
        return match s.trim().to_ascii_lowercase().as_str() {
            "end" | "finish" | "0" => Ok(Some(When::End)),
            "begin" | "start" | "1" => Ok(Some(When::Begin)),
            _ => Err(validation("when", "must be 'end' (0) or 'begin' (1)")),
        };
    }
    if ob.is_instance_of::<PyInt>() || ob.hasattr("__index__")? {
        let i: i64 = ob.call_method0("__index__")?.extract()?;
        return match i {
            0 => Ok(Some(When::End)),
            1 => Ok(Some(When::Begin)),
            _ => Err(validation("when", "must be 'end' (0) or 'begin' (1)")),
        };
    }
    Ok(None)
}

/// Whole periods as `u32`.
fn periods(d: Decimal, field: &str) -> PyResult<u32> {
    if d.fract() != Decimal::ZERO {
        return Err(validation(field, "must be a whole number of periods"));
    }
    let t = d.trunc().normalize();
    if t.is_sign_negative() && !t.is_zero() {
        return Err(validation(field, "must not be negative"));
    }
    u32::try_from(t.mantissa()).map_err(|_| validation(field, "is too large"))
}

/// Converted scalar arguments, or the signal to broadcast.
enum Args {
    Scalars(Vec<Decimal>, When, Kind),
    Broadcast,
}

fn convert(
    names: &[&str],
    values: &[&Bound<'_, PyAny>],
    when: &Bound<'_, PyAny>,
) -> PyResult<Args> {
    let mut out = Vec::with_capacity(values.len());
    let mut kind = Kind::Int;
    for (name, value) in names.iter().zip(values) {
        match scalar(value, name)? {
            Some((d, k)) => {
                kind = kind.max(k);
                out.push(d);
            }
            None if value.hasattr("__len__")? => return Ok(Args::Broadcast),
            None => return Err(type_error(name, "a number, a sequence or an array", value)),
        }
    }
    match parse_when(when)? {
        Some(w) => Ok(Args::Scalars(out, w, kind)),
        None => Ok(Args::Broadcast),
    }
}

fn broadcast<'py>(
    py: Python<'py>,
    name: &str,
    values: &[&Bound<'py, PyAny>],
    when: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let helper = py.import("loansyncro._broadcast")?.getattr("apply")?;
    let function = py.import("loansyncro.finance")?.getattr(name)?;
    let mut items: Vec<Bound<'py, PyAny>> = values.iter().map(|v| (*v).clone()).collect();
    items.push(when.clone());
    let args = PyTuple::new(py, items)?;
    helper.call1((function, args))
}

fn output(py: Python<'_>, d: Decimal, kind: Kind) -> PyResult<Bound<'_, PyAny>> {
    if kind == Kind::Decimal {
        to_py_decimal(py, d)
    } else {
        Ok(pyo3::types::PyFloat::new(py, to_f64(d)).into_any())
    }
}

macro_rules! evaluate {
    ($py:expr, $name:literal, [$($arg:ident),*], $when:expr, |$v:ident, $w:ident| $body:expr) => {{
        let names = [$(stringify!($arg)),*];
        let values = [$(&$arg),*];
        match convert(&names, &values, $when)? {
            Args::Scalars($v, $w, kind) => {
                let result = $body;
                output($py, result, kind)
            }
            Args::Broadcast => broadcast($py, $name, &values, $when),
        }
    }};
}

/// pmt(rate, nper, pv, fv=0, when='end')
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, fv=None, when=None))]
pub(crate) fn pmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(py, "pmt", [rate, nper, pv, fv], &when, |v, w| {
        finance::pmt(v[0], periods(v[1], "nper")?, v[2], v[3], w).py()?
    })
}

/// fv(rate, nper, pmt, pv, when='end')
#[pyfunction]
#[pyo3(signature = (rate, nper, pmt, pv, when=None))]
pub(crate) fn fv<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(py, "fv", [rate, nper, pmt, pv], &when, |v, w| {
        finance::fv(v[0], periods(v[1], "nper")?, v[2], v[3], w).py()?
    })
}

/// pv(rate, nper, pmt, fv=0, when='end')
#[pyfunction]
#[pyo3(signature = (rate, nper, pmt, fv=None, when=None))]
pub(crate) fn pv<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(py, "pv", [rate, nper, pmt, fv], &when, |v, w| {
        finance::pv(v[0], periods(v[1], "nper")?, v[2], v[3], w).py()?
    })
}

/// ipmt(rate, per, nper, pv, fv=0, when='end')
#[pyfunction]
#[pyo3(signature = (rate, per, nper, pv, fv=None, when=None))]
pub(crate) fn ipmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    per: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(py, "ipmt", [rate, per, nper, pv, fv], &when, |v, w| {
        finance::ipmt(
            v[0],
            periods(v[1], "per")?,
            periods(v[2], "nper")?,
            v[3],
            v[4],
            w,
        )
        .py()?
    })
}

/// ppmt(rate, per, nper, pv, fv=0, when='end')
#[pyfunction]
#[pyo3(signature = (rate, per, nper, pv, fv=None, when=None))]
pub(crate) fn ppmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    per: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(py, "ppmt", [rate, per, nper, pv, fv], &when, |v, w| {
        finance::ppmt(
            v[0],
            periods(v[1], "per")?,
            periods(v[2], "nper")?,
            v[3],
            v[4],
            w,
        )
        .py()?
    })
}

/// nper(rate, pmt, pv, fv=0, when='end')
#[pyfunction]
#[pyo3(signature = (rate, pmt, pv, fv=None, when=None))]
pub(crate) fn nper<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(py, "nper", [rate, pmt, pv, fv], &when, |v, w| {
        finance::nper(v[0], v[1], v[2], v[3], w).py()?
    })
}

/// rate(nper, pmt, pv, fv, when='end', guess=0.1, tol=None, maxiter=None, *, raise_exceptions=False)
///
/// `guess` picks the root when several rates solve the equation (the one in the bracket nearest
/// to it; numpy-financial's default 0.1); it does not change the kind of the result. `tol` and
/// `maxiter` are accepted for compatibility and not needed: the core brackets the root and
/// refines it to 1e-24. No root raises `NoSolution` (numpy-financial returns NaN).
#[pyfunction]
#[pyo3(signature = (nper, pmt, pv, fv, when=None, guess=None, tol=None, maxiter=None, *, raise_exceptions=false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn rate<'py>(
    py: Python<'py>,
    nper: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
    guess: Option<Bound<'py, PyAny>>,
    tol: Option<Bound<'py, PyAny>>,
    maxiter: Option<Bound<'py, PyAny>>,
    raise_exceptions: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = (tol, maxiter, raise_exceptions);
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    let guess = guess.filter(|g| !g.is_none());
    // A scalar guess (default 0.1); an array guess is broadcast with the other arguments.
    let scalar_guess = match &guess {
        None => Some(Decimal::new(1, 1)),
        Some(g) => scalar(g, "guess")?.map(|(d, _)| d),
    };
    let names = ["nper", "pmt", "pv", "fv"];
    let values = [&nper, &pmt, &pv, &fv];
    match (convert(&names, &values, &when)?, scalar_guess) {
        (Args::Scalars(v, w, kind), Some(g)) => {
            let r =
                finance::rate_with_guess(periods(v[0], "nper")?, v[1], v[2], v[3], w, g).py()?;
            output(py, r, kind)
        }
        _ => {
            // `rate(nper, pmt, pv, fv, when, guess)` element by element.
            let helper = py.import("loansyncro._broadcast")?.getattr("apply")?;
            let function = py.import("loansyncro.finance")?.getattr("rate")?;
            let mut items: Vec<Bound<'py, PyAny>> = vec![nper, pmt, pv, fv, when];
            if let Some(g) = guess {
                items.push(g);
            }
            helper.call1((function, PyTuple::new(py, items)?))
        }
    }
}

/// cumipmt(rate, nper, pv, start, end, when='end'): interest paid in periods start..=end.
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, start, end, when=None))]
pub(crate) fn cumipmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(
        py,
        "cumipmt",
        [rate, nper, pv, start, end],
        &when,
        |v, w| {
            finance::cumipmt(
                v[0],
                periods(v[1], "nper")?,
                v[2],
                periods(v[3], "start")?,
                periods(v[4], "end")?,
                w,
            )
            .py()?
        }
    )
}

/// cumprinc(rate, nper, pv, start, end, when='end'): principal paid in periods start..=end.
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, start, end, when=None))]
pub(crate) fn cumprinc<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let when = when.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    evaluate!(
        py,
        "cumprinc",
        [rate, nper, pv, start, end],
        &when,
        |v, w| {
            finance::cumprinc(
                v[0],
                periods(v[1], "nper")?,
                v[2],
                periods(v[3], "start")?,
                periods(v[4], "end")?,
                w,
            )
            .py()?
        }
    )
}

/// Registers the finance functions on `m` (the `loansyncro._native.finance` submodule).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pmt, m)?)?;
    m.add_function(wrap_pyfunction!(ipmt, m)?)?;
    m.add_function(wrap_pyfunction!(ppmt, m)?)?;
    m.add_function(wrap_pyfunction!(nper, m)?)?;
    m.add_function(wrap_pyfunction!(rate, m)?)?;
    m.add_function(wrap_pyfunction!(pv, m)?)?;
    m.add_function(wrap_pyfunction!(fv, m)?)?;
    m.add_function(wrap_pyfunction!(cumipmt, m)?)?;
    m.add_function(wrap_pyfunction!(cumprinc, m)?)?;
    Ok(())
}
