"""Packaging: the example runs, the stubs declare every native name, py.typed ships."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import loansyncro
from loansyncro import _native


def test_example_runs(repo_root: Path, tmp_path: Path) -> None:
    script = repo_root / "examples" / "python" / "loans.py"
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=True)
    assert "monthly payment 1580.17" in out.stdout
    assert "debt-free" in out.stdout
    # The portfolio part: the summary per currency and the avalanche/snowball plans.
    assert "EUR: 1 loans, borrowed 60000" in out.stdout and "USD: 4 loans, borrowed 278200" in out.stdout
    assert "payoff amount 16015.08" in out.stdout
    assert "avalanche debt-free 2036-03-01 after 127 months, interest 105724.77" in out.stdout
    assert "snowball  debt-free 2036-03-01 after 127 months, interest 105963.20" in out.stdout
    csv = (tmp_path / "mortgage-schedule.csv").read_bytes()
    assert csv.count(b"\r\n") == 361


def test_stubs_declare_every_native_name() -> None:
    package = Path(loansyncro.__file__).parent
    assert (package / "py.typed").exists()
    stub = ast.parse((package / "_native.pyi").read_text())
    declared = {n.name for n in ast.walk(stub) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    declared |= {t.id for n in ast.walk(stub) if isinstance(n, (ast.AnnAssign,)) for t in [n.target] if isinstance(t, ast.Name)}
    public = {name for name in dir(_native) if not name.startswith("_")} | {"__version__"}
    missing = public - declared - {"__version__"}
    assert not missing, f"declare these in _native.pyi: {sorted(missing)}"
    for name in loansyncro.__all__:
        assert hasattr(loansyncro, name), name
