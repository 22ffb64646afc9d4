//! NumPy arrays for the float path of `loansyncro.finance`: arguments become `f64` columns
//! broadcast with NumPy's rules, the element loop runs in Rust without the GIL, and the result is
//! a new `float64` array of the broadcast shape.
//!
//! An argument that holds a `Decimal` (or a decimal `str`) is not a float array: [`float_array`]
//! returns `None` and the caller takes the exact path instead.

use std::borrow::Cow;

use numpy::ndarray::{ArrayD, ArrayViewD, IxDyn};
use numpy::{IntoPyArray, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFloat, PyInt, PyString};

use crate::convert::decimal_type;

static NUMPY: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The `numpy` module, or `None` when it is not installed.
pub(crate) fn numpy(py: Python<'_>) -> Option<&Bound<'_, PyModule>> {
    NUMPY
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import("numpy")?.unbind()))
        .ok()
        .map(|m| m.bind(py))
}

/// One argument as a float array (any shape), or `None` when it holds decimals (or numpy is
/// missing): then the exact path handles it.
pub(crate) fn float_array<'py>(
    py: Python<'py>,
    ob: &Bound<'py, PyAny>,
) -> PyResult<Option<PyReadonlyArrayDyn<'py, f64>>> {
    if let Ok(a) = ob.cast::<PyArrayDyn<f64>>() {
        return Ok(Some(a.readonly()));
    }
    let Some(np) = numpy(py) else {
        return Ok(None);
    };
    let array = np.call_method1("asarray", (ob,))?;
    let kind: String = array.getattr("dtype")?.getattr("kind")?.extract()?;
    match kind.as_str() {
        "f" | "i" | "u" => {}
        "O" => {
            // Decimals (or strings) inside: the exact path.
            let flat = array.call_method0("ravel")?;
            let decimal = decimal_type(py)?;
            for item in flat.try_iter()? {
                let item = item?;
                if item.is_instance(decimal.as_any())? || item.is_instance_of::<PyString>() {
                    return Ok(None);
                }
                if item.is_none() {
                    return Err(pyo3::exceptions::PyTypeError::new_err(
                        "expected numbers, got None in an array",
                    ));
                }
            }
        }
        "U" | "S" => return Ok(None),
        _ => {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "expected numbers, got an array of dtype kind {kind:?}"
            )))
        }
    }
    let floats = np.call_method1("asarray", (array, "float64"))?;
    Ok(Some(floats.cast_into::<PyArrayDyn<f64>>()?.readonly()))
}

/// numpy-financial's `when` for arrays: each element `'end'`/`'begin'`/0/1 (any spelling that
/// `parse` accepts), as an array of 0.0 and 1.0.
pub(crate) fn when_array<'py>(
    py: Python<'py>,
    ob: &Bound<'py, PyAny>,
    parse: impl Fn(&Bound<'py, PyAny>) -> PyResult<f64>,
) -> PyResult<ArrayD<f64>> {
    let Some(np) = numpy(py) else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "when: an array of 'end'/'begin' needs numpy",
        ));
    };
    let objects = np.call_method1("asarray", (ob, "object"))?;
    let shape: Vec<usize> = objects.getattr("shape")?.extract()?;
    let mut values = Vec::new();
    for item in objects.call_method0("ravel")?.try_iter()? {
        values.push(parse(&item?)?);
    }
    ArrayD::from_shape_vec(IxDyn(&shape), values)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// The broadcast shape of `shapes` (NumPy's rules), or a `ValueError` naming them.
pub(crate) fn broadcast_shape(shapes: &[&[usize]]) -> PyResult<Vec<usize>> {
    let ndim = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1usize; ndim];
    for shape in shapes {
        let offset = ndim - shape.len();
        for (k, &d) in shape.iter().enumerate() {
            let o = &mut out[offset + k];
            if *o == 1 {
                *o = d;
            } else if d != 1 && d != *o {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "shape mismatch: objects cannot be broadcast to a single shape ({})",
                    shapes
                        .iter()
                        .map(|s| format!("{s:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// One broadcast column: a single value or one value per output element (row-major). An input
/// that already has the output's shape and is contiguous is borrowed, not copied.
pub(crate) enum Column<'a> {
    Scalar(f64),
    Values(Cow<'a, [f64]>),
}

impl<'a> Column<'a> {
    /// The column of `view` broadcast to `shape`.
    pub(crate) fn new(view: ArrayViewD<'a, f64>, shape: &[usize]) -> PyResult<Column<'a>> {
        if view.len() == 1 {
            return Ok(Column::Scalar(
                view.iter().next().copied().unwrap_or(f64::NAN),
            ));
        }
        if view.shape() == shape {
            if let Some(s) = view.to_slice() {
                return Ok(Column::Values(Cow::Borrowed(s)));
            }
        }
        let b = view.broadcast(IxDyn(shape)).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("shape mismatch while broadcasting")
        })?;
        Ok(Column::Values(Cow::Owned(b.iter().copied().collect())))
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> f64 {
        match self {
            Column::Scalar(x) => *x,
            Column::Values(v) => v.get(i).copied().unwrap_or(f64::NAN),
        }
    }

    /// The part of the column for output elements `start..start + len`: a value, or a slice of
    /// exactly `len` values (`None` when the column is shorter).
    pub(crate) fn part(&self, start: usize, len: usize) -> Option<Part<'_>> {
        match self {
            Column::Scalar(x) => Some(Part::Scalar(*x)),
            Column::Values(v) => v.get(start..start + len).map(Part::Values),
        }
    }
}

/// A part of a [`Column`] (see [`Column::part`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    Scalar(f64),
    Values(&'a [f64]),
}

/// A scalar argument that is exactly a Python `float` or `int` (not `bool`), as `f64`: the
/// fast path.
#[inline]
pub(crate) fn plain_number(ob: &Bound<'_, PyAny>) -> Option<f64> {
    if let Ok(f) = ob.cast_exact::<PyFloat>() {
        return Some(f.value());
    }
    if let Ok(i) = ob.cast_exact::<PyInt>() {
        return i.extract::<i64>().ok().map(|i| i as f64);
    }
    None
}

/// `values` as an array of `shape` (a Python `float` for shape `()`).
pub(crate) fn to_python(py: Python<'_>, values: Vec<f64>, shape: &[usize]) -> PyResult<Py<PyAny>> {
    if shape.is_empty() {
        let x = values.first().copied().unwrap_or(f64::NAN);
        return Ok(PyFloat::new(py, x).into_any().unbind());
    }
    let array = ArrayD::from_shape_vec(IxDyn(shape), values)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok(array.into_pyarray(py).into_any().unbind())
}

/// Below this many elements one thread does the loop (threads cost more than they save).
pub(crate) const PARALLEL_FROM: usize = 8192;

/// Calls `fill(start, chunk)` over consecutive chunks of `out` (`start` is the index of the
/// chunk's first element), split over the available cores when `out` has at least `parallel_from`
/// elements (the caller has released the GIL).
pub(crate) fn parallel_fill(
    out: &mut [f64],
    parallel_from: usize,
    fill: impl Fn(usize, &mut [f64]) + Sync,
) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if out.len() < parallel_from || threads < 2 {
        fill(0, out);
        return;
    }
    let chunk = out.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut parts = out.chunks_mut(chunk).enumerate();
        // The calling thread takes the first chunk itself: one thread fewer to start.
        let first = parts.next();
        for (c, part) in parts {
            let fill = &fill;
            scope.spawn(move || fill(c * chunk, part));
        }
        if let Some((_, part)) = first {
            fill(0, part);
        }
    });
}
