//! `loansyncro.finance`: numpy-financial's `pmt ipmt ppmt nper rate pv fv npv irr mirr` with the
//! same names, argument order and defaults, plus `cumipmt` and `cumprinc`.
//!
//! Three paths, chosen by the arguments:
//!
//! - **float** (plain `float`/`int` scalars): numpy-financial's formulas in `f64` (`float.rs`),
//!   within 1e-12 relative of the exact value; a `float` comes back;
//! - **exact** (a `decimal.Decimal` or decimal `str` anywhere): the core's exact decimals; a
//!   `Decimal` comes back;
//! - **array** (a sequence or NumPy array anywhere): float arrays are broadcast with NumPy's rules
//!   and looped over in Rust without the GIL (`arrays.rs`); arrays holding decimals go element by
//!   element through the exact path (`loansyncro._broadcast`).
//!
//! `errors="raise"` (the default for scalars) turns an element without a result into a typed
//! error (`ValidationError`, `NoSolution`) that names the argument (and the element index for
//! arrays); `errors="nan"` (the default when an argument is an array, numpy-financial's habit)
//! gives NaN for it (`inf` where the value is infinite, e.g. an `nper` that never ends).

use loansyncro_core::finance::{self, When};
use loansyncro_core::MathError as Error;
use numpy::PyUntypedArrayMethods;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt, PyString, PyTuple};
use rust_decimal::Decimal;

use crate::arrays::{self, Column};
use crate::cashflow;
use crate::convert::{parse_enum, scalar, to_f64, to_py_decimal, Kind};
use crate::error::{to_py_err, type_error, validation};
use crate::float;

/// What happens to an element without a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Errors {
    Nan,
    Raise,
}

fn errors_mode(errors: Option<&str>, default: Errors) -> PyResult<Errors> {
    match errors {
        None => Ok(default),
        Some("nan") => Ok(Errors::Nan),
        Some("raise") => Ok(Errors::Raise),
        Some(_) => Err(validation("errors", "must be 'nan' or 'raise'")),
    }
}

/// Parses numpy-financial's `when`: a name of the core's `When` (`'end'`, `'begin'` and their
/// aliases `'e'`, `'finish'`, `'0'`, `'b'`, `'beginning'`, `'start'`, `'1'`) or the number 0 or
/// 1 (also as a `Decimal` or `float`).
/// `None` when it is a sequence or an array (to broadcast).
fn parse_when(ob: &Bound<'_, PyAny>) -> PyResult<Option<When>> {
    let invalid = || validation("when", "must be 'end' (0) or 'begin' (1)");
    if ob.is_instance_of::<PyString>() {
        return parse_enum::<When>(ob, "when").map(Some);
    }
    match scalar(ob, "when")? {
        Some((d, _)) if d.is_zero() => Ok(Some(When::End)),
        Some((d, _)) if d == Decimal::ONE => Ok(Some(When::Begin)),
        Some(_) => Err(invalid()),
        None if ob.hasattr("__len__")? => Ok(None),
        None => Err(type_error(
            "when",
            "'end', 'begin', 0, 1 or an array of them",
            ob,
        )),
    }
}

fn when_value(w: When) -> f64 {
    match w {
        When::End => 0.0,
        When::Begin => 1.0,
    }
}

fn when_of(w: f64) -> When {
    if w == 1.0 {
        When::Begin
    } else {
        When::End
    }
}

/// Whole periods as `u32` for the exact path.
fn periods(d: Decimal, field: &str) -> loansyncro_core::math::error::Result<u32> {
    if d.fract() != Decimal::ZERO {
        return Err(Error::validation(
            field,
            "must be a whole number of periods with decimal arguments (fractional periods work with floats)",
        ));
    }
    let t = d.trunc().normalize();
    if t.is_sign_negative() && !t.is_zero() {
        return Err(Error::validation(field, "must not be negative"));
    }
    u32::try_from(t.mantissa()).map_err(|_| Error::validation(field, "is too large"))
}

/// A float argument as the exact decimal of its shortest repr.
fn decimal_of(x: f64, field: &str) -> loansyncro_core::math::error::Result<Decimal> {
    if !x.is_finite() {
        return Err(Error::validation(field, "must be a finite number"));
    }
    let text = format!("{x}");
    text.parse::<Decimal>()
        .map_err(|_| Error::validation(field, format!("{x} is outside the decimal range")))
}

