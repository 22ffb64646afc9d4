"""Broadcasting for ``loansyncro.finance`` (numpy-financial semantics).

The native functions handle scalars themselves; when an argument is a sequence or a numpy
array they call :func:`apply`, which broadcasts the arguments (with numpy when it is installed,
over plain lists otherwise) and calls the native function once per element. The result has the
broadcast shape: a float ``ndarray`` when every element is a float, an object ``ndarray`` of
``Decimal`` otherwise (plain lists without numpy).
"""

from __future__ import annotations

from typing import Any, Callable, List, Sequence, Tuple

try:  # numpy is optional
    import numpy as _np
except ImportError:  # pragma: no cover - exercised when numpy is absent
    _np = None


def _is_scalar(x: Any) -> bool:
    return isinstance(x, (str, bytes)) or not hasattr(x, "__len__")


def _apply_lists(function: Callable[..., Any], args: Tuple[Any, ...]) -> Any:
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
            out.append(_apply_lists(function, tuple(row)))
        else:
            out.append(function(*row))
    return out


def apply(function: Callable[..., Any], args: Tuple[Any, ...]) -> Any:
    """Broadcast ``args`` and call ``function`` element by element."""
    if _np is None:
        return _apply_lists(function, args)
    np = _np
    arrays = [np.asarray(a, dtype=object) if isinstance(a, (list, tuple)) else a for a in args]
    b = np.broadcast(*arrays)
    values = [function(*(x.item() if hasattr(x, "item") else x for x in row)) for row in b]
    if b.ndim == 0:
        return values[0]
    if all(isinstance(v, float) for v in values):
        return np.array(values, dtype=float).reshape(b.shape)
    out = np.empty(b.shape, dtype=object)
    out.ravel()[:] = values
    return out
