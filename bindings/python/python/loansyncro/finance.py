"""numpy-financial's functions, as a drop-in: ``import loansyncro.finance as npf``.

``pmt ipmt ppmt nper rate pv fv npv irr mirr`` take numpy-financial's arguments (names, order
and defaults; ``when`` is ``'end'``/``'begin'``, 0/1, or an array of them), plus ``cumipmt`` and
``cumprinc`` (interest and principal paid over periods ``start..end`` inclusive). The kind of
the arguments picks how the Rust core computes:

* **floats and ints** give a ``float``, computed in ``f64`` with numpy-financial's formulas
  (results within 1e-12 relative of the exact value; tiny rates do not cancel; ``rate`` and
  ``irr`` converge to full precision);
* a **``decimal.Decimal``** (or a decimal ``str``) anywhere gives a ``Decimal``, computed exactly
  by the core (28 significant digits; periods are whole numbers);
* **sequences and NumPy arrays** broadcast as in numpy-financial and give a ``float64`` array,
  looped over in Rust without the GIL (arrays holding decimals give an object array of
  ``Decimal``).

Errors: ``errors="raise"`` (the default for scalars) raises a typed error naming the argument
(:class:`loansyncro.ValidationError`, :class:`loansyncro.NoSolution`); ``errors="nan"`` (the
default when an argument is an array, and for ``irr``/``mirr`` as in numpy-financial) gives NaN
for an element without a result (``inf`` where the value is infinite).

>>> import loansyncro.finance as npf
>>> round(npf.pmt(0.08 / 12, 5 * 12, 15000), 6)
-304.145914
>>> from decimal import Decimal
>>> npf.pmt(Decimal("0.08") / 12, 60, 15000).quantize(Decimal("0.000001"))
Decimal('-304.145914')
>>> import numpy as np
>>> npf.nper(0.075, -2000, 0, 100000.0, [0, 1]).round(4)
array([21.5449, 20.7616])
>>> npf.ipmt(0.1 / 12, [0, 1], 24, 2000).round(4)
array([     nan, -16.6667])
>>> round(npf.irr([-100, 39, 59, 55, 20]), 5)
0.28095

The differences from numpy-financial (and the numpy-financial tests they fail) are listed in
the package README, "Differences from numpy-financial".
"""

from decimal import Decimal
from typing import Any, Literal, Optional, Sequence, Union, overload

from . import _native
from ._native import cumipmt, cumprinc, fv, ipmt, irr, nper, pmt, ppmt, pv, rate
from .errors import NoSolution, ValidationError

__all__ = [
    "pmt", "ipmt", "ppmt", "nper", "rate", "pv", "fv", "npv", "irr", "mirr", "cumipmt", "cumprinc",
    "NoRealSolutionError", "IterationsExceededError",
]

#: numpy-financial 1.1's exceptions (``raise_exceptions=True``) are loansyncro's ``NoSolution``,
#: which names why there is no solution (``except npf.NoRealSolutionError`` catches it).
NoRealSolutionError = NoSolution
IterationsExceededError = NoSolution

_Errors = Optional[Literal["nan", "raise"]]

_np: Any
try:  # numpy is optional
    import numpy as _np
except ImportError:  # pragma: no cover - exercised when numpy is absent
    _np = None


def _ndim(x: Any) -> int:
    if _np is not None:
        return int(_np.ndim(x))
    return 0 if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") else 1


def _item(x: Any) -> Any:
    """A NumPy scalar or 0-d array as its Python value."""
    return x.item() if _np is not None and isinstance(x, (_np.ndarray, _np.generic)) else x


@overload
def npv(rate: Union[Decimal, str], values: Sequence[Union[Decimal, int, float, str]], *, errors: _Errors = ...) -> Decimal: ...
@overload
def npv(rate: float, values: Any, *, errors: _Errors = ...) -> float: ...
@overload
def npv(rate: Any, values: Any, *, errors: _Errors = ...) -> Any: ...
def npv(rate: Any, values: Any, *, errors: _Errors = None) -> Any:
    """numpy-financial's ``npv``: ``rate`` is a scalar or 1-D, ``values`` 1-D or 2-D (else
    ``ValueError``)."""
    if _ndim(rate) > 1:
        raise ValueError("invalid shape for rates: a scalar or a 1-D array")
    if _ndim(values) > 2:
        raise ValueError("invalid shape for values: a 1-D or 2-D array")
    if errors is None:
        return _native.npv(rate, values)
    return _native.npv(rate, values, errors=errors)


def _mirr_one(values: Any, finance_rate: Any, reinvest_rate: Any, raise_exceptions: bool, errors: _Errors) -> Any:
    """One ``mirr``; under ``errors="nan"`` (the default) invalid arguments (a rate beyond the
    decimal range, |rate| >= 7.9e28) give NaN as an element without a result does."""
    try:
        return _native.mirr(values, finance_rate, reinvest_rate, raise_exceptions=raise_exceptions, errors=errors)
    except ValidationError:
        if raise_exceptions or errors == "raise":
            raise
        return float("nan")


def mirr(
    values: Any, finance_rate: Any, reinvest_rate: Any, *, raise_exceptions: bool = False,
    errors: _Errors = None,
) -> Any:
    """numpy-financial's ``mirr``: with 2-D ``values`` (one cash flow per row) or 1-D rates
    (``finance_rate`` and ``reinvest_rate`` of one size, else ``ValueError``) the result is an
    array of shape ``(rows, rates)``, squeezed as numpy-financial 1.1 does."""
    if _ndim(finance_rate) == 0 and _ndim(reinvest_rate) == 0 and _ndim(values) <= 1:
        return _mirr_one(values, _item(finance_rate), _item(reinvest_rate), raise_exceptions, errors)
    if _np is None:
        raise TypeError("mirr over arrays of rates or 2-D values needs numpy")
    np = _np
    fr = np.atleast_1d(np.asarray(finance_rate))
    rr = np.atleast_1d(np.asarray(reinvest_rate))
    if fr.ndim > 1 or rr.ndim > 1 or fr.size != rr.size:
        raise ValueError("finance_rate and reinvest_rate must be scalars or 1-D arrays of one size")
    rows = np.atleast_2d(np.asarray(values))
    if rows.ndim > 2:
        raise ValueError("invalid shape for values: a 1-D or 2-D array")
    out = np.empty((rows.shape[0], fr.size), dtype=object if rows.dtype == object else np.float64)
    for i, row in enumerate(rows):
        for j in range(fr.size):
            out[i, j] = _mirr_one(list(row), _item(fr[j]), _item(rr[j]), raise_exceptions, errors)
    if out.size == 1:
        return out.flat[0]
    return out