/// See [`Spec::batch`].
type Batch = fn(&mut [f64], usize, &[Column<'_>], &Column<'_>);

/// One finance function: its numeric arguments, its float kernel and its exact core.
struct Spec<const N: usize> {
    name: &'static str,
    names: [&'static str; N],
    float: fn(&[f64; N], f64) -> f64,
    /// The float kernel over a run of output elements (`out`, the index of its first element,
    /// the broadcast columns, `when`), where a loop specialised for the common shapes beats
    /// calling `float` per element; `None`: `float` per element.
    batch: Option<Batch>,
    exact: fn(&[Decimal; N], When) -> loansyncro_core::math::error::Result<Decimal>,
}

impl<const N: usize> Spec<N> {
    /// Why the float kernel had no finite result: the exact core's error, or its value when
    /// the exact arithmetic does have one.
    fn explain(&self, x: &[f64; N], w: f64) -> loansyncro_core::math::error::Result<f64> {
        let mut d = [Decimal::ZERO; N];
        for k in 0..N {
            d[k] = decimal_of(x[k], self.names[k])?;
        }
        (self.exact)(&d, when_of(w)).map(to_f64)
    }

    /// A float result, or the typed error under `errors="raise"`.
    fn float_result(&self, x: &[f64; N], w: f64, mode: Errors) -> PyResult<f64> {
        let y = (self.float)(x, w);
        if y.is_finite() || mode == Errors::Nan {
            return Ok(y);
        }
        self.explain(x, w).map_err(to_py_err)
    }
}

/// The element index `i` of an array of `shape`, as NumPy prints it.
fn index_text(i: usize, shape: &[usize]) -> String {
    let mut rest = i;
    let mut parts = vec![0usize; shape.len()];
    for (k, &d) in shape.iter().enumerate().rev() {
        if d > 0 {
            parts[k] = rest % d;
            rest /= d;
        }
    }
    let inner: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    format!("[{}]", inner.join(", "))
}

fn at_element(e: Error, index: &str) -> Error {
    match e {
        Error::InvalidArgument { field, reason } => {
            Error::validation(format!("{field}{index}"), reason)
        }
        Error::NoSolution { reason } => Error::no_solution(format!("element {index}: {reason}")),
        other => other,
    }
}

fn call<'py, const N: usize>(
    py: Python<'py>,
    spec: &Spec<N>,
    args: [&Bound<'py, PyAny>; N],
    when: Option<&Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let scalar_when = match when {
        None => Some(When::End),
        Some(w) => parse_when(w)?,
    };
    if let Some(w) = scalar_when {
        // The fast path: plain floats and ints.
        let mut x = [0.0f64; N];
        let mut plain = true;
        for k in 0..N {
            match arrays::plain_number(args[k]) {
                Some(v) => x[k] = v,
                None => {
                    plain = false;
                    break;
                }
            }
        }
        if plain {
            let mode = errors_mode(errors, Errors::Raise)?;
            let y = spec.float_result(&x, when_value(w), mode)?;
            return Ok(PyFloat::new(py, y).into_any().unbind());
        }
        // Other scalars: numpy scalars, Decimals, decimal strings.
        let mut d = [Decimal::ZERO; N];
        let mut kind = Kind::Int;
        let mut all_scalars = true;
        for k in 0..N {
            match scalar(args[k], spec.names[k])? {
                Some((v, kd)) => {
                    d[k] = v;
                    kind = kind.max(kd);
                }
                None if args[k].hasattr("__len__")? => {
                    all_scalars = false;
                    break;
                }
                None => {
                    return Err(type_error(
                        spec.names[k],
                        "a number, a sequence or an array",
                        args[k],
                    ))
                }
            }
        }
        if all_scalars {
            let mode = errors_mode(errors, Errors::Raise)?;
            if kind == Kind::Decimal {
                return match (spec.exact)(&d, w) {
                    Ok(v) => Ok(to_py_decimal(py, v)?.unbind()),
                    Err(_) if mode == Errors::Nan => {
                        Ok(PyFloat::new(py, f64::NAN).into_any().unbind())
                    }
                    Err(e) => Err(to_py_err(e)),
                };
            }
            for k in 0..N {
                x[k] = to_f64(d[k]);
            }
            let y = spec.float_result(&x, when_value(w), mode)?;
            return Ok(PyFloat::new(py, y).into_any().unbind());
        }
    }
    let mode = errors_mode(errors, Errors::Nan)?;
    array_call(py, spec, args, when, mode)
}

/// Below this many elements a [`Spec::batch`] kernel runs on one thread: at a few nanoseconds
/// per element, starting a thread costs more than it saves.
const BATCH_PARALLEL_FROM: usize = 1 << 16;

fn array_call<'py, const N: usize>(
    py: Python<'py>,
    spec: &Spec<N>,
    args: [&Bound<'py, PyAny>; N],
    when: Option<&Bound<'py, PyAny>>,
    mode: Errors,
) -> PyResult<Py<PyAny>> {
    for (name, arg) in spec.names.iter().zip(args) {
        if arg.is_none() {
            return Err(type_error(name, "a number, a sequence or an array", arg));
        }
    }
    // Plain numbers stay scalars (no NumPy call); everything else becomes a float array.
    let mut inputs: Vec<Option<numpy::PyReadonlyArrayDyn<'py, f64>>> = Vec::with_capacity(N);
    let mut plain = [0.0f64; N];
    for (k, &a) in args.iter().enumerate() {
        if let Some(x) = arrays::plain_number(a) {
            plain[k] = x;
            inputs.push(None);
            continue;
        }
        match arrays::float_array(py, a)? {
            Some(array) => inputs.push(Some(array)),
            None => return exact_elements(py, spec, args, when, mode),
        }
    }
    let when_array = match when {
        None => numpy::ndarray::ArrayD::from_elem(numpy::ndarray::IxDyn(&[]), 0.0),
        Some(w) => match parse_when(w)? {
            Some(v) => numpy::ndarray::ArrayD::from_elem(numpy::ndarray::IxDyn(&[]), when_value(v)),
            None => arrays::when_array(py, w, |item| {
                parse_when(item)?
                    .map(when_value)
                    .ok_or_else(|| validation("when", "must be 'end' (0) or 'begin' (1)"))
            })?,
        },
    };
    let mut shapes: Vec<&[usize]> = inputs
        .iter()
        .map(|a| a.as_ref().map_or(&[][..], |a| a.shape()))
        .collect();
    shapes.push(when_array.shape());
    let shape = arrays::broadcast_shape(&shapes)?;
    let mut columns = Vec::with_capacity(N);
    for (k, a) in inputs.iter().enumerate() {
        columns.push(match a {
            Some(a) => Column::new(a.as_array(), &shape)?,
            None => Column::Scalar(plain[k]),
        });
    }
    let when_column = Column::new(when_array.view(), &shape)?;
    let size: usize = shape.iter().product();
    let (kernel, batch) = (spec.float, spec.batch);
    let out: Vec<f64> = py.detach(|| {
        let mut out = vec![0.0f64; size];
        match batch {
            Some(batch) => arrays::parallel_fill(&mut out, BATCH_PARALLEL_FROM, |start, part| {
                batch(part, start, &columns, &when_column)
            }),
            None => arrays::parallel_fill(&mut out, arrays::PARALLEL_FROM, |start, part| {
                for (j, slot) in part.iter_mut().enumerate() {
                    let x: [f64; N] = std::array::from_fn(|k| columns[k].get(start + j));
                    *slot = kernel(&x, when_column.get(start + j));
                }
            }),
        }
        out
    });
    if mode == Errors::Raise {
        if let Some(i) = out.iter().position(|y| !y.is_finite()) {
            let x: [f64; N] = std::array::from_fn(|k| columns[k].get(i));
            match spec.explain(&x, when_column.get(i)) {
                Err(e) => return Err(to_py_err(at_element(e, &index_text(i, &shape)))),
                Ok(_) => {
                    // The exact arithmetic has values where floats overflowed: recompute exactly.
                    return exact_elements(py, spec, args, when, mode);
                }
            }
        }
    }
    arrays::to_python(py, out, &shape)
}

/// Arrays holding decimals: element by element through the exact path, broadcast by
/// `loansyncro._broadcast.apply` (NumPy when installed, plain lists otherwise).
fn exact_elements<'py, const N: usize>(
    py: Python<'py>,
    spec: &Spec<N>,
    args: [&Bound<'py, PyAny>; N],
    when: Option<&Bound<'py, PyAny>>,
    mode: Errors,
) -> PyResult<Py<PyAny>> {
    let helper = py.import("loansyncro._broadcast")?.getattr("apply")?;
    let function = py.import("loansyncro.finance")?.getattr(spec.name)?;
    let mut items: Vec<Bound<'py, PyAny>> = args.iter().map(|a| (*a).clone()).collect();
    items.push(match when {
        Some(w) => w.clone(),
        None => PyInt::new(py, 0).into_any(),
    });
    let mode = match mode {
        Errors::Nan => "nan",
        Errors::Raise => "raise",
    };
    Ok(helper
        .call1((function, PyTuple::new(py, items)?, mode))?
        .unbind())
}

const PMT: Spec<4> = Spec {
    name: "pmt",
    names: ["rate", "nper", "pv", "fv"],
    float: |x, w| float::pmt(x[0], x[1], x[2], x[3], w),
    batch: Some(float::pmt_into),
    exact: |d, w| finance::pmt(d[0], periods(d[1], "nper")?, d[2], d[3], w),
};

const FV: Spec<4> = Spec {
    name: "fv",
    names: ["rate", "nper", "pmt", "pv"],
    float: |x, w| float::fv(x[0], x[1], x[2], x[3], w),
    batch: None,
    exact: |d, w| finance::fv(d[0], periods(d[1], "nper")?, d[2], d[3], w),
};

const PV: Spec<4> = Spec {
    name: "pv",
    names: ["rate", "nper", "pmt", "fv"],
    float: |x, w| float::pv(x[0], x[1], x[2], x[3], w),
    batch: None,
    exact: |d, w| finance::pv(d[0], periods(d[1], "nper")?, d[2], d[3], w),
};

const IPMT: Spec<5> = Spec {
    name: "ipmt",
    names: ["rate", "per", "nper", "pv", "fv"],
    float: |x, w| float::ipmt(x[0], x[1], x[2], x[3], x[4], w),
    batch: None,
    exact: |d, w| {
        finance::ipmt(
            d[0],
            periods(d[1], "per")?,
            periods(d[2], "nper")?,
            d[3],
            d[4],
            w,
        )
    },
};

const PPMT: Spec<5> = Spec {
    name: "ppmt",
    names: ["rate", "per", "nper", "pv", "fv"],
    float: |x, w| float::ppmt(x[0], x[1], x[2], x[3], x[4], w),
    batch: None,
    exact: |d, w| {
        finance::ppmt(
            d[0],
            periods(d[1], "per")?,
            periods(d[2], "nper")?,
            d[3],
            d[4],
            w,
        )
    },
};

const NPER: Spec<4> = Spec {
    name: "nper",
    names: ["rate", "pmt", "pv", "fv"],
    float: |x, w| float::nper(x[0], x[1], x[2], x[3], w),
    batch: None,
    exact: |d, w| finance::nper(d[0], d[1], d[2], d[3], w),
};

/// `rate` in floats: Newton from the guess, else the core's exact bracketing.
fn rate_float(x: &[f64; 5], w: f64) -> f64 {
    if let Some(r) = float::rate_newton(x[0], x[1], x[2], x[3], w, x[4]) {
        return r;
    }
    RATE.explain(x, w).unwrap_or(f64::NAN)
}

const RATE: Spec<5> = Spec {
    name: "rate",
    names: ["nper", "pmt", "pv", "fv", "guess"],
    float: rate_float,
    batch: None,
    exact: |d, w| finance::rate_with_guess(periods(d[0], "nper")?, d[1], d[2], d[3], w, d[4]),
};

const CUMIPMT: Spec<5> = Spec {
    name: "cumipmt",
    names: ["rate", "nper", "pv", "start", "end"],
    float: |x, w| cumulative(x, w, false),
    batch: None,
    exact: |d, w| {
        finance::cumipmt(
            d[0],
            periods(d[1], "nper")?,
            d[2],
            periods(d[3], "start")?,
            periods(d[4], "end")?,
            w,
        )
    },
};

const CUMPRINC: Spec<5> = Spec {
    name: "cumprinc",
    names: ["rate", "nper", "pv", "start", "end"],
    float: |x, w| cumulative(x, w, true),
    batch: None,
    exact: |d, w| {
        finance::cumprinc(
            d[0],
            periods(d[1], "nper")?,
            d[2],
            periods(d[3], "start")?,
            periods(d[4], "end")?,
            w,
        )
    },
};

/// `cumipmt`/`cumprinc` in floats: the exact core, rounded (they are not on a hot path and
/// numpy-financial has no float version to follow).
fn cumulative(x: &[f64; 5], w: f64, principal: bool) -> f64 {
    let spec = if principal { &CUMPRINC } else { &CUMIPMT };
    spec.explain(x, w).unwrap_or(f64::NAN)
}

/// pmt(rate, nper, pv, fv=0, when='end', *, errors=None)
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, fv=None, when=None, *, errors=None))]
pub(crate) fn pmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    call(py, &PMT, [&rate, &nper, &pv, &fv], when.as_ref(), errors)
}

