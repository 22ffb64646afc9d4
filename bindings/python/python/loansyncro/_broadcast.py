"""Element-by-element broadcasting for ``loansyncro.finance`` arrays that hold decimals.

Float arrays never come here: the native module loops over them in Rust. Arrays or sequences
holding ``Decimal`` (or decimal ``str``) are broadcast with NumPy's rules (NumPy when it is
installed, plain lists otherwise) and each element goes through the exact scalar path. The
result has the broadcast shape: an object ``ndarray`` of ``Decimal`` (a list without NumPy).
Under ``errors="nan"`` an element without a result is ``float('nan')`` (numpy-financial's
``np.nan``; ``numpy.isnan`` cannot read ``Decimal('NaN')``).
"""

from __future__ import annotations

from typing import Any, Callable, List, Sequence, Tuple

from .errors import LoanSyncroError, NoSolution, ValidationError

_np: Any
try:  # numpy is optional
    import numpy as _np
except ImportError:  # pragma: no cover - exercised when numpy is absent
    _np = None


def _is_scalar(x: Any) -> bool:
    return isinstance(x, (str, bytes)) or not hasattr(x, "__len__")


def _at(error: LoanSyncroError, index: str) -> LoanSyncroError:
    """The error of one element, naming the element (``rate[1]``) as the float path does."""
    if isinstance(error, ValidationError):
        field = f"{error.field}{index}"
        return ValidationError(f"invalid {field}: {error.reason}", field, error.reason)
    if isinstance(error, NoSolution):
        return NoSolution(f"no solution: element {index}: {error.reason}", f"element {index}: {error.reason}")
    return error


def _one(function: Callable[..., Any], row: Sequence[Any], errors: str, index: str = "") -> Any:
    try:
        return function(*row, errors="raise")
    except LoanSyncroError as e:
        if errors == "nan":
            return float("nan")
        if index:
            raise _at(e, index) from e
        raise


def _apply_lists(function: Callable[..., Any], args: Tuple[Any, ...], errors: str) -> Any:
    lengths = {len(a) for a in args if not _is_scalar(a)}
    lengths.discard(1)
    if len(lengths) > 1:
        raise ValueError(f"shape mismatch: sequences of lengths {sorted(lengths)} cannot be broadcast")
    n = lengths.pop() if lengths else 1
    columns: List[Sequence[Any]] = []
    for a in args:
        if _is_scalar(a):
            columns.append([a] * n)
        elif len(a) == 1:
            columns.append([a[0]] * n)
        else:
            columns.append(list(a))
    out: List[Any] = []
    for row in zip(*columns):
        if any(not _is_scalar(x) for x in row):
            out.append(_apply_lists(function, tuple(row), errors))
        else:
            out.append(_one(function, row, errors))
    return out


def apply(function: Callable[..., Any], args: Tuple[Any, ...], errors: str = "nan") -> Any:
    """Broadcast ``args`` and call ``function`` element by element (``errors``: ``'nan'`` or
    ``'raise'``)."""
    if _np is None:
        return _apply_lists(function, args, errors)
    np = _np
    arrays = [a if isinstance(a, np.ndarray) else np.asarray(a, dtype=object) for a in args]
    b = np.broadcast(*arrays)
    values = [
        _one(function, [x.item() if isinstance(x, np.generic) else x for x in row], errors,
             "[" + ", ".join(map(str, index)) + "]")
        for index, row in zip(np.ndindex(b.shape), b)
    ]
    if b.ndim == 0:
        return values[0]
    out = np.empty(b.shape, dtype=object)
    out.ravel()[:] = values
    return out
