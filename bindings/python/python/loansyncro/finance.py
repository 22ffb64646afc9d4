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

from ._native import cumipmt, cumprinc, fv, ipmt, irr, mirr, nper, npv, pmt, ppmt, pv, rate

__all__ = [
    "pmt", "ipmt", "ppmt", "nper", "rate", "pv", "fv", "npv", "irr", "mirr", "cumipmt", "cumprinc",
]