/// fv(rate, nper, pmt, pv, when='end', *, errors=None)
#[pyfunction]
#[pyo3(signature = (rate, nper, pmt, pv, when=None, *, errors=None))]
pub(crate) fn fv<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    call(py, &FV, [&rate, &nper, &pmt, &pv], when.as_ref(), errors)
}

/// pv(rate, nper, pmt, fv=0, when='end', *, errors=None)
#[pyfunction]
#[pyo3(signature = (rate, nper, pmt, fv=None, when=None, *, errors=None))]
pub(crate) fn pv<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    call(py, &PV, [&rate, &nper, &pmt, &fv], when.as_ref(), errors)
}

/// ipmt(rate, per, nper, pv, fv=0, when='end', *, errors=None)
#[pyfunction]
#[pyo3(signature = (rate, per, nper, pv, fv=None, when=None, *, errors=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn ipmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    per: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    call(
        py,
        &IPMT,
        [&rate, &per, &nper, &pv, &fv],
        when.as_ref(),
        errors,
    )
}

/// ppmt(rate, per, nper, pv, fv=0, when='end', *, errors=None)
#[pyfunction]
#[pyo3(signature = (rate, per, nper, pv, fv=None, when=None, *, errors=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn ppmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    per: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    call(
        py,
        &PPMT,
        [&rate, &per, &nper, &pv, &fv],
        when.as_ref(),
        errors,
    )
}

