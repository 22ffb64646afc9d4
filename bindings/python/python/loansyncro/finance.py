"""numpy-financial's time-value-of-money functions, exact.

Migrate with one line::

    import loansyncro.finance as npf

``pmt, ipmt, ppmt, nper, rate, pv, fv`` take numpy-financial's arguments (names, order and
defaults: ``rate, nper, pv, fv=0, when='end'``; ``when`` is ``'end'``/``'begin'`` or 0/1),
plus ``cumipmt`` and ``cumprinc`` (interest and principal paid over periods
``start..end`` inclusive). Every function is computed by the Rust core in exact decimals:

* a ``decimal.Decimal`` (or decimal ``str``) anywhere in the arguments gives a ``Decimal``;
  otherwise (floats and ints, numpy-financial's inputs) the result is a ``float``. Floats are read
  through their shortest repr (``0.1`` is exactly ``Decimal('0.1')``);
* sequences and numpy arrays broadcast as in numpy-financial (numpy is optional; without it,
  lists broadcast to lists);
* periods (``nper``, ``per``, ``start``, ``end``) are whole numbers;
* differences on purpose: no solution raises :class:`loansyncro.NoSolution` instead of returning
  NaN; a 0% rate is an ordinary case everywhere; ``nper`` at 0% has the right sign; ``rate``
  brackets the root instead of running Newton: ``guess`` (default 0.1, as in numpy-financial)
  only chooses between several roots (the one nearest to it), ``tol``/``maxiter`` are ignored.
"""

from ._native import cumipmt, cumprinc, fv, ipmt, nper, pmt, ppmt, pv, rate

__all__ = ["pmt", "ipmt", "ppmt", "nper", "rate", "pv", "fv", "cumipmt", "cumprinc"]
