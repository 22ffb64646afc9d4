"""The specialised array loop of ``pmt`` (a whole ``nper`` and one ``when`` for the whole array:
``(1+r)^n`` by repeated squaring, one division) against the exact path and against the general
per-element loop (``nper`` as an array), including the elements without a result."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import loansyncro
import loansyncro.finance as npf
from conftest import load

np: Any = pytest.importorskip("numpy")


@pytest.mark.parametrize("name", ["finance.json", "finance-generated.json"])
def test_array_pmt_is_within_1e_12_of_the_exact_path_on_every_vector(name: str) -> None:
    cases: List[Dict[str, Any]] = [
        c for c in load(name)["cases"] if c["fn"] == "pmt" and "expected_error" not in c
    ]
    assert cases
    for case in cases:
        args: Dict[str, Any] = case["args"]
        floats: Dict[str, Any] = {
            k: v if k == "when" or isinstance(v, int) else float(v) for k, v in args.items()
        }
        exact: Dict[str, Any] = {
            k: v if k == "when" or isinstance(v, int) else Decimal(repr(v)) for k, v in floats.items()
        }
        want = float(npf.pmt(**exact))
        rate = floats.pop("rate")
        got: Any = npf.pmt(np.full(3, rate), **floats)
        assert got.shape == (3,)
        for g in got:
            assert abs(float(g) - want) <= 1e-12 * abs(want), (case["id"], g, want)


def test_specialised_loop_equals_the_general_loop_within_the_tolerance() -> None:
    rng = random.Random(16)
    rates = [0.0, 1e-3, -1e-3, 1e-4, -1.0, -2.0, math.nan, math.inf, 0.5, 2.0]
    rates += [rng.uniform(1e-3, 0.03) for _ in range(60)]
    rates += [rng.uniform(-0.2, -1e-3) for _ in range(20)]
    r = np.array(rates)
    for n in (1, 2, 12, 360, 4096, 4097):
        for pv, fv in ((250000.0, 0.0), (1000.0, -2500.0), (-5.0, 1e6)):
            for when in (0, 1):
                fast = npf.pmt(r, n, pv, fv, when)
                general = npf.pmt(r, np.full(r.shape, float(n)), pv, fv, when)
                assert np.array_equal(np.isnan(fast), np.isnan(general)), (n, pv, fv, when)
                assert np.array_equal(np.isinf(fast), np.isinf(general)), (n, pv, fv, when)
                ok = np.isfinite(general)
                assert np.allclose(fast[ok], general[ok], rtol=2e-12, atol=0), (n, pv, fv, when)
    # Arrays of amounts with one rate take the same loop.
    pv_array = np.linspace(1000.0, 500000.0, 50)
    got = npf.pmt(0.005, 360, pv_array)
    want = [float(npf.pmt(Decimal("0.005"), 360, Decimal(repr(float(p))))) for p in pv_array]
    assert np.allclose(got, want, rtol=1e-12, atol=0)


def test_specialised_loop_keeps_nan_and_raise_semantics() -> None:
    got = npf.pmt(np.array([0.01, -2.0, math.nan]), 12, 1000.0)
    assert math.isfinite(got[0]) and math.isnan(got[1]) and math.isnan(got[2])
    with pytest.raises(loansyncro.ValidationError) as e:
        npf.pmt(np.array([0.01, -2.0]), 12, 1000.0, errors="raise")
    assert e.value.field == "rate[1]"
    # A large array (the threaded loop) names the element the same way.
    rates = np.full(200_000, 0.01)
    rates[150_001] = -1.5
    with pytest.raises(loansyncro.ValidationError) as e:
        npf.pmt(rates, 360, 1000.0, errors="raise")
    assert e.value.field == "rate[150001]"
    big = npf.pmt(rates, 360, 1000.0)
    assert np.isnan(big[150_001]) and np.count_nonzero(np.isnan(big)) == 1
    assert np.all(big[:150_001] == big[0])


def test_strided_and_fortran_order_inputs_give_the_same_elements() -> None:
    # Contiguous inputs are read in place; other layouts are copied in row-major order first.
    base = np.linspace(0.001, 0.02, 1000)
    for rates in (base[::2], base.reshape(20, 50).T, base.reshape(20, 50)[:, ::3]):
        want = npf.pmt(np.ascontiguousarray(rates), 360, 1000.0)
        got = npf.pmt(rates, 360, 1000.0)
        assert got.shape == rates.shape
        assert np.array_equal(got, want)
        amounts = npf.pmt(0.01, 360, rates * 1e6)
        assert np.array_equal(amounts, npf.pmt(0.01, 360, np.ascontiguousarray(rates) * 1e6))
        assert np.allclose(got.ravel(), [float(npf.pmt(float(r), 360, 1000.0)) for r in rates.ravel()],
                           rtol=2e-12, atol=0)