/// nper(rate, pmt, pv, fv=0, when='end', *, errors=None)
#[pyfunction]
#[pyo3(signature = (rate, pmt, pv, fv=None, when=None, *, errors=None))]
pub(crate) fn nper<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    pmt: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    fv: Option<Bound<'py, PyAny>>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let fv = fv.unwrap_or_else(|| PyInt::new(py, 0).into_any());
    call(py, &NPER, [&rate, &pmt, &pv, &fv], when.as_ref(), errors)
}

/// rate(nper, pmt, pv, fv, when='end', guess=0.1, tol=None, maxiter=100, *,
/// raise_exceptions=False, errors=None)
///
/// Floats: Newton's method from `guess` to full precision, falling back to the core's exact
/// bracketing when it does not converge. Decimals: the core brackets the root nearest to `guess`
/// and refines it to 1e-24. `tol` and `maxiter` are accepted for compatibility.
/// `raise_exceptions=True` is `errors="raise"`.
#[pyfunction]
#[pyo3(signature = (nper, pmt, pv, fv, when=None, guess=None, tol=None, maxiter=None, *, raise_exceptions=false, errors=None))]
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
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let _ = (tol, maxiter);
    let guess = match guess.filter(|g| !g.is_none()) {
        Some(g) => g,
        None => PyFloat::new(py, 0.1).into_any(),
    };
    let errors = if raise_exceptions {
        Some("raise")
    } else {
        errors
    };
    call(
        py,
        &RATE,
        [&nper, &pmt, &pv, &fv, &guess],
        when.as_ref(),
        errors,
    )
}

