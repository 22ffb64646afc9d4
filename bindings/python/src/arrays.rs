//! NumPy arrays for the float path of `loansyncro.finance`: arguments become `f64` columns
//! broadcast with NumPy's rules, the element loop runs in Rust without the GIL, and the result is
//! a new `float64` array of the broadcast shape.
//!
//! An argument that holds a `Decimal` (or a decimal `str`) is not a float array: [`float_array`]
//! returns `None` and the caller takes the exact path instead.

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

/// One broadcast column: a single value or one value per output element (row-major).
pub(crate) enum Column {
    Scalar(f64),
    Values(Vec<f64>),
}

impl Column {
    /// The column of `view` broadcast to `shape`.
    pub(crate) fn new(view: ArrayViewD<'_, f64>, shape: &[usize]) -> PyResult<Column> {
        if view.len() == 1 {
            return Ok(Column::Scalar(
                view.iter().next().copied().unwrap_or(f64::NAN),
            ));
        }
        if view.shape() == shape {
            if let Some(s) = view.as_slice() {
                return Ok(Column::Values(s.to_vec()));
            }
        }
        let b = view.broadcast(IxDyn(shape)).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("shape mismatch while broadcasting")
        })?;
        Ok(Column::Values(b.iter().copied().collect()))
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> f64 {
        match self {
            Column::Scalar(x) => *x,
            Column::Values(v) => v[i],
        }
    }
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
const PARALLEL_FROM: usize = 8192;

/// `(0..size).map(f)`, split over the available cores for large arrays (the caller has released
/// the GIL).
pub(crate) fn parallel_map(size: usize, f: impl Fn(usize) -> f64 + Sync) -> Vec<f64> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if size < PARALLEL_FROM || threads < 2 {
        return (0..size).map(f).collect();
    }
    let mut out = vec![0.0f64; size];
    let chunk = size.div_ceil(threads);
    std::thread::scope(|scope| {
        for (c, part) in out.chunks_mut(chunk).enumerate() {
            let f = &f;
            scope.spawn(move || {
                for (j, slot) in part.iter_mut().enumerate() {
                    *slot = f(c * chunk + j);
                }
            });
        }
    });
    out
}
