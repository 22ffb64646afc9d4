"""numpy-financial's own test suite, run against ``loansyncro.finance`` as a drop-in.

The suite is numpy-financial 1.1.0's (``numpy_financial/tests/test_financial.py`` and
``strategies.py`` from its wheel: the package needs Python 3.13, its tests run on 3.11).
``scripts/suites/20-python.sh`` downloads the wheel into ``.tools/numpy-financial-1.1.0`` and
points ``LOANSYNCRO_NPF_TESTS`` at its tests folder. The files are copied into a temporary
folder with their imports swapped to ``loansyncro.finance`` and run by pytest in a subprocess.
Every test must pass except the documented differences below (each with its reason, also
listed in the package README); a difference that starts passing fails this test too, so the
list stays true.

The Decimal differences are last-digit ones where loansyncro's result is the more exact one:
``test_decimal_results_are_at_least_as_exact`` checks that against a 60-digit evaluation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from decimal import localcontext
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import pytest

import loansyncro.finance as lf

README = Path(__file__).resolve().parents[1] / "README.md"
ROOT = Path(__file__).resolve().parents[3]

_LAST_DIGITS = "Decimal result differs in the last digits; ours is the more exact (60-digit check below)"
_IPMT_DIGITS = (
    "Decimal ipmt differs in the 27th significant digit: ours -16.666666666666666666666666600, "
    "numpy-financial -16.66666666666666666666666667, exact (with the 28-digit rate) "
    "-16.666666666666666666666666666: ours is 6.6e-26 off (the exact Decimal path rounds an "
    "intermediate to 26 decimals), numpy-financial 4e-27"
)
_SCALAR_RAISES = (
    "a scalar without a result raises a typed error naming the argument (loansyncro's documented "
    "choice); numpy-financial returns NaN/inf; errors='nan' gives numpy-financial's value"
)
_IRR_ROOT = (
    "several real roots: loansyncro returns the root nearest 0 found by bracketing (NaN when none "
    "is bracketed); numpy-financial 1.1 solves the polynomial with numpy.roots and picks by its "
    "selection rule"
)

#: numpy-financial 1.1.0 test id (class::name[params]) -> why it fails against loansyncro.finance.
DIFFERENCES: Dict[str, str] = {
    "TestPV::test_pv_decimal": _LAST_DIGITS,
    "TestPmt::test_pmt_decimal_simple": _LAST_DIGITS,
    "TestPmt::test_pmt_decimal_broadcast": (
        "Decimal pmt at rate 0 gives -166.66666666666666666666666667 (29 digits, exact to the last); "
        "numpy-financial -166.6666666666666666666666667"
    ),
    "TestPpmt::test_decimal": _LAST_DIGITS,
    "TestIpmt::test_decimal": _IPMT_DIGITS,
    "TestRate::test_rate_decimal": (
        "Decimal rate is refined to 1e-24; numpy-financial stops Newton at 1e-6 (its value is 3.5e-12 off)"
    ),
    "TestRate::test_rate_with_infeasible_solution[0-Decimal]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[0-float]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[1-Decimal]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[1-float]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[end-Decimal]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[end-float]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[begin-Decimal]": _SCALAR_RAISES,
    "TestRate::test_rate_with_infeasible_solution[begin-float]": _SCALAR_RAISES,
    "TestNpv::test_rate_of_negative_one_returns_nan[-1]": _SCALAR_RAISES,
    "TestNpv::test_rate_of_negative_one_returns_nan[-1.0]": _SCALAR_RAISES,
    "TestNper::test_infinite_payments": _SCALAR_RAISES,
    "TestPpmt::test_invalid_per[args0]": _SCALAR_RAISES,
    "TestPpmt::test_invalid_per[args1]": _SCALAR_RAISES,
    "TestIpmt::test_gh_17[0-nan]": _SCALAR_RAISES,
    "TestNper::test_fuzz": (
        "nper broadcasts with NumPy's rules like every other function (and numpy-financial 1.0); "
        "numpy-financial 1.1's nper takes the outer product of its arguments (the result's shape is "
        "every argument's length), so lengths 0 and 2 are a shape mismatch here"
    ),
    "TestIrr::test_gh_15": _IRR_ROOT,
    "TestIrr::test_gh_39": _IRR_ROOT,
    "TestIrr::test_gh_44": _IRR_ROOT,
}

NUMPY_FINANCIAL_VERSION = "1.1.0"


def _suite_folder() -> Path:
    env = os.environ.get("LOANSYNCRO_NPF_TESTS")
    folder = Path(env) if env else ROOT / ".tools" / f"numpy-financial-{NUMPY_FINANCIAL_VERSION}" / "numpy_financial" / "tests"
    if not env and not folder.exists():
        pytest.skip("numpy-financial 1.1.0's tests are not downloaded (scripts/suites/20-python.sh does it)")
    assert (folder / "test_financial.py").exists(), f"no numpy-financial tests in {folder}"
    return folder


def _swapped(source: Path, folder: Path) -> Path:
    text = (source / "test_financial.py").read_text(encoding="utf-8")
    assert text.count("import numpy_financial as npf") == 1
    assert text.count("from numpy_financial.tests.strategies import") == 1
    text = text.replace("import numpy_financial as npf", "import loansyncro.finance as npf")
    text = text.replace("from numpy_financial.tests.strategies import", "from npf_strategies import")
    (folder / "npf_strategies.py").write_text((source / "strategies.py").read_text(encoding="utf-8"))
    target = folder / "test_financial_on_loansyncro.py"
    target.write_text(text)
    return target


def _outcomes(report: Path) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        name = f"{case.get('classname', '?').rsplit('.', 1)[-1]}::{case.get('name', '?')}"
        out[name] = "failed" if failed else "skipped" if skipped else "passed"
    return out


def test_numpy_financial_suite_passes_but_for_the_documented_differences(tmp_path: Path) -> None:
    test_file = _swapped(_suite_folder(), tmp_path)
    report = tmp_path / "report.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", f"--junitxml={report}", str(test_file)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    outcomes = _outcomes(report)
    assert outcomes, run.stdout + run.stderr
    failed = {name for name, outcome in outcomes.items() if outcome == "failed"}
    unexpected = sorted(failed - set(DIFFERENCES))
    fixed = sorted(set(DIFFERENCES) - failed)
    assert not unexpected, f"new failures: {unexpected}\n{run.stdout[-6000:]}"
    assert not fixed, f"documented differences that now pass (remove them): {fixed}"
    assert sum(1 for o in outcomes.values() if o == "passed") == len(outcomes) - len(DIFFERENCES)


def test_every_difference_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for name in DIFFERENCES:
        assert f"`{name}`" in text, f"README does not list {name}"


def _fact(r: D, n: int) -> Tuple[D, D]:
    t = (1 + r) ** n
    return (t - 1) / r, t


def _mirr(vals: List[D], fr: D, rr: D) -> D:
    def npv(rate: D, vs: List[D]) -> D:
        return sum((v / (1 + rate) ** t for t, v in enumerate(vs)), D(0))

    pos = [v if v > 0 else D(0) for v in vals]
    neg = [v if v < 0 else D(0) for v in vals]
    return (abs(npv(rr, pos)) / abs(npv(fr, neg))) ** (D(1) / D(len(vals) - 1)) * (1 + rr) - 1


def _pmt(r: D, n: int, pv: D) -> D:
    fa, t = _fact(r, n)
    return -(pv * t) / fa


_MIRR_FLOWS = [
    ("-4500 -800 800 800 600 600 800 800 700 3000", "0.08", "0.055", "0.066597175031553548874239618"),
    ("-120000 39000 30000 21000 37000 46000", "0.10", "0.12", "0.126094130365905145828421880"),
    ("100 200 -50 300 -200", "0.05", "0.06", "0.342823387842176663647819868"),
]

# (name, loansyncro's result, numpy-financial's expected value in its tests, the 60-digit value)
_CASES: List[Tuple[str, Callable[[], D], str, Callable[[], D]]] = [
    ("pmt", lambda: lf.pmt(D("0.08") / D("12"), 60, 15000), "-304.1459143262052370338701494",
     lambda: _pmt(D("0.08") / D("12"), 60, D(15000))),
    ("pv", lambda: lf.pv(D("0.07"), D("20"), D("12000"), D("0")), "-127128.1709461939327295222005",
     lambda: -(D(12000) * _fact(D("0.07"), 20)[0]) / _fact(D("0.07"), 20)[1]),
    ("fv", lambda: lf.fv(D("0.075"), D("20"), D("-2000"), 0, 0), "86609.36267304300040536731624",
     lambda: D(2000) * _fact(D("0.075"), 20)[0]),
    ("ppmt", lambda: lf.ppmt(D("0.1") / D("12"), D("1"), D("60"), D("55000")), "-710.2541257864217612489830917",
     lambda: _pmt(D("0.1") / D("12"), 60, D(55000)) + D(55000) * (D("0.1") / D("12"))),
    ("ppmt special", lambda: lf.ppmt(D("0.23") / D("12"), 1, 60, D("10000000000")), "-90238044.2322778884413969909",
     lambda: _pmt(D("0.23") / D("12"), 60, D("1e10")) + D("1e10") * (D("0.23") / D("12"))),
    ("rate", lambda: lf.rate(D("10"), D("0"), D("-3500"), D("10000")), "0.1106908537142689284704528100",
     lambda: (D(10000) / D(3500)) ** (D(1) / D(10)) - 1),
]


def _mirr_case(k: int, flows: str, finance: str, reinvest: str, expected: str) -> Tuple[str, Callable[[], D], str, Callable[[], D]]:
    values = [D(x) for x in flows.split()]

    def ours() -> D:
        result = lf.mirr(values, D(finance), D(reinvest))
        assert isinstance(result, D)
        return result

    return f"mirr {k}", ours, expected, lambda: _mirr(values, D(finance), D(reinvest))


_CASES += [_mirr_case(k, *case) for k, case in enumerate(_MIRR_FLOWS)]


@pytest.mark.parametrize("name,ours,theirs,exact", _CASES, ids=[c[0] for c in _CASES])
def test_decimal_results_are_at_least_as_exact(
    name: str, ours: Callable[[], D], theirs: str, exact: Callable[[], D]
) -> None:
    got = ours()
    # The inputs are the 28-digit decimals both libraries see (e.g. Decimal('0.08') / 12).
    with localcontext() as ctx:
        ctx.prec = 60
        value = +exact()
        our_error = abs(got - value)
        their_error = abs(D(theirs) - value)
    assert our_error <= their_error, f"{name}: ours {got} ({our_error:.1E}) vs {theirs} ({their_error:.1E})"
    assert our_error < D("1e-18") * max(abs(value), D(1))