/// cumipmt(rate, nper, pv, start, end, when='end', *, errors=None): interest paid in periods
/// start..=end.
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, start, end, when=None, *, errors=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn cumipmt<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    call(
        py,
        &CUMIPMT,
        [&rate, &nper, &pv, &start, &end],
        when.as_ref(),
        errors,
    )
}

/// cumprinc(rate, nper, pv, start, end, when='end', *, errors=None): principal paid in periods
/// start..=end.
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, start, end, when=None, *, errors=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn cumprinc<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    nper: Bound<'py, PyAny>,
    pv: Bound<'py, PyAny>,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    when: Option<Bound<'py, PyAny>>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    call(
        py,
        &CUMPRINC,
        [&rate, &nper, &pv, &start, &end],
        when.as_ref(),
        errors,
    )
}

/// Cash flows: floats (`Some`) or decimals (`None` and the decimals).
enum Flows {
    Floats(Vec<f64>, Vec<usize>),
    Decimals(Vec<Decimal>),
}

fn flows<'py>(py: Python<'py>, values: &Bound<'py, PyAny>, any_decimal: bool) -> PyResult<Flows> {
    if !any_decimal {
        // A list of plain floats and ints: read directly (no NumPy round trip).
        if let Ok(list) = values.cast::<pyo3::types::PyList>() {
            let plain: Option<Vec<f64>> = list.iter().map(|v| arrays::plain_number(&v)).collect();
            if let Some(vs) = plain {
                let n = vs.len();
                return Ok(Flows::Floats(vs, vec![n]));
            }
        }
        if let Some(a) = arrays::float_array(py, values)? {
            let shape = a.shape().to_vec();
            return Ok(Flows::Floats(a.as_array().iter().copied().collect(), shape));
        }
    }
    if values.is_none() || !values.hasattr("__len__")? {
        return Err(type_error(
            "values",
            "a sequence or an array of cash flows",
            values,
        ));
    }
    let mut out = Vec::new();
    for (k, item) in values.try_iter()?.enumerate() {
        let item = item?;
        let field = format!("values[{k}]");
        match scalar(&item, &field)? {
            Some((d, _)) => out.push(d),
            None => return Err(type_error(&field, "a number", &item)),
        }
    }
    Ok(Flows::Decimals(out))
}

fn is_decimal(ob: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(matches!(scalar(ob, "rate")?, Some((_, Kind::Decimal))))
}

fn nan(py: Python<'_>) -> Py<PyAny> {
    PyFloat::new(py, f64::NAN).into_any().unbind()
}

fn exact_or_nan(
    py: Python<'_>,
    result: Result<Decimal, impl Into<loansyncro_core::Error>>,
    mode: Errors,
) -> PyResult<Py<PyAny>> {
    match result {
        Ok(v) => Ok(to_py_decimal(py, v)?.unbind()),
        Err(_) if mode == Errors::Nan => Ok(nan(py)),
        Err(e) => Err(to_py_err(e)),
    }
}

fn float_or_raise(
    py: Python<'_>,
    y: f64,
    mode: Errors,
    why: impl FnOnce() -> Error,
) -> PyResult<Py<PyAny>> {
    if y.is_finite() || mode == Errors::Nan {
        Ok(PyFloat::new(py, y).into_any().unbind())
    } else {
        Err(to_py_err(why()))
    }
}

fn float_rate(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<f64> {
    match scalar(ob, field)? {
        Some((d, _)) => Ok(to_f64(d)),
        None => Err(type_error(field, "a number", ob)),
    }
}

fn decimal_rate(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Decimal> {
    match scalar(ob, field)? {
        Some((d, _)) => Ok(d),
        None => Err(type_error(field, "a number", ob)),
    }
}

/// npv(rate, values, *, errors=None): `Σ values[t] / (1+rate)^t`, the first flow at t = 0.
///
/// `rate` may be an array (one result per rate); `values` is one series of flows.
#[pyfunction]
#[pyo3(signature = (rate, values, *, errors=None))]
pub(crate) fn npv<'py>(
    py: Python<'py>,
    rate: Bound<'py, PyAny>,
    values: Bound<'py, PyAny>,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let mode = errors_mode(errors, Errors::Raise)?;
    let decimal_rate_given = is_decimal(&rate).unwrap_or(false);
    let rate_is_array = !rate.is_none() && scalar(&rate, "rate")?.is_none();
    if rate_is_array {
        let rates = arrays::float_array(py, &rate)?.ok_or_else(|| {
            pyo3::exceptions::PyTypeError::new_err("rate: an array of rates must be floats")
        })?;
        let shape = rates.shape().to_vec();
        let rs: Vec<f64> = rates.as_array().iter().copied().collect();
        let Flows::Floats(vs, _) = flows(py, &values, false)? else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "npv: an array of rates needs float cash flows",
            ));
        };
        let out: Vec<f64> = py.detach(|| rs.iter().map(|r| float::npv(*r, &vs)).collect());
        return arrays::to_python(py, out, &shape);
    }
    match flows(py, &values, decimal_rate_given)? {
        Flows::Floats(vs, _) => {
            let r = float_rate(&rate, "rate")?;
            let y = float::npv(r, &vs);
            float_or_raise(py, y, mode, || {
                Error::validation("rate", "must be greater than -1")
            })
        }
        Flows::Decimals(vs) => {
            let r = decimal_rate(&rate, "rate")?;
            exact_or_nan(py, cashflow::npv(r, &vs), mode)
        }
    }
}

/// irr(values, guess=None, tol=None, maxiter=None, *, raise_exceptions=False, errors=None):
/// the rate that makes the net present value zero, the root nearest to 0 when there are
/// several. No root: NaN (numpy-financial's answer) or, with `errors="raise"` /
/// `raise_exceptions=True`, `NoSolution`. A 2-D `values` gives one IRR per row.
#[pyfunction]
#[pyo3(signature = (values, guess=None, tol=None, maxiter=None, *, raise_exceptions=false, errors=None))]
pub(crate) fn irr<'py>(
    py: Python<'py>,
    values: Bound<'py, PyAny>,
    guess: Option<Bound<'py, PyAny>>,
    tol: Option<Bound<'py, PyAny>>,
    maxiter: Option<Bound<'py, PyAny>>,
    raise_exceptions: bool,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let _ = (guess, tol, maxiter);
    let errors = if raise_exceptions {
        Some("raise")
    } else {
        errors
    };
    let mode = errors_mode(errors, Errors::Nan)?;
    let no_root = || {
        Error::no_solution("no rate makes the net present value zero (the flows never change sign)")
    };
    match flows(py, &values, false)? {
        Flows::Floats(vs, shape) if shape.len() == 2 => {
            let (rows, cols) = (shape[0], shape[1]);
            let out: Vec<f64> = py.detach(|| {
                (0..rows)
                    .map(|k| float::irr(&vs[k * cols..(k + 1) * cols]))
                    .collect()
            });
            if mode == Errors::Raise {
                if let Some(k) = out.iter().position(|y| !y.is_finite()) {
                    return Err(to_py_err(at_element(no_root(), &format!("[{k}]"))));
                }
            }
            arrays::to_python(py, out, &[rows])
        }
        Flows::Floats(vs, _) => {
            let y = py.detach(|| float::irr(&vs));
            float_or_raise(py, y, mode, no_root)
        }
        Flows::Decimals(vs) => exact_or_nan(py, cashflow::irr(&vs), mode),
    }
}

/// mirr(values, finance_rate, reinvest_rate, *, raise_exceptions=False, errors=None):
/// the modified IRR; NaN (or `NoSolution` under `errors="raise"`) unless the flows have both
/// signs.
#[pyfunction]
#[pyo3(signature = (values, finance_rate, reinvest_rate, *, raise_exceptions=false, errors=None))]
pub(crate) fn mirr<'py>(
    py: Python<'py>,
    values: Bound<'py, PyAny>,
    finance_rate: Bound<'py, PyAny>,
    reinvest_rate: Bound<'py, PyAny>,
    raise_exceptions: bool,
    errors: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let errors = if raise_exceptions {
        Some("raise")
    } else {
        errors
    };
    let mode = errors_mode(errors, Errors::Nan)?;
    let any_decimal = is_decimal(&finance_rate)? || is_decimal(&reinvest_rate)?;
    match flows(py, &values, any_decimal)? {
        Flows::Floats(vs, _) => {
            let f = float_rate(&finance_rate, "finance_rate")?;
            let r = float_rate(&reinvest_rate, "reinvest_rate")?;
            let y = float::mirr(&vs, f, r);
            float_or_raise(py, y, mode, || {
                Error::no_solution("the modified IRR needs both positive and negative cash flows")
            })
        }
        Flows::Decimals(vs) => {
            let f = decimal_rate(&finance_rate, "finance_rate")?;
            let r = decimal_rate(&reinvest_rate, "reinvest_rate")?;
            exact_or_nan(py, cashflow::mirr(&vs, f, r), mode)
        }
    }
}

/// Registers the finance functions on `m`.
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
    m.add_function(wrap_pyfunction!(npv, m)?)?;
    m.add_function(wrap_pyfunction!(irr, m)?)?;
    m.add_function(wrap_pyfunction!(mirr, m)?)?;
    Ok(())
}
